"""Row ids and every reference to one are 64-bit on PostgreSQL: a large platform's items, posts, reports and audit
rows outgrow 2^31. The id sequences become bigint too (a serial's sequence would otherwise still stop at 2^31 - 1).

SQLite is untouched: its INTEGER is 64-bit already, and a primary key must stay INTEGER there to be the rowid.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables as they stand at this revision (a migration never reads the current tables.py).
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "users": ("id",),
    "tokens": ("id", "user_id"),
    "queues": ("id",),
    "channels": ("id",),
    "posts": ("id", "channel_id"),
    "media": ("id", "post_id"),
    "media_blobs": ("media_id",),
    "items": ("id", "queue_id", "channel_id", "post_id", "claimed_by", "decision_id", "assigned_to"),
    "reports": ("id", "item_id"),
    "signals": ("id", "item_id"),
    "decisions": ("id", "item_id", "user_id", "reverted_by"),
    "idempotency_keys": ("id", "user_id"),
    "audit_log": ("id", "actor_id", "item_id", "queue_id"),
    "reassign_operations": ("actor_id", "last_audit_id", "undone_by"),
    "exposure_reports": ("id", "user_id", "item_id", "media_id"),
    "server_settings": ("updated_by",),
    "qa_samples": ("id", "decision_id", "item_id", "queue_id", "moderator_id", "claimed_by", "reviewer_id"),
    "qa_disputes": ("id", "sample_id", "resolved_by"),
    "appeals": ("id", "decision_id", "item_id", "queue_id", "filed_by", "claimed_by", "decided_by"),
    "item_notes": ("id", "item_id", "user_id"),
}


def upgrade() -> None:
    _retype("BIGINT")


def downgrade() -> None:
    # Fails (and changes nothing: PostgreSQL's DDL is transactional) once an id has passed 2^31 - 1.
    _retype("INTEGER")


def _retype(sql_type: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, columns in ID_COLUMNS.items():
        # One statement per table: PostgreSQL rewrites the table (and its indexes) once for all its columns.
        changes = ", ".join(f'ALTER COLUMN "{column}" TYPE {sql_type}' for column in columns)
        op.execute(f'ALTER TABLE "{table}" {changes}')
        if "id" in columns:
            sequence = bind.scalar(sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table})
            if sequence is not None:
                op.execute(f"ALTER SEQUENCE {sequence} AS {sql_type}")

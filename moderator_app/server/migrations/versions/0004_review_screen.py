"""Review screen and keyboard workflow: sensitive queues and decision sets, ban scope, item notes, media dHash.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
BACKFILL_BATCH = 200  # media blobs read at a time
log = logging.getLogger(__name__)


def _backfill_dhash() -> None:
    """Hash the images already stored in the database (the server hashes the rest lazily when asked)."""
    media = sa.table(
        "media",
        sa.column("id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("dhash", sa.String()),
    )
    blobs = sa.table("media_blobs", sa.column("media_id", sa.Integer()), sa.column("data", sa.LargeBinary()))
    bind = op.get_bind()
    if bind.scalar(sa.select(sa.func.count()).select_from(blobs)) == 0:
        return  # a new database: nothing to hash, and no need to load Qt
    try:
        from moderator_app.server.media_hash import dhash
    except ImportError:  # a server installed without Qt: hashes are computed lazily by whoever has it
        log.warning("PySide6 is not available: media hashes are left for later")
        return
    last = 0
    while True:
        rows = bind.execute(
            sa.select(media.c.id, blobs.c.data)
            .join(blobs, blobs.c.media_id == media.c.id)
            .where(media.c.id > last, media.c.kind == "image", media.c.dhash.is_(None))
            .order_by(media.c.id)
            .limit(BACKFILL_BATCH)
        ).all()
        if not rows:
            return
        updates = [{"target": row.id, "value": dhash(row.data)} for row in rows]
        updates = [update for update in updates if update["value"] is not None]
        if updates:
            statement = media.update().where(media.c.id == sa.bindparam("target")).values(dhash=sa.bindparam("value"))
            bind.execute(statement, updates)
        last = rows[-1].id


def upgrade() -> None:
    op.add_column("queues", sa.Column("sensitive", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("queues", sa.Column("decision_set", sa.JSON(), nullable=True))
    op.execute("UPDATE queues SET sensitive = TRUE WHERE key = 'child_safety'")
    op.add_column("decisions", sa.Column("ban_scope", sa.String(24), nullable=True))
    op.add_column("media", sa.Column("dhash", sa.String(64), nullable=True))  # 256-bit dHash, hex
    _backfill_dhash()
    op.create_table(
        "item_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    op.create_index("ix_item_notes_item_id", "item_notes", ["item_id"])


def downgrade() -> None:
    op.drop_table("item_notes")
    # SQLite 3.35+ drops plain columns in place (no batch copy: see 0002 on foreign keys and table copies).
    op.drop_column("media", "dhash")
    op.drop_column("decisions", "ban_scope")
    op.drop_column("queues", "decision_set")
    op.drop_column("queues", "sensitive")

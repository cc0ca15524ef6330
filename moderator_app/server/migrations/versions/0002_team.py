"""Team leads: item assignment, claim times and at-risk times, bulk operations with undo, media exposure reports,
and audit indexes that end in id so filtered pages stay index range scans.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def add_user_reference(table: str, column: str) -> None:
    """A nullable column referencing users.id, added in place.

    SQLite cannot add a constraint to a table, and batch mode would copy and drop the table, which with foreign keys
    on cascades deletes into the tables that reference it. SQLite does accept a REFERENCES clause on ADD COLUMN.
    """
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES users (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(f"fk_{table}_{column}", table, "users", [column], ["id"])


def _backfill_at_risk() -> None:
    """at_risk_at = deadline - (deadline - flagged_at) / 5, computed here rather than in dialect-specific SQL."""
    items = sa.table(
        "items",
        sa.column("id", sa.Integer()),
        sa.column("flagged_at", UTC_DATETIME),
        sa.column("deadline", UTC_DATETIME),
        sa.column("at_risk_at", UTC_DATETIME),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(items.c.id, items.c.flagged_at, items.c.deadline)).all()
    updates = [
        {"target": row.id, "value": row.deadline - (row.deadline - row.flagged_at) / 5}
        for row in rows
        if row.flagged_at is not None and row.deadline is not None
    ]
    if updates:
        statement = items.update().where(items.c.id == sa.bindparam("target")).values(at_risk_at=sa.bindparam("value"))
        bind.execute(statement, updates)


def upgrade() -> None:
    add_user_reference("items", "assigned_to")
    op.add_column("items", sa.Column("claimed_at", UTC_DATETIME, nullable=True))
    op.add_column("items", sa.Column("at_risk_at", UTC_DATETIME, nullable=True))
    op.create_index("ix_items_assigned_to", "items", ["assigned_to"])
    _backfill_at_risk()
    op.add_column("decisions", sa.Column("claimed_at", UTC_DATETIME, nullable=True))
    op.create_index("ix_decisions_decided_at", "decisions", ["decided_at"])

    op.drop_index("ix_audit_log_action", table_name="audit_log")
    op.drop_index("ix_audit_log_item_id", table_name="audit_log")
    op.create_index("ix_audit_log_action_id", "audit_log", ["action", "id"])
    op.create_index("ix_audit_log_item_id_id", "audit_log", ["item_id", "id"])
    op.create_index("ix_audit_log_actor_id", "audit_log", ["actor_name", "id"])
    op.create_index("ix_audit_log_queue_id_id", "audit_log", ["queue_id", "id"])
    op.create_index("ix_audit_log_at_id", "audit_log", ["at", "id"])

    op.create_table(
        "reassign_operations",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("undo_until", UTC_DATETIME, nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("last_audit_id", sa.Integer(), nullable=False),
        sa.Column("undone_at", UTC_DATETIME, nullable=True),
        sa.Column("undone_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_table(
        "exposure_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("media_id", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("reported_at", UTC_DATETIME, nullable=False),
    )
    op.create_index("ix_exposure_user_reported", "exposure_reports", ["user_id", "reported_at"])


def downgrade() -> None:
    op.drop_table("exposure_reports")
    op.drop_table("reassign_operations")
    for name in ("ix_audit_log_at_id", "ix_audit_log_queue_id_id", "ix_audit_log_actor_id", "ix_audit_log_item_id_id"):
        op.drop_index(name, table_name="audit_log")
    op.drop_index("ix_audit_log_action_id", table_name="audit_log")
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_index("ix_audit_log_item_id", "audit_log", ["item_id"])
    op.drop_index("ix_items_assigned_to", table_name="items")
    op.drop_index("ix_decisions_decided_at", table_name="decisions")
    # In place, as upgrade added them (SQLite 3.35+ drops a column, its REFERENCES clause included).
    op.drop_column("decisions", "claimed_at")
    op.drop_column("items", "at_risk_at")
    op.drop_column("items", "claimed_at")
    op.drop_column("items", "assigned_to")

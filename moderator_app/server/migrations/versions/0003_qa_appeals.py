"""QA and appeals: why a decision was reverted, run-time settings (QA sampling), QA samples and disputes, appeals.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _user(column: str, nullable: bool = True) -> sa.Column[int]:
    return sa.Column(column, sa.Integer(), sa.ForeignKey("users.id"), nullable=nullable)


def upgrade() -> None:
    op.add_column("decisions", sa.Column("revert_kind", sa.String(16), nullable=True))
    # Reverts made before this revision were all made by hand.
    op.execute("UPDATE decisions SET revert_kind = 'manual' WHERE reverted_at IS NOT NULL")
    op.create_table(
        "server_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        _user("updated_by"),
    )
    op.create_table(
        "qa_samples",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("decisions.id"), nullable=False, unique=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("queue_id", sa.Integer(), sa.ForeignKey("queues.id"), nullable=False),
        _user("moderator_id", nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("sampled_at", UTC_DATETIME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _user("claimed_by"),
        sa.Column("claim_expires_at", UTC_DATETIME, nullable=True),
        _user("reviewer_id"),
        sa.Column("review_action", sa.String(32), nullable=True),
        sa.Column("review_reason", sa.String(32), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("reviewed_at", UTC_DATETIME, nullable=True),
        sa.Column("agree", sa.Boolean(), nullable=True),
        sa.Column("verdict_reason", sa.Text(), nullable=True),
        sa.Column("verdict_at", UTC_DATETIME, nullable=True),
    )
    op.create_index("ix_qa_samples_status_sampled", "qa_samples", ["status", "sampled_at"])
    op.create_index("ix_qa_samples_reviewed_at", "qa_samples", ["reviewed_at"])
    op.create_table(
        "qa_disputes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sample_id", sa.Integer(), sa.ForeignKey("qa_samples.id"), nullable=False, unique=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _user("resolved_by"),
        sa.Column("resolved_at", UTC_DATETIME, nullable=True),
    )
    op.create_index("ix_qa_disputes_status_created", "qa_disputes", ["status", "created_at"])
    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("queue_id", sa.Integer(), sa.ForeignKey("queues.id"), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("contact_ref", sa.String(200), nullable=False),
        _user("filed_by", nullable=False),
        sa.Column("filed_at", UTC_DATETIME, nullable=False),
        sa.Column("deadline", UTC_DATETIME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _user("claimed_by"),
        sa.Column("claim_expires_at", UTC_DATETIME, nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _user("decided_by"),
        sa.Column("decided_at", UTC_DATETIME, nullable=True),
    )
    op.create_index("ix_appeals_decision_id", "appeals", ["decision_id"])
    op.create_index("ix_appeals_status_deadline", "appeals", ["status", "deadline"])


def downgrade() -> None:
    for table in ("appeals", "qa_disputes", "qa_samples", "server_settings"):
        op.drop_table(table)
    op.drop_column("decisions", "revert_kind")

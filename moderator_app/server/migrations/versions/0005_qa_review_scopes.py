"""QA reviews carry what a moderator's decision carries: a geo-restriction's countries and a ban's scope.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Reviews recorded before this revision have neither: they read as "not given" (None), as they were sent.
    op.add_column("qa_samples", sa.Column("review_territorial_scope", sa.JSON(), nullable=True))
    op.add_column("qa_samples", sa.Column("review_ban_scope", sa.String(24), nullable=True))


def downgrade() -> None:
    # SQLite 3.35+ drops plain columns in place (no batch copy: see 0002 on foreign keys and table copies).
    op.drop_column("qa_samples", "review_ban_scope")
    op.drop_column("qa_samples", "review_territorial_scope")

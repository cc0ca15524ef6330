"""A QA reviewer's hold on a sample, written as a race would leave it.

The QA claim no longer hands a reviewer a sample whose decision they have seen (services/qa_seen.py), but the blind
guards (services/qa_blind.py) still matter: on PostgreSQL a QA claim and an appeal claim by the same reviewer can run
at once and both commit, and holds taken before that rule existed outlive it. Tests of those guards make the hold here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moderator_app.core.models import QaSampleStatus
from moderator_app.server.tables import QaSampleRow, UserRow


def hold_sample(engine: Engine, decision_id: int, username: str, now: datetime | None = None) -> int:
    """The decision's sample, claimed by the user under a five-minute lease; returns the sample id."""
    with Session(engine) as session:
        user_id = session.scalar(select(UserRow.id).where(UserRow.username == username))
        sample = session.scalar(select(QaSampleRow).where(QaSampleRow.decision_id == decision_id))
        assert user_id is not None and sample is not None, (username, decision_id)
        sample.status = QaSampleStatus.CLAIMED.value
        sample.claimed_by = user_id
        sample.claim_expires_at = (now or datetime.now(UTC)) + timedelta(minutes=5)
        session.commit()
        return sample.id

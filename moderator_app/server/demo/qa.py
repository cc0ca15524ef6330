"""QA and appeals in the demo: sampled decisions waiting for review, a few finished reviews (so the agreement
figures show something), one open dispute for the lead, and one appeal for a moderator.

Built from the earlier decisions the demo seeder wrote (all by the archive reviewers, so every demo account may review
them), after the demo users exist. Deterministic: it takes decisions in id order and times them from the decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moderator_app.core.models import AppealStatus, DisputeOutcome, DisputeStatus, QaSampleStatus
from moderator_app.core.policy import Action
from moderator_app.server.db import immediate
from moderator_app.server.tables import (
    AppealRow,
    DecisionRow,
    ItemRow,
    QaDisputeRow,
    QaSampleRow,
    UserRow,
    utcnow,
)

SAMPLES = 12
APPEAL_DAYS = 7
# (the reviewer's own action, agree?) for the first finished reviews; the rest of the samples wait for review.
REVIEWS: tuple[tuple[str | None, bool], ...] = (
    (None, True),  # None: the same action as the moderator's
    (None, True),
    (None, True),
    (None, True),
    (Action.NO_VIOLATION.value, False),  # left open: a dispute for the demo lead
    (Action.LABEL_SENSITIVE.value, False),  # already upheld by the lead
)
APPEAL_STATEMENT = (
    "This post was a news report about the scam, quoting it so readers could recognise it. Please restore it."
)


@dataclass(frozen=True, slots=True)
class DemoQaSummary:
    samples: int
    reviewed: int
    disputes: int
    appeals: int


def _user_id(session: Session, username: str) -> int | None:
    return session.scalar(select(UserRow.id).where(UserRow.username == username))


def seed_demo_qa(engine: Engine, now: datetime | None = None) -> DemoQaSummary:
    """Add the QA and appeal rows; does nothing when samples exist already."""
    now = now or utcnow()
    with Session(immediate(engine)) as session:
        if session.scalar(select(QaSampleRow.id).limit(1)) is not None:
            return DemoQaSummary(0, 0, 0, 0)
        reviewer = _user_id(session, "demo-qa")
        lead = _user_id(session, "demo-lead")
        filer = _user_id(session, "demo-admin")
        rows = session.execute(
            select(DecisionRow, ItemRow.queue_id)
            .join(ItemRow, ItemRow.decision_id == DecisionRow.id)
            .where(DecisionRow.reverted_at.is_(None), DecisionRow.action != Action.ESCALATE.value)
            .order_by(DecisionRow.id)
        ).all()
        appealed = next(
            ((d, q) for d, q in reversed(rows) if d.action != Action.NO_VIOLATION.value), None
        )  # the newest enforcement, kept out of the samples
        chosen = [(d, q) for d, q in rows if appealed is None or d.id != appealed[0].id][:SAMPLES]
        reviewed = disputes = 0
        for index, (decision, queue_id) in enumerate(chosen):
            sample = QaSampleRow(
                decision_id=decision.id,
                item_id=decision.item_id,
                queue_id=queue_id,
                moderator_id=decision.user_id,
                rate=0.05,
                sampled_at=decision.decided_at,
                status=QaSampleStatus.PENDING.value,
            )
            session.add(sample)
            if reviewer is None or index >= len(REVIEWS):
                continue
            own_action, agree = REVIEWS[index]
            action = own_action or decision.action
            reviewed_at = min(now, decision.decided_at + timedelta(hours=2))
            sample.status = QaSampleStatus.DONE.value
            sample.claimed_by = sample.reviewer_id = reviewer
            sample.review_action = action
            sample.review_reason = decision.reason if Action(action).needs_reason else None
            if own_action is None:  # the same decision, its reach too: a different reach would be a disagreement
                geo = Action(action).is_geo_restriction
                sample.review_territorial_scope = decision.territorial_scope if geo else None
                sample.review_ban_scope = decision.ban_scope if action == Action.BAN_CHANNEL.value else None
            sample.review_note = "" if agree else "Reads as reporting, not promotion."
            sample.reviewed_at = sample.verdict_at = reviewed_at
            sample.agree = agree
            sample.verdict_reason = "" if agree else "The context makes it news coverage."
            reviewed += 1
            if agree:
                continue
            session.flush()
            resolved = lead is not None and disputes > 0
            session.add(
                QaDisputeRow(
                    sample_id=sample.id,
                    created_at=reviewed_at,
                    status=DisputeStatus.RESOLVED.value if resolved else DisputeStatus.OPEN.value,
                    outcome=DisputeOutcome.UPHOLD.value if resolved else None,
                    note="The label is not enough for repeat posting." if resolved else None,
                    resolved_by=lead if resolved else None,
                    resolved_at=reviewed_at + timedelta(minutes=30) if resolved else None,
                )
            )
            disputes += 1
        appeals = 0
        if appealed is not None and filer is not None:
            decision, queue_id = appealed
            filed_at = min(now, decision.decided_at + timedelta(hours=6))
            session.add(
                AppealRow(
                    decision_id=decision.id,
                    item_id=decision.item_id,
                    queue_id=queue_id,
                    statement=APPEAL_STATEMENT,
                    contact_ref="demo-ticket-0001",
                    filed_by=filer,
                    filed_at=filed_at,
                    deadline=filed_at + timedelta(days=APPEAL_DAYS),
                    status=AppealStatus.PENDING.value,
                )
            )
            appeals = 1
        session.commit()
        return DemoQaSummary(len(chosen), reviewed, disputes, appeals)

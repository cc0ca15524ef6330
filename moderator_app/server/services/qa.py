"""Blind second review of sampled decisions, verdicts, and the disputes a lead settles.

Blind: a QA reviewer claims a sample and gets the item as its moderator saw it (no decision, no history from the
decision on; qa_blind keeps every other answer blind too), records their own decision, and only then sees the
original and gives a verdict. A disagreement goes
to the leads as a dispute; overturning it reverts the decision through the same path as any revert.

Nobody is handed a sample of a decision they made or have seen already through their other work (an appeal against
it, a revert, a note or a decision on its item, a claim in its channel after it: qa_seen has the rule). Such a sample
is skipped, not taken: it stays pending for the other reviewers, and waits when nobody else may take it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core import qa_compare
from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import (
    BanScope,
    DisputeOutcome,
    DisputeResolution,
    DisputeStatus,
    QaBlindItem,
    QaDispute,
    QaReview,
    QaReviewOutcome,
    QaReviewRequest,
    QaSample,
    QaSampleStatus,
    QaVerdictRequest,
    RevertKind,
)
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.server.errors import ApiError, invalid, not_found
from moderator_app.server.services import decisions, qa_blind, qa_seen, wire
from moderator_app.server.services.audit import Actor, record
from moderator_app.server.tables import DecisionRow, ItemRow, QaDisputeRow, QaSampleRow

_CLAIMABLE = (QaSampleStatus.PENDING.value, QaSampleStatus.CLAIMED.value)


def claim(session: Session, actor: Actor, count: int, now: datetime, lease_seconds: int) -> list[QaBlindItem]:
    """Claim up to `count` samples, oldest first: never one of the reviewer's own decisions, never a reverted one,
    never one whose decision the reviewer has seen already (qa_seen: those stay for the other reviewers)."""
    query = (
        select(QaSampleRow, DecisionRow.decided_at)
        .join(DecisionRow, DecisionRow.id == QaSampleRow.decision_id)
        .join(ItemRow, ItemRow.id == QaSampleRow.item_id)
        .where(
            QaSampleRow.status.in_(_CLAIMABLE),
            (QaSampleRow.status == QaSampleStatus.PENDING.value) | (QaSampleRow.claim_expires_at <= now),
            QaSampleRow.moderator_id != actor.id,
            DecisionRow.reverted_at.is_(None),
            qa_seen.fresh_to(actor.id),
        )
        .order_by(QaSampleRow.sampled_at, QaSampleRow.id)
        .limit(count)
        .with_for_update(skip_locked=True, key_share=True, of=QaSampleRow)
    )
    picked = session.execute(query).all()
    expires = now + timedelta(seconds=lease_seconds)
    for sample, _decided_at in picked:
        sample.status = QaSampleStatus.CLAIMED.value
        sample.claimed_by = actor.id
        sample.claim_expires_at = expires
        record(
            session,
            "qa_claim",
            at=now,
            actor=actor,
            item_id=sample.item_id,
            queue_id=sample.queue_id,
            details={"sample_id": sample.id},
        )
    session.commit()
    # Built from the reviewer's holds, these included: two samples of one channel must not show each other.
    blind = qa_blind.of_actor(session, actor.id)
    answer: list[QaBlindItem] = []
    for sample, _decided_at in picked:
        hold = blind.for_item(sample.item_id)
        assert hold is not None  # claimed just now, by this reviewer
        item = qa_blind.blind_item(session, hold, blind)
        # The decision's time, not the decision: the reviewer judges the deadline as the moderator faced it.
        answer.append(QaBlindItem(sample_id=sample.id, claim_expires_at=expires, item=item, decided_at=hold.decided_at))
    return answer


def _locked_sample(session: Session, sample_id: int) -> QaSampleRow:
    row = session.scalars(
        select(QaSampleRow).where(QaSampleRow.id == sample_id).with_for_update(key_share=True)
    ).first()
    if row is None:
        raise not_found("QA sample", sample_id)
    return row


def _not_held(sample_id: int) -> ApiError:
    return ApiError(
        409,
        ErrorCode.CLAIM_NOT_HELD,
        f"You do not hold QA sample {sample_id}: claim it first.",
        {"sample_id": sample_id},
    )


def _review(row: QaSampleRow, reviewer: str) -> QaReview | None:
    if row.review_action is None or row.reviewed_at is None:
        return None
    return QaReview(
        action=Action(row.review_action),
        reason=PolicyReason(row.review_reason) if row.review_reason else None,
        note=row.review_note or "",
        reviewer=reviewer,
        reviewed_at=row.reviewed_at,
        territorial_scope=list(row.review_territorial_scope) if row.review_territorial_scope is not None else None,
        ban_scope=BanScope(row.review_ban_scope) if row.review_ban_scope else None,
    )


def review(session: Session, actor: Actor, sample_id: int, request: QaReviewRequest, now: datetime) -> QaReviewOutcome:
    """Record the reviewer's own decision, then show them the original (commits)."""
    problems = request.problems()
    if problems:
        raise invalid(f"The review is incomplete: {'; '.join(problems)}.", {"problems": problems})
    row = _locked_sample(session, sample_id)
    if row.status in (QaSampleStatus.REVIEWED.value, QaSampleStatus.DONE.value):
        raise ApiError(409, ErrorCode.ALREADY_RESOLVED, f"QA sample {sample_id} was reviewed already.")
    if row.status != QaSampleStatus.CLAIMED.value or row.claimed_by != actor.id:
        raise _not_held(sample_id)
    row.status = QaSampleStatus.REVIEWED.value
    row.reviewer_id = actor.id
    row.review_action = request.action.value
    row.review_reason = request.reason.value if request.reason else None
    row.review_note = request.note
    row.review_territorial_scope = request.territorial_scope
    row.review_ban_scope = request.ban_scope.value if request.ban_scope else None
    row.reviewed_at = now
    details: dict[str, object] = {"sample_id": row.id, "action": row.review_action, "reason": row.review_reason}
    if request.territorial_scope is not None:
        details["territorial_scope"] = request.territorial_scope
    if request.ban_scope is not None:
        details["ban_scope"] = request.ban_scope.value
    record(
        session,
        "qa_review",
        at=now,
        actor=actor,
        item_id=row.item_id,
        queue_id=row.queue_id,
        details=details,
    )
    session.commit()
    original = wire.load_decision(session, row.decision_id)
    assert original is not None
    own_review = _review(row, actor.username)
    assert own_review is not None
    comparison = qa_compare.compare(
        qa_compare.Side.of(request.action, request.reason, request.territorial_scope, request.ban_scope),
        qa_compare.Side.of(original.action, original.reason, original.territorial_scope, original.ban_scope),
    )
    return QaReviewOutcome(
        sample_id=row.id,
        review=own_review,
        original=original,
        same_action=comparison.same_action,
        same_reason=comparison.same_reason,
        agree=comparison.agree,
        same_scope=comparison.same_scope,
    )


def verdict(session: Session, actor: Actor, sample_id: int, request: QaVerdictRequest, now: datetime) -> QaSample:
    """Agree or disagree (with a reason); a disagreement opens a dispute for the leads (commits)."""
    row = _locked_sample(session, sample_id)
    if row.status == QaSampleStatus.DONE.value:
        raise ApiError(409, ErrorCode.ALREADY_RESOLVED, f"QA sample {sample_id} has a verdict already.")
    if row.claimed_by != actor.id:
        raise _not_held(sample_id)
    if row.status != QaSampleStatus.REVIEWED.value:
        raise ApiError(
            409,
            ErrorCode.REVIEW_FIRST,
            f"Record your own decision on QA sample {sample_id} before giving a verdict: the review is blind.",
        )
    if not request.agree and not request.reason.strip():
        raise invalid("Say why you disagree: a disagreement needs a reason.")
    row.status = QaSampleStatus.DONE.value
    row.agree = request.agree
    row.verdict_reason = request.reason
    row.verdict_at = now
    dispute_id = None
    if not request.agree:
        dispute = QaDisputeRow(sample_id=row.id, created_at=now, status=DisputeStatus.OPEN.value)
        session.add(dispute)
        session.flush()
        dispute_id = dispute.id
    record(
        session,
        "qa_verdict",
        at=now,
        actor=actor,
        item_id=row.item_id,
        queue_id=row.queue_id,
        details={"sample_id": row.id, "agree": request.agree, "reason": request.reason, "dispute_id": dispute_id},
    )
    session.commit()
    return sample_wire(session, row)


def sample_wire(session: Session, row: QaSampleRow) -> QaSample:
    names = wire.usernames(session, [row.moderator_id, row.reviewer_id])
    decision = wire.load_decision(session, row.decision_id)
    assert decision is not None
    dispute_id = session.scalar(select(QaDisputeRow.id).where(QaDisputeRow.sample_id == row.id))
    return QaSample(
        id=row.id,
        item_id=row.item_id,
        queue_id=row.queue_id,
        moderator=names.get(row.moderator_id, ""),
        decision=decision,
        status=QaSampleStatus(row.status),
        sampled_at=row.sampled_at,
        review=_review(row, names.get(row.reviewer_id or 0, "")),
        agree=row.agree,
        verdict_reason=row.verdict_reason,
        verdict_at=row.verdict_at,
        dispute_id=dispute_id,
    )


def _dispute_wire(session: Session, dispute: QaDisputeRow, sample: QaSampleRow) -> QaDispute:
    names = wire.usernames(session, [sample.moderator_id, sample.reviewer_id, dispute.resolved_by])
    decision = wire.load_decision(session, sample.decision_id)
    review_done = _review(sample, names.get(sample.reviewer_id or 0, ""))
    assert decision is not None and review_done is not None
    return QaDispute(
        id=dispute.id,
        sample_id=sample.id,
        item_id=sample.item_id,
        queue_id=sample.queue_id,
        moderator=names.get(sample.moderator_id, ""),
        reviewer=review_done.reviewer,
        decision=decision,
        review=review_done,
        verdict_reason=sample.verdict_reason or "",
        created_at=dispute.created_at,
        status=DisputeStatus(dispute.status),
        outcome=DisputeOutcome(dispute.outcome) if dispute.outcome else None,
        note=dispute.note,
        resolved_by=names.get(dispute.resolved_by) if dispute.resolved_by else None,
        resolved_at=dispute.resolved_at,
    )


def disputes(session: Session, status: DisputeStatus | None, limit: int) -> list[QaDispute]:
    """Oldest first, so the lead works them in order."""
    query = select(QaDisputeRow, QaSampleRow).join(QaSampleRow, QaSampleRow.id == QaDisputeRow.sample_id)
    if status is not None:
        query = query.where(QaDisputeRow.status == status.value)
    rows = session.execute(query.order_by(QaDisputeRow.created_at, QaDisputeRow.id).limit(limit)).all()
    return [_dispute_wire(session, dispute, sample) for dispute, sample in rows]


def resolve(session: Session, actor: Actor, dispute_id: int, resolution: DisputeResolution, now: datetime) -> QaDispute:
    """Uphold, or overturn: the decision is reverted and the item returns to pending in its queue (commits)."""
    dispute = session.scalars(
        select(QaDisputeRow).where(QaDisputeRow.id == dispute_id).with_for_update(key_share=True)
    ).first()
    if dispute is None:
        raise not_found("Dispute", dispute_id)
    if dispute.status == DisputeStatus.RESOLVED.value:
        raise ApiError(409, ErrorCode.ALREADY_RESOLVED, f"Dispute {dispute_id} was resolved already.")
    sample = session.get(QaSampleRow, dispute.sample_id)
    assert sample is not None
    if actor.id in (sample.moderator_id, sample.reviewer_id):
        raise ApiError(
            403,
            ErrorCode.FORBIDDEN,
            "You took part in this decision or its review, so another lead must settle the dispute.",
        )
    decision = session.scalars(
        select(DecisionRow).where(DecisionRow.id == sample.decision_id).with_for_update(key_share=True)
    ).first()
    assert decision is not None
    reverted = False
    if resolution.outcome is DisputeOutcome.OVERTURN and decision.reverted_at is None:
        decisions.apply_revert(
            session,
            actor,
            decision,
            resolution.note,
            now,
            RevertKind.QA_OVERTURN,
            {"dispute_id": dispute.id, "sample_id": sample.id},
        )
        reverted = True
    dispute.status = DisputeStatus.RESOLVED.value
    dispute.outcome = resolution.outcome.value
    dispute.note = resolution.note
    dispute.resolved_by = actor.id
    dispute.resolved_at = now
    record(
        session,
        "qa_dispute_resolved",
        at=now,
        actor=actor,
        item_id=sample.item_id,
        queue_id=sample.queue_id,
        details={
            "dispute_id": dispute.id,
            "sample_id": sample.id,
            "decision_id": decision.id,
            "outcome": resolution.outcome.value,
            "note": resolution.note,
            "reverted": reverted,
        },
    )
    session.commit()
    return _dispute_wire(session, dispute, sample)

"""Appeals against decisions (DSA Art. 20): filed by the platform's user-facing side, decided by someone else.

Only a person other than the one who made the decision may take an appeal. Reversing an enforcement reverts it
(the same path as every revert) and records a "no violation" decision by the appeal's reviewer, so the restored
content does not go back into a queue to be removed again. Reversing a "no violation" decision (a notifier's
appeal) returns the item to pending in its queue, for someone to choose the enforcement.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import (
    Appeal,
    AppealClaim,
    AppealDecisionRequest,
    AppealOutcome,
    AppealRequest,
    AppealStatus,
    ItemStatus,
    RevertKind,
)
from moderator_app.core.policy import Action
from moderator_app.server.errors import ApiError, not_found
from moderator_app.server.services import decisions, items, wire
from moderator_app.server.services.audit import Actor, record
from moderator_app.server.tables import AppealRow, DecisionRow, ItemRow

OPEN_APPEALS = (AppealStatus.PENDING.value, AppealStatus.CLAIMED.value)


def to_wire(session: Session, row: AppealRow) -> Appeal:
    decision = wire.load_decision(session, row.decision_id)
    assert decision is not None
    names = wire.usernames(session, [row.filed_by, row.claimed_by, row.decided_by])
    return Appeal(
        id=row.id,
        decision=decision,
        item_id=row.item_id,
        queue_id=row.queue_id,
        statement=row.statement,
        contact_ref=row.contact_ref,
        filed_by=names.get(row.filed_by, ""),
        filed_at=row.filed_at,
        deadline=row.deadline,
        status=AppealStatus(row.status),
        claimed_by=names.get(row.claimed_by) if row.claimed_by else None,
        claim_expires_at=row.claim_expires_at,
        outcome=AppealOutcome(row.outcome) if row.outcome else None,
        note=row.note,
        decided_by=names.get(row.decided_by) if row.decided_by else None,
        decided_at=row.decided_at,
    )


def _locked_decision(session: Session, decision_id: int) -> DecisionRow:
    row = session.scalars(
        select(DecisionRow).where(DecisionRow.id == decision_id).with_for_update(key_share=True)
    ).first()
    if row is None:
        raise not_found("Decision", decision_id)
    return row


def file(session: Session, actor: Actor, request: AppealRequest, now: datetime, deadline_seconds: int) -> Appeal:
    decision = _locked_decision(session, request.decision_id)
    if decision.reverted_at is not None or not Action(decision.action).is_final:
        state = "was reverted" if decision.reverted_at is not None else "only escalated the item"
        raise ApiError(
            409,
            ErrorCode.DECISION_NOT_IN_FORCE,
            f"Decision {decision.id} {state}: there is nothing to appeal.",
            {"decision_id": decision.id},
        )
    existing = session.scalar(
        select(AppealRow.id).where(AppealRow.decision_id == decision.id, AppealRow.status.in_(OPEN_APPEALS))
    )
    if existing is not None:
        raise ApiError(
            409,
            ErrorCode.APPEAL_EXISTS,
            f"Appeal {existing} against decision {decision.id} is still open.",
            {"appeal_id": existing},
        )
    item = session.get(ItemRow, decision.item_id)
    assert item is not None
    row = AppealRow(
        decision_id=decision.id,
        item_id=item.id,
        queue_id=item.queue_id,
        statement=request.statement,
        contact_ref=request.contact_ref,
        filed_by=actor.id,
        filed_at=now,
        deadline=now + timedelta(seconds=deadline_seconds),
        status=AppealStatus.PENDING.value,
    )
    session.add(row)
    session.flush()
    # The statement is the user's own text: the audit row keeps only its length.
    record(
        session,
        "appeal_filed",
        at=now,
        actor=actor,
        item_id=item.id,
        queue_id=item.queue_id,
        details={"appeal_id": row.id, "decision_id": decision.id, "statement_chars": len(request.statement)},
    )
    session.commit()
    return to_wire(session, row)


def list_appeals(session: Session, statuses: tuple[str, ...], limit: int) -> list[Appeal]:
    rows = session.scalars(
        select(AppealRow).where(AppealRow.status.in_(statuses)).order_by(AppealRow.deadline, AppealRow.id).limit(limit)
    )
    return [to_wire(session, row) for row in rows]


def get(session: Session, appeal_id: int) -> Appeal:
    row = session.get(AppealRow, appeal_id)
    if row is None:
        raise not_found("Appeal", appeal_id)
    return to_wire(session, row)


def _locked_open(session: Session, actor: Actor, appeal_id: int) -> tuple[AppealRow, DecisionRow]:
    row = session.scalars(select(AppealRow).where(AppealRow.id == appeal_id).with_for_update(key_share=True)).first()
    if row is None:
        raise not_found("Appeal", appeal_id)
    if row.status == AppealStatus.DECIDED.value:
        raise ApiError(409, ErrorCode.ALREADY_RESOLVED, f"Appeal {appeal_id} was decided already.")
    decision = _locked_decision(session, row.decision_id)
    if decision.user_id == actor.id:
        raise ApiError(
            403,
            ErrorCode.OWN_DECISION_APPEAL,
            f"You made the decision appealed in appeal {appeal_id}; someone else must review it.",
            {"appeal_id": appeal_id, "decision_id": decision.id},
        )
    return row, decision


def claim(session: Session, actor: Actor, appeal_id: int, now: datetime, lease_seconds: int) -> AppealClaim:
    """Take (or renew) the appeal under a lease; refused to the original decider (commits)."""
    row, _decision = _locked_open(session, actor, appeal_id)
    held_by_other = row.claimed_by not in (None, actor.id)
    if held_by_other and row.claim_expires_at is not None and row.claim_expires_at > now:
        raise ApiError(
            409,
            ErrorCode.CLAIM_NOT_HELD,
            f"Appeal {appeal_id} is claimed by someone else.",
            {"appeal_id": appeal_id},
        )
    row.status = AppealStatus.CLAIMED.value
    row.claimed_by = actor.id
    row.claim_expires_at = now + timedelta(seconds=lease_seconds)
    record(
        session,
        "appeal_claim",
        at=now,
        actor=actor,
        item_id=row.item_id,
        queue_id=row.queue_id,
        details={"appeal_id": row.id},
    )
    session.commit()
    item_row = session.get(ItemRow, row.item_id)
    assert item_row is not None
    return AppealClaim(appeal=to_wire(session, row), item=items.build_item(session, item_row, now))


def decide(session: Session, actor: Actor, appeal_id: int, request: AppealDecisionRequest, now: datetime) -> Appeal:
    """Uphold, or reverse (revert the decision and restore the content); audited; commits."""
    row, decision = _locked_open(session, actor, appeal_id)
    if row.claimed_by != actor.id:
        raise ApiError(
            409,
            ErrorCode.CLAIM_NOT_HELD,
            f"You do not hold appeal {appeal_id}: claim it first.",
            {"appeal_id": appeal_id},
        )
    reverted = False
    replacement_id = None
    if request.outcome is AppealOutcome.REVERSE and decision.reverted_at is None:
        note = f"Appeal {appeal_id} reversed: {request.note}"
        returned = decisions.apply_revert(
            session, actor, decision, note, now, RevertKind.APPEAL, {"appeal_id": appeal_id}
        )
        reverted = True
        if returned and decision.action != Action.NO_VIOLATION.value:
            replacement_id = _restore_content(session, actor, decision, note, now, appeal_id)
    row.status = AppealStatus.DECIDED.value
    row.outcome = request.outcome.value
    row.note = request.note
    row.decided_by = actor.id
    row.decided_at = now
    row.claim_expires_at = None
    record(
        session,
        "appeal_decided",
        at=now,
        actor=actor,
        item_id=row.item_id,
        queue_id=row.queue_id,
        details={
            "appeal_id": row.id,
            "decision_id": decision.id,
            "outcome": request.outcome.value,
            "note": request.note,
            "reverted": reverted,
            "replacement_decision_id": replacement_id,
        },
    )
    session.commit()
    return to_wire(session, row)


def _restore_content(
    session: Session, actor: Actor, reverted: DecisionRow, note: str, now: datetime, appeal_id: int
) -> int:
    """The decision in force after a reversed enforcement: no violation, by the appeal's reviewer."""
    item = session.get(ItemRow, reverted.item_id)
    assert item is not None
    replacement = DecisionRow(
        item_id=item.id,
        user_id=actor.id,
        action=Action.NO_VIOLATION.value,
        reason=None,
        note=note[:2000],
        territorial_scope=None,
        escalation_target=None,
        decided_at=now,
    )
    session.add(replacement)
    session.flush()
    item.status = ItemStatus.DECIDED.value
    item.decision_id = replacement.id
    item.assigned_to = None
    record(
        session,
        "decision",
        at=now,
        actor=actor,
        item_id=item.id,
        queue_id=item.queue_id,
        details={"decision_id": replacement.id, "action": Action.NO_VIOLATION.value, "appeal_id": appeal_id},
    )
    return replacement.id

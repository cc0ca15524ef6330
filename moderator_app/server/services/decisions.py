"""Decisions: applied once per Idempotency-Key, refused (409) when another decision is in force, revertible."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import BanScope, Decision, DecisionRequest, ItemStatus, RevertKind
from moderator_app.server.errors import ApiError, invalid, not_found
from moderator_app.server.services import sampling, wire
from moderator_app.server.services.audit import Actor, record
from moderator_app.server.tables import DecisionRow, IdempotencyRow, ItemRow, QaSampleRow, QueueRow

log = logging.getLogger(__name__)

ESCALATION_QUEUE_KEY = "escalations"


@dataclass(frozen=True, slots=True)
class Answer:
    """What the route sends: the first answer is stored and replayed for every retry with the same key."""

    status: int
    body: dict[str, Any]


def request_hash(item_id: int, request: DecisionRequest) -> str:
    body = request.model_dump(mode="json")
    if body.get("ban_scope") is None:
        # Requests without a ban scope hash as they did before the field existed (0004), so a client's retry of a
        # decision sent before the upgrade is still recognised as the same decision.
        body.pop("ban_scope", None)
    canonical = json.dumps({"item_id": item_id, "request": body}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_item(session: Session, item_id: int) -> ItemRow:
    row = session.scalars(select(ItemRow).where(ItemRow.id == item_id).with_for_update(key_share=True)).first()
    if row is None:
        raise not_found("Item", item_id)
    return row


def decide(
    session: Session,
    actor: Actor,
    item_id: int,
    request: DecisionRequest,
    key: str,
    now: datetime,
    *,
    sampling_secret: str | None = None,
) -> Answer:
    """Apply a decision (commits) or replay the first answer to this key; final decisions may be drawn for QA."""
    problems = request.problems()
    if problems:
        raise invalid(f"The decision is incomplete: {'; '.join(problems)}.", {"problems": problems})
    # Locking the item first serializes every decision on it, retries with the same key included.
    item = _lock_item(session, item_id)
    digest = request_hash(item_id, request)
    earlier = session.scalar(
        select(IdempotencyRow).where(IdempotencyRow.user_id == actor.id, IdempotencyRow.key == key)
    )
    if earlier is not None:
        if earlier.request_hash != digest:
            raise _key_reused()
        return Answer(earlier.status_code, earlier.response)
    if item.decision_id is not None:
        other = wire.load_decision(session, item.decision_id)
        assert other is not None
        raise ApiError(
            409,
            ErrorCode.ALREADY_DECIDED,
            f"Item {item_id} was already decided by {other.decided_by} ({other.action.value}).",
            {"decision": other.model_dump(mode="json")},
        )
    row = DecisionRow(
        item_id=item.id,
        user_id=actor.id,
        action=request.action.value,
        reason=request.reason.value if request.reason else None,
        note=request.note,
        territorial_scope=request.territorial_scope,
        escalation_target=request.escalation_target.value if request.escalation_target else None,
        ban_scope=request.ban_scope.value if request.ban_scope else None,
        decided_at=now,
        # Handling time runs from the decider's own claim; a decision sent after the claim ended has none.
        claimed_at=item.claimed_at if item.claimed_by == actor.id else None,
    )
    session.add(row)
    session.flush()
    from_queue = item.queue_id
    item.claimed_by = None
    item.lease_expires_at = None
    item.claimed_at = None
    sample: QaSampleRow | None = None
    if request.action.is_final:
        item.status = ItemStatus.DECIDED.value
        item.decision_id = row.id
        item.assigned_to = None
        sample = sampling.sample_decision(session, row, from_queue, sampling_secret, now)
    else:
        # An escalation hands the item on: pending again, in the escalations queue when there is one.
        item.status = ItemStatus.PENDING.value
        target = session.scalar(select(QueueRow.id).where(QueueRow.key == ESCALATION_QUEUE_KEY))
        if target is not None:
            item.queue_id = target
    details: dict[str, Any] = {"decision_id": row.id, **request.model_dump(mode="json")}
    if request.ban_scope is BanScope.CHANNEL_AND_POSTS:
        # Recorded for the people who enforce it; the reference server models no further enforcement.
        details["enforcement"] = "channel banned and all its posts removed"
    if item.queue_id != from_queue:
        details["moved_to_queue_id"] = item.queue_id
    record(session, "decision", at=now, actor=actor, item_id=item.id, queue_id=from_queue, details=details)
    if sample is not None:
        session.flush()
        # Not visible to moderators (they cannot read the audit log), so the sample stays a surprise to them.
        record(
            session,
            "qa_sampled",
            at=now,
            item_id=item.id,
            queue_id=from_queue,
            details={"decision_id": row.id, "sample_id": sample.id, "rate": sample.rate},
        )
    decision = wire.decision(row, actor.username)
    answer = Answer(201, decision.model_dump(mode="json"))
    session.add(
        IdempotencyRow(
            user_id=actor.id,
            key=key,
            request_hash=digest,
            status_code=answer.status,
            response=answer.body,
            created_at=now,
        )
    )
    try:
        session.commit()
    except IntegrityError:
        # The same key raced in for another item: it can only be a reuse.
        session.rollback()
        raise _key_reused() from None
    log.info("Decision %s on item %s by %s: %s", row.id, item.id, actor.username, request.action.value)
    return answer


def _key_reused() -> ApiError:
    return ApiError(
        422,
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        "This Idempotency-Key was already used for a different decision; use a new key for a new decision.",
    )


def revert(session: Session, actor: Actor, decision_id: int, note: str, now: datetime) -> Decision:
    """A lead's or admin's revert (commits)."""
    row = session.scalars(
        select(DecisionRow).where(DecisionRow.id == decision_id).with_for_update(key_share=True)
    ).first()
    if row is None:
        raise not_found("Decision", decision_id)
    if row.reverted_at is not None:
        raise invalid(f"Decision {decision_id} was already reverted.")
    apply_revert(session, actor, row, note, now, RevertKind.MANUAL)
    session.commit()
    reverted = wire.load_decision(session, row.id)
    assert reverted is not None
    return reverted


def apply_revert(
    session: Session,
    actor: Actor,
    row: DecisionRow,
    note: str,
    now: datetime,
    kind: RevertKind,
    details: dict[str, Any] | None = None,
) -> bool:
    """Revert in the caller's transaction (no commit); True when the item went back to pending in its queue.

    Shared by the manual revert, a QA overturn and an appeal reversal, so each lifts the enforcement the same way.
    """
    item = _lock_item(session, row.item_id)
    row.reverted_at = now
    row.reverted_by = actor.id
    row.revert_note = note
    row.revert_kind = kind.value
    returned = item.decision_id == row.id
    if returned:
        # The item goes back to work in the queue it is in now.
        item.decision_id = None
        item.status = ItemStatus.PENDING.value
        item.claimed_by = None
        item.lease_expires_at = None
        item.claimed_at = None
    record(
        session,
        "revert",
        at=now,
        actor=actor,
        item_id=item.id,
        queue_id=item.queue_id,
        details={
            "decision_id": row.id,
            "action": row.action,
            "note": note,
            "item_returned": returned,
            "kind": kind.value,
            **(details or {}),
        },
    )
    log.info("Decision %s on item %s reverted by %s (%s)", row.id, item.id, actor.username, kind.value)
    return returned

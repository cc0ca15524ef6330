"""Queues with their live counts: what is waiting, what is held, what is late."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, false, func, select
from sqlalchemy.orm import Session

from moderator_app.core.models import ItemStatus, Queue
from moderator_app.server.errors import not_found
from moderator_app.server.services import wire
from moderator_app.server.tables import ItemRow, QueueRow

OPEN_STATUSES = (ItemStatus.PENDING.value, ItemStatus.CLAIMED.value)


def open_counts(
    session: Session, now: datetime, queue_id: int | None = None, user_id: int | None = None
) -> dict[int, Any]:
    """queue id -> counts of its open items (pending, claimed, overdue, at_risk, assigned_to_me, oldest, next)."""
    live = (ItemRow.status == ItemStatus.CLAIMED.value) & (ItemRow.lease_expires_at > now)
    at_risk = (ItemRow.at_risk_at <= now) & (ItemRow.deadline >= now)
    mine = ItemRow.assigned_to == user_id if user_id is not None else false()
    query = (
        select(
            ItemRow.queue_id,
            # An item whose lease ran out is waiting again, whatever its stored status says.
            func.sum(case((live, 0), else_=1)).label("pending"),
            func.sum(case((live, 1), else_=0)).label("claimed"),
            func.sum(case((ItemRow.deadline < now, 1), else_=0)).label("overdue"),
            func.sum(case((at_risk, 1), else_=0)).label("at_risk"),
            func.sum(case((mine, 1), else_=0)).label("assigned_to_me"),
            func.min(ItemRow.flagged_at).label("oldest_flagged_at"),
            func.min(ItemRow.deadline).label("next_deadline"),
        )
        .where(ItemRow.status.in_(OPEN_STATUSES))
        .group_by(ItemRow.queue_id)
    )
    if queue_id is not None:
        query = query.where(ItemRow.queue_id == queue_id)
    return {row.queue_id: row for row in session.execute(query)}


def _wire(row: QueueRow, counts: Any | None) -> Queue:
    if counts is None:
        return wire.queue(row, pending=0, claimed=0, overdue=0, oldest_flagged_at=None, next_deadline=None)
    return wire.queue(
        row,
        pending=int(counts.pending or 0),
        claimed=int(counts.claimed or 0),
        overdue=int(counts.overdue or 0),
        oldest_flagged_at=counts.oldest_flagged_at,
        next_deadline=counts.next_deadline,
        at_risk=int(counts.at_risk or 0),
        assigned_to_me=int(counts.assigned_to_me or 0),
    )


def list_queues(session: Session, now: datetime, user_id: int | None = None) -> list[Queue]:
    """`user_id`: whose assignments Queue.assigned_to_me counts."""
    counts = open_counts(session, now, user_id=user_id)
    rows = session.scalars(select(QueueRow).order_by(QueueRow.priority.desc(), QueueRow.key))
    return [_wire(row, counts.get(row.id)) for row in rows]


def get_queue(session: Session, queue_id: int, now: datetime, user_id: int | None = None) -> Queue:
    row = session.get(QueueRow, queue_id)
    if row is None:
        raise not_found("Queue", queue_id)
    return _wire(row, open_counts(session, now, queue_id, user_id).get(queue_id))


def locked_queue(session: Session, queue_id: int) -> QueueRow:
    """The queue's row, locked for a change of its settings or keys (others may still reference it); 404 if none."""
    row = session.scalars(select(QueueRow).where(QueueRow.id == queue_id).with_for_update(key_share=True)).first()
    if row is None:
        raise not_found("Queue", queue_id)
    return row

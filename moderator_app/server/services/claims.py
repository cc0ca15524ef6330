"""Claims: leases that give one moderator an item for a while. Two moderators never hold one item.

On PostgreSQL the pick is `SELECT ... FOR NO KEY UPDATE SKIP LOCKED`, so concurrent claims take different rows
without waiting for each other (NO KEY: rows that merely refer to an item, such as a note, neither wait for it nor
make it skipped). SQLite has no row locks: there, every writing request starts with BEGIN IMMEDIATE (see db.py),
which serializes the pick-and-mark.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import Claim, ItemStatus
from moderator_app.server.errors import ApiError, not_found
from moderator_app.server.services.audit import Actor, record
from moderator_app.server.tables import AuditRow, ItemRow, QueueRow, UserRow


def claim_of(row: ItemRow) -> Claim:
    assert row.lease_expires_at is not None
    return Claim(item_id=row.id, queue_id=row.queue_id, lease_expires_at=row.lease_expires_at)


def _return_to_queue(row: ItemRow) -> None:
    row.status = ItemStatus.PENDING.value
    row.claimed_by = None
    row.lease_expires_at = None
    row.claimed_at = None


def sweep_expired(session: Session, now: datetime, queue_id: int | None = None) -> int:
    """Return items whose lease ran out to their queue, one lease_expired audit row each."""
    query = (
        select(ItemRow, UserRow.username)
        .outerjoin(UserRow, UserRow.id == ItemRow.claimed_by)
        .where(ItemRow.status == ItemStatus.CLAIMED.value, ItemRow.lease_expires_at <= now)
        .order_by(ItemRow.id)
        .with_for_update(skip_locked=True, key_share=True, of=ItemRow)
    )
    if queue_id is not None:
        query = query.where(ItemRow.queue_id == queue_id)
    swept = 0
    for row, holder in session.execute(query).all():
        record(
            session,
            "lease_expired",
            at=now,
            item_id=row.id,
            queue_id=row.queue_id,
            details={
                "holder": holder,
                "lease_expires_at": row.lease_expires_at.isoformat() if row.lease_expires_at else None,
            },
        )
        _return_to_queue(row)
        swept += 1
    return swept


def claim_next(
    session: Session,
    actor: Actor,
    queue_id: int,
    count: int,
    now: datetime,
    lease_seconds: int,
) -> list[ItemRow]:
    """Claim up to `count` pending items of the queue, earliest deadline first; commits.

    Items a lead assigned to this moderator come before all others; items assigned to someone else come after all
    others (so they wait for their moderator, yet never starve when the queue has nothing else).
    """
    if session.get(QueueRow, queue_id) is None:
        raise not_found("Queue", queue_id)
    sweep_expired(session, now, queue_id)
    # An item this moderator just skipped does not come straight back to them; others may take it at once.
    skipped = select(AuditRow.item_id).where(
        AuditRow.action == "release",
        AuditRow.actor_id == actor.id,
        AuditRow.at > now - timedelta(seconds=lease_seconds),
        AuditRow.item_id.is_not(None),
    )
    waiting = select(ItemRow).where(
        ItemRow.queue_id == queue_id,
        ItemRow.status == ItemStatus.PENDING.value,
        ItemRow.id.not_in(skipped),
    )
    rows: list[ItemRow] = []
    # One index-ordered pick per tier (assigned to me, unassigned, assigned to others) rather than one sort of the
    # whole queue by a computed rank.
    for tier in (ItemRow.assigned_to == actor.id, ItemRow.assigned_to.is_(None), ItemRow.assigned_to != actor.id):
        if len(rows) >= count:
            break
        rows.extend(
            session.scalars(
                waiting.where(tier)
                .order_by(ItemRow.deadline, ItemRow.id)
                .limit(count - len(rows))
                .with_for_update(skip_locked=True, key_share=True, of=ItemRow)
            ).all()
        )
    for row in rows:
        mark_claimed(session, actor, row, now, lease_seconds)
    session.commit()
    return rows


def mark_claimed(session: Session, actor: Actor, row: ItemRow, now: datetime, lease_seconds: int) -> None:
    """Give the item to the actor under a new lease, with its claim audit row (in the caller's transaction).

    Also how the demo's shift claims the items it then decides (demo/shift.py), so both write claims alike.
    """
    lease_expires_at = now + timedelta(seconds=lease_seconds)
    row.status = ItemStatus.CLAIMED.value
    row.claimed_by = actor.id
    row.lease_expires_at = lease_expires_at
    row.claimed_at = now
    record(
        session,
        "claim",
        at=now,
        actor=actor,
        item_id=row.id,
        queue_id=row.queue_id,
        details={"lease_expires_at": lease_expires_at.isoformat()},
    )


def _held_item(session: Session, actor: Actor, item_id: int) -> ItemRow:
    row = session.scalars(select(ItemRow).where(ItemRow.id == item_id).with_for_update(key_share=True)).first()
    if row is None:
        raise not_found("Item", item_id)
    # A lapsed lease still counts as held until someone else claims the item or a sweep returns it.
    if row.status != ItemStatus.CLAIMED.value or row.claimed_by != actor.id:
        state = "claimed by someone else" if row.claimed_by else row.status
        raise ApiError(
            409,
            ErrorCode.CLAIM_NOT_HELD,
            f"You do not hold a claim on item {item_id}: it is {state}.",
            {"item_id": item_id},
        )
    return row


def renew(session: Session, actor: Actor, item_id: int, now: datetime, lease_seconds: int) -> Claim:
    row = _held_item(session, actor, item_id)
    row.lease_expires_at = now + timedelta(seconds=lease_seconds)
    record(
        session,
        "renew",
        at=now,
        actor=actor,
        item_id=row.id,
        queue_id=row.queue_id,
        details={"lease_expires_at": row.lease_expires_at.isoformat()},
    )
    session.commit()
    return claim_of(row)


def release(session: Session, actor: Actor, item_id: int, now: datetime) -> None:
    row = _held_item(session, actor, item_id)
    _return_to_queue(row)
    record(session, "release", at=now, actor=actor, item_id=row.id, queue_id=row.queue_id)
    session.commit()


def held_claims(session: Session, actor: Actor, now: datetime) -> list[Claim]:
    rows = session.scalars(
        select(ItemRow)
        .where(
            ItemRow.claimed_by == actor.id,
            ItemRow.status == ItemStatus.CLAIMED.value,
            ItemRow.lease_expires_at > now,
        )
        .order_by(ItemRow.deadline, ItemRow.id)
    )
    return [claim_of(row) for row in rows]

"""Bulk moves of work by leads: select items by ids or by a filter, then move, assign, unassign or release them.

One operation is one transaction: the selected rows are locked (PostgreSQL: FOR NO KEY UPDATE in id order, which
claims skip because they use SKIP LOCKED; SQLite: the write lock taken at BEGIN IMMEDIATE), so moderators claiming at
the same moment see the items either all before or all after the move. Each operation keeps every item's state
before and after, so it can be undone for a short while, item by item, where nothing touched the item since.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import (
    MAX_BULK_ITEMS,
    ItemScope,
    ItemStatus,
    ReassignFilter,
    ReassignOrder,
    ReassignPreview,
    ReassignRequest,
    ReassignResult,
    ReassignTarget,
    ReassignUndoResult,
    ReleaseStalePreview,
    ReleaseStaleRequest,
)
from moderator_app.core.roles import Permission, permissions_for
from moderator_app.server.errors import ApiError, invalid, not_found
from moderator_app.server.services import deadlines, decision_set_changes, queue_settings, wire
from moderator_app.server.services.audit import Actor, record
from moderator_app.server.services.auth import parse_roles
from moderator_app.server.services.queues import OPEN_STATUSES
from moderator_app.server.services.undoable import keep_for_undo
from moderator_app.server.tables import AuditRow, ItemRow, QueueRow, ReassignOperationRow, ReportRow, UserRow

# The fields an operation changes and an undo puts back.
_FIELDS = (
    "queue_id",
    "status",
    "claimed_by",
    "lease_expires_at",
    "claimed_at",
    "assigned_to",
    "deadline",
    "at_risk_at",
)


@dataclass(frozen=True, slots=True)
class Selection:
    rows: list[ItemRow]
    skipped_ids: list[int]


def _snapshot(row: ItemRow) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(row, name)
        values[name] = value.isoformat() if isinstance(value, datetime) else value
    return values


def _restore(row: ItemRow, values: dict[str, Any]) -> None:
    for name in _FIELDS:
        value = values[name]
        is_time = name in ("lease_expires_at", "claimed_at", "deadline", "at_risk_at")
        setattr(row, name, datetime.fromisoformat(value) if is_time and value is not None else value)


def _live(now: datetime) -> Any:
    return (ItemRow.status == ItemStatus.CLAIMED.value) & (ItemRow.lease_expires_at > now)


def _user_id(session: Session, username: str, what: str) -> int:
    row = session.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))
    if row is None or not row.active:
        raise invalid(f"There is no active user {username!r} to use as {what}.", {"username": username})
    if what == "assignee" and Permission.REVIEW not in permissions_for(parse_roles(row.roles)):
        raise invalid(f"{row.username} cannot review items, so items cannot be assigned to them.")
    return row.id


def filtered(session: Session, spec: ReassignFilter, now: datetime) -> Select[tuple[ItemRow]]:
    """The open items the filter selects, in its order, at most its limit (the lead's item list uses it too)."""
    query = select(ItemRow).where(ItemRow.status.in_(OPEN_STATUSES), ItemRow.decision_id.is_(None))
    live = _live(now)
    if spec.status is ItemScope.PENDING:
        query = query.where(~live)
    elif spec.status is ItemScope.CLAIMED:
        query = query.where(live)
    if spec.queue_id is not None:
        query = query.where(ItemRow.queue_id == spec.queue_id)
    if spec.older_than_seconds is not None:
        query = query.where(ItemRow.flagged_at <= now - timedelta(seconds=spec.older_than_seconds))
    if spec.claimed_by is not None:
        query = query.where(live, ItemRow.claimed_by == _user_id(session, spec.claimed_by, "claim holder"))
    if spec.claimed_longer_than_seconds is not None:
        cutoff = now - timedelta(seconds=spec.claimed_longer_than_seconds)
        # Claims from before claim times were kept count as old.
        query = query.where(live, or_(ItemRow.claimed_at.is_(None), ItemRow.claimed_at <= cutoff))
    if spec.report_source is not None:
        query = query.where(
            exists().where(ReportRow.item_id == ItemRow.id, ReportRow.source == spec.report_source.value)
        )
    if spec.at_risk is not None:
        at_risk = (ItemRow.at_risk_at <= now) & (ItemRow.deadline >= now)
        query = query.where(at_risk if spec.at_risk else ~at_risk | ItemRow.at_risk_at.is_(None))
    order = (
        (ItemRow.flagged_at, ItemRow.id) if spec.order is ReassignOrder.OLDEST_FIRST else (ItemRow.deadline, ItemRow.id)
    )
    return query.order_by(*order).limit(spec.limit)


def select_items(session: Session, request: ReassignRequest, now: datetime, *, lock: bool) -> Selection:
    if request.item_ids is not None:
        wanted = list(dict.fromkeys(request.item_ids))
        query = select(ItemRow).where(ItemRow.id.in_(wanted))
        found = {row.id: row for row in session.scalars(_locked_in_id_order(query) if lock else query)}
        rows = [found[i] for i in wanted if i in found and found[i].status in OPEN_STATUSES]
        return Selection(rows, [i for i in wanted if i not in found or found[i].status not in OPEN_STATUSES])
    assert request.filter is not None
    query = filtered(session, request.filter, now)
    if not lock:
        return Selection(list(session.scalars(query)), [])
    return Selection(_lock_filtered(session, query, request.filter), [])


def _lock_filtered(session: Session, query: Select[tuple[ItemRow]], spec: ReassignFilter) -> list[ItemRow]:
    """The filter's first `limit` items, locked in id order (see _locked_in_id_order), in the filter's order.

    The lock query applies the filter again: PostgreSQL re-reads a row that changed since (a moderator claimed it)
    when it locks it, and drops it when it no longer matches; the next matching items then take its place.
    """
    rows: list[ItemRow] = []
    seen: set[int] = set()
    while len(rows) < spec.limit:
        candidates = query.with_only_columns(ItemRow.id).limit(spec.limit - len(rows))
        ids = list(session.scalars(candidates.where(ItemRow.id.not_in(seen)) if seen else candidates))
        if not ids:
            break
        locked = list(session.scalars(_locked_in_id_order(query.where(ItemRow.id.in_(ids)).limit(None))))
        rows.extend(locked)
        seen.update(ids)
        if len(locked) == len(ids):
            break
    if spec.order is ReassignOrder.OLDEST_FIRST:
        return sorted(rows, key=lambda row: (row.flagged_at, row.id))
    return sorted(rows, key=lambda row: (row.deadline, row.id))


def _locked_in_id_order(query: Select[tuple[ItemRow]]) -> Select[tuple[ItemRow]]:
    """Every multi-item lock is taken in id order, so two bulk operations never wait for each other in a circle (on
    PostgreSQL, a deadlock error for one of them). FOR NO KEY UPDATE: rows that only refer to an item pass it."""
    return query.order_by(None).order_by(ItemRow.id).with_for_update(key_share=True, of=ItemRow)


def preview(session: Session, request: ReassignRequest, now: datetime) -> ReassignPreview:
    selection = select_items(session, request, now, lock=False)
    rows = selection.rows
    return ReassignPreview(
        count=len(rows),
        item_ids=[row.id for row in rows],
        claimed=sum(1 for row in rows if row.status == ItemStatus.CLAIMED.value and _lease_live(row, now)),
        overdue=sum(1 for row in rows if row.deadline < now),
        at_risk=sum(1 for row in rows if deadlines.is_at_risk(row.deadline, row.at_risk_at, now)),
        skipped_ids=selection.skipped_ids,
    )


def _lease_live(row: ItemRow, now: datetime) -> bool:
    return row.lease_expires_at is not None and row.lease_expires_at > now


def _apply(row: ItemRow, target: ReassignTarget, queue: QueueRow | None, assignee: int | None, facts: Any) -> None:
    if target.release_claims and row.status == ItemStatus.CLAIMED.value:
        row.status = ItemStatus.PENDING.value
        row.claimed_by = None
        row.lease_expires_at = None
        row.claimed_at = None
    if queue is not None and row.queue_id != queue.id:
        row.queue_id = queue.id
        deadlines.reschedule(row, queue.sla_seconds, facts)
    if assignee is not None:
        row.assigned_to = assignee
    elif target.unassign:
        row.assigned_to = None


def execute(
    session: Session,
    actor: Actor,
    request: ReassignRequest,
    now: datetime,
    undo_seconds: int,
    kind: str = "reassign",
) -> ReassignResult:
    """Apply the operation to every selected item in one transaction, audited item by item; commits."""
    target = request.target
    queue = None
    if target.queue_id is not None:
        queue = session.get(QueueRow, target.queue_id)
        if queue is None:
            raise not_found("Queue", target.queue_id)
    assignee = _user_id(session, target.assign_to, "assignee") if target.assign_to is not None else None
    selection = select_items(session, request, now, lock=True)
    facts = deadlines.report_facts(session, [row.id for row in selection.rows]) if queue is not None else {}
    operation_id = uuid.uuid4().hex
    names = wire.usernames(session, [row.claimed_by for row in selection.rows] + [assignee])
    changed: list[dict[str, Any]] = []
    for row in selection.rows:
        before = _snapshot(row)
        holder = row.claimed_by if row.status == ItemStatus.CLAIMED.value else None
        _apply(row, target, queue, assignee, facts.get(row.id, ([], [])))
        after = _snapshot(row)
        if after == before:
            continue
        changed.append({"id": row.id, "before": before, "after": after})
        details: dict[str, Any] = {
            "operation_id": operation_id,
            "from_queue_id": before["queue_id"],
            "to_queue_id": after["queue_id"],
            "assigned_to": names.get(row.assigned_to) if row.assigned_to else None,
            "released_from": names.get(holder) if holder and row.claimed_by is None else None,
            "deadline": after["deadline"],
        }
        record(session, "reassign", at=now, actor=actor, item_id=row.id, queue_id=row.queue_id, details=details)
    record(
        session,
        f"{kind}_operation",
        at=now,
        actor=actor,
        queue_id=queue.id if queue is not None else None,
        details={
            "operation_id": operation_id,
            "request": request.model_dump(mode="json"),
            "count": len(selection.rows),
            "changed": len(changed),
            "skipped_ids": selection.skipped_ids,
        },
    )
    undo_until = keep_for_undo(
        session, actor, operation_id, kind, request.model_dump(mode="json"), changed, now, undo_seconds
    )
    session.commit()
    return ReassignResult(
        operation_id=operation_id,
        count=len(selection.rows),
        item_ids=[row.id for row in selection.rows],
        skipped_ids=selection.skipped_ids,
        undo_until=undo_until,
    )


def _stale(request: ReleaseStaleRequest) -> ReassignRequest:
    """Stale claims as a bulk request: live claims taken at least `older_than_seconds` ago."""
    return ReassignRequest(
        filter=ReassignFilter(
            queue_id=request.queue_id,
            claimed_by=request.claimed_by,
            claimed_longer_than_seconds=request.older_than_seconds,
            status=ItemScope.CLAIMED,
            limit=MAX_BULK_ITEMS,
        ),
        target=ReassignTarget(release_claims=True),
        note=request.note,
    )


def preview_stale(session: Session, request: ReleaseStaleRequest, now: datetime) -> ReleaseStalePreview:
    """The claims release_stale would end now, and whose they are; changes nothing."""
    rows = select_items(session, _stale(request), now, lock=False).rows
    names = wire.usernames(session, [row.claimed_by for row in rows])
    holders: dict[str, int] = {}
    for row in rows:
        name = names.get(row.claimed_by, "?") if row.claimed_by is not None else "?"
        holders[name] = holders.get(name, 0) + 1
    claimed_at = [row.claimed_at for row in rows if row.claimed_at is not None]
    return ReleaseStalePreview(
        count=len(rows),
        item_ids=[row.id for row in rows],
        holders=dict(sorted(holders.items())),
        oldest_claimed_at=min(claimed_at) if claimed_at else None,
    )


def release_stale(
    session: Session, actor: Actor, request: ReleaseStaleRequest, now: datetime, undo_seconds: int
) -> ReassignResult:
    """End live claims taken at least `older_than_seconds` ago: the same machinery, so it is undoable too."""
    return execute(session, actor, _stale(request), now, undo_seconds, kind="release_stale")


def undo(session: Session, actor: Actor, operation_id: str, now: datetime) -> ReassignUndoResult:
    """Put back every item of the operation that nobody touched since; the others are reported, not changed.

    Any lead operation: a move, a release of stale claims, a queue settings change (queue_settings.undo) or a
    decision keys change (decision_set_changes.undo).
    """
    operation = session.scalars(
        select(ReassignOperationRow).where(ReassignOperationRow.id == operation_id).with_for_update(key_share=True)
    ).first()
    if operation is None:
        raise not_found("Operation", operation_id)
    if operation.undone_at is not None:
        raise ApiError(409, ErrorCode.ALREADY_UNDONE, f"Operation {operation_id} was undone already.")
    if now > operation.undo_until:
        raise ApiError(
            409,
            ErrorCode.UNDO_EXPIRED,
            f"Operation {operation_id} can no longer be undone: its undo window ended.",
            {"undo_until": operation.undo_until.isoformat()},
        )
    if operation.kind == queue_settings.KIND:
        return queue_settings.undo(session, actor, operation, now)
    if operation.kind == decision_set_changes.KIND:
        return decision_set_changes.undo(session, actor, operation, now)
    entries: Sequence[dict[str, Any]] = operation.items
    ids = [int(entry["id"]) for entry in entries]
    rows = {row.id: row for row in session.scalars(_locked_in_id_order(select(ItemRow).where(ItemRow.id.in_(ids))))}
    touched = set(
        session.scalars(
            select(AuditRow.item_id).where(AuditRow.item_id.in_(ids), AuditRow.id > operation.last_audit_id)
        )
    )
    restored: list[int] = []
    conflicts: list[int] = []
    for entry in entries:
        row = rows.get(int(entry["id"]))
        if row is None or row.id in touched or _snapshot(row) != entry["after"]:
            conflicts.append(int(entry["id"]))
            continue
        _restore(row, entry["before"])
        restored.append(row.id)
        record(
            session,
            "reassign_undo",
            at=now,
            actor=actor,
            item_id=row.id,
            queue_id=row.queue_id,
            details={
                "operation_id": operation_id,
                "from_queue_id": entry["after"]["queue_id"],
                "to_queue_id": entry["before"]["queue_id"],
            },
        )
    operation.undone_at = now
    operation.undone_by = actor.id
    record(
        session,
        "reassign_undo_operation",
        at=now,
        actor=actor,
        details={"operation_id": operation_id, "restored": len(restored), "conflict_ids": conflicts},
    )
    session.commit()
    return ReassignUndoResult(operation_id=operation_id, restored_ids=restored, conflict_ids=conflicts)

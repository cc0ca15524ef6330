"""A lead changes a queue's priority, service level or sensitivity: audited, and undoable for a short while.

A new service level gives every open item of the queue a new deadline, so the change is kept like a bulk move (a
ReassignOperationRow of kind "queue_settings"): the settings before and after, and each rescheduled item's deadline
before and after. The undo puts the settings back, and the old deadline on every item still in the queue with the
deadline the change gave it; an item moved or rescheduled since keeps what it has (listed as a conflict).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import QueueSettingsResult, QueueUpdate, ReassignUndoResult
from moderator_app.server.errors import ApiError
from moderator_app.server.services import deadlines
from moderator_app.server.services.audit import Actor, record
from moderator_app.server.services.queues import OPEN_STATUSES, get_queue, locked_queue
from moderator_app.server.services.undoable import keep_for_undo
from moderator_app.server.tables import ItemRow, QueueRow, ReassignOperationRow

KIND = "queue_settings"


def _settings(row: QueueRow) -> dict[str, Any]:
    return {"priority": row.priority, "sla_seconds": row.sla_seconds, "sensitive": bool(row.sensitive)}


def _times(row: ItemRow) -> dict[str, str | None]:
    return {
        "deadline": row.deadline.isoformat(),
        "at_risk_at": row.at_risk_at.isoformat() if row.at_risk_at is not None else None,
    }


def change(
    session: Session, actor: Actor, queue_id: int, update: QueueUpdate, now: datetime, undo_seconds: int
) -> QueueSettingsResult:
    """Apply the update (open items get new deadlines when the level changes); audited; undoable; commits."""
    row = locked_queue(session, queue_id)
    before = _settings(row)
    if update.priority is not None:
        row.priority = update.priority
    if update.sensitive is not None:
        row.sensitive = update.sensitive
    entries: list[dict[str, Any]] = []
    if update.sla_seconds is not None and update.sla_seconds != row.sla_seconds:
        row.sla_seconds = update.sla_seconds
        items = session.scalars(
            select(ItemRow)
            .where(ItemRow.queue_id == queue_id, ItemRow.status.in_(OPEN_STATUSES))
            .order_by(ItemRow.id)  # the lock order of every bulk operation (reassign.py)
            .with_for_update(key_share=True)
        ).all()
        facts = deadlines.report_facts(session, [item.id for item in items])
        for item in items:
            old = _times(item)
            deadlines.reschedule(item, row.sla_seconds, facts[item.id])
            entries.append({"id": item.id, "before": old, "after": _times(item)})
    after = _settings(row)
    operation_id = uuid.uuid4().hex
    record(
        session,
        "queue_updated",
        at=now,
        actor=actor,
        queue_id=queue_id,
        details={"before": before, "after": after, "items_rescheduled": len(entries), "operation_id": operation_id},
    )
    request = {"queue_id": queue_id, "before": before, "after": after}
    undo_until = keep_for_undo(session, actor, operation_id, KIND, request, entries, now, undo_seconds)
    session.commit()
    return QueueSettingsResult(
        queue=get_queue(session, queue_id, now, actor.id),
        operation_id=operation_id,
        undo_until=undo_until,
        items_rescheduled=len(entries),
    )


def undo(session: Session, actor: Actor, operation: ReassignOperationRow, now: datetime) -> ReassignUndoResult:
    """Put the settings and the deadlines back (the caller checked the window and locked the operation); commits."""
    queue_id = int(operation.request["queue_id"])
    row = locked_queue(session, queue_id)
    if _settings(row) != operation.request["after"]:
        raise ApiError(
            409,
            ErrorCode.CHANGED_SINCE,
            f"The settings of queue {row.name!r} were changed again since; change them back by hand.",
            {"current": _settings(row)},
        )
    before = operation.request["before"]
    row.priority = int(before["priority"])
    row.sla_seconds = int(before["sla_seconds"])
    row.sensitive = bool(before["sensitive"])
    entries: list[dict[str, Any]] = operation.items
    ids = [int(entry["id"]) for entry in entries]
    items = {
        item.id: item
        for item in session.scalars(
            select(ItemRow).where(ItemRow.id.in_(ids)).order_by(ItemRow.id).with_for_update(key_share=True)
        )
    }
    restored: list[int] = []
    conflicts: list[int] = []
    for entry in entries:
        item = items.get(int(entry["id"]))
        # Claims and skips do not change a deadline; a move to another queue or a decision does.
        still = item is not None and item.queue_id == queue_id and item.status in OPEN_STATUSES
        if item is None or not still or _times(item) != entry["after"]:
            conflicts.append(int(entry["id"]))
            continue
        old = entry["before"]
        item.deadline = datetime.fromisoformat(old["deadline"])
        item.at_risk_at = datetime.fromisoformat(old["at_risk_at"]) if old["at_risk_at"] else None
        restored.append(item.id)
    operation.undone_at = now
    operation.undone_by = actor.id
    record(
        session,
        "queue_update_undo",
        at=now,
        actor=actor,
        queue_id=queue_id,
        details={
            "operation_id": operation.id,
            "before": operation.request["after"],
            "after": _settings(row),
            "items_restored": len(restored),
            "conflict_ids": conflicts,
        },
    )
    session.commit()
    return ReassignUndoResult(operation_id=operation.id, restored_ids=restored, conflict_ids=conflicts)

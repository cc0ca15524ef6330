"""A lead replaces a queue's decision keys: validated, audited, and undoable for a short while.

The change is kept like the lead's other moves (a ReassignOperationRow of kind "decision_set", no items): the set as
stored before and after (None: the defaults for the queue's key). The undo puts back exactly what was stored before,
so a queue that had the defaults gets the defaults again (and follows them if they change later), not a copy of them.
It refuses when the queue's keys are no longer what the change made: someone changed them again since.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import DecisionOption, DecisionSetResult, ReassignUndoResult
from moderator_app.core.policy import decision_title
from moderator_app.server.errors import ApiError, invalid
from moderator_app.server.services.audit import Actor, record
from moderator_app.server.services.decision_sets import decision_set, problems
from moderator_app.server.services.queues import get_queue, locked_queue
from moderator_app.server.services.undoable import keep_for_undo
from moderator_app.server.tables import QueueRow, ReassignOperationRow

KIND = "decision_set"


def _shown(row: QueueRow) -> list[dict[str, Any]]:
    """The keys moderators get (the defaults when the queue has no own set), as the audit log keeps them."""
    return [o.model_dump(mode="json") for o in decision_set(row)]


def _stored(options: list[DecisionOption]) -> list[dict[str, Any]] | None:
    """What the queue row keeps: by slot, every title filled in; None for an empty list (the defaults)."""
    if not options:
        return None
    return [
        o.model_copy(update={"title": o.title.strip() or decision_title(o.action, o.reason)}).model_dump(mode="json")
        for o in sorted(options, key=lambda o: o.slot)
    ]


def change(
    session: Session, actor: Actor, queue_id: int, options: list[DecisionOption], now: datetime, undo_seconds: float
) -> DecisionSetResult:
    """Replace the queue's decision keys (an empty list: back to the defaults); audited; undoable; commits."""
    found = problems(options)
    if found:
        raise invalid(f"The decision set is not valid: {'; '.join(found)}.", {"problems": found})
    row = locked_queue(session, queue_id)
    before_stored = row.decision_set or None
    before = _shown(row)
    row.decision_set = _stored(options)
    operation_id = uuid.uuid4().hex
    record(
        session,
        "decision_set_updated",
        at=now,
        actor=actor,
        queue_id=queue_id,
        details={
            "before": before,
            "after": _shown(row),
            "defaults": row.decision_set is None,
            "operation_id": operation_id,
        },
    )
    request = {"queue_id": queue_id, "before": before_stored, "after": row.decision_set}
    undo_until = keep_for_undo(session, actor, operation_id, KIND, request, [], now, undo_seconds)
    queue = get_queue(session, queue_id, now, actor.id)
    session.commit()
    return DecisionSetResult(queue=queue, operation_id=operation_id, undo_until=undo_until)


def undo(session: Session, actor: Actor, operation: ReassignOperationRow, now: datetime) -> ReassignUndoResult:
    """Put back the keys stored before the change (the caller checked the window and locked the operation); commits."""
    queue_id = int(operation.request["queue_id"])
    row = locked_queue(session, queue_id)
    if (row.decision_set or None) != operation.request["after"]:
        raise ApiError(
            409,
            ErrorCode.CHANGED_SINCE,
            f"The decision keys of queue {row.name!r} were changed again since; change them back by hand.",
            {"current": _shown(row)},
        )
    replaced = _shown(row)
    row.decision_set = operation.request["before"]
    operation.undone_at = now
    operation.undone_by = actor.id
    record(
        session,
        "decision_set_undo",
        at=now,
        actor=actor,
        queue_id=queue_id,
        details={
            "operation_id": operation.id,
            "before": replaced,
            "after": _shown(row),
            "defaults": row.decision_set is None,
        },
    )
    session.commit()
    return ReassignUndoResult(operation_id=operation.id, restored_ids=[], conflict_ids=[])

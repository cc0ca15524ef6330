"""Queues and their counts; leads change a queue's priority and service level."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from moderator_app.core.models import DecisionSetUpdate, Queue, QueueUpdate
from moderator_app.server.deps import DbSession, Manager, Now, Reviewer, Settings
from moderator_app.server.routes.common import AUTHED, FORBIDDEN, NOT_FOUND, NOT_MODIFIED, QueueId, etag_json
from moderator_app.server.services import decision_set_changes, queue_settings, queues

router = APIRouter(prefix="/queues", tags=["queues"], responses={**AUTHED, **FORBIDDEN})


@router.get("", response_model=list[Queue], responses=NOT_MODIFIED)
def list_queues(request: Request, user: Reviewer, session: DbSession, now: Now) -> Response:
    """Priority first (highest first), then key. Send If-None-Match with the last ETag to poll cheaply (304)."""
    return etag_json(request, queues.list_queues(session, now, user.id))


@router.get("/{queue_id}", response_model=Queue, responses=NOT_FOUND)
def get_queue(queue_id: QueueId, user: Reviewer, session: DbSession, now: Now) -> Queue:
    return queues.get_queue(session, queue_id, now, user.id)


@router.patch("/{queue_id}", response_model=Queue, responses=NOT_FOUND)
def update_queue(
    queue_id: QueueId, body: QueueUpdate, user: Manager, session: DbSession, settings: Settings, now: Now
) -> Queue:
    """Change priority, service level and/or sensitivity (post text masked until revealed); a new service level
    gives the queue's open items new deadlines. Audited (queue_updated) with the values before and after; the
    audit entry's operation_id undoes it for a while (POST /team/queues/{queue_id}/settings answers it directly)."""
    return queue_settings.change(session, user.actor, queue_id, body, now, settings.undo_seconds).queue


@router.put("/{queue_id}/decision-set", response_model=Queue, responses=NOT_FOUND)
def put_decision_set(
    queue_id: QueueId, body: DecisionSetUpdate, user: Manager, session: DbSession, settings: Settings, now: Now
) -> Queue:
    """Replace the queue's decision keys 1..9 (each slot once; an action with the policy reason it needs; no
    escalate, which has a key of its own). An empty list puts back the defaults. Audited (decision_set_updated) with
    the keys before and after; the audit entry's operation_id undoes it for a while (POST
    /team/queues/{queue_id}/decision-set answers it directly)."""
    return decision_set_changes.change(session, user.actor, queue_id, body.options, now, settings.undo_seconds).queue

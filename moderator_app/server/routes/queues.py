"""Queues and their counts."""

from __future__ import annotations

from fastapi import APIRouter

from moderator_app.core.models import Queue
from moderator_app.server.deps import DbSession, Now, Reviewer
from moderator_app.server.routes.common import AUTHED, FORBIDDEN, NOT_FOUND, QueueId
from moderator_app.server.services import queues

router = APIRouter(prefix="/queues", tags=["queues"], responses={**AUTHED, **FORBIDDEN})


@router.get("", response_model=list[Queue])
def list_queues(_user: Reviewer, session: DbSession, now: Now) -> list[Queue]:
    """Priority first (highest first), then key."""
    return queues.list_queues(session, now)


@router.get("/{queue_id}", response_model=Queue, responses=NOT_FOUND)
def get_queue(queue_id: QueueId, _user: Reviewer, session: DbSession, now: Now) -> Queue:
    return queues.get_queue(session, queue_id, now)

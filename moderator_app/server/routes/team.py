"""Team leads: workload per moderator, queue figures, open items to pick from, bulk reassignment, stale claims, queue
settings; every move undoable."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from moderator_app.core.models import (
    DecisionSetResult,
    DecisionSetUpdate,
    ModeratorStats,
    QueueSettingsResult,
    QueueUpdate,
    ReassignPreview,
    ReassignRequest,
    ReassignResult,
    ReassignUndoResult,
    ReleaseStalePreview,
    ReleaseStaleRequest,
    TeamItemPage,
    TeamItemQuery,
    TeamQueueStats,
)
from moderator_app.server.deps import DbSession, Manager, Now, Settings
from moderator_app.server.routes.common import (
    AUTHED,
    FORBIDDEN,
    NOT_FOUND,
    NOT_MODIFIED,
    OperationId,
    QueueId,
    conflict,
    etag_json,
)
from moderator_app.server.services import decision_set_changes, queue_settings, queue_stats, reassign, team
from moderator_app.server.services.team_items import list_items

router = APIRouter(prefix="/team", tags=["team"], responses={**AUTHED, **FORBIDDEN})


@router.get("/moderators", response_model=list[ModeratorStats], responses=NOT_MODIFIED)
def team_moderators(request: Request, _user: Manager, session: DbSession, now: Now) -> Response:
    """Every active account that may review: claims, pace, median handling time, exposure; "today" is UTC.
    ETag/304 like the queue figures, so a dashboard polls it cheaply."""
    return etag_json(request, team.moderators(session, now))


@router.get("/queues/stats", response_model=TeamQueueStats, responses=NOT_MODIFIED)
def team_queue_stats(
    request: Request,
    _user: Manager,
    session: DbSession,
    now: Now,
    hours: Annotated[int, Query(ge=1, le=72, description="How far back the series goes")] = 12,
    bucket_minutes: Annotated[int, Query(ge=5, le=360, description="Width of one bucket of the series")] = 60,
) -> Response:
    """Per queue: counts against deadlines, flows of the last hour, backlog and throughput series. ETag/304."""
    return etag_json(request, queue_stats.queue_stats(session, now, hours, bucket_minutes * 60))


@router.get("/items", response_model=TeamItemPage)
def team_items(_user: Manager, session: DbSession, now: Now, query: Annotated[TeamItemQuery, Query()]) -> TeamItemPage:
    """Open items a move's filter selects (the same fields as ReassignFilter), for a lead to pick from: id, queue,
    kind, channel title, flag time, deadline state, claim holder and assignee; never post text or media. At most
    `limit` items (default 200, up to 500); `more` says others match too. Unknown parameters are refused (422)."""
    return list_items(session, query, now)


@router.post("/reassign/preview", response_model=ReassignPreview, responses=NOT_FOUND)
def reassign_preview(body: ReassignRequest, _user: Manager, session: DbSession, now: Now) -> ReassignPreview:
    """What the same request to /team/reassign would touch now; changes nothing."""
    return reassign.preview(session, body, now)


@router.post("/reassign", response_model=ReassignResult, responses=NOT_FOUND)
def reassign_items(
    body: ReassignRequest, user: Manager, session: DbSession, settings: Settings, now: Now
) -> ReassignResult:
    """Move, assign, unassign and/or release the selected items in one transaction; audited per item; undoable."""
    return reassign.execute(session, user.actor, body, now, settings.undo_seconds)


@router.post(
    "/reassign/{operation_id}/undo",
    response_model=ReassignUndoResult,
    responses={
        **NOT_FOUND,
        **conflict(
            "The undo window ended (undo_expired), it was undone (already_undone), or the queue's settings or "
            "decision keys were changed again since (changed_since)"
        ),
    },
)
def undo_reassign(operation_id: OperationId, user: Manager, session: DbSession, now: Now) -> ReassignUndoResult:
    """Undo any lead operation (a move, a release of stale claims, a queue settings or decision keys change) within
    its window: the items nobody touched since are put back, the others are listed as conflicts; a decision keys
    change gets the exact keys before back (the defaults included)."""
    return reassign.undo(session, user.actor, operation_id, now)


@router.post("/claims/release-stale/preview", response_model=ReleaseStalePreview)
def release_stale_preview(
    body: ReleaseStaleRequest, _user: Manager, session: DbSession, now: Now
) -> ReleaseStalePreview:
    """What the same request to /team/claims/release-stale would end now, and whose claims they are; changes nothing."""
    return reassign.preview_stale(session, body, now)


@router.post("/claims/release-stale", response_model=ReassignResult)
def release_stale_claims(
    body: ReleaseStaleRequest, user: Manager, session: DbSession, settings: Settings, now: Now
) -> ReassignResult:
    """End live claims taken at least older_than_seconds ago (optionally of one queue or one moderator); undoable."""
    return reassign.release_stale(session, user.actor, body, now, settings.undo_seconds)


@router.post("/queues/{queue_id}/settings", response_model=QueueSettingsResult, responses=NOT_FOUND)
def change_queue_settings(
    queue_id: QueueId, body: QueueUpdate, user: Manager, session: DbSession, settings: Settings, now: Now
) -> QueueSettingsResult:
    """Change priority, service level and/or sensitivity like PATCH /queues/{queue_id}, and answer the operation to
    undo it with (POST /team/reassign/{operation_id}/undo until undo_until). Audited (queue_updated)."""
    return queue_settings.change(session, user.actor, queue_id, body, now, settings.undo_seconds)


@router.post("/queues/{queue_id}/decision-set", response_model=DecisionSetResult, responses=NOT_FOUND)
def change_decision_set(
    queue_id: QueueId, body: DecisionSetUpdate, user: Manager, session: DbSession, settings: Settings, now: Now
) -> DecisionSetResult:
    """Replace the queue's decision keys like PUT /queues/{queue_id}/decision-set (an empty list: the defaults), and
    answer the operation to undo it with (POST /team/reassign/{operation_id}/undo until undo_until). Audited
    (decision_set_updated; its undo: decision_set_undo)."""
    return decision_set_changes.change(session, user.actor, queue_id, body.options, now, settings.undo_seconds)

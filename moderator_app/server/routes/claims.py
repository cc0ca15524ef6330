"""Claims: take the next items of a queue under a lease, renew, release (skip)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from moderator_app.core.models import Claim, ClaimBatch, ClaimedItem, ClaimRequest
from moderator_app.server.deps import DbSession, Now, Reviewer, Settings
from moderator_app.server.errors import error_doc
from moderator_app.server.routes.common import AUTHED, FORBIDDEN, NOT_FOUND, ItemId, QueueId
from moderator_app.server.services import claims, qa_blind

router = APIRouter(tags=["claims"], responses={**AUTHED, **FORBIDDEN})
_NOT_HELD = {409: error_doc("The caller does not hold this item's claim (claim_not_held)")}


@router.post("/queues/{queue_id}/claims", response_model=ClaimBatch, responses=NOT_FOUND)
def claim_next(
    queue_id: QueueId,
    user: Reviewer,
    session: DbSession,
    settings: Settings,
    now: Now,
    body: ClaimRequest | None = None,
) -> ClaimBatch:
    """New claims only: items a lead assigned to the caller first, then earliest deadline first (items assigned to
    someone else last); fewer than asked when the queue runs dry."""
    count = body.count if body else ClaimRequest().count
    rows = claims.claim_next(session, user.actor, queue_id, count, now, settings.lease_seconds)
    built = qa_blind.build_items(session, user, rows, now)  # a QA reviewer's open blind reviews stay blind
    return ClaimBatch(
        items=[ClaimedItem(claim=claims.claim_of(row), item=item) for row, item in zip(rows, built, strict=True)]
    )


@router.get("/claims", response_model=list[Claim])
def my_claims(user: Reviewer, session: DbSession, now: Now) -> list[Claim]:
    """The caller's live claims, earliest deadline first."""
    return claims.held_claims(session, user.actor, now)


@router.post("/items/{item_id}/claim/renew", response_model=Claim, responses={**NOT_FOUND, **_NOT_HELD})
def renew(item_id: ItemId, user: Reviewer, session: DbSession, settings: Settings, now: Now) -> Claim:
    return claims.renew(session, user.actor, item_id, now, settings.lease_seconds)


@router.delete("/items/{item_id}/claim", status_code=204, response_class=Response, responses={**NOT_FOUND, **_NOT_HELD})
def release(item_id: ItemId, user: Reviewer, session: DbSession, now: Now) -> Response:
    """Give the item back to its queue (skip)."""
    claims.release(session, user.actor, item_id, now)
    return Response(status_code=204)

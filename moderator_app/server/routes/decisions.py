"""Decisions (idempotent) and their revert."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from moderator_app.core.models import Decision, DecisionRequest, RevertRequest
from moderator_app.server.deps import DbSession, Now, Reverter, Reviewer, Settings
from moderator_app.server.errors import error_doc
from moderator_app.server.routes.common import AUTHED, FORBIDDEN, NOT_FOUND, DecisionId, ItemId
from moderator_app.server.services import decisions, qa_blind

router = APIRouter(tags=["decisions"], responses={**AUTHED, **FORBIDDEN, **NOT_FOUND})

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=128,
        pattern=r"^[\x21-\x7e]+$",
        description="Unique per decision; a retry with the same key and body gets the first answer again.",
    ),
]


@router.post(
    "/items/{item_id}/decisions",
    status_code=201,
    response_model=Decision,
    responses={
        409: error_doc(
            "Another decision is in force (already_decided; details.decision names it), or it is the one you are "
            "reviewing blind for QA (review_first)"
        ),
        422: error_doc("Malformed or incomplete decision (invalid_request), or the key was used for another one"),
    },
)
def decide(
    item_id: ItemId,
    body: DecisionRequest,
    key: IdempotencyKey,
    user: Reviewer,
    session: DbSession,
    settings: Settings,
    now: Now,
) -> JSONResponse:
    blind = qa_blind.of(session, user)
    if blind:  # the 409 already_decided would show the decision under review
        qa_blind.check_deciding(session, blind, item_id)
    answer = decisions.decide(session, user.actor, item_id, body, key, now, sampling_secret=settings.qa_sampling_secret)
    return JSONResponse(answer.body, status_code=answer.status)


@router.post(
    "/decisions/{decision_id}/revert",
    response_model=Decision,
    responses={409: error_doc("A decision you are reviewing blind for QA (review_first): review it first")},
)
def revert(decision_id: DecisionId, body: RevertRequest, user: Reverter, session: DbSession, now: Now) -> Decision:
    """The item returns to pending in its queue when this decision was the one in force. Refused to someone
    reviewing the decision blind for QA (an admin, or a lead who does QA too): the answer shows the decision."""
    qa_blind.check_revert(qa_blind.of(session, user), decision_id)
    return decisions.revert(session, user.actor, decision_id, body.note, now)

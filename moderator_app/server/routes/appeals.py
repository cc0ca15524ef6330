"""Appeals against decisions (DSA Art. 20): filed by the platform's user-facing side, decided by someone else."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query

from moderator_app.core.models import Appeal, AppealClaim, AppealDecisionRequest, AppealRequest, AppealStatus
from moderator_app.server.deps import AppealFiler, AppealReader, DbSession, Now, Reviewer, Settings
from moderator_app.server.errors import error_doc
from moderator_app.server.routes.common import AUTHED, FORBIDDEN, NOT_FOUND, AppealId, conflict
from moderator_app.server.services import appeals, qa_blind
from moderator_app.server.tables import ItemRow

router = APIRouter(prefix="/appeals", tags=["appeals"], responses={**AUTHED, **FORBIDDEN})

_OWN = {403: error_doc("The role does not allow this (forbidden), or you made the decision (own_decision_appeal)")}
_BLIND = {409: error_doc("Against a decision you are reviewing blind for QA: review it first (review_first)")}


class AppealFilter(StrEnum):
    OPEN = "open"  # pending or claimed
    PENDING = "pending"
    DECIDED = "decided"
    ALL = "all"


_STATUSES: dict[AppealFilter, tuple[str, ...]] = {
    AppealFilter.OPEN: (AppealStatus.PENDING.value, AppealStatus.CLAIMED.value),
    AppealFilter.PENDING: (AppealStatus.PENDING.value,),
    AppealFilter.DECIDED: (AppealStatus.DECIDED.value,),
    AppealFilter.ALL: tuple(status.value for status in AppealStatus),
}


@router.post(
    "",
    status_code=201,
    response_model=Appeal,
    responses={
        **NOT_FOUND,
        **conflict(
            "Reverted or escalation only (decision_not_in_force), open appeal exists (appeal_exists), or a decision "
            "you are reviewing blind for QA (review_first)"
        ),
    },
)
def file_appeal(body: AppealRequest, user: AppealFiler, session: DbSession, settings: Settings, now: Now) -> Appeal:
    """File a user's appeal against a decision; it waits in the appeals queue with a deadline. Refused to someone
    reviewing that decision blind for QA: the answer shows the decision."""
    qa_blind.check_appeal(qa_blind.of(session, user), body.decision_id)
    return appeals.file(session, user.actor, body, now, settings.appeal_deadline_seconds)


@router.get("", response_model=list[Appeal])
def list_appeals(
    user: Reviewer,
    session: DbSession,
    status: AppealFilter = AppealFilter.OPEN,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[Appeal]:
    """Earliest deadline first; without appeals against a decision the caller is reviewing blind for QA."""
    found = appeals.list_appeals(session, _STATUSES[status], limit)
    blind = qa_blind.of(session, user)
    return [appeal for appeal in found if blind.for_decision(appeal.decision.id) is None] if blind else found


@router.get("/{appeal_id}", response_model=Appeal, responses={**NOT_FOUND, **_BLIND})
def get_appeal(appeal_id: AppealId, user: AppealReader, session: DbSession) -> Appeal:
    appeal = appeals.get(session, appeal_id)
    qa_blind.check_appeal(qa_blind.of(session, user), appeal.decision.id)
    return appeal


@router.post(
    "/{appeal_id}/claim",
    response_model=AppealClaim,
    responses={
        **_OWN,
        **NOT_FOUND,
        **conflict("Claimed by someone else (claim_not_held), decided already, or under your blind QA review"),
    },
)
def claim_appeal(appeal_id: AppealId, user: Reviewer, session: DbSession, settings: Settings, now: Now) -> AppealClaim:
    """Take the appeal (or renew your lease on it): refused to the person who made the decision, and to a QA
    reviewer reviewing that decision blind (review_first)."""
    blind = qa_blind.of(session, user)
    if blind:
        qa_blind.check_appeal(blind, appeals.get(session, appeal_id).decision.id)
    claimed = appeals.claim(session, user.actor, appeal_id, now, settings.lease_seconds)
    if blind:  # the item's channel history must not show a decision the caller is reviewing blind
        row = session.get(ItemRow, claimed.item.id)
        assert row is not None
        claimed = claimed.model_copy(update={"item": qa_blind.build_item(session, blind, row, now)})
    return claimed


@router.post(
    "/{appeal_id}/decide",
    response_model=Appeal,
    responses={
        **_OWN,
        **NOT_FOUND,
        **conflict("Not claimed by you (claim_not_held), decided already, or under your blind QA review"),
    },
)
def decide_appeal(
    appeal_id: AppealId, body: AppealDecisionRequest, user: Reviewer, session: DbSession, now: Now
) -> Appeal:
    """Uphold, or reverse: the decision is reverted and the content or channel restored; audited. Refused
    (review_first) while the caller reviews the decision blind for QA, even an appeal they claimed before."""
    blind = qa_blind.of(session, user)
    if blind:
        qa_blind.check_appeal(blind, appeals.get(session, appeal_id).decision.id)
    return appeals.decide(session, user.actor, appeal_id, body, now)

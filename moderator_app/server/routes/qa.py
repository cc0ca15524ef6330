"""QA: sampling settings, blind second reviews, verdicts, disputes for leads, agreement figures."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from moderator_app.core.models import (
    AgreementGroupBy,
    AgreementReport,
    ClaimRequest,
    DisputeResolution,
    DisputeStatus,
    QaClaimBatch,
    QaDispute,
    QaReviewOutcome,
    QaReviewRequest,
    QaSample,
    QaVerdictRequest,
    SamplingConfig,
)
from moderator_app.server.deps import AuditViewer, DbSession, Manager, Now, QaReviewer, Reverter, Settings
from moderator_app.server.errors import invalid
from moderator_app.server.routes.common import AUTHED, FORBIDDEN, NOT_FOUND, DisputeId, SampleId, as_utc, conflict
from moderator_app.server.services import agreement, qa, sampling
from moderator_app.server.tables import QueueRow

router = APIRouter(prefix="/qa", tags=["qa"], responses={**AUTHED, **FORBIDDEN})


class DisputeFilter(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    ALL = "all"


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


@router.get("/sampling", response_model=SamplingConfig)
def get_sampling(_user: Manager, session: DbSession) -> SamplingConfig:
    return sampling.load_config(session)


@router.put("/sampling", response_model=SamplingConfig)
def put_sampling(body: SamplingConfig, user: Manager, session: DbSession, now: Now) -> SamplingConfig:
    """Replace the sampling configuration (applies to decisions from now on); audited with before and after."""
    queue_ids = {rule.queue_id for rule in body.rules if rule.queue_id is not None}
    known = set(session.scalars(select(QueueRow.id).where(QueueRow.id.in_(queue_ids)))) if queue_ids else set()
    if queue_ids - known:
        raise invalid(f"Unknown queue ids in the rules: {sorted(queue_ids - known)}.")
    return sampling.save_config(session, user.actor, body, now)


@router.post("/claims", response_model=QaClaimBatch)
def qa_claim(
    user: QaReviewer, session: DbSession, settings: Settings, now: Now, body: ClaimRequest | None = None
) -> QaClaimBatch:
    """Claim sampled decisions, oldest first, blind: each item as its moderator saw it, without the decision. Never
    one whose decision you made or have seen already through your own work: it stays for the other reviewers."""
    count = body.count if body else ClaimRequest().count
    return QaClaimBatch(samples=qa.claim(session, user.actor, count, now, settings.lease_seconds))


@router.post(
    "/samples/{sample_id}/review",
    response_model=QaReviewOutcome,
    responses={**NOT_FOUND, **conflict("Not claimed by you (claim_not_held) or reviewed already (already_resolved)")},
)
def qa_review(
    sample_id: SampleId, body: QaReviewRequest, user: QaReviewer, session: DbSession, now: Now
) -> QaReviewOutcome:
    """Record your own decision first; the answer then shows the original decision and whether the two agree."""
    return qa.review(session, user.actor, sample_id, body, now)


@router.post(
    "/samples/{sample_id}/verdict",
    response_model=QaSample,
    responses={**NOT_FOUND, **conflict("Review first (review_first), not yours (claim_not_held), or done already")},
)
def qa_verdict(sample_id: SampleId, body: QaVerdictRequest, user: QaReviewer, session: DbSession, now: Now) -> QaSample:
    """Agree, or disagree with a reason: a disagreement opens a dispute for the leads."""
    return qa.verdict(session, user.actor, sample_id, body, now)


@router.get("/disputes", response_model=list[QaDispute])
def qa_disputes(
    _user: AuditViewer,
    session: DbSession,
    status: DisputeFilter = DisputeFilter.OPEN,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[QaDispute]:
    """Oldest first."""
    wanted = None if status is DisputeFilter.ALL else DisputeStatus(status.value)
    return qa.disputes(session, wanted, limit)


@router.post(
    "/disputes/{dispute_id}/resolve",
    response_model=QaDispute,
    responses={**NOT_FOUND, **conflict("Resolved already (already_resolved)")},
)
def resolve_dispute(
    dispute_id: DisputeId, body: DisputeResolution, user: Reverter, session: DbSession, now: Now
) -> QaDispute:
    """Uphold, or overturn: the decision is reverted (counted against it) and the item returns to pending."""
    return qa.resolve(session, user.actor, dispute_id, body, now)


@router.get(
    "/agreement",
    response_model=AgreementReport,
    responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with Accept: text/csv or format=csv"}},
)
def qa_agreement(
    request: Request,
    _user: AuditViewer,
    session: DbSession,
    group_by: AgreementGroupBy = AgreementGroupBy.MODERATOR,
    start: Annotated[datetime | None, Query(alias="from", description="reviews at or after (UTC if no zone)")] = None,
    end: Annotated[datetime | None, Query(alias="to", description="reviews before (UTC if no zone)")] = None,
    format: ReportFormat | None = None,
) -> Response | AgreementReport:
    """Reviewed count, percent agreement and Cohen's kappa (over action categories) per group and overall."""
    found = agreement.report(session, group_by, as_utc(start), as_utc(end))
    wants_csv = format is ReportFormat.CSV or (
        format is None and "text/csv" in request.headers.get("accept", "").lower()
    )
    if wants_csv:
        return Response(
            content=agreement.to_csv(found),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="agreement-{group_by.value}.csv"'},
        )
    return found

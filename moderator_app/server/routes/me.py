"""What the signed-in reviewer reports about themselves."""

from __future__ import annotations

from fastapi import APIRouter

from moderator_app.core.models import ExposureReport, ExposureSummary
from moderator_app.server.deps import DbSession, Now, Reviewer
from moderator_app.server.routes.common import AUTHED, FORBIDDEN
from moderator_app.server.services import team

router = APIRouter(prefix="/me", tags=["me"], responses={**AUTHED, **FORBIDDEN})


@router.post("/exposure", response_model=ExposureSummary)
def report_exposure(body: ExposureReport, user: Reviewer, session: DbSession, now: Now) -> ExposureSummary:
    """Seconds of revealed media on one item (sent by the client when a reveal ends); answers today's total."""
    return team.report_exposure(session, user.id, body, now)

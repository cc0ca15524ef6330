"""Organisation settings: the wellness defaults every client starts from."""

from __future__ import annotations

from fastapi import APIRouter

from moderator_app.core.models import WellnessDefaults
from moderator_app.server.deps import CurrentUser, DbSession, Now, SettingsAdmin
from moderator_app.server.routes.common import AUTHED, FORBIDDEN
from moderator_app.server.services import wellness

router = APIRouter(prefix="/settings", tags=["settings"], responses={**AUTHED, **FORBIDDEN})


@router.get("/wellness", response_model=WellnessDefaults)
def get_wellness_defaults(_user: CurrentUser, session: DbSession) -> WellnessDefaults:
    """Blur strength, grayscale, mute and the wellness timings; each moderator's own settings override them."""
    return wellness.load(session)


@router.put("/wellness", response_model=WellnessDefaults)
def put_wellness_defaults(
    body: WellnessDefaults, user: SettingsAdmin, session: DbSession, now: Now
) -> WellnessDefaults:
    """Replace the defaults (a field left out takes its built-in default); admins; audited (settings_change)."""
    return wellness.save(session, user.actor, body, now)

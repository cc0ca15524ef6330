"""The organisation's wellness defaults, kept in server_settings; each moderator's own settings override them."""

from __future__ import annotations

import logging
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from moderator_app.core.models import WellnessDefaults
from moderator_app.server.services import settings_store
from moderator_app.server.services.audit import Actor

SETTING_KEY = "wellness_defaults"
log = logging.getLogger(__name__)


def load(session: Session) -> WellnessDefaults:
    stored = settings_store.read(session, SETTING_KEY)
    if stored is None:
        return WellnessDefaults()
    try:
        return WellnessDefaults.model_validate(stored)
    except ValidationError:
        # Written by a newer or older server with other limits: the protective defaults rather than a broken screen.
        log.warning("Stored wellness defaults are not valid any more; serving the built-in defaults")
        return WellnessDefaults()


def save(session: Session, actor: Actor, defaults: WellnessDefaults, now: datetime) -> WellnessDefaults:
    """Replace the defaults; audited (settings_change) with before and after; commits."""
    before = load(session).model_dump(mode="json")
    value = defaults.model_dump(mode="json")
    details = {"setting": SETTING_KEY, "before": before, "after": value}
    settings_store.replace(session, actor, SETTING_KEY, value, now, audit=("settings_change", details))
    return defaults

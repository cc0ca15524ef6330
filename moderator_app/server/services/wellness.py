"""The organisation's wellness defaults, kept in server_settings; each moderator's own settings override them."""

from __future__ import annotations

import logging
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from moderator_app.core.models import WellnessDefaults
from moderator_app.server.services.audit import Actor, record
from moderator_app.server.tables import SettingRow

SETTING_KEY = "wellness_defaults"
log = logging.getLogger(__name__)


def load(session: Session) -> WellnessDefaults:
    row = session.get(SettingRow, SETTING_KEY)
    if row is None:
        return WellnessDefaults()
    try:
        return WellnessDefaults.model_validate(dict(row.value))
    except ValidationError:
        # Written by a newer or older server with other limits: the protective defaults rather than a broken screen.
        log.warning("Stored wellness defaults are not valid any more; serving the built-in defaults")
        return WellnessDefaults()


def save(session: Session, actor: Actor, defaults: WellnessDefaults, now: datetime) -> WellnessDefaults:
    """Replace the defaults; audited (settings_change) with before and after; commits."""
    before = load(session)
    value = defaults.model_dump(mode="json")
    row = session.get(SettingRow, SETTING_KEY)
    if row is None:
        session.add(SettingRow(key=SETTING_KEY, value=value, updated_at=now, updated_by=actor.id))
    else:
        row.value = value
        row.updated_at = now
        row.updated_by = actor.id
    record(
        session,
        "settings_change",
        at=now,
        actor=actor,
        details={"setting": SETTING_KEY, "before": before.model_dump(mode="json"), "after": value},
    )
    session.commit()
    return defaults

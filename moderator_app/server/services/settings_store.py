"""Organisation-wide settings kept as JSON in server_settings, one row per key: read, and replace with an audit row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from moderator_app.server.services.audit import Actor, record
from moderator_app.server.tables import SettingRow


def read(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(SettingRow, key)
    return dict(row.value) if row is not None else None


def replace(
    session: Session, actor: Actor, key: str, value: dict[str, Any], now: datetime, audit: tuple[str, dict[str, Any]]
) -> None:
    """Store value under key and record the audit row (action, details) in the same transaction; commits."""
    row = session.get(SettingRow, key)
    if row is None:
        session.add(SettingRow(key=key, value=value, updated_at=now, updated_by=actor.id))
    else:
        row.value = value
        row.updated_at = now
        row.updated_by = actor.id
    action, details = audit
    record(session, action, at=now, actor=actor, details=details)
    session.commit()

"""The append-only audit log: one row per state change, read newest first with an opaque cursor."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.models import AuditEntry, AuditPage
from moderator_app.server.errors import invalid
from moderator_app.server.tables import AuditRow

_CURSOR_VERSION = 1


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did it: a user, or None for the server itself (lease expiry)."""

    id: int
    username: str


@dataclass(frozen=True, slots=True)
class AuditFilters:
    actor: str | None = None
    action: str | None = None
    item_id: int | None = None
    queue_id: int | None = None


def record(
    session: Session,
    action: str,
    *,
    at: datetime,
    actor: Actor | None = None,
    item_id: int | None = None,
    queue_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add a row to the caller's transaction, so the change and its audit row commit (or vanish) together."""
    session.add(
        AuditRow(
            at=at,
            actor_id=actor.id if actor else None,
            actor_name=actor.username if actor else None,
            action=action,
            item_id=item_id,
            queue_id=queue_id,
            details=details or {},
        )
    )


def encode_cursor(last_id: int) -> str:
    raw = json.dumps({"v": _CURSOR_VERSION, "before": last_id}, separators=(",", ":")).encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        before = data["before"]
        if data.get("v") != _CURSOR_VERSION or not isinstance(before, int) or isinstance(before, bool):
            raise ValueError
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise invalid("Invalid cursor: pass the next_cursor of a previous page unchanged.") from None
    return before


def page(session: Session, filters: AuditFilters, cursor: str | None, limit: int) -> AuditPage:
    query = select(AuditRow)
    if cursor:
        query = query.where(AuditRow.id < decode_cursor(cursor))
    if filters.actor is not None:
        query = query.where(AuditRow.actor_name == filters.actor)
    if filters.action is not None:
        query = query.where(AuditRow.action == filters.action)
    if filters.item_id is not None:
        query = query.where(AuditRow.item_id == filters.item_id)
    if filters.queue_id is not None:
        query = query.where(AuditRow.queue_id == filters.queue_id)
    # Ids only grow, so "id below the last one seen" pages without gaps or repeats while rows keep arriving.
    rows = session.scalars(query.order_by(AuditRow.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    entries = [
        AuditEntry(
            id=row.id,
            at=row.at,
            actor=row.actor_name,
            action=row.action,
            item_id=row.item_id,
            queue_id=row.queue_id,
            details=row.details or {},
        )
        for row in rows
    ]
    return AuditPage(entries=entries, next_cursor=encode_cursor(rows[-1].id) if more else None)

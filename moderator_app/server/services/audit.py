"""The append-only audit log: one row per state change, read newest first with an opaque cursor."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from moderator_app.core.models import AuditEntry, AuditPage
from moderator_app.core.models.base import MAX_ID
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
    start: datetime | None = None  # at or after
    end: datetime | None = None  # before
    # (item id, from): that item's rows from that moment on are left out (a QA reviewer's blind review, qa_blind.py)
    hidden: tuple[tuple[int, datetime], ...] = ()


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


@dataclass(frozen=True, slots=True)
class Cursor:
    before: int  # the last id of the previous page
    floor: int | None = None  # the lowest id a time filter can match, found for the first page


def encode_cursor(last_id: int, floor: int | None = None) -> str:
    data: dict[str, int] = {"v": _CURSOR_VERSION, "before": last_id}
    if floor is not None:
        data["floor"] = floor
    raw = json.dumps(data, separators=(",", ":")).encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _is_int(value: object) -> bool:
    # An id, so within the id range: PostgreSQL refuses a larger number compared with an id column.
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def decode_cursor(cursor: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        before, floor = data["before"], data.get("floor")
        if data.get("v") != _CURSOR_VERSION or not _is_int(before) or (floor is not None and not _is_int(floor)):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, UnicodeDecodeError):
        raise invalid("Invalid cursor: pass the next_cursor of a previous page unchanged.") from None
    return Cursor(before, floor)


def id_bounds(session: Session, filters: AuditFilters) -> tuple[int, int] | None:
    """The lowest and highest id inside the time filter (None when nothing is).

    Paging orders by id; turning the time range into an id range lets every page use an index that ends in id
    instead of sorting the whole time range (times almost, but not strictly, grow with ids, so the time filter is
    still applied as well). The index on (at, id) answers this without reading the rows.
    """
    query = select(func.min(AuditRow.id), func.max(AuditRow.id))
    if filters.start is not None:
        query = query.where(AuditRow.at >= filters.start)
    if filters.end is not None:
        query = query.where(AuditRow.at < filters.end)
    low, high = session.execute(query).one()
    return (int(low), int(high)) if low is not None and high is not None else None


def page_query(
    filters: AuditFilters, before: int | None, limit: int, bounds: tuple[int, int] | None = None
) -> Select[tuple[AuditRow]]:
    """One page, newest first: limit + 1 rows, the extra one only telling whether there is a next page."""
    query = select(AuditRow)
    if before is not None:
        query = query.where(AuditRow.id < before)
    if filters.actor is not None:
        query = query.where(AuditRow.actor_name == filters.actor)
    if filters.action is not None:
        query = query.where(AuditRow.action == filters.action)
    if filters.item_id is not None:
        query = query.where(AuditRow.item_id == filters.item_id)
    if filters.queue_id is not None:
        query = query.where(AuditRow.queue_id == filters.queue_id)
    for item_id, since in filters.hidden:
        # item_id is nullable: spelt with OR so rows about no item stay (NOT over a NULL comparison would drop them).
        query = query.where(or_(AuditRow.item_id.is_(None), AuditRow.item_id != item_id, AuditRow.at < since))
    if bounds is not None:
        query = query.where(AuditRow.id >= bounds[0], AuditRow.id <= bounds[1])
    # Wrapped in coalesce so no planner walks the time index and sorts: the id range above does the narrowing.
    at = func.coalesce(AuditRow.at, AuditRow.at)
    if filters.start is not None:
        query = query.where(at >= filters.start)
    if filters.end is not None:
        query = query.where(at < filters.end)
    # Ids only grow, so "id below the last one seen" pages without gaps or repeats while rows keep arriving.
    return query.order_by(AuditRow.id.desc()).limit(limit + 1)


def page(session: Session, filters: AuditFilters, cursor: str | None, limit: int) -> AuditPage:
    position = decode_cursor(cursor) if cursor else None
    bounds = None
    timed = filters.start is not None or filters.end is not None
    if timed:
        if position is not None and position.floor is not None:
            bounds = (position.floor, position.before)
        else:
            bounds = id_bounds(session, filters)
            if bounds is None:
                return AuditPage(entries=[], next_cursor=None)
    rows = session.scalars(page_query(filters, position.before if position else None, limit, bounds)).all()
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
    floor = bounds[0] if bounds is not None else None
    return AuditPage(entries=entries, next_cursor=encode_cursor(rows[-1].id, floor) if more else None)

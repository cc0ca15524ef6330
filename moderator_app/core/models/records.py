"""The audit log's entries and pages, and the JSON body of every error."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from moderator_app.core.models.base import WireModel

# --- audit ------------------------------------------------------------------------------------------------


class AuditEntry(WireModel):
    id: int
    at: datetime
    actor: str | None  # None for the system (lease expiry)
    action: str  # "login", "logout", "claim", "release", "lease_expired", "decision", "revert", ...
    item_id: int | None
    queue_id: int | None
    details: dict[str, Any]


class AuditPage(WireModel):
    entries: list[AuditEntry]  # newest first
    next_cursor: str | None  # pass as ?cursor= for the next (older) page; None at the end


# --- errors -----------------------------------------------------------------------------------------------


class ErrorBody(WireModel):
    code: str
    message: str
    details: dict[str, Any] | None = None


class ErrorResponse(WireModel):
    error: ErrorBody

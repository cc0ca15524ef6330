"""Shared pieces of the route modules: id parameters and the documented error answers."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Path, Request, Response
from fastapi.encoders import jsonable_encoder

from moderator_app.core.models.base import MAX_ID as CORE_MAX_ID
from moderator_app.server.errors import error_doc, invalid

MAX_ID = CORE_MAX_ID  # ids are 64-bit columns: a larger number names no row anywhere

ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="Item id")]
QueueId = Annotated[int, Path(ge=1, le=MAX_ID, description="Queue id")]
MediaId = Annotated[int, Path(ge=1, le=MAX_ID, description="Media id")]
DecisionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Decision id")]
SampleId = Annotated[int, Path(ge=1, le=MAX_ID, description="QA sample id")]
DisputeId = Annotated[int, Path(ge=1, le=MAX_ID, description="QA dispute id")]
AppealId = Annotated[int, Path(ge=1, le=MAX_ID, description="Appeal id")]
OperationId = Annotated[str, Path(min_length=32, max_length=32, pattern="^[0-9a-f]{32}$", description="Operation id")]

AUTHED: dict[int | str, dict[str, Any]] = {
    401: error_doc("Not signed in (unauthenticated) or the session expired (token_expired)"),
    422: error_doc("The request is malformed (invalid_request)"),
}
FORBIDDEN: dict[int | str, dict[str, Any]] = {403: error_doc("The role does not allow this (forbidden)")}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: error_doc("No such resource (not_found)")}


def conflict(description: str) -> dict[int | str, dict[str, Any]]:
    return {409: error_doc(description)}


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: If-None-Match named the current ETag (no body)"}
}


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False


def etag_json(request: Request, payload: Any) -> Response:
    """The JSON answer with a strong ETag of its bytes, or 304 without a body when the client has them already.

    Polling clients send If-None-Match with the last ETag; an unchanged answer then costs them no body and no parse.
    The answer stays Cache-Control: no-store (like every answer): the client keeps the last body itself.
    """
    body = json.dumps(jsonable_encoder(payload), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag}
    if _etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)


def as_utc(value: datetime | None) -> datetime | None:
    """Query times without a zone are read as UTC (the columns refuse naive times)."""
    if value is None:
        return None
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+14:00, which is in the year 0 in UTC
        raise invalid(f"The time {value.isoformat()} is out of range.") from None

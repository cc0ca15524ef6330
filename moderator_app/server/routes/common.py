"""Shared pieces of the route modules: id parameters and the documented error answers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

from moderator_app.server.errors import error_doc

MAX_ID = 2**63 - 1  # larger numbers cannot be ids in any supported database

ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="Item id")]
QueueId = Annotated[int, Path(ge=1, le=MAX_ID, description="Queue id")]
MediaId = Annotated[int, Path(ge=1, le=MAX_ID, description="Media id")]
DecisionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Decision id")]

AUTHED: dict[int | str, dict[str, Any]] = {
    401: error_doc("Not signed in (unauthenticated) or the session expired (token_expired)"),
    422: error_doc("The request is malformed (invalid_request)"),
}
FORBIDDEN: dict[int | str, dict[str, Any]] = {403: error_doc("The role does not allow this (forbidden)")}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: error_doc("No such resource (not_found)")}

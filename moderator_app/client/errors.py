"""Exceptions the API client raises. str(error) is always a sentence a moderator can read.

Each class answers one question for the caller: should I retry (ConnectionFailed, ServerError, RateLimited), ask the
user to sign in (Unauthenticated), or give up on this request (Forbidden, NotFound, InvalidRequest, Conflict)?
"""

from __future__ import annotations

from typing import Any

from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import Decision

# Codes for failures the client detects itself; the server's codes are in core.errors.ErrorCode.
CONNECTION_FAILED = "connection_failed"
BAD_RESPONSE = "bad_response"
MEDIA_TOO_LARGE = "media_too_large"

UNDERSTOOD_NOTHING = "The server sent an answer the app does not understand"


class ApiError(Exception):
    """A request that did not produce the answer the caller asked for."""

    default_code: str = ErrorCode.INTERNAL

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code or self.default_code
        self.details: dict[str, Any] = details or {}
        # Seconds the server asked us to wait (Retry-After), so backoff never retries sooner than that.
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, message={self.message!r})"


class ConnectionFailed(ApiError):
    """The server could not be reached: refused, unresolvable, timed out, TLS failure, connection dropped."""

    default_code = CONNECTION_FAILED


class Unauthenticated(ApiError):
    """401: wrong credentials, or the token is unknown, revoked or expired."""

    default_code = ErrorCode.UNAUTHENTICATED


class Forbidden(ApiError):
    """403: the signed-in user's roles do not allow this."""

    default_code = ErrorCode.FORBIDDEN


class NotFound(ApiError):
    """404."""

    default_code = ErrorCode.NOT_FOUND


class Conflict(ApiError):
    """409: someone else decided the item (``decision`` names that decision) or holds its claim."""

    default_code = ErrorCode.ALREADY_DECIDED

    def __init__(self, message: str, *, decision: Decision | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.decision = decision


class InvalidRequest(ApiError):
    """400/413/422 (and other 4xx): the server will never accept this request as it is."""

    default_code = ErrorCode.INVALID_REQUEST


class RateLimited(ApiError):
    """429: too many attempts; wait (``retry_after`` seconds when the server said) and try again."""

    default_code = ErrorCode.RATE_LIMITED


class ServerError(ApiError):
    """5xx, or an answer that is not the JSON the contract promises."""

    default_code = ErrorCode.INTERNAL


class MediaTooLarge(ApiError):
    """The media is bigger than the caller agreed to hold in memory; the download was stopped."""

    default_code = MEDIA_TOO_LARGE


def error_class_for_status(status: int) -> type[ApiError]:
    """The exception class for an HTTP error status."""
    if status == 401:
        return Unauthenticated
    if status == 403:
        return Forbidden
    if status == 404:
        return NotFound
    if status == 409:
        return Conflict
    if status == 429:
        return RateLimited
    if 400 <= status < 500:
        return InvalidRequest
    return ServerError

"""Every failure leaves the server as {"error": {"code", "message", "details"?}}, never as a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import ErrorResponse

log = logging.getLogger(__name__)


class ApiError(Exception):
    """Raised by services and routes; rendered by the handler below."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers


def not_found(what: str, ident: object) -> ApiError:
    return ApiError(404, ErrorCode.NOT_FOUND, f"{what} {ident} does not exist.")


def invalid(message: str, details: dict[str, Any] | None = None) -> ApiError:
    return ApiError(422, ErrorCode.INVALID_REQUEST, message, details)


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    error: dict[str, Any] = {"code": str(code), "message": message}
    if details is not None:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status, headers=headers)


# Status codes Starlette raises by itself (unknown route, wrong method, ...), mapped to our codes.
_HTTP_CODES: dict[int, ErrorCode] = {
    400: ErrorCode.INVALID_REQUEST,
    401: ErrorCode.UNAUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    422: ErrorCode.INVALID_REQUEST,
    429: ErrorCode.RATE_LIMITED,
}
_HTTP_MESSAGES: dict[int, str] = {
    404: "There is no such endpoint.",
    405: "This endpoint does not accept that method.",
}


def _field_name(loc: tuple[Any, ...]) -> str:
    # ("body", "count") -> "count"; ("header", "Idempotency-Key") -> "Idempotency-Key" header
    parts = [str(p) for p in loc]
    if not parts:
        return "request"
    where, rest = parts[0], parts[1:]
    if where == "body":
        return ".".join(rest) if rest else "request body"
    name = ".".join(rest)
    if where == "header":
        return f"{name} header" if rest else "header"
    if where in ("query", "path", "cookie"):
        return f"{where} parameter {name}" if rest else where
    return ".".join(parts)


def describe_validation_errors(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    """A readable sentence and a field list. Never echo the input: it may hold a password."""
    items: list[dict[str, str]] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        kind = str(err.get("type", ""))
        if kind == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "not valid JSON")
            items.append({"field": "request body", "type": kind, "message": f"malformed JSON ({reason})"})
            continue
        field = _field_name(loc)
        message = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
        if kind == "missing" and field == "request body":
            message = "a JSON body is required"
        items.append({"field": field, "type": kind, "message": message})
    if not items:
        return "The request is invalid.", items
    first = items[0]
    sentence = f"Invalid {first['field']}: {first['message']}"
    if len(items) > 1:
        sentence += f" (and {len(items) - 1} more problem{'s' if len(items) > 2 else ''})"
    return sentence + ".", items


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        message, items = describe_validation_errors(list(exc.errors()))
        return error_response(422, ErrorCode.INVALID_REQUEST, message, {"errors": items})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        fallback = ErrorCode.INTERNAL if exc.status_code >= 500 else ErrorCode.INVALID_REQUEST
        code = _HTTP_CODES.get(exc.status_code, fallback)
        message = _HTTP_MESSAGES.get(exc.status_code) or (
            str(exc.detail) if exc.status_code < 500 else "The server failed to answer."
        )
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


# OpenAPI documentation of the error body, shared by the routers.
def error_doc(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}

"""One ASGI middleware around every request: body size limit, no NUL characters, no-store caching, the last-resort 500.

Written as plain ASGI (not BaseHTTPMiddleware) so it can stop an oversized body while it streams in and so an
unexpected exception ends here, logged once, instead of travelling on to the server's own traceback printer.
"""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

from fastapi.exceptions import ResponseValidationError
from pydantic import ValidationError
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moderator_app.core.errors import ErrorCode
from moderator_app.server.text_guard import NUL_MESSAGE, has_nul

log = logging.getLogger(__name__)

# After refusing a body, read (and drop) up to this much of it so the client sees the answer, not a reset.
_DRAIN_LIMIT = 1 << 20


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"cache-control", b"no-store"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    def __init__(self, more_to_come: bool) -> None:
        super().__init__()
        self.more_to_come = more_to_come  # False once the last chunk was read: asking for more would wait forever


class GuardMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"The request body is larger than the limit of {self.max_body_bytes} bytes."
        declared = _content_length(scope)
        if declared == -1:
            await _send_error(send, 400, ErrorCode.INVALID_REQUEST, "The Content-Length header is not a number.")
            return
        try:
            if declared is not None and declared > self.max_body_bytes:
                raise _BodyTooLarge(more_to_come=True)
            body = await self._read_body(receive)
        except _BodyTooLarge as refused:
            if refused.more_to_come:
                await self._drain(receive)
            await _send_error(send, 413, ErrorCode.PAYLOAD_TOO_LARGE, too_large)
            return
        if has_nul(scope, body):
            await _send_error(send, 422, ErrorCode.INVALID_REQUEST, NUL_MESSAGE)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # later calls wait for the disconnect, as the server would report it

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                # Answers carry post text, media and tokens: no cache anywhere may keep them.
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
                headers["X-Content-Type-Options"] = "nosniff"
            await send(message)

        try:
            await self.app(scope, replay, send_with_headers)
        except Exception as exc:
            _log_unhandled(exc, scope)
            if not started:
                await _send_error(send, 500, ErrorCode.INTERNAL, "The server hit an unexpected error.")

    async def _read_body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _BodyTooLarge(more_to_come=bool(message.get("more_body", False)))
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    @staticmethod
    async def _drain(receive: Receive) -> None:
        drained = 0
        while drained < _DRAIN_LIMIT:
            message: dict[str, Any] = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                return
            drained += len(message.get("body", b""))


def _log_unhandled(exc: Exception, scope: Scope) -> None:
    """The traceback stays in the server log, the client gets a plain sentence.

    Engine errors carry no statement parameters (make_engine hides them). Validation errors quote their input,
    which may be post text, so for those only the type and the traceback are logged.
    """
    where = f"{scope.get('method')} {scope.get('path')}"
    if isinstance(exc, ValidationError | ResponseValidationError):
        trace = "".join(traceback.format_tb(exc.__traceback__))
        log.error("Unhandled %s answering %s\n%s", type(exc).__name__, where, trace)
    else:
        log.error("Unhandled error answering %s", where, exc_info=exc)


def _content_length(scope: Scope) -> int | None:
    """The declared length, None when absent, -1 when unreadable."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return -1
            return length if length >= 0 else -1
    return None

"""Typed, blocking client for the moderation server's HTTP API.

The workflow layer runs these calls on worker threads. One requests.Session is shared so connections are reused
(urllib3's pool is thread-safe; we never mutate session state per call: the token goes into each request's headers).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, TypeAdapter, ValidationError
from urllib3.exceptions import NameResolutionError

from moderator_app import __version__
from moderator_app.client.errors import (
    BAD_RESPONSE,
    UNDERSTOOD_NOTHING,
    ApiError,
    Conflict,
    ConnectionFailed,
    InvalidRequest,
    MediaTooLarge,
    RateLimited,
    ServerError,
    error_class_for_status,
)
from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import (
    AuditPage,
    Claim,
    ClaimBatch,
    ClaimRequest,
    Decision,
    DecisionRequest,
    ErrorResponse,
    ExposureReport,
    ExposureSummary,
    HistoryEntry,
    Item,
    LoginRequest,
    LoginResponse,
    Queue,
    RevertRequest,
    User,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
USER_AGENT = f"moderator-app/{__version__}"
DEFAULT_MEDIA_MAX_BYTES = 64 * 1024 * 1024
MAX_CONNECT_TIMEOUT = 5.0  # an unreachable host should be reported quickly; answers may legitimately take longer
_CHUNK = 64 * 1024

M = TypeVar("M", bound=BaseModel)

_QUEUE_LIST = TypeAdapter(list[Queue])
_CLAIM_LIST = TypeAdapter(list[Claim])


@dataclass(frozen=True, slots=True)
class MediaBytes:
    """A media file held in memory only (never written to disk)."""

    data: bytes = field(repr=False)  # flagged content: keep it out of reprs and logs
    mime_type: str
    width: int
    height: int


class ApiClient:
    """One server, one signed-in user (or none). Every method raises a subclass of ApiError on failure."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeout: float = 10.0,
        verify: bool | str = True,
    ) -> None:
        self._base_url = _normalise_base_url(base_url)
        self._token = token
        self._timeout = (min(timeout, MAX_CONNECT_TIMEOUT), timeout)
        self._session = requests.Session()
        self._session.verify = verify
        self._session.headers["User-Agent"] = USER_AGENT
        self._session.headers["Accept"] = "application/json"
        if _is_loopback(self._base_url):
            # The embedded server is on 127.0.0.1: an HTTP(S)_PROXY from the environment must not swallow it.
            self._session.trust_env = False

    # --- plumbing ---------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        # Never the token.
        return f"ApiClient({self._base_url!r}, signed_in={self._token is not None})"

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        all_headers = dict(headers or {})
        if self._token is not None:
            all_headers["Authorization"] = f"Bearer {self._token}"
        try:
            response = self._session.request(
                method,
                self._base_url + API_PREFIX + path,
                json=json,
                params=params,
                headers=all_headers,
                timeout=self._timeout,
                stream=stream,
            )
        except requests.RequestException as exc:
            log.debug("%s %s -> no answer (%s)", method, path, type(exc).__name__)
            raise ConnectionFailed(
                f"Cannot reach the server at {self._base_url}: {_describe(exc, self._timeout)}."
            ) from exc
        log.debug("%s %s -> %s", method, path, response.status_code)
        if response.status_code >= 400:
            try:
                raise _error_from(response)
            finally:
                response.close()
        return response

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a request and return its decoded JSON body (None for 204)."""
        response = self._send(method, path, **kwargs)
        if response.status_code == 204:
            return None
        try:
            return response.json()
        except ValueError as exc:  # requests' JSONDecodeError is a ValueError
            raise ServerError(f"{UNDERSTOOD_NOTHING}.", status=response.status_code, code=BAD_RESPONSE) from exc

    def _model(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        body = self._call(method, path, **kwargs)
        try:
            return model.model_validate(body)
        except ValidationError as exc:
            raise ServerError(f"{UNDERSTOOD_NOTHING}.", code=BAD_RESPONSE) from exc

    def _list(self, adapter: TypeAdapter[list[M]], method: str, path: str, **kwargs: Any) -> list[M]:
        body = self._call(method, path, **kwargs)
        try:
            return adapter.validate_python(body)
        except ValidationError as exc:
            raise ServerError(f"{UNDERSTOOD_NOTHING}.", code=BAD_RESPONSE) from exc

    # --- endpoints --------------------------------------------------------------------------------------

    def health(self) -> dict[str, str]:
        """{"status": "ok", "version": ...}; needs no token."""
        body = self._call("GET", "/health")
        if not isinstance(body, dict) or not isinstance(body.get("status"), str):
            raise ServerError(f"{UNDERSTOOD_NOTHING}.", code=BAD_RESPONSE)
        return {str(key): str(value) for key, value in body.items()}

    def login(self, username: str, password: str) -> LoginResponse:
        """Sign in; on success the client keeps the token for later calls."""
        request = _build(LoginRequest, username=username, password=password)
        answer = self._model(LoginResponse, "POST", "/auth/login", json=request.model_dump(mode="json"))
        self._token = answer.token
        return answer

    def logout(self) -> None:
        """Revoke the token on the server. The client forgets it even if the server could not be told."""
        try:
            self._call("POST", "/auth/logout")
        finally:
            self._token = None

    def me(self) -> User:
        return self._model(User, "GET", "/auth/me")

    def queues(self) -> list[Queue]:
        return self._list(_QUEUE_LIST, "GET", "/queues")

    def queue(self, queue_id: int) -> Queue:
        return self._model(Queue, "GET", f"/queues/{int(queue_id)}")

    def claim(self, queue_id: int, count: int = 1) -> ClaimBatch:
        request = _build(ClaimRequest, count=count)
        return self._model(ClaimBatch, "POST", f"/queues/{int(queue_id)}/claims", json=request.model_dump(mode="json"))

    def my_claims(self) -> list[Claim]:
        return self._list(_CLAIM_LIST, "GET", "/claims")

    def renew(self, item_id: int) -> Claim:
        return self._model(Claim, "POST", f"/items/{int(item_id)}/claim/renew")

    def release(self, item_id: int) -> None:
        self._call("DELETE", f"/items/{int(item_id)}/claim")

    def item(self, item_id: int) -> Item:
        return self._model(Item, "GET", f"/items/{int(item_id)}")

    def media(self, media_id: int, max_bytes: int = DEFAULT_MEDIA_MAX_BYTES) -> MediaBytes:
        """Download one media file into memory, refusing anything over max_bytes (declared or actual)."""
        # identity: the byte cap then counts what is really held in memory, and images are compressed already.
        response = self._send("GET", f"/media/{int(media_id)}", stream=True, headers={"Accept-Encoding": "identity"})
        with response:
            too_large = MediaTooLarge(
                f"The media file is larger than the {_size_text(max_bytes)} the app accepts.",
                status=response.status_code,
            )
            declared = _int_header(response, "Content-Length")
            if declared is not None and declared > max_bytes:
                raise too_large
            chunks: list[bytes] = []
            received = 0
            try:
                for chunk in response.iter_content(_CHUNK):
                    received += len(chunk)
                    if received > max_bytes:
                        raise too_large
                    chunks.append(chunk)
            except requests.RequestException as exc:
                raise ConnectionFailed(
                    f"Cannot reach the server at {self._base_url}: {_describe(exc, self._timeout)}."
                ) from exc
            mime_type = response.headers.get("Content-Type", "application/octet-stream").split(";")[0].strip()
            return MediaBytes(
                data=b"".join(chunks),
                mime_type=mime_type.lower(),
                width=_int_header(response, "X-Media-Width") or 0,
                height=_int_header(response, "X-Media-Height") or 0,
            )

    def decide(self, item_id: int, request: DecisionRequest, idempotency_key: str) -> Decision:
        """Post a decision. Resending with the same key and body is safe: the server applies it once."""
        if not 8 <= len(idempotency_key) <= 128:
            raise ValueError("idempotency_key must be 8 to 128 characters")
        return self._model(
            Decision,
            "POST",
            f"/items/{int(item_id)}/decisions",
            json=request.model_dump(mode="json"),
            headers={"Idempotency-Key": idempotency_key},
        )

    def revert(self, decision_id: int, note: str) -> Decision:
        request = _build(RevertRequest, note=note)
        return self._model(
            Decision, "POST", f"/decisions/{int(decision_id)}/revert", json=request.model_dump(mode="json")
        )

    def audit(self, cursor: str | None = None, limit: int = 100, **filters: str | int | None) -> AuditPage:
        """One page of the audit log, newest first. Filters: actor, action, item_id, queue_id."""
        params: dict[str, Any] = {"limit": limit, **filters}
        if cursor is not None:
            params["cursor"] = cursor
        params = {key: value for key, value in params.items() if value is not None}
        return self._model(AuditPage, "GET", "/audit", params=params)

    # --- review screen (issue 3) ---------------------------------------------------------------------------

    def wellness_defaults(self) -> dict[str, Any]:
        """The organisation's wellness defaults (GET /settings/wellness) as sent; the workflow layer validates
        them (WellnessSettings.merge), so a field the client does not know yet is reported, not fatal."""
        body = self._call("GET", "/settings/wellness")
        if not isinstance(body, dict):
            raise ServerError(f"{UNDERSTOOD_NOTHING}.", code=BAD_RESPONSE)
        return body

    def add_note(self, item_id: int, text: str) -> HistoryEntry:
        """A note for colleagues on an item (POST /items/{id}/notes, 1..2000 characters); answers the history
        entry the item now shows."""
        return self._model(HistoryEntry, "POST", f"/items/{int(item_id)}/notes", json={"text": text})

    def report_exposure(self, seconds: float, item_id: int | None = None) -> ExposureSummary:
        """Seconds of revealed media on an item (POST /me/exposure, 0 < seconds <= 3600): the lead dashboard's
        exposure figure. Answers the caller's total for today."""
        body = ExposureReport(item_id=item_id, seconds=seconds).model_dump(mode="json", exclude_none=True)
        return self._model(ExposureSummary, "POST", "/me/exposure", json=body)

    # --- keyboard workflow (issue 4) ------------------------------------------------------------------------

    def duplicates(self, item_id: int) -> list[int]:
        """Ids of open items whose media is a near-duplicate of this item's (GET /items/{id}/duplicates), for a
        batch decision. A server without the endpoint answers NotFound ("There is no such endpoint.")."""
        body = self._call("GET", f"/items/{int(item_id)}/duplicates")
        ids = body.get("item_ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise ServerError(f"{UNDERSTOOD_NOTHING}.", code=BAD_RESPONSE)
        return [int(i) for i in ids]


# --- helpers --------------------------------------------------------------------------------------------


def _normalise_base_url(base_url: str) -> str:
    url = base_url.strip().rstrip("/")
    # Accept a URL that already names the API root; we add the prefix ourselves.
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"Not a server address: {base_url!r} (expected http://host:port or https://host)")
    return url


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _build(model: type[M], **values: Any) -> M:
    """Build a request body, turning a local validation failure into InvalidRequest like the server would."""
    try:
        return model(**values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in exc.errors())
        raise InvalidRequest(f"The request is not valid: {problems}.") from exc


def _size_text(size: int) -> str:
    mib = 1024 * 1024
    return f"{size / mib:g} MiB" if size >= mib else f"{size} bytes"


def _int_header(response: requests.Response, name: str) -> int | None:
    try:
        return int(response.headers[name])
    except (KeyError, ValueError):
        return None


def _error_from(response: requests.Response) -> ApiError:
    status = response.status_code
    retry_after = _retry_after(response)
    try:
        body = ErrorResponse.model_validate(response.json()).error
    except (ValueError, ValidationError, requests.RequestException):
        # A proxy's HTML page, a truncated body, JSON of another shape: not an answer from our server.
        return ServerError(
            f"{UNDERSTOOD_NOTHING} (HTTP {status}).", status=status, code=BAD_RESPONSE, retry_after=retry_after
        )
    cls = error_class_for_status(status)
    details = body.details or {}
    if cls is RateLimited or cls is ServerError:
        return cls(body.message, status=status, code=body.code, details=details, retry_after=retry_after)
    if cls is Conflict:
        decision = None
        if body.code == ErrorCode.ALREADY_DECIDED and "decision" in details:
            try:
                decision = Decision.model_validate(details["decision"])
            except ValidationError:
                log.debug("409 with a decision the client cannot parse")
        return Conflict(body.message, status=status, code=body.code, details=details, decision=decision)
    return cls(body.message, status=status, code=body.code, details=details)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # the HTTP-date form is not used by our server


def _describe(exc: BaseException, timeout: tuple[float, float]) -> str:
    """Why a request got no answer, as the end of a sentence."""
    if isinstance(exc, requests.exceptions.SSLError):
        if "CERTIFICATE_VERIFY_FAILED" in str(exc) or "certificate verify failed" in str(exc):
            return "its security certificate could not be verified"
        return "the secure (TLS) connection failed"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"no connection within {timeout[0]:g} seconds"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return f"the server did not answer within {timeout[1]:g} seconds"
    if isinstance(exc, requests.exceptions.Timeout):
        return "the request timed out"
    causes = list(_causes(exc))
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes) or "Connection refused" in str(exc):
        return "connection refused"
    if any(isinstance(cause, NameResolutionError | socket.gaierror) for cause in causes):
        return "the server name could not be found"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
        return "the connection was interrupted"
    if any(isinstance(cause, ConnectionResetError) for cause in causes):
        return "the connection was reset"
    return "the connection failed"


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (requests and urllib3 nest them in args, .reason and __cause__)."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        current = todo.pop()
        if not isinstance(current, BaseException) or any(current is old for old in seen):
            continue
        seen.append(current)
        todo.extend(current.args)
        todo.extend((getattr(current, "reason", None), current.__cause__, current.__context__))
    return seen

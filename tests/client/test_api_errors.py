"""ApiClient against a scripted local server: headers, parsing, and how every kind of failure is reported."""

from __future__ import annotations

import logging
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from moderator_app import __version__
from moderator_app.client.api import ApiClient
from moderator_app.client.errors import (
    UNDERSTOOD_NOTHING,
    ApiError,
    Conflict,
    ConnectionFailed,
    Forbidden,
    InvalidRequest,
    MediaTooLarge,
    NotFound,
    RateLimited,
    ServerError,
    Unauthenticated,
)
from moderator_app.core.models import DecisionRequest
from moderator_app.core.policy import Action, PolicyReason
from tests.client.conftest import Canned, StubServer, error_answer, json_answer

USER = {"id": 1, "username": "alice", "display_name": "Alice", "roles": ["moderator"]}
DECISION = {
    "id": 7,
    "item_id": 3,
    "action": "remove_post",
    "reason": "spam",
    "note": "",
    "territorial_scope": None,
    "escalation_target": None,
    "decided_by": "bob",
    "decided_at": "2026-01-01T10:00:00Z",
    "reverted_at": None,
}
TOKEN = "tok-SECRET-0123456789"


@pytest.fixture
def client(stub_server: StubServer) -> Iterator[ApiClient]:
    api = ApiClient(stub_server.url, token=TOKEN, timeout=2.0)
    yield api
    api.close()


def test_requests_carry_user_agent_bearer_token_and_reuse_one_connection(
    stub_server: StubServer, client: ApiClient
) -> None:
    stub_server.on("GET", "/auth/me", json_answer(200, USER))
    first = client.me()
    second = client.me()
    assert first.username == "alice" and first == second
    seen = stub_server.seen
    assert seen[0].headers["User-Agent"] == f"moderator-app/{__version__}"
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert seen[0].client_port == seen[1].client_port  # kept alive: the second call did not open a new connection


def test_base_url_may_end_with_slash_or_api_prefix(stub_server: StubServer) -> None:
    stub_server.on("GET", "/auth/me", json_answer(200, USER))
    for url in (stub_server.url + "/", stub_server.url + "/api/v1"):
        with ApiClient(url, token=TOKEN) as api:
            assert api.base_url == stub_server.url
            assert api.me().id == 1
    with pytest.raises(ValueError):
        ApiClient("ftp://example.org")


def test_tls_verification_is_on_unless_disabled() -> None:
    assert ApiClient("https://moderation.example")._session.verify is True
    assert ApiClient("https://moderation.example", verify="/etc/ca.pem")._session.verify == "/etc/ca.pem"


def test_html_500_is_a_server_error_the_user_can_read(stub_server: StubServer, client: ApiClient) -> None:
    stub_server.on("GET", "/queues", Canned(500, b"<html><body>Internal Server Error</body></html>"))
    with pytest.raises(ServerError) as caught:
        client.queues()
    assert caught.value.status == 500
    assert str(caught.value).startswith(UNDERSTOOD_NOTHING)
    assert "<html>" not in str(caught.value)


@pytest.mark.parametrize(
    "canned",
    [
        Canned(200, b"{not json", {"Content-Type": "application/json"}),
        json_answer(200, {"id": 1, "username": "alice"}),  # JSON, but not a User
        json_answer(200, [USER]),
    ],
    ids=["garbage", "missing-fields", "wrong-shape"],
)
def test_a_200_that_does_not_fit_the_model_is_a_server_error(
    stub_server: StubServer, client: ApiClient, canned: Canned
) -> None:
    stub_server.on("GET", "/auth/me", canned)
    with pytest.raises(ServerError) as caught:
        client.me()
    assert str(caught.value).startswith(UNDERSTOOD_NOTHING)


def test_error_json_of_another_shape_is_not_trusted(stub_server: StubServer, client: ApiClient) -> None:
    stub_server.on("GET", "/auth/me", json_answer(404, {"detail": "Not Found"}))
    with pytest.raises(ServerError) as caught:
        client.me()
    assert caught.value.status == 404
    assert str(caught.value).startswith(UNDERSTOOD_NOTHING)


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (401, "token_expired", Unauthenticated),
        (403, "forbidden", Forbidden),
        (404, "not_found", NotFound),
        (413, "payload_too_large", InvalidRequest),
        (422, "invalid_request", InvalidRequest),
        (400, "invalid_request", InvalidRequest),
        (409, "claim_not_held", Conflict),
        (503, "internal", ServerError),
    ],
)
def test_error_bodies_map_to_classes_with_the_server_message(
    stub_server: StubServer, client: ApiClient, status: int, code: str, expected: type[ApiError]
) -> None:
    stub_server.on("POST", "/items/5/claim/renew", error_answer(status, code, "Told you so.", {"why": "because"}))
    with pytest.raises(expected) as caught:
        client.renew(5)
    error = caught.value
    assert (error.status, error.code, error.message, str(error)) == (status, code, "Told you so.", "Told you so.")
    assert error.details == {"why": "because"}


def test_already_decided_conflict_names_the_other_decision(stub_server: StubServer, client: ApiClient) -> None:
    stub_server.on(
        "POST", "/items/3/decisions", error_answer(409, "already_decided", "Bob decided it.", {"decision": DECISION})
    )
    request = DecisionRequest(action=Action.REMOVE_POST, reason=PolicyReason.SPAM)
    with pytest.raises(Conflict) as caught:
        client.decide(3, request, "key-0123456789")
    assert caught.value.decision is not None
    assert (caught.value.decision.id, caught.value.decision.decided_by) == (7, "bob")
    sent = stub_server.seen[-1]
    assert sent.headers["Idempotency-Key"] == "key-0123456789"
    assert b'"remove_post"' in sent.body


def test_conflict_with_an_unparseable_decision_still_raises_conflict(
    stub_server: StubServer, client: ApiClient
) -> None:
    stub_server.on(
        "POST", "/items/3/decisions", error_answer(409, "already_decided", "Taken.", {"decision": {"id": "x"}})
    )
    with pytest.raises(Conflict) as caught:
        client.decide(3, DecisionRequest(action=Action.NO_VIOLATION), "key-0123456789")
    assert caught.value.decision is None and caught.value.message == "Taken."


def test_rate_limit_carries_retry_after(stub_server: StubServer, client: ApiClient) -> None:
    answer = error_answer(429, "rate_limited", "Too many sign-in attempts.")
    answer.headers["Retry-After"] = "30"
    stub_server.on("POST", "/auth/login", answer)
    with pytest.raises(RateLimited) as caught:
        client.login("alice", "pw")
    assert caught.value.retry_after == 30.0
    assert str(caught.value) == "Too many sign-in attempts."


def test_read_timeout_is_a_connection_failure(stub_server: StubServer) -> None:
    stub_server.on("GET", "/queues", Canned(200, b"[]", delay=1.5))
    with ApiClient(stub_server.url, token=TOKEN, timeout=0.3) as api, pytest.raises(ConnectionFailed) as caught:
        api.queues()
    assert caught.value.status is None
    assert str(caught.value) == (
        f"Cannot reach the server at {stub_server.url}: the server did not answer within 0.3 seconds."
    )


def test_closed_port_is_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with ApiClient(url) as api, pytest.raises(ConnectionFailed) as caught:
        api.health()
    assert str(caught.value) == f"Cannot reach the server at {url}: connection refused."
    assert caught.value.code == "connection_failed"


def test_unknown_host_is_reported_as_such() -> None:
    with ApiClient("http://moderation.invalid", timeout=2.0) as api, pytest.raises(ConnectionFailed) as caught:
        api.health()
    assert "moderation.invalid" in str(caught.value)
    assert str(caught.value).endswith(("the server name could not be found.", "the connection failed."))


def test_invalid_local_input_is_an_invalid_request_without_a_network_call(
    stub_server: StubServer, client: ApiClient
) -> None:
    with pytest.raises(InvalidRequest):
        client.login("", "pw")
    with pytest.raises(InvalidRequest):
        client.revert(1, "")
    with pytest.raises(ValueError):
        client.decide(1, DecisionRequest(action=Action.NO_VIOLATION), "short")
    assert stub_server.seen == []


def test_login_stores_the_token_and_logout_forgets_it(stub_server: StubServer) -> None:
    stub_server.on(
        "POST", "/auth/login", json_answer(200, {"token": TOKEN, "expires_at": "2030-01-01T00:00:00Z", "user": USER})
    )
    stub_server.on("POST", "/auth/logout", Canned(204))
    with ApiClient(stub_server.url) as api:
        assert api.token is None
        answer = api.login("alice", "pw-alice")
        assert answer.user.username == "alice" and api.token == TOKEN
        api.logout()
        assert api.token is None
    assert stub_server.seen[-1].headers["Authorization"] == f"Bearer {TOKEN}"
    assert b"pw-alice" in stub_server.seen[0].body


def test_logs_name_method_path_and_status_but_never_the_token(
    stub_server: StubServer, client: ApiClient, caplog: pytest.LogCaptureFixture
) -> None:
    stub_server.on("GET", "/auth/me", json_answer(200, USER))
    stub_server.on("POST", "/auth/login", error_answer(401, "bad_credentials", "Wrong user name or password."))
    with caplog.at_level(logging.DEBUG, logger="moderator_app.client"):
        client.me()
        with pytest.raises(Unauthenticated):
            client.login("alice", "pw-secret-password")
    assert "GET /auth/me -> 200" in caplog.text
    assert "POST /auth/login -> 401" in caplog.text
    assert TOKEN not in caplog.text and "pw-secret-password" not in caplog.text
    assert TOKEN not in repr(client)


def test_media_bytes_come_with_type_and_size(stub_server: StubServer, client: ApiClient) -> None:
    data = bytes(range(256)) * 40
    headers = {"Content-Type": "image/png", "X-Media-Width": "64", "X-Media-Height": "32", "Cache-Control": "no-store"}
    stub_server.on("GET", "/media/9", Canned(200, data, headers))
    media = client.media(9)
    assert (media.data, media.mime_type, media.width, media.height) == (data, "image/png", 64, 32)
    assert "data=" not in repr(media)  # flagged bytes stay out of reprs and logs


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "undeclared"])
def test_media_over_the_byte_cap_is_refused(stub_server: StubServer, client: ApiClient, chunked: bool) -> None:
    stub_server.on("GET", "/media/9", Canned(200, b"x" * 100_000, {"Content-Type": "image/jpeg"}, chunked=chunked))
    with pytest.raises(MediaTooLarge):
        client.media(9, max_bytes=50_000)
    # The same file fits under a larger cap.
    assert len(client.media(9, max_bytes=100_000).data) == 100_000


def test_media_errors_use_the_json_error(stub_server: StubServer, client: ApiClient) -> None:
    stub_server.on("GET", "/media/9", error_answer(404, "not_found", "No such media."))
    with pytest.raises(NotFound, match="No such media"):
        client.media(9)


def test_audit_sends_only_the_given_filters(stub_server: StubServer, client: ApiClient) -> None:
    stub_server.on("GET", "/audit", json_answer(200, {"entries": [], "next_cursor": None}))
    page = client.audit(limit=5, actor="alice", item_id=None)
    assert page.entries == [] and page.next_cursor is None
    assert stub_server.seen[-1].path == "/api/v1/audit?limit=5&actor=alice"


@pytest.fixture
def self_signed_https(tmp_path: Path) -> Iterator[str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a throw-away certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = b'{"status": "ok", "version": "test"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_untrusted_certificate_is_refused_by_default(self_signed_https: str) -> None:
    with ApiClient(self_signed_https, timeout=3.0) as api, pytest.raises(ConnectionFailed) as caught:
        api.health()
    assert str(caught.value) == (
        f"Cannot reach the server at {self_signed_https}: its security certificate could not be verified."
    )
    with ApiClient(self_signed_https, timeout=3.0, verify=False) as api:
        assert api.health()["status"] == "ok"

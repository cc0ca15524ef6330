"""Every failure is a JSON error body with the right status, and never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest

from tests.server.conftest import Api


def _error(response: object, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["Content-Type"].startswith("application/json")  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error  # type: ignore[no-any-return]


def test_unknown_routes_and_methods(api: Api) -> None:
    _error(api.get("/no/such/thing"), 404, "not_found")
    _error(api.client.get("/not-even-api"), 404, "not_found")
    error = _error(api.request("PUT", "/queues", as_="alice"), 405, "method_not_allowed")
    assert "method" in str(error["message"])


def test_malformed_json_names_the_problem(api: Api) -> None:
    response = api.post("/auth/login", content=b'{"username": "alice", ', headers={"Content-Type": "application/json"})
    error = _error(response, 422, "invalid_request")
    assert "malformed JSON" in str(error["message"])


def test_missing_fields_and_wrong_types_name_the_field(api: Api) -> None:
    error = _error(api.post("/auth/login", json={"username": "alice"}), 422, "invalid_request")
    assert error["message"] == "Invalid password: Field required."
    error = _error(api.post("/auth/login", json={"username": ["alice"], "password": "x"}), 422, "invalid_request")
    assert "username" in str(error["message"])
    error = _error(api.post("/auth/login"), 422, "invalid_request")
    assert "body" in str(error["message"])
    error = _error(api.post("/auth/login", json=[1, 2]), 422, "invalid_request")


def test_validation_errors_never_echo_the_input(api: Api) -> None:
    response = api.post("/auth/login", json={"username": "alice", "password": "s3cret-pw", "otp": "s3cret-otp"})
    _error(response, 422, "invalid_request")
    assert "s3cret" not in response.text


def test_unknown_ids_are_404(api: Api) -> None:
    for path in ("/items/424242", "/queues/424242", "/media/424242"):
        _error(api.get(path, as_="alice"), 404, "not_found")
    _error(api.post("/queues/424242/claims", as_="alice", json={"count": 1}), 404, "not_found")
    _error(api.delete("/items/424242/claim", as_="alice"), 404, "not_found")


def test_a_body_over_the_limit_is_413(api: Api) -> None:
    big = {"username": "alice", "password": "x" * 70_000}
    error = _error(api.post("/auth/login", json=big), 413, "payload_too_large")
    assert "65536" in str(error["message"])


def test_a_streamed_body_over_the_limit_is_413(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"username": "alice", "password": "'
        for _ in range(10):
            yield b"x" * 10_000
        yield b'"}'

    response = api.post("/auth/login", content=chunks(), headers={"Content-Type": "application/json"})
    _error(response, 413, "payload_too_large")


def test_a_body_under_the_limit_passes(make_api: Callable[..., Api]) -> None:
    api = make_api(max_body_bytes=2048)
    response = api.post("/auth/login", json={"username": "alice", "password": "pw-alice", "pad": ""})
    _error(response, 422, "invalid_request")  # reached validation: the size check let it through
    _error(api.post("/auth/login", json={"username": "alice", "password": "y" * 3000}), 413, "payload_too_large")


def test_a_crashing_route_is_a_plain_500(make_api: Callable[..., Api], caplog: pytest.LogCaptureFixture) -> None:
    api = make_api()

    def boom() -> None:
        raise RuntimeError("kaboom: internal detail")

    api.app.add_api_route("/api/v1/boom", boom)
    with caplog.at_level(logging.ERROR, logger="moderator_app.server.middleware"):
        response = api.get("/boom")
    error = _error(response, 500, "internal")
    assert "kaboom" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    # The server log keeps what happened.
    assert any("GET /api/v1/boom" in r.getMessage() and r.exc_info for r in caplog.records)
    assert error["message"] == "The server hit an unexpected error."


def test_a_database_error_leaks_no_sql_or_parameters(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> None:
        from sqlalchemy import text
        from sqlalchemy.orm import Session

        with Session(api.engine) as session:
            session.execute(text("SELECT * FROM no_such_table WHERE x = :secret"), {"secret": "hunter2"})

    api.app.add_api_route("/api/v1/broken", broken)
    with caplog.at_level(logging.ERROR):
        response = api.get("/broken")
    _error(response, 500, "internal")
    assert "no_such_table" not in response.text
    logged = [str(record.exc_info[1]) for record in caplog.records if record.exc_info]
    assert logged and all("hunter2" not in message for message in logged)  # the engine hides parameters
    assert any("parameters hidden" in message for message in logged)


def test_a_crash_on_invalid_data_logs_no_content(
    make_api: Callable[..., Api], caplog: pytest.LogCaptureFixture
) -> None:
    from moderator_app.core.models import Queue

    api = make_api()
    private = " ".join(["post", "text", "that", "must", "stay", "private"])  # not quoted by the traceback's lines

    def leaky() -> None:
        Queue.model_validate({"id": 1, "key": private})

    api.app.add_api_route("/api/v1/leaky", leaky)
    with caplog.at_level(logging.ERROR):
        response = api.get("/leaky")
    _error(response, 500, "internal")
    assert "ValidationError" in caplog.text
    assert "must stay private" not in caplog.text

"""A NUL character (U+0000) anywhere in a request is one clear 422 on every backend, never a PostgreSQL 500."""

from __future__ import annotations

from datetime import timedelta

import pytest

from moderator_app.server.text_guard import has_nul
from tests.factories import add_queue_with_items
from tests.server.conftest import Api


def _refused(response: object) -> None:
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == "invalid_request" and "NUL" in error["message"]


def test_nul_in_a_body_a_query_or_a_path_is_refused_and_changes_nothing(api: Api) -> None:
    _refused(api.post("/auth/login", json={"username": "al\u0000ice", "password": "pw-alice"}))
    _refused(api.post("/auth/login", json={"username": "alice", "password": "pw-alice\u0000"}))
    _refused(api.get("/audit", as_="lena", params={"actor": "bo\u0000b"}))
    _refused(api.post("/team/reassign/abc%00def/undo", as_="lena"))

    queue_id, (item_id,) = add_queue_with_items(api.engine, "nul_text", [api.clock() + timedelta(minutes=5)])
    claimed = api.post(f"/queues/{queue_id}/claims", as_="alice", json={"count": 1}).json()["items"]
    assert [entry["item"]["id"] for entry in claimed] == [item_id]
    body = {"action": "no_violation", "note": "looks fine\u0000"}
    _refused(api.post(f"/items/{item_id}/decisions", as_="alice", json=body, headers={"Idempotency-Key": "nul-0001"}))
    assert api.get(f"/items/{item_id}", as_="alice").json()["status"] == "claimed"

    # The six characters backslash-u-0-0-0-0 are ordinary text.
    body["note"] = "a literal \\u0000 is fine"
    decided = api.post(f"/items/{item_id}/decisions", as_="alice", json=body, headers={"Idempotency-Key": "nul-0002"})
    assert decided.status_code == 201, decided.text
    assert decided.json()["note"] == "a literal \\u0000 is fine"


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (rb'{"a": "x\u0000"}', True),
        (rb'{"a": "x\\u0000"}', False),  # an escaped backslash, then "u0000"
        (rb'{"a": "x\\\u0000"}', True),  # an escaped backslash, then a NUL
        (rb'{"a": "x\\\\u0000"}', False),
        (rb'{"a\u0000": 1}', True),  # in a key
        (rb'{"a": "u0000 \u00000"}', True),
        (b"", False),
    ],
)
def test_json_escapes_are_read_as_json_reads_them(body: bytes, found: bool) -> None:
    scope = {"type": "http", "path": "/api/v1/x", "query_string": b"", "headers": []}
    assert has_nul(scope, body) is found


def test_other_bodies_and_encoded_paths() -> None:
    plain = {"type": "http", "path": "/api/v1/x", "query_string": b"a=%2500", "headers": []}
    assert not has_nul(plain, b"")  # "%2500" is the text "%00"
    assert has_nul({**plain, "query_string": b"a=%00"}, b"")
    assert has_nul({**plain, "path": "/api/v1/x\x00"}, b"")
    binary = {**plain, "headers": [(b"content-type", b"application/octet-stream")]}
    assert not has_nul(binary, b"\x00\x01")
    assert has_nul({**plain, "headers": [(b"content-type", b"application/problem+json; charset=utf-8")]}, b"\x00")

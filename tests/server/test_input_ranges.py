"""Numbers and times a database cannot hold are a 422 on every backend, not a PostgreSQL 500 (ids are 32-bit there)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from moderator_app.core.models.base import MAX_ID
from tests.server.conftest import Api

BEYOND = MAX_ID + 1


def _status(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize(
    ("method", "path", "user", "body"),
    [
        ("GET", "/items/{id}", "alice", None),
        ("GET", "/media/{id}", "alice", None),
        ("POST", "/queues/{id}/claims", "alice", {"count": 1}),
        ("POST", "/decisions/{id}/revert", "lena", {"note": "x"}),
        ("POST", "/qa/samples/{id}/review", "quinn", {"action": "no_violation"}),
        ("POST", "/qa/disputes/{id}/resolve", "lena", {"outcome": "overturn", "note": "x"}),
        ("GET", "/appeals/{id}", "bob", None),
    ],
)
def test_an_id_past_the_range_is_refused_and_the_last_one_is_not_found(
    api: Api, method: str, path: str, user: str, body: dict[str, Any] | None
) -> None:
    _status(api.request(method, path.format(id=BEYOND), as_=user, json=body), 422)
    _status(api.request(method, path.format(id=MAX_ID), as_=user, json=body), 404)


def test_ids_in_bodies_queries_and_cursors(api: Api) -> None:
    for id_ in (BEYOND, MAX_ID):
        expected = 422 if id_ == BEYOND else 404
        _status(
            api.post("/appeals", as_="ada", json={"decision_id": id_, "statement": "x", "contact_ref": "y"}), expected
        )
        move = {"item_ids": [1], "target": {"queue_id": id_}}
        _status(api.post("/team/reassign", as_="lena", json=move), expected)
    _status(
        api.post("/team/reassign/preview", as_="lena", json={"item_ids": [BEYOND], "target": {"unassign": True}}), 422
    )
    preview = api.post("/team/reassign/preview", as_="lena", json={"item_ids": [MAX_ID], "target": {"unassign": True}})
    _status(preview, 200)
    assert preview.json()["skipped_ids"] == [MAX_ID]
    rules = {"default_rate": 0.1, "rules": [{"queue_id": BEYOND, "rate": 0.5}]}
    _status(api.request("PUT", "/qa/sampling", as_="lena", json=rules), 422)
    _status(api.get("/audit", as_="lena", params={"item_id": BEYOND}), 422)
    _status(api.get("/audit", as_="lena", params={"queue_id": MAX_ID}), 200)

    def cursor(before: int) -> str:
        raw = json.dumps({"v": 1, "before": before}).encode("ascii")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    _status(api.get("/audit", as_="lena", params={"cursor": cursor(BEYOND)}), 422)
    _status(api.get("/audit", as_="lena", params={"cursor": cursor(MAX_ID)}), 200)


def test_ages_and_times_that_leave_the_calendar(api: Api) -> None:
    for field in ("older_than_seconds", "claimed_longer_than_seconds"):
        body = {"filter": {field: 10**12}, "target": {"unassign": True}}
        _status(api.post("/team/reassign/preview", as_="lena", json=body), 422)
    _status(api.post("/team/claims/release-stale/preview", as_="lena", json={"older_than_seconds": 10**12}), 422)
    ten_years = {"filter": {"older_than_seconds": 10 * 365 * 86400}, "target": {"unassign": True}}
    _status(api.post("/team/reassign/preview", as_="lena", json=ten_years), 200)
    _status(api.get("/audit", as_="lena", params={"from": "0001-01-01T00:00:00+14:00"}), 422)
    _status(api.get("/audit", as_="lena", params={"to": "9999-12-31T23:59:59-12:00"}), 422)
    _status(api.get("/qa/agreement", as_="lena", params={"from": "0001-01-01T00:00:00-01:00"}), 200)

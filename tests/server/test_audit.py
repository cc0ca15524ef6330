from __future__ import annotations

import base64
from datetime import timedelta

from sqlalchemy.orm import Session

from moderator_app.server.services.audit import Actor, record
from tests.factories import add_queue_with_items
from tests.server.conftest import Api


def _all_entries(api: Api, user: str = "lena", limit: int = 100, **filters: object) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, object] = {"limit": limit, **filters}
        if cursor:
            params["cursor"] = cursor
        response = api.get("/audit", as_=user, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["entries"]) <= limit
        entries.extend(page["entries"])
        cursor = page["next_cursor"]
        pages += 1
        assert pages < 1000
        if cursor is None:
            return entries


def test_every_state_change_is_audited(api: Api) -> None:
    now = api.clock()
    queue_id, ids = add_queue_with_items(api.engine, "audited", [now + timedelta(minutes=m) for m in (1, 2, 3)])
    api.post("/auth/login", json={"username": "alice", "password": "wrong"})
    api.post(f"/queues/{queue_id}/claims", as_="alice", json={"count": 3})
    api.post(f"/items/{ids[0]}/claim/renew", as_="alice")
    api.delete(f"/items/{ids[1]}/claim", as_="alice")
    decision = api.post(
        f"/items/{ids[0]}/decisions",
        as_="alice",
        json={"action": "no_violation"},
        headers={"Idempotency-Key": "audit-key-1"},
    ).json()
    api.post(f"/decisions/{decision['id']}/revert", as_="lena", json={"note": "recheck"})
    api.clock.advance(301)
    api.post(f"/queues/{queue_id}/claims", as_="bob", json={"count": 3})  # sweeps alice's lapsed lease on ids[2]
    api.post("/auth/logout", as_="alice")
    entries = _all_entries(api, queue_id=queue_id)
    actions = [(e["actor"], e["action"], e["item_id"]) for e in reversed(entries)]
    assert actions[:6] == [
        ("alice", "claim", ids[0]),
        ("alice", "claim", ids[1]),
        ("alice", "claim", ids[2]),
        ("alice", "renew", ids[0]),
        ("alice", "release", ids[1]),
        ("alice", "decision", ids[0]),
    ]
    assert ("lena", "revert", ids[0]) in actions
    assert (None, "lease_expired", ids[2]) in actions
    assert {a for a in actions[6:] if a[1] == "claim"} == {("bob", "claim", i) for i in ids}
    everyone = {(e["actor"], e["action"]) for e in _all_entries(api)}
    assert {("alice", "login_failed"), ("alice", "login"), ("alice", "logout"), ("lena", "login")} <= everyone
    assert (None, "user_created") in everyone


def test_cursor_paging_has_no_gaps_or_repeats(api: Api) -> None:
    now = api.clock()
    with Session(api.engine) as session:
        for n in range(250):
            record(session, "test_event", at=now, actor=Actor(1, "alice"), item_id=n, details={"n": n})
        session.commit()
    seen = _all_entries(api, limit=7, action="test_event")
    assert [e["item_id"] for e in seen] == list(range(249, -1, -1))  # newest first, every one exactly once
    ids = [e["id"] for e in seen]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 250


def test_rows_added_while_paging_do_not_disturb_older_pages(api: Api) -> None:
    now = api.clock()
    with Session(api.engine) as session:
        for n in range(20):
            record(session, "paging", at=now, item_id=n)
        session.commit()
    first = api.get("/audit", as_="lena", params={"limit": 10, "action": "paging"}).json()
    with Session(api.engine) as session:
        record(session, "paging", at=now, item_id=99)
        session.commit()
    second = api.get("/audit", as_="lena", params={"limit": 10, "action": "paging", "cursor": first["next_cursor"]})
    assert [e["item_id"] for e in first["entries"] + second.json()["entries"]] == list(range(19, -1, -1))


def test_filters_narrow_the_log(api: Api) -> None:
    now = api.clock()
    queue_id, ids = add_queue_with_items(api.engine, "filtered", [now + timedelta(minutes=1)] * 2)
    api.post(f"/queues/{queue_id}/claims", as_="alice", json={"count": 1})
    api.post(f"/queues/{queue_id}/claims", as_="bob", json={"count": 1})
    by_bob = _all_entries(api, actor="bob", action="claim")
    assert [(e["actor"], e["item_id"], e["queue_id"]) for e in by_bob] == [("bob", ids[1], queue_id)]
    assert [e["actor"] for e in _all_entries(api, item_id=ids[0])] == ["alice"]
    assert _all_entries(api, actor="nobody") == []


def test_bad_cursors_and_limits_are_422(api: Api) -> None:
    forged = base64.urlsafe_b64encode(b'{"v": 2, "before": 5}').decode().rstrip("=")
    for params in ({"cursor": "!!!"}, {"cursor": "bm90IGpzb24"}, {"cursor": forged}, {"limit": 0}, {"limit": 501}):
        response = api.get("/audit", as_="lena", params=params)
        assert response.status_code == 422, params
        assert response.json()["error"]["code"] == "invalid_request"

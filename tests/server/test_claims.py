from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.server.tables import AuditRow, ItemRow
from tests.factories import add_queue_with_items
from tests.server.conftest import Api


def _queue(api: Api, minutes: list[int], key: str = "test_queue") -> tuple[int, list[int]]:
    """A queue whose items are due `minutes` from now, in creation order."""
    now = api.clock()
    return add_queue_with_items(api.engine, key, [now + timedelta(minutes=m) for m in minutes])


def _claim(api: Api, user: str, queue_id: int, count: int = 1) -> list[int]:
    response = api.post(f"/queues/{queue_id}/claims", as_=user, json={"count": count})
    assert response.status_code == 200, response.text
    return [entry["item"]["id"] for entry in response.json()["items"]]


def _audit(api: Api, action: str) -> list[AuditRow]:
    with Session(api.engine) as session:
        return list(session.scalars(select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.id)))


def test_claims_hand_out_the_earliest_deadline_first(api: Api) -> None:
    queue_id, ids = _queue(api, [30, -10, 90, 5, 60])
    by_deadline = [ids[1], ids[3], ids[0], ids[4], ids[2]]
    response = api.post(f"/queues/{queue_id}/claims", as_="alice", json={"count": 3})
    batch = response.json()["items"]
    assert [entry["item"]["id"] for entry in batch] == by_deadline[:3]
    for entry in batch:
        assert entry["claim"]["item_id"] == entry["item"]["id"]
        assert entry["item"]["status"] == "claimed"
    # New claims only: the next call continues down the list and then runs dry.
    assert _claim(api, "alice", queue_id, 5) == by_deadline[3:]
    assert _claim(api, "alice", queue_id, 5) == []
    assert len(_audit(api, "claim")) == 5


def test_the_default_claim_is_one_item_with_a_five_minute_lease(api: Api) -> None:
    queue_id, _ids = _queue(api, [10, 20])
    response = api.post(f"/queues/{queue_id}/claims", as_="alice")
    items = response.json()["items"]
    assert len(items) == 1
    lease = items[0]["claim"]["lease_expires_at"]
    assert lease.startswith((api.clock() + timedelta(seconds=300)).strftime("%Y-%m-%dT%H:%M"))


def test_two_moderators_never_get_the_same_item(api: Api) -> None:
    queue_id, ids = _queue(api, [1, 2, 3, 4])
    alice = _claim(api, "alice", queue_id, 2)
    bob = _claim(api, "bob", queue_id, 5)
    assert alice == ids[:2]
    assert bob == ids[2:]
    assert _claim(api, "lena", queue_id, 5) == []


def test_my_claims_lists_only_my_live_leases(api: Api) -> None:
    queue_id, ids = _queue(api, [1, 2, 3])
    _claim(api, "alice", queue_id, 2)
    _claim(api, "bob", queue_id, 1)
    mine = api.get("/claims", as_="alice").json()
    assert [c["item_id"] for c in mine] == ids[:2]
    api.clock.advance(301)
    assert api.get("/claims", as_="alice").json() == []


def test_an_expired_lease_returns_the_item_and_is_audited(api: Api) -> None:
    queue_id, ids = _queue(api, [1, 2])
    _claim(api, "alice", queue_id, 2)
    queue = api.get(f"/queues/{queue_id}", as_="alice").json()
    assert (queue["pending"], queue["claimed"]) == (0, 2)
    api.clock.advance(301)
    # Counted as waiting as soon as the lease runs out, before anyone reclaims it.
    queue = api.get(f"/queues/{queue_id}", as_="alice").json()
    assert (queue["pending"], queue["claimed"]) == (2, 0)
    assert _claim(api, "bob", queue_id, 1) == [ids[0]]
    expired = _audit(api, "lease_expired")
    assert sorted(row.item_id for row in expired) == ids  # both swept, once each
    assert all(row.actor_name is None and row.details["holder"] == "alice" for row in expired)
    assert _claim(api, "bob", queue_id, 5) == [ids[1]]
    assert len(_audit(api, "lease_expired")) == 2
    # alice lost the items: renewing or releasing them is refused.
    assert api.post(f"/items/{ids[0]}/claim/renew", as_="alice").status_code == 409


def test_renew_extends_my_lease(api: Api) -> None:
    queue_id, ids = _queue(api, [1])
    _claim(api, "alice", queue_id)
    api.clock.advance(200)
    response = api.post(f"/items/{ids[0]}/claim/renew", as_="alice")
    assert response.status_code == 200
    assert response.json()["item_id"] == ids[0]
    api.clock.advance(200)  # 400 s after the claim, 200 s after the renewal
    assert [c["item_id"] for c in api.get("/claims", as_="alice").json()] == ids
    assert _claim(api, "bob", queue_id) == []
    assert len(_audit(api, "renew")) == 1


def test_renewing_or_releasing_someone_elses_claim_is_409(api: Api) -> None:
    queue_id, ids = _queue(api, [1, 2])
    _claim(api, "alice", queue_id)
    for response in (
        api.post(f"/items/{ids[0]}/claim/renew", as_="bob"),
        api.delete(f"/items/{ids[0]}/claim", as_="bob"),
        api.post(f"/items/{ids[1]}/claim/renew", as_="bob"),  # nobody holds it
    ):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "claim_not_held"
    assert api.post("/items/999999/claim/renew", as_="bob").status_code == 404


def test_release_returns_the_item_to_the_queue_for_others(api: Api) -> None:
    queue_id, ids = _queue(api, [1, 2])
    _claim(api, "alice", queue_id)
    assert api.delete(f"/items/{ids[0]}/claim", as_="alice").status_code == 204
    with Session(api.engine) as session:
        row = session.get(ItemRow, ids[0])
        assert row is not None and (row.status, row.claimed_by, row.lease_expires_at) == ("pending", None, None)
    assert api.get("/claims", as_="alice").json() == []
    # A skip does not bounce straight back to the one who skipped it, but others get it first thing.
    assert _claim(api, "alice", queue_id) == [ids[1]]
    assert _claim(api, "bob", queue_id) == [ids[0]]
    assert len(_audit(api, "release")) == 1


def test_a_skipped_item_comes_back_to_me_after_a_lease_period(api: Api) -> None:
    queue_id, ids = _queue(api, [1])
    _claim(api, "alice", queue_id)
    api.delete(f"/items/{ids[0]}/claim", as_="alice")
    assert _claim(api, "alice", queue_id) == []
    api.clock.advance(301)
    assert _claim(api, "alice", queue_id) == ids


def test_queue_counts_follow_the_work(api: Api) -> None:
    queue_id, ids = _queue(api, [-30, -5, 10, 20])
    queue = api.get(f"/queues/{queue_id}", as_="alice").json()
    assert (queue["pending"], queue["claimed"], queue["overdue"]) == (4, 0, 2)
    _claim(api, "alice", queue_id, 1)
    queue = api.get(f"/queues/{queue_id}", as_="alice").json()
    assert (queue["pending"], queue["claimed"], queue["overdue"]) == (3, 1, 2)
    assert queue["next_deadline"] is not None and queue["oldest_flagged_at"] is not None
    api.post(
        f"/items/{ids[0]}/decisions",
        as_="alice",
        json={"action": "no_violation"},
        headers={"Idempotency-Key": "q-count-1"},
    )
    queue = api.get(f"/queues/{queue_id}", as_="alice").json()
    assert (queue["pending"], queue["claimed"], queue["overdue"]) == (3, 0, 1)


def test_queues_are_listed_by_priority_then_key(api: Api) -> None:
    queues = api.get("/queues", as_="alice").json()
    assert len(queues) >= 2
    order = [(-q["priority"], q["key"]) for q in queues]
    assert order == sorted(order)


def test_claim_requests_are_validated(api: Api) -> None:
    queue_id, _ids = _queue(api, [1])
    assert api.post("/queues/999999/claims", as_="alice", json={"count": 1}).status_code == 404
    for body in ({"count": 0}, {"count": 51}, {"count": "two"}, {"count": 1, "extra": True}):
        response = api.post(f"/queues/{queue_id}/claims", as_="alice", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "invalid_request"


def test_an_item_with_a_lapsed_lease_reads_as_pending(api: Api) -> None:
    queue_id, ids = _queue(api, [1])
    _claim(api, "alice", queue_id)
    assert api.get(f"/items/{ids[0]}", as_="bob").json()["status"] == "claimed"
    api.clock.advance(301)
    assert api.get(f"/items/{ids[0]}", as_="bob").json()["status"] == "pending"

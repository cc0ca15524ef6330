from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.server.tables import AuditRow, DecisionRow, IdempotencyRow, ItemRow, QueueRow
from tests.factories import add_queue_with_items
from tests.server.conftest import Api

REMOVE = {"action": "remove_post", "reason": "spam", "note": "link farm"}


def _claimed_item(api: Api, user: str = "alice") -> int:
    now = api.clock()
    queue_id, ids = add_queue_with_items(api.engine, f"decide_{len(api.tokens)}_{user}", [now + timedelta(minutes=5)])
    response = api.post(f"/queues/{queue_id}/claims", as_=user, json={"count": 1})
    assert [entry["item"]["id"] for entry in response.json()["items"]] == ids
    return ids[0]


def _decide(api: Api, item_id: int, body: dict[str, Any], key: str, user: str = "alice") -> Any:
    return api.post(f"/items/{item_id}/decisions", as_=user, json=body, headers={"Idempotency-Key": key})


def _count(api: Api, model: Any, *where: Any) -> int:
    with Session(api.engine) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_a_decision_settles_the_item(api: Api) -> None:
    item_id = _claimed_item(api)
    response = _decide(api, item_id, REMOVE, "key-settle-1")
    assert response.status_code == 201
    decision = response.json()
    assert decision["item_id"] == item_id
    assert (decision["action"], decision["reason"], decision["note"]) == ("remove_post", "spam", "link farm")
    assert decision["decided_by"] == "alice"
    assert decision["reverted_at"] is None
    item = api.get(f"/items/{item_id}", as_="alice").json()
    assert item["status"] == "decided"
    assert item["decision"] == decision
    assert api.get("/claims", as_="alice").json() == []


def test_a_retry_with_the_same_key_returns_the_first_answer_and_applies_once(api: Api) -> None:
    item_id = _claimed_item(api)
    first = _decide(api, item_id, REMOVE, "key-retry-1")
    api.clock.advance(30)
    second = _decide(api, item_id, REMOVE, "key-retry-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert _count(api, DecisionRow, DecisionRow.item_id == item_id) == 1
    assert _count(api, AuditRow, AuditRow.item_id == item_id, AuditRow.action == "decision") == 1


def test_the_same_key_with_another_body_is_422(api: Api) -> None:
    item_id = _claimed_item(api)
    assert _decide(api, item_id, REMOVE, "key-reuse-1").status_code == 201
    response = _decide(api, item_id, {**REMOVE, "note": "different"}, "key-reuse-1")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    other_item = _claimed_item(api, "bob")
    # Same key, same body, another item: still another request.
    response = _decide(api, other_item, REMOVE, "key-reuse-1")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"


def test_keys_belong_to_their_user(api: Api) -> None:
    first, second = _claimed_item(api, "alice"), _claimed_item(api, "bob")
    assert _decide(api, first, REMOVE, "shared-key-1", "alice").status_code == 201
    assert _decide(api, second, REMOVE, "shared-key-1", "bob").status_code == 201


def test_deciding_a_decided_item_is_409_naming_the_other_decision(api: Api) -> None:
    item_id = _claimed_item(api)
    first = _decide(api, item_id, REMOVE, "key-first-1").json()
    response = _decide(api, item_id, {"action": "no_violation"}, "key-second-1", "bob")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "already_decided"
    assert error["details"]["decision"] == first
    assert "alice" in error["message"]
    assert _count(api, DecisionRow, DecisionRow.item_id == item_id) == 1


def test_deciding_without_the_claim_is_allowed_when_nobody_decided(api: Api) -> None:
    item_id = _claimed_item(api, "alice")
    api.clock.advance(600)  # alice's lease ran out; the outbox sends late
    assert _decide(api, item_id, REMOVE, "late-key-1", "alice").status_code == 201
    other = _claimed_item(api, "alice")  # held by alice, decided by bob
    assert _decide(api, other, {"action": "no_violation"}, "bob-key-1", "bob").status_code == 201
    assert api.get("/claims", as_="alice").json() == []


def test_escalate_moves_the_item_to_the_escalations_queue(api: Api) -> None:
    item_id = _claimed_item(api)
    body = {"action": "escalate", "escalation_target": "legal", "note": "needs legal"}
    response = _decide(api, item_id, body, "key-escalate-1")
    assert response.status_code == 201
    assert response.json()["escalation_target"] == "legal"
    with Session(api.engine) as session:
        escalations = session.scalar(select(QueueRow.id).where(QueueRow.key == "escalations"))
        row = session.get(ItemRow, item_id)
        assert row is not None
        assert (row.queue_id, row.status, row.claimed_by, row.decision_id) == (escalations, "pending", None, None)
    item = api.get(f"/items/{item_id}", as_="lena").json()
    assert item["decision"] is None
    assert item["history"][0]["kind"] == "escalation"
    assert item["history"][0]["note"] == "needs legal"
    # An escalated item can still be decided (by whoever works the escalations queue).
    assert _decide(api, item_id, REMOVE, "key-after-escalate", "lena").status_code == 201


def test_incomplete_decisions_are_422_with_the_problem(api: Api) -> None:
    item_id = _claimed_item(api)
    for n, (body, problem) in enumerate(
        (
            ({"action": "remove_post"}, "needs a policy reason"),
            ({"action": "restrict_post", "reason": "spam"}, "territorial scope"),
            ({"action": "escalate"}, "escalation target"),
            ({"action": "no_violation", "escalation_target": "legal"}, "only escalate"),
        )
    ):
        response = _decide(api, item_id, body, f"key-problem-{n}")
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "invalid_request"
        assert problem in response.json()["error"]["message"]
    assert _count(api, DecisionRow, DecisionRow.item_id == item_id) == 0
    assert _count(api, IdempotencyRow) == 0


def test_decision_requests_are_validated(api: Api) -> None:
    item_id = _claimed_item(api)
    cases = [
        ({"action": "obliterate"}, {"Idempotency-Key": "valid-key-1"}, "action"),
        (
            {"action": "restrict_post", "reason": "spam", "territorial_scope": ["US"]},
            {"Idempotency-Key": "valid-key-2"},
            "territorial_scope",
        ),
        (REMOVE, {}, "Idempotency-Key"),
        (REMOVE, {"Idempotency-Key": "short"}, "Idempotency-Key"),
    ]
    for body, headers, field in cases:
        response = api.post(f"/items/{item_id}/decisions", as_="alice", json=body, headers=headers)
        assert response.status_code == 422, body
        assert field in response.json()["error"]["message"]
    assert _decide(api, 999_999, REMOVE, "key-missing-item").status_code == 404


def test_revert_returns_the_item_to_its_queue_and_is_audited(api: Api) -> None:
    item_id = _claimed_item(api)
    decision = _decide(api, item_id, REMOVE, "key-revert-1").json()
    response = api.post(f"/decisions/{decision['id']}/revert", as_="lena", json={"note": "satire, not spam"})
    assert response.status_code == 200
    reverted = response.json()
    assert reverted["id"] == decision["id"]
    assert reverted["reverted_at"] is not None
    item = api.get(f"/items/{item_id}", as_="alice").json()
    assert (item["status"], item["decision"]) == ("pending", None)
    kinds = [(entry["kind"], entry["actor"], entry["note"]) for entry in item["history"][:2]]
    assert kinds == [("revert", "lena", "satire, not spam"), ("decision", "alice", "link farm")]
    with Session(api.engine) as session:
        row = session.scalars(select(AuditRow).where(AuditRow.action == "revert")).one()
    assert (row.actor_name, row.item_id, row.details["decision_id"]) == ("lena", item_id, decision["id"])
    # Back in the queue: it can be claimed and decided again; the old decision no longer blocks.
    assert _decide(api, item_id, {"action": "no_violation"}, "key-revert-2", "bob").status_code == 201
    again = api.post(f"/decisions/{decision['id']}/revert", as_="lena", json={"note": "twice"})
    assert again.status_code == 422
    assert api.post("/decisions/999999/revert", as_="lena", json={"note": "x"}).status_code == 404
    assert api.post(f"/decisions/{decision['id']}/revert", as_="lena", json={"note": ""}).status_code == 422

"""A lead's change of a queue's decision keys is undoable like the other lead moves: the exact keys before come back
(the defaults included), unless someone changed the keys again since or the undo window ended."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from moderator_app.core.models import DecisionSetResult, Queue
from moderator_app.server.tables import QueueRow
from tests.server.conftest import Api

NEW_KEYS = [
    {"slot": 1, "action": "remove_post", "reason": "scam_fraud"},
    {"slot": 3, "action": "ban_channel", "reason": "spam", "title": "Ban the spammer"},
    {"slot": 4, "action": "no_violation"},
]
OWN_KEYS = [
    {"slot": 2, "action": "restrict_post", "reason": "spam", "title": "Geo-block"},
    {"slot": 4, "action": "no_violation", "title": "Fine"},
]


def _queue(api: Api, key: str, user: str = "alice") -> Queue:
    found = [Queue.model_validate(q) for q in api.get("/queues", as_=user).json() if q["key"] == key]
    assert found, key
    return found[0]


def _change(api: Api, queue_id: int, options: list[dict[str, Any]], user: str = "lena") -> Any:
    return api.post(f"/team/queues/{queue_id}/decision-set", as_=user, json={"options": options})


def _undo(api: Api, operation_id: str, user: str = "lena") -> Any:
    return api.post(f"/team/reassign/{operation_id}/undo", as_=user)


def _stored(api: Api, queue_id: int) -> Any:
    with Session(api.engine) as session:
        row = session.get(QueueRow, queue_id)
        assert row is not None
        return row.decision_set


def _audit(api: Api, action: str, queue_id: int) -> list[dict[str, Any]]:
    return api.get("/audit", as_="lena", params={"action": action, "queue_id": queue_id}).json()["entries"]


def test_a_change_from_the_defaults_is_undone_back_to_the_defaults(api: Api) -> None:
    spam = _queue(api, "spam")
    assert spam.own_decision_set is False and _stored(api, spam.id) is None

    response = _change(api, spam.id, NEW_KEYS)
    assert response.status_code == 200, response.text
    result = DecisionSetResult.model_validate(response.json())
    assert [(o.slot, o.action.value, o.title) for o in result.queue.decision_set] == [
        (1, "remove_post", "Remove post · Scam or fraud"),
        (3, "ban_channel", "Ban the spammer"),
        (4, "no_violation", "Keep (no violation)"),
    ]
    assert result.queue.own_decision_set is True
    assert result.undo_until > api.clock()
    assert _queue(api, "spam", "bob").decision_set == result.queue.decision_set  # moderators get the new keys
    entry = _audit(api, "decision_set_updated", spam.id)[0]
    assert (entry["actor"], entry["details"]["operation_id"]) == ("lena", result.operation_id)

    undone = _undo(api, result.operation_id, user="ada")
    assert undone.status_code == 200, undone.text
    assert undone.json() == {"operation_id": result.operation_id, "restored_ids": [], "conflict_ids": []}
    back = _queue(api, "spam", "bob")
    assert back.decision_set == spam.decision_set and back.own_decision_set is False
    assert _stored(api, spam.id) is None  # the defaults themselves, not a copy of them
    entry = _audit(api, "decision_set_undo", spam.id)[0]
    assert entry["actor"] == "ada" and entry["details"]["operation_id"] == result.operation_id
    assert entry["details"]["before"] == [o.model_dump(mode="json") for o in result.queue.decision_set]
    assert entry["details"]["after"] == [o.model_dump(mode="json") for o in spam.decision_set]
    assert entry["details"]["defaults"] is True

    again = _undo(api, result.operation_id)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_undone"


def test_an_own_set_comes_back_exactly_after_a_change_or_a_return_to_the_defaults(api: Api) -> None:
    scams = _queue(api, "scams")
    put = api.request("PUT", f"/queues/{scams.id}/decision-set", as_="lena", json={"options": OWN_KEYS})
    assert put.status_code == 200, put.text
    assert Queue.model_validate(put.json()).own_decision_set is True  # the PUT still answers the queue
    own = _stored(api, scams.id)
    assert [o["title"] for o in own] == ["Geo-block", "Fine"]

    for options in (NEW_KEYS, []):  # another own set, then back to the defaults: both undo to the same keys
        result = _change(api, scams.id, options).json()
        assert result["queue"]["own_decision_set"] is bool(options)
        assert _undo(api, result["operation_id"]).status_code == 200
        assert _stored(api, scams.id) == own
        assert _queue(api, "scams").own_decision_set is True


def test_the_undo_is_refused_after_another_change_or_after_its_window(api: Api) -> None:
    hate = _queue(api, "hate")
    first = _change(api, hate.id, NEW_KEYS).json()
    other = api.request("PUT", f"/queues/{hate.id}/decision-set", as_="ada", json={"options": OWN_KEYS})
    assert other.status_code == 200
    refused = _undo(api, first["operation_id"])
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "changed_since"
    assert "decision keys" in error["message"] and "changed again since" in error["message"]
    assert [o["title"] for o in _queue(api, "hate").model_dump(mode="json")["decision_set"]] == ["Geo-block", "Fine"]
    assert _audit(api, "decision_set_undo", hate.id) == []

    # The PUT was undoable too (its operation id is in its audit entry), until the window ended.
    entry = _audit(api, "decision_set_updated", hate.id)[0]
    assert entry["actor"] == "ada"
    api.clock.advance(31)
    late = _undo(api, entry["details"]["operation_id"])
    assert late.status_code == 409 and late.json()["error"]["code"] == "undo_expired"
    assert _stored(api, hate.id) is not None and _queue(api, "hate").own_decision_set is True


def test_only_queue_managers_change_or_undo_decision_keys(api: Api) -> None:
    spam = _queue(api, "spam")
    for user in ("alice", "quinn"):
        response = _change(api, spam.id, NEW_KEYS, user=user)
        assert response.status_code == 403, user
        assert "manage queues" in response.json()["error"]["message"]
    assert _stored(api, spam.id) is None
    result = _change(api, spam.id, NEW_KEYS).json()
    for user in ("alice", "quinn"):
        assert _undo(api, result["operation_id"], user=user).status_code == 403, user
    assert _queue(api, "spam").own_decision_set is True  # the refused undos changed nothing
    assert _change(api, 999999, NEW_KEYS).status_code == 404


def test_an_invalid_set_is_refused_in_words_and_keeps_no_operation(api: Api) -> None:
    spam = _queue(api, "spam")
    response = _change(api, spam.id, [{"slot": 3, "action": "escalate"}, {"slot": 5, "action": "ban_channel"}])
    assert response.status_code == 422
    assert response.json()["error"]["details"]["problems"] == [
        "key 3: escalate has a key of its own (it needs a target), not a slot",
        "key 5: action ban_channel needs a policy reason",
    ]
    assert _audit(api, "decision_set_updated", spam.id) == []
    assert _stored(api, spam.id) is None

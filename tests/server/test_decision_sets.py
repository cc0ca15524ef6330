"""Queue.sensitive and Queue.decision_set: defaults per queue key, a lead's own set (validated, audited)."""

from __future__ import annotations

from typing import Any

from moderator_app.core.models import DecisionOption, Queue
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.server.services.decision_sets import DEFAULT_SETS, default_set, problems
from tests.server.conftest import Api


def _queues(api: Api, user: str = "alice") -> dict[str, Queue]:
    return {q["key"]: Queue.model_validate(q) for q in api.get("/queues", as_=user).json()}


def _put(api: Api, queue_id: int, options: list[dict[str, Any]], user: str = "lena") -> Any:
    return api.request("PUT", f"/queues/{queue_id}/decision-set", as_=user, json={"options": options})


def test_queues_carry_their_default_decision_keys_and_sensitivity(api: Api) -> None:
    queues = _queues(api)
    assert {key for key, q in queues.items() if q.sensitive} == {"child_safety"}
    spam = queues["spam"].decision_set
    assert [(o.slot, o.action, o.reason, o.title) for o in spam[:4]] == [
        (1, Action.REMOVE_POST, PolicyReason.SPAM, "Remove post · Spam"),
        (2, Action.BAN_CHANNEL, PolicyReason.SPAM, "Ban channel · Spam"),
        (3, Action.LABEL_SENSITIVE, PolicyReason.SPAM, "Label sensitive · Spam"),
        (4, Action.NO_VIOLATION, None, "Keep (no violation)"),
    ]
    for key, queue in queues.items():
        slots = [o.slot for o in queue.decision_set]
        assert slots == list(range(1, len(slots) + 1)) and 4 <= len(slots) <= 9, key
        assert queue.decision_set[3].action is Action.NO_VIOLATION, key  # Keep is on 4 everywhere
        assert queue.decision_set[0].reason is queue.default_reason, key
    child = queues["child_safety"].decision_set
    assert (child[0].action, child[0].reason) == (Action.REMOVE_POST, PolicyReason.CHILD_SAFETY)
    assert (child[1].action, child[1].reason) == (Action.BAN_CHANNEL, PolicyReason.CHILD_SAFETY)


def test_every_default_set_passes_its_own_validation() -> None:
    for key in [*DEFAULT_SETS, "some_new_queue"]:
        for reason in PolicyReason:
            options = default_set(key, reason)
            assert problems(options) == [], (key, reason)
            assert all(o.action is not Action.ESCALATE for o in options)


def test_a_lead_sets_a_queues_keys_audited_and_an_empty_list_puts_back_the_defaults(api: Api) -> None:
    spam = _queues(api)["spam"]
    options = [
        {"slot": 2, "action": "remove_post", "reason": "scam_fraud", "title": "  "},
        {"slot": 1, "action": "restrict_post", "reason": "spam", "title": "Geo-block (pick countries)"},
        {"slot": 9, "action": "no_violation"},
    ]
    response = _put(api, spam.id, options)
    assert response.status_code == 200, response.text
    queue = Queue.model_validate(response.json())
    assert queue.decision_set == [
        DecisionOption(
            slot=1, action=Action.RESTRICT_POST, reason=PolicyReason.SPAM, title="Geo-block (pick countries)"
        ),
        DecisionOption(
            slot=2, action=Action.REMOVE_POST, reason=PolicyReason.SCAM_FRAUD, title="Remove post · Scam or fraud"
        ),
        DecisionOption(slot=9, action=Action.NO_VIOLATION, reason=None, title="Keep (no violation)"),
    ]
    assert _queues(api, "bob")["spam"].decision_set == queue.decision_set  # every moderator gets the new keys
    entry = api.get("/audit", as_="lena", params={"action": "decision_set_updated"}).json()["entries"][0]
    assert (entry["actor"], entry["queue_id"]) == ("lena", spam.id)
    assert entry["details"]["before"] == [o.model_dump(mode="json") for o in spam.decision_set]
    assert entry["details"]["after"] == [o.model_dump(mode="json") for o in queue.decision_set]

    reset = _put(api, spam.id, [], user="ada")
    assert reset.status_code == 200
    assert Queue.model_validate(reset.json()).decision_set == spam.decision_set


def test_invalid_decision_sets_are_refused_with_each_problem_named(api: Api) -> None:
    queue_id = _queues(api)["scams"].id
    response = _put(
        api,
        queue_id,
        [
            {"slot": 1, "action": "remove_post"},
            {"slot": 1, "action": "ban_channel", "reason": "scam_fraud"},
            {"slot": 3, "action": "escalate"},
        ],
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["details"]["problems"] == [
        "key 1 is used 2 times",
        "key 1: action remove_post needs a policy reason",
        "key 3: escalate has a key of its own (it needs a target), not a slot",
    ]
    assert error["message"].startswith("The decision set is not valid: key 1 is used 2 times; ")
    shape_errors = {
        "slot 0": (
            {"slot": 0, "action": "no_violation"},
            "Invalid options.0.slot: Input should be greater than or equal to 1.",
        ),
        "slot 10": (
            {"slot": 10, "action": "no_violation"},
            "Invalid options.0.slot: Input should be less than or equal to 9.",
        ),
        "unknown action": ({"slot": 1, "action": "delete_everything"}, "Invalid options.0.action: Input should be "),
        "unknown reason": ({"slot": 1, "action": "remove_post", "reason": "rudeness"}, "Invalid options.0.reason: "),
    }
    for name, (option, message) in shape_errors.items():
        response = _put(api, queue_id, [option])
        assert response.status_code == 422, name
        assert response.json()["error"]["message"].startswith(message), name
    too_many = [{"slot": n % 9 + 1, "action": "no_violation"} for n in range(10)]
    assert _put(api, queue_id, too_many).status_code == 422
    assert api.get("/audit", as_="lena", params={"action": "decision_set_updated"}).json()["entries"] == []


def test_only_queue_managers_set_decision_keys_and_unknown_queues_are_404(api: Api) -> None:
    queue_id = _queues(api)["spam"].id
    body = [{"slot": 1, "action": "no_violation"}]
    for user in ("alice", "quinn"):
        response = _put(api, queue_id, body, user=user)
        assert response.status_code == 403, user
        assert "manage queues" in response.json()["error"]["message"]
    assert _put(api, 999999, body).status_code == 404


def test_a_lead_marks_a_queue_sensitive_audited(api: Api) -> None:
    spam = _queues(api)["spam"]
    response = api.request("PATCH", f"/queues/{spam.id}", as_="lena", json={"sensitive": True})
    assert response.status_code == 200, response.text
    assert response.json()["sensitive"] is True
    assert _queues(api, "bob")["spam"].sensitive is True
    assert response.json()["priority"] == spam.priority and response.json()["sla_seconds"] == spam.sla_seconds
    entry = api.get("/audit", as_="lena", params={"action": "queue_updated", "queue_id": spam.id}).json()["entries"][0]
    assert entry["details"]["before"]["sensitive"] is False and entry["details"]["after"]["sensitive"] is True
    empty = api.request("PATCH", f"/queues/{spam.id}", as_="lena", json={})
    assert empty.status_code == 422
    assert "give at least one of priority, sla_seconds and sensitive" in empty.json()["error"]["message"]
    not_bool = api.request("PATCH", f"/queues/{spam.id}", as_="lena", json={"sensitive": "maybe"})
    assert not_bool.status_code == 422

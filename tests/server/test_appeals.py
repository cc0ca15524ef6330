"""Appeals (DSA Art. 20): filed by the platform side, refused to the deciding moderator, reversal restores."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.server.conftest import Api
from tests.server.flows import claim, decide, fresh_queue


def _decided(
    api: Api, key: str, action: str = "remove_post", reason: str | None = "spam"
) -> tuple[int, dict[str, Any]]:
    queue_id, (item_id,) = fresh_queue(api, key, 1)
    claim(api, "alice", queue_id)
    return item_id, decide(api, "alice", item_id, action=action, reason=reason)


def _file(api: Api, decision_id: int, status: int = 201) -> Any:
    response = api.post(
        "/appeals",
        as_="ada",
        json={"decision_id": decision_id, "statement": "It was a quote, not an ad.", "contact_ref": "ticket-8812"},
    )
    assert response.status_code == status, response.text
    return response.json()


def test_an_appeal_is_refused_to_the_deciding_moderator_and_reversed_by_another(api: Api) -> None:
    item_id, original = _decided(api, "appealed")
    appeal = _file(api, original["id"])
    assert (appeal["status"], appeal["filed_by"], appeal["decision"]) == ("pending", "ada", original)
    assert appeal["statement"] == "It was a quote, not an ad." and appeal["contact_ref"] == "ticket-8812"
    filed = datetime.fromisoformat(appeal["filed_at"])
    assert datetime.fromisoformat(appeal["deadline"]) - filed == timedelta(days=7)
    assert [a["id"] for a in api.get("/appeals", as_="bob").json()] == [appeal["id"]]

    refused = api.post(f"/appeals/{appeal['id']}/claim", as_="alice")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "own_decision_appeal"
    assert "someone else" in refused.json()["error"]["message"]
    own_decide = api.post(f"/appeals/{appeal['id']}/decide", as_="alice", json={"outcome": "uphold", "note": "mine"})
    assert own_decide.status_code == 403 and own_decide.json()["error"]["code"] == "own_decision_appeal"

    unclaimed = api.post(f"/appeals/{appeal['id']}/decide", as_="bob", json={"outcome": "reverse", "note": "quote"})
    assert unclaimed.status_code == 409 and unclaimed.json()["error"]["code"] == "claim_not_held"
    taken = api.post(f"/appeals/{appeal['id']}/claim", as_="bob")
    assert taken.status_code == 200, taken.text
    assert taken.json()["item"]["id"] == item_id and taken.json()["appeal"]["claimed_by"] == "bob"
    busy = api.post(f"/appeals/{appeal['id']}/claim", as_="lena")
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "claim_not_held"

    decided = api.post(f"/appeals/{appeal['id']}/decide", as_="bob", json={"outcome": "reverse", "note": "a quote"})
    assert decided.status_code == 200, decided.text
    body = decided.json()
    assert (body["status"], body["outcome"], body["decided_by"]) == ("decided", "reverse", "bob")
    assert body["decision"]["reverted_at"] is not None and body["decision"]["revert_kind"] == "appeal"
    # The content is restored: a "no violation" decision by the appeal's reviewer is now in force.
    item = api.get(f"/items/{item_id}", as_="alice").json()
    assert item["status"] == "decided"
    assert (item["decision"]["action"], item["decision"]["decided_by"]) == ("no_violation", "bob")
    assert item["decision"]["note"] == f"Appeal {appeal['id']} reversed: a quote"
    assert api.get("/appeals", as_="bob").json() == []
    assert api.get(f"/appeals/{appeal['id']}", as_="ada").json()["outcome"] == "reverse"

    trail = [
        (e["actor"], e["action"])
        for e in reversed(api.get("/audit", as_="lena", params={"item_id": item_id}).json()["entries"])
    ]
    assert trail[-5:] == [
        ("ada", "appeal_filed"),
        ("bob", "appeal_claim"),
        ("bob", "revert"),
        ("bob", "decision"),
        ("bob", "appeal_decided"),
    ]
    filed_entry = api.get("/audit", as_="lena", params={"action": "appeal_filed"}).json()["entries"][0]
    assert "statement" not in filed_entry["details"]  # the user's words stay in the appeal, not in the log


def test_an_upheld_appeal_keeps_the_decision(api: Api) -> None:
    item_id, original = _decided(api, "upheld_appeal")
    appeal = _file(api, original["id"])
    api.post(f"/appeals/{appeal['id']}/claim", as_="lena")
    upheld = api.post(f"/appeals/{appeal['id']}/decide", as_="lena", json={"outcome": "uphold", "note": "an ad"})
    assert upheld.status_code == 200 and upheld.json()["decision"]["reverted_at"] is None
    assert api.get(f"/items/{item_id}", as_="alice").json()["decision"]["id"] == original["id"]
    again = api.post(f"/appeals/{appeal['id']}/claim", as_="bob")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_resolved"
    assert _file(api, original["id"])["status"] == "pending"  # a closed appeal does not block a new one


def test_reversing_a_keep_decision_sends_the_item_back_to_review(api: Api) -> None:
    item_id, original = _decided(api, "notifier_appeal", action="no_violation", reason=None)
    appeal = _file(api, original["id"])
    api.post(f"/appeals/{appeal['id']}/claim", as_="bob")
    api.post(f"/appeals/{appeal['id']}/decide", as_="bob", json={"outcome": "reverse", "note": "it is spam"})
    item = api.get(f"/items/{item_id}", as_="alice").json()
    assert (item["status"], item["decision"]) == ("pending", None)


def test_what_cannot_be_appealed(api: Api) -> None:
    _item_id, original = _decided(api, "twice")
    appeal = _file(api, original["id"])
    duplicate = _file(api, original["id"], status=409)
    assert duplicate["error"]["code"] == "appeal_exists" and duplicate["error"]["details"]["appeal_id"] == appeal["id"]
    assert _file(api, 999999, status=404)["error"]["code"] == "not_found"
    _other, reverted = _decided(api, "reverted")
    api.post(f"/decisions/{reverted['id']}/revert", as_="lena", json={"note": "wrong"})
    assert _file(api, reverted["id"], status=409)["error"]["code"] == "decision_not_in_force"
    by_moderator = api.post(
        "/appeals", as_="bob", json={"decision_id": original["id"], "statement": "x", "contact_ref": "y"}
    )
    assert by_moderator.status_code == 403
    assert by_moderator.json()["error"]["message"] == "Your role (moderator) does not allow you to file appeals."

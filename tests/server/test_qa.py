"""Blind second review: claim without the decision, review first, then verdict; disputes settled by a lead."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import Api
from tests.server.flows import claim, decide, fresh_queue, set_sampling


def _sampled_decision(api: Api, key: str, moderator: str = "alice", **decision: Any) -> tuple[int, int, dict[str, Any]]:
    queue_id, (item_id,) = fresh_queue(api, key, 1)
    set_sampling(api, 0.0, [{"queue_id": queue_id, "rate": 1.0}])
    claim(api, moderator, queue_id)
    return queue_id, item_id, decide(api, moderator, item_id, **decision)


def _claim_one(api: Api, reviewer: str = "quinn") -> dict[str, Any]:
    response = api.post("/qa/claims", as_=reviewer, json={"count": 1})
    assert response.status_code == 200, response.text
    (sample,) = response.json()["samples"]
    return sample  # type: ignore[no-any-return]


def test_blind_review_disagreement_goes_to_a_lead_who_overturns_it(api: Api) -> None:
    queue_id, item_id, original = _sampled_decision(api, "blind", action="remove_post", reason="spam")

    sample = _claim_one(api)
    blind = sample["item"]
    assert blind["id"] == item_id and blind["queue_id"] == queue_id
    assert blind["decision"] is None and blind["status"] == "claimed"
    assert all(entry["at"] < original["decided_at"] for entry in blind["history"])
    assert api.get(f"/items/{item_id}", as_="quinn").json() == blind  # blind everywhere (test_qa_blind.py)
    sample_id = sample["sample_id"]
    assert api.post("/qa/claims", as_="quinn", json={"count": 5}).json()["samples"] == []  # nothing else waits

    early = api.post(f"/qa/samples/{sample_id}/verdict", as_="quinn", json={"agree": True})
    assert early.status_code == 409 and early.json()["error"]["code"] == "review_first"
    other = api.post(f"/qa/samples/{sample_id}/review", as_="ada", json={"action": "no_violation"})
    assert other.status_code == 409 and other.json()["error"]["code"] == "claim_not_held"
    incomplete = api.post(f"/qa/samples/{sample_id}/review", as_="quinn", json={"action": "remove_post"})
    assert incomplete.status_code == 422

    reviewed = api.post(f"/qa/samples/{sample_id}/review", as_="quinn", json={"action": "no_violation", "note": "ok"})
    assert reviewed.status_code == 200, reviewed.text
    outcome = reviewed.json()
    assert outcome["original"] == original
    assert (outcome["same_action"], outcome["same_reason"], outcome["agree"]) == (False, False, False)
    assert outcome["review"]["action"] == "no_violation" and outcome["review"]["reviewer"] == "quinn"
    twice = api.post(f"/qa/samples/{sample_id}/review", as_="quinn", json={"action": "remove_post", "reason": "spam"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_resolved"

    no_reason = api.post(f"/qa/samples/{sample_id}/verdict", as_="quinn", json={"agree": False})
    assert no_reason.status_code == 422
    verdict = api.post(f"/qa/samples/{sample_id}/verdict", as_="quinn", json={"agree": False, "reason": "satire"})
    assert verdict.status_code == 200, verdict.text
    assert verdict.json()["status"] == "done" and verdict.json()["dispute_id"] is not None

    (dispute,) = api.get("/qa/disputes", as_="lena").json()
    assert dispute["id"] == verdict.json()["dispute_id"]
    assert (dispute["moderator"], dispute["reviewer"], dispute["verdict_reason"]) == ("alice", "quinn", "satire")
    assert dispute["decision"]["id"] == original["id"] and dispute["review"]["action"] == "no_violation"

    resolved = api.post(
        f"/qa/disputes/{dispute['id']}/resolve", as_="lena", json={"outcome": "overturn", "note": "satire is allowed"}
    )
    assert resolved.status_code == 200, resolved.text
    assert (resolved.json()["status"], resolved.json()["outcome"], resolved.json()["resolved_by"]) == (
        "resolved",
        "overturn",
        "lena",
    )
    item = api.get(f"/items/{item_id}", as_="alice").json()
    assert (item["status"], item["decision"], item["queue_id"]) == ("pending", None, queue_id)
    assert resolved.json()["decision"]["revert_kind"] == "qa_overturn"
    assert resolved.json()["decision"]["reverted_at"] is not None
    assert any(entry["kind"] == "revert" and entry["note"] == "satire is allowed" for entry in item["history"])
    again = api.post(f"/qa/disputes/{dispute['id']}/resolve", as_="ada", json={"outcome": "uphold", "note": "x"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_resolved"
    assert api.get("/qa/disputes", as_="lena").json() == []
    assert len(api.get("/qa/disputes", as_="lena", params={"status": "resolved"}).json()) == 1

    trail = api.get("/audit", as_="lena", params={"item_id": item_id}).json()["entries"]
    actions = [(e["actor"], e["action"]) for e in reversed(trail)]
    assert actions[-6:] == [
        (None, "qa_sampled"),
        ("quinn", "qa_claim"),
        ("quinn", "qa_review"),
        ("quinn", "qa_verdict"),
        ("lena", "revert"),
        ("lena", "qa_dispute_resolved"),
    ]
    revert = next(e for e in trail if e["action"] == "revert")
    assert revert["details"]["kind"] == "qa_overturn" and revert["details"]["item_returned"] is True
    # The overturn counts against the original decision.
    (row,) = api.get("/qa/agreement", as_="lena").json()["rows"]
    assert (row["key"], row["reviewed"], row["disagreements"], row["overturned"]) == ("alice", 1, 1, 1)


def test_an_upheld_dispute_leaves_the_decision(api: Api) -> None:
    _queue_id, item_id, original = _sampled_decision(api, "upheld", action="ban_channel", reason="spam")
    sample_id = _claim_one(api)["sample_id"]
    api.post(f"/qa/samples/{sample_id}/review", as_="quinn", json={"action": "remove_post", "reason": "spam"})
    dispute_id = api.post(
        f"/qa/samples/{sample_id}/verdict", as_="quinn", json={"agree": False, "reason": "too harsh"}
    ).json()["dispute_id"]
    upheld = api.post(f"/qa/disputes/{dispute_id}/resolve", as_="ada", json={"outcome": "uphold", "note": "repeat"})
    assert upheld.status_code == 200 and upheld.json()["decision"]["reverted_at"] is None
    assert api.get(f"/items/{item_id}", as_="alice").json()["decision"]["id"] == original["id"]


def test_an_agreeing_verdict_opens_no_dispute(api: Api) -> None:
    _sampled_decision(api, "agreed", action="remove_post", reason="spam")
    sample_id = _claim_one(api)["sample_id"]
    outcome = api.post(
        f"/qa/samples/{sample_id}/review", as_="quinn", json={"action": "remove_post", "reason": "spam"}
    ).json()
    assert outcome["agree"] is True
    done = api.post(f"/qa/samples/{sample_id}/verdict", as_="quinn", json={"agree": True}).json()
    assert (done["agree"], done["dispute_id"], done["review"]["action"]) == (True, None, "remove_post")
    assert api.get("/qa/disputes", as_="lena", params={"status": "all"}).json() == []


def test_nobody_reviews_or_settles_their_own_decision(api: Api) -> None:
    _sampled_decision(api, "own", moderator="quinn", action="remove_post", reason="spam")
    assert api.post("/qa/claims", as_="quinn", json={"count": 5}).json()["samples"] == []
    sample_id = _claim_one(api, "ada")["sample_id"]
    api.post(f"/qa/samples/{sample_id}/review", as_="ada", json={"action": "no_violation"})
    dispute_id = api.post(
        f"/qa/samples/{sample_id}/verdict", as_="ada", json={"agree": False, "reason": "fine"}
    ).json()["dispute_id"]
    own = api.post(f"/qa/disputes/{dispute_id}/resolve", as_="ada", json={"outcome": "uphold", "note": "mine"})
    assert own.status_code == 403 and "another lead" in own.json()["error"]["message"]
    assert (
        api.post(f"/qa/disputes/{dispute_id}/resolve", as_="lena", json={"outcome": "uphold", "note": "ok"}).status_code
        == 200
    )


def test_a_lapsed_qa_claim_can_be_taken_by_another_reviewer(api: Api) -> None:
    _sampled_decision(api, "lapsed", action="remove_post", reason="spam")
    sample_id = _claim_one(api, "quinn")["sample_id"]
    assert api.post("/qa/claims", as_="ada", json={"count": 1}).json()["samples"] == []
    api.clock.advance(301)
    assert _claim_one(api, "ada")["sample_id"] == sample_id
    late = api.post(f"/qa/samples/{sample_id}/review", as_="quinn", json={"action": "no_violation"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "claim_not_held"


def test_the_sampling_configuration_is_audited_and_checked(api: Api) -> None:
    queue_id, _ids = fresh_queue(api, "configured", 1)
    config = {
        "default_rate": 0.1,
        "rules": [{"queue_id": queue_id, "action": "remove_post", "reason": None, "rate": 1}],
    }
    assert api.request("PUT", "/qa/sampling", as_="lena", json=config).status_code == 200
    assert api.get("/qa/sampling", as_="ada").json() == {
        "default_rate": 0.1,
        "rules": [{"queue_id": queue_id, "action": "remove_post", "reason": None, "rate": 1.0}],
    }
    entry = api.get("/audit", as_="lena", params={"action": "qa_sampling_updated"}).json()["entries"][0]
    assert entry["details"]["before"]["default_rate"] == 0.05 and entry["details"]["after"]["default_rate"] == 0.1
    bad_queue = {"rules": [{"queue_id": 999999, "rate": 0.5}]}
    assert api.request("PUT", "/qa/sampling", as_="lena", json=bad_queue).status_code == 422
    assert api.request("PUT", "/qa/sampling", as_="lena", json={"default_rate": 1.5}).status_code == 422

"""Holding an unreviewed QA sample, nobody learns the sampled decision by acting on it: not through an appeal they
took before the sample, not by reverting it, filing an appeal or deciding its item (an admin, or a lead who does QA
too), and not through the lead's team endpoints. Every refusal is a 409 review_first that names the sample; once the
reviewer has recorded their own decision, everything works as before."""

from __future__ import annotations

import json
from typing import Any

import pytest

from moderator_app.core.roles import Role
from moderator_app.server.security import TEST_SCRYPT
from moderator_app.server.users import create_user
from tests.conftest import password_of
from tests.qa_holds import hold_sample
from tests.server.conftest import Api
from tests.server.flows import claim, fresh_queue, set_sampling

NOTE = "Sold fake tickets to the concert: see the linked shop."  # the sampled decision's note, in no other answer


def _review_first(response: Any, sample_id: int) -> None:
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "review_first" and error["details"] == {"sample_id": sample_id}
    assert f"QA sample {sample_id}" in error["message"]


def _shows(answer: Any, decision: dict[str, Any]) -> bool:
    """Whether an answer shows the decision's action, reason or note anywhere."""
    text = json.dumps(answer.json())
    return any(value in text for value in (decision["action"], decision["reason"], NOTE))


def _sampled_decision(api: Api, key: str, count: int = 1) -> tuple[int, list[int], dict[str, Any]]:
    """A fresh queue of `count` items; alice decides the first with a distinctive decision, which is sampled."""
    queue_id, item_ids = fresh_queue(api, key, count)
    set_sampling(api, 0.0, [{"queue_id": queue_id, "action": "label_sensitive", "rate": 1.0}])
    claim(api, "alice", queue_id)
    body = {"action": "label_sensitive", "reason": "adult_content", "note": NOTE}
    response = api.post(f"/items/{item_ids[0]}/decisions", as_="alice", json=body, headers={"Idempotency-Key": key * 2})
    assert response.status_code == 201, response.text
    api.clock.advance(60)
    return queue_id, item_ids, response.json()


def _take_sample(api: Api, user: str, item_id: int) -> int:
    response = api.post("/qa/claims", as_=user, json={"count": 1})
    assert response.status_code == 200, response.text
    (sample,) = response.json()["samples"]
    assert sample["item"]["id"] == item_id and sample["item"]["decision"] is None
    return int(sample["sample_id"])


def test_an_appeal_taken_before_the_sample_is_withheld_until_the_review(api: Api) -> None:
    _queue_id, (item_id,), original = _sampled_decision(api, "blind_appeal_before")
    appeal = {"decision_id": original["id"], "statement": "Tickets were real.", "contact_ref": "t"}
    filed = api.post("/appeals", as_="ada", json=appeal)
    assert filed.status_code == 201, filed.text
    appeal_id = filed.json()["id"]
    taken = api.post(f"/appeals/{appeal_id}/claim", as_="quinn")
    assert taken.status_code == 200 and _shows(taken, original)  # before the sample: the appeal shows it, rightly

    # The QA claim no longer hands quinn this sample (test_qa_seen.py); a QA claim racing the appeal claim still could.
    assert api.post("/qa/claims", as_="quinn", json={"count": 1}).json()["samples"] == []
    sample_id = hold_sample(api.engine, original["id"], "quinn", api.clock())
    for status in ("open", "all"):
        listed = api.get("/appeals", as_="quinn", params={"status": status})
        assert listed.status_code == 200 and appeal_id not in [a["id"] for a in listed.json()]
    _review_first(api.get(f"/appeals/{appeal_id}", as_="quinn"), sample_id)
    _review_first(api.post(f"/appeals/{appeal_id}/claim", as_="quinn"), sample_id)  # the renewal too
    refused = api.post(f"/appeals/{appeal_id}/decide", as_="quinn", json={"outcome": "reverse", "note": "Real."})
    _review_first(refused, sample_id)
    assert not _shows(refused, original)
    # Nothing happened: the appeal is still quinn's and open, the decision still in force.
    seen_by_bob = api.get(f"/appeals/{appeal_id}", as_="bob").json()
    assert (seen_by_bob["status"], seen_by_bob["claimed_by"], seen_by_bob["outcome"]) == ("claimed", "quinn", None)
    assert api.get(f"/items/{item_id}", as_="alice").json()["decision"]["id"] == original["id"]

    reviewed = api.post(f"/qa/samples/{sample_id}/review", as_="quinn", json={"action": "no_violation"})
    assert reviewed.status_code == 200, reviewed.text
    assert appeal_id in [a["id"] for a in api.get("/appeals", as_="quinn").json()]
    decided = api.post(f"/appeals/{appeal_id}/decide", as_="quinn", json={"outcome": "reverse", "note": "Real."})
    assert decided.status_code == 200, decided.text
    assert decided.json()["outcome"] == "reverse" and decided.json()["decision"]["reverted_at"] is not None


@pytest.mark.parametrize("holder", ["ada", "leo"])  # an admin; a lead who also does QA
def test_a_lead_or_admin_holding_a_sample_cannot_see_the_decision_by_acting_on_it(api: Api, holder: str) -> None:
    create_user(api.engine, "leo", password_of("leo"), [Role.LEAD, Role.QA], "Leo", kdf=TEST_SCRYPT)
    queue_id, (item_id, open_id), original = _sampled_decision(api, "blind_lead", 2)
    sample_id = _take_sample(api, holder, item_id)

    revert = api.post(f"/decisions/{original['id']}/revert", as_=holder, json={"note": "Looks wrong."})
    _review_first(revert, sample_id)
    assert not _shows(revert, original)
    own = api.post(
        f"/items/{item_id}/decisions",
        as_=holder,
        json={"action": "no_violation"},
        headers={"Idempotency-Key": f"holder-{holder}-1"},
    )
    _review_first(own, sample_id)  # was 409 already_decided, naming the decision
    assert not _shows(own, original)
    if holder == "ada":  # filing appeals is an admin's (for the platform's user-facing side)
        body = {"decision_id": original["id"], "statement": "Tickets were real.", "contact_ref": "t"}
        filed = api.post("/appeals", as_=holder, json=body)
        _review_first(filed, sample_id)
        assert api.get("/appeals", as_="bob", params={"status": "all"}).json() == []
    in_force = api.get(f"/items/{item_id}", as_="alice").json()["decision"]
    assert in_force["id"] == original["id"] and in_force["reverted_at"] is None

    # The team endpoints show no decision's action, reason or note (the sampled item is no longer open).
    reassign = {"item_ids": [item_id, open_id], "target": {"assign_to": "bob"}}
    answers = {
        "moderators": api.get("/team/moderators", as_=holder),
        "queue figures": api.get("/team/queues/stats", as_=holder),
        "open items": api.get("/team/items", as_=holder, params={"queue_id": queue_id}),
        "move preview": api.post("/team/reassign/preview", as_=holder, json=reassign),
        "stale preview": api.post("/team/claims/release-stale/preview", as_=holder, json={"older_than_seconds": 0}),
    }
    moved = api.post("/team/reassign", as_=holder, json=reassign)
    answers["move"] = moved
    answers["undo"] = api.post(f"/team/reassign/{moved.json()['operation_id']}/undo", as_=holder)
    for name, answer in answers.items():
        assert answer.status_code == 200, (name, answer.text)
        assert not _shows(answer, original), name
    assert moved.json()["item_ids"] == [open_id] and moved.json()["skipped_ids"] == [item_id]

    reviewed = api.post(f"/qa/samples/{sample_id}/review", as_=holder, json={"action": "no_violation"})
    assert reviewed.status_code == 200, reviewed.text
    reverted = api.post(f"/decisions/{original['id']}/revert", as_=holder, json={"note": "QA: not adult content."})
    assert reverted.status_code == 200 and reverted.json()["action"] == "label_sensitive"


def test_others_act_on_the_sampled_decision_as_before(api: Api) -> None:
    _queue_id, (item_id,), original = _sampled_decision(api, "blind_others")
    _take_sample(api, "quinn", item_id)
    keep = {"action": "no_violation"}
    conflict = api.post(f"/items/{item_id}/decisions", as_="bob", json=keep, headers={"Idempotency-Key": "bob-key-1"})
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "already_decided"
    assert conflict.json()["error"]["details"]["decision"]["id"] == original["id"]
    reverted = api.post(f"/decisions/{original['id']}/revert", as_="lena", json={"note": "Not adult content."})
    assert reverted.status_code == 200 and reverted.json()["action"] == "label_sensitive"

"""The QA claim never hands a reviewer a sample whose decision they have seen already through their other work (an
appeal against it, a revert, a note, a decision on its item, a claim in its channel after it): the sample stays for
the other reviewers, who get it as before, and waits meanwhile (services/qa_seen.py)."""

from __future__ import annotations

from typing import Any

import pytest

from moderator_app.core.roles import Role
from moderator_app.server.security import TEST_SCRYPT
from moderator_app.server.users import create_user
from tests.conftest import password_of
from tests.server.conftest import Api
from tests.server.flows import claim, decide, fresh_queue, set_sampling


def _second_reviewer(api: Api) -> str:
    create_user(api.engine, "quincy", password_of("quincy"), [Role.QA], "Quincy", kdf=TEST_SCRYPT)
    return "quincy"


def _sampled_queue(api: Api, key: str, count: int) -> tuple[int, list[int]]:
    """A fresh queue of `count` items of one channel; every final decision is sampled (in the escalations too)."""
    queue_id, item_ids = fresh_queue(api, key, count)
    set_sampling(api, 1.0)
    return queue_id, item_ids


def _qa_claim(api: Api, reviewer: str, count: int = 5) -> list[dict[str, Any]]:
    response = api.post("/qa/claims", as_=reviewer, json={"count": count})
    assert response.status_code == 200, response.text
    return response.json()["samples"]  # type: ignore[no-any-return]


def _sampled_items(api: Api, reviewer: str, count: int = 5) -> list[int]:
    return [sample["item"]["id"] for sample in _qa_claim(api, reviewer, count)]


def _shows(item: dict[str, Any], item_id: int) -> bool:
    """Whether an item's channel history lists a decision on that item."""
    return any(entry["item_id"] == item_id and entry["kind"] == "decision" for entry in item["history"])


def test_a_reviewer_who_took_an_appeal_against_the_decision_is_not_handed_its_sample(api: Api) -> None:
    other = _second_reviewer(api)
    queue_id, (item_id,) = _sampled_queue(api, "seen_appeal", 1)
    claim(api, "alice", queue_id)
    decision = decide(api, "alice", item_id)
    body = {"decision_id": decision["id"], "statement": "It was not spam.", "contact_ref": "ticket-7"}
    filed = api.post("/appeals", as_="ada", json=body)
    assert filed.status_code == 201, filed.text
    taken = api.post(f"/appeals/{filed.json()['id']}/claim", as_="quinn")
    assert taken.status_code == 200 and taken.json()["appeal"]["decision"]["id"] == decision["id"]
    api.clock.advance(60)

    assert _sampled_items(api, "quinn") == []
    assert _sampled_items(api, "ada") == []  # filing the appeal showed ada the decision too
    # quinn's appeal lease lapses and bob takes the appeal: the appeal names bob now, quinn has still seen it.
    api.clock.advance(301)
    assert api.post(f"/appeals/{filed.json()['id']}/claim", as_="bob").status_code == 200
    assert _sampled_items(api, "quinn") == []
    assert _sampled_items(api, other) == [item_id]


def test_a_reviewer_who_reverted_a_decision_on_the_item_is_not_handed_the_next_one(api: Api) -> None:
    other = _second_reviewer(api)
    queue_id, (item_id,) = _sampled_queue(api, "seen_revert", 1)
    claim(api, "alice", queue_id)
    first = decide(api, "alice", item_id)
    reverted = api.post(f"/decisions/{first['id']}/revert", as_="ada", json={"note": "Not spam: a news quote."})
    assert reverted.status_code == 200, reverted.text
    api.clock.advance(60)
    claim(api, "bob", queue_id)  # back in the queue after the revert
    second = decide(api, "bob", item_id, action="label_sensitive", reason="adult_content")
    api.clock.advance(60)

    # A reverted decision is nobody's to review; the next one on the item is not ada's, who reverted the first.
    assert _sampled_items(api, "ada") == []
    (sample,) = _qa_claim(api, other)
    assert sample["item"]["id"] == item_id and sample["decided_at"] == second["decided_at"]


def test_a_note_on_the_item_keeps_its_sample_from_the_author_not_from_the_others(api: Api) -> None:
    other = _second_reviewer(api)
    queue_id, (noted_id, later_id) = _sampled_queue(api, "seen_note", 2)
    claim(api, "alice", queue_id, count=2)
    decide(api, "alice", noted_id)
    api.clock.advance(60)
    decide(api, "alice", later_id, action="no_violation", reason=None)
    api.clock.advance(60)
    note = api.post(f"/items/{noted_id}/notes", as_="quinn", json={"text": "Same shop as last week."})
    assert note.status_code == 201, note.text

    # The older sample is skipped, not in the way: quinn gets the newer one, and the older one waits for someone else.
    assert _sampled_items(api, "quinn") == [later_id]
    assert _sampled_items(api, "quinn") == []
    assert _sampled_items(api, other) == [noted_id]


@pytest.mark.parametrize("part", ["decided", "escalated"])
def test_a_reviewer_who_decided_or_escalated_the_item_is_not_handed_its_sample(api: Api, part: str) -> None:
    other = _second_reviewer(api)
    queue_id, (item_id,) = _sampled_queue(api, f"seen_{part}", 1)
    claim(api, "quinn", queue_id)  # the QA role may review items too
    if part == "decided":
        decide(api, "quinn", item_id)
    else:
        escalation = {"action": "escalate", "escalation_target": "lead", "note": "Looks like a scam network."}
        answer = api.post(
            f"/items/{item_id}/decisions", as_="quinn", json=escalation, headers={"Idempotency-Key": "seen-escalate"}
        )
        assert answer.status_code == 201, answer.text
        api.clock.advance(60)
        decide(api, "lena", item_id, action="ban_channel", reason="scam_fraud")
    api.clock.advance(60)

    assert _sampled_items(api, "quinn") == []
    assert _sampled_items(api, other) == [item_id]


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_claim_in_the_channel_counts_once_its_history_listed_the_decision(api: Api, when: str) -> None:
    other = _second_reviewer(api)
    queue_id, (sampled_id, *_rest) = _sampled_queue(api, f"seen_channel_{when}", 2)
    claim(api, "alice", queue_id)
    if when == "before":
        (taken,) = api.post(f"/queues/{queue_id}/claims", as_="quinn", json={"count": 1}).json()["items"]
        api.clock.advance(60)
    decide(api, "alice", sampled_id)
    api.clock.advance(60)
    if when == "after":
        (taken,) = api.post(f"/queues/{queue_id}/claims", as_="quinn", json={"count": 1}).json()["items"]
    assert _shows(taken["item"], sampled_id) is (when == "after")

    if when == "before":
        assert _sampled_items(api, "quinn") == [sampled_id]
    else:
        assert _sampled_items(api, "quinn") == []
        assert _sampled_items(api, other) == [sampled_id]


def test_a_later_sample_of_the_channel_showed_the_earlier_decision_to_its_reviewer(api: Api) -> None:
    other = _second_reviewer(api)
    queue_id, (first_id, second_id) = _sampled_queue(api, "seen_blind_history", 2)
    claim(api, "alice", queue_id, count=2)
    decide(api, "alice", first_id)
    api.clock.advance(60)
    decide(api, "alice", second_id, action="no_violation", reason=None)
    api.clock.advance(60)
    assert _sampled_items(api, other, count=1) == [first_id]  # oldest first
    (later,) = _qa_claim(api, "quinn")
    assert later["item"]["id"] == second_id and _shows(later["item"], first_id)  # as its moderator saw it
    reviewed = api.post(f"/qa/samples/{later['sample_id']}/review", as_="quinn", json={"action": "no_violation"})
    assert reviewed.status_code == 200, reviewed.text

    api.clock.advance(301)  # quincy's lease on the first sample lapses
    assert _sampled_items(api, "quinn") == []
    assert _sampled_items(api, "ada") == [first_id]


def test_a_held_sample_stays_the_reviewers_whatever_they_did_while_holding_it(api: Api) -> None:
    queue_id, (sampled_id, _other_id) = _sampled_queue(api, "seen_own_hold", 2)
    claim(api, "alice", queue_id)
    decide(api, "alice", sampled_id)
    api.clock.advance(60)
    assert _sampled_items(api, "quinn") == [sampled_id]
    # While the hold lasts, a claim in the channel shows its history cut before the held decision (qa_blind).
    (taken,) = api.post(f"/queues/{queue_id}/claims", as_="quinn", json={"count": 1}).json()["items"]
    assert not _shows(taken["item"], sampled_id)

    api.clock.advance(301)  # the QA lease lapses; nobody else took the sample
    assert _sampled_items(api, "quinn") == [sampled_id]

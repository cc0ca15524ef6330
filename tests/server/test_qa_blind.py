"""A QA reviewer cannot learn the sampled decision from the server before recording their own: not from the item,
not from the other items of its channel, the audit log or the appeals. After the review everything shows in full."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from moderator_app.server.tables import ItemRow, PostRow
from tests.server.conftest import Api
from tests.server.flows import claim, decide, fresh_queue, set_sampling


def _note(api: Api, user: str, item_id: int, text: str) -> None:
    response = api.post(f"/items/{item_id}/notes", as_=user, json={"text": text})
    assert response.status_code == 201, response.text


def _later_post(api: Api, item_id: int) -> int:
    """A post the channel gets after the decision: the moderator never saw it."""
    with Session(api.engine) as session:
        item = session.get(ItemRow, item_id)
        assert item is not None
        post = PostRow(
            channel_id=item.channel_id,
            text="Posted after the decision",
            language="en",
            posted_at=api.clock() + timedelta(seconds=1),
            views=1,
            forwarded_from=None,
        )
        session.add(post)
        session.commit()
        return post.id


def _mentions(item: dict[str, Any], decision: dict[str, Any]) -> bool:
    """Whether an item's answer shows this decision anywhere: in force, or in the channel history."""
    if item["decision"] is not None and item["decision"]["id"] == decision["id"]:
        return True
    return any(
        entry["item_id"] == decision["item_id"] and entry["at"] >= decision["decided_at"] for entry in item["history"]
    )


def test_the_qa_reviewer_stays_blind_until_their_own_decision_is_recorded(api: Api) -> None:
    queue_id, (earlier_id, sampled_id, later_id, open_id) = fresh_queue(api, "blindctx", 4)
    set_sampling(api, 0.0, [{"queue_id": queue_id, "action": "remove_post", "rate": 1.0}])
    claim(api, "bob", queue_id)
    earlier = decide(api, "bob", earlier_id, action="no_violation", reason=None)  # before: the moderator saw it
    api.clock.advance(60)
    claim(api, "alice", queue_id)
    api.clock.advance(10)
    original = decide(api, "alice", sampled_id, action="remove_post", reason="spam")
    api.clock.advance(60)
    _note(api, "bob", sampled_id, "Removed: obvious spam.")
    claim(api, "bob", queue_id)
    decide(api, "bob", later_id, action="no_violation", reason=None)
    new_post = _later_post(api, sampled_id)
    appeal = api.post(
        "/appeals",
        as_="ada",
        json={"decision_id": original["id"], "statement": "Not spam.", "contact_ref": "ticket-1"},
    ).json()
    api.clock.advance(60)
    full = api.get(f"/items/{sampled_id}", as_="alice").json()
    assert full["decision"]["id"] == original["id"] and any(p["id"] == new_post for p in full["context_posts"])

    (sample,) = api.post("/qa/claims", as_="quinn", json={"count": 5}).json()["samples"]
    blind = sample["item"]
    assert blind["id"] == sampled_id and blind["decision"] is None and not _mentions(blind, original)
    assert [entry["item_id"] for entry in blind["history"] if entry["kind"] == "decision"] == [earlier_id]
    assert all(entry["kind"] != "note" for entry in blind["history"])
    assert all(post["id"] != new_post for post in blind["context_posts"])

    # The item itself, asked for directly: the same blind view.
    assert api.get(f"/items/{sampled_id}", as_="quinn").json() == blind
    # Another item of the channel: its history (every item's decisions and notes) stops before the sampled decision.
    sibling = api.get(f"/items/{later_id}", as_="quinn").json()
    assert not _mentions(sibling, original) and all(entry["kind"] != "note" for entry in sibling["history"])
    assert any(entry["item_id"] == earlier_id for entry in sibling["history"])
    # A moderator's claim in that channel (the QA role may review too) shows the same cut history.
    (claimed,) = api.post(f"/queues/{queue_id}/claims", as_="quinn", json={"count": 1}).json()["items"]
    assert claimed["item"]["id"] == open_id and not _mentions(claimed["item"], original)
    # The audit log: nothing about the item from the decision on.
    trail = api.get("/audit", as_="quinn", params={"item_id": sampled_id}).json()["entries"]
    assert [entry["action"] for entry in trail] == ["claim"]  # alice's claim, before her decision
    assert all(entry.get("details", {}).get("decision_id") != original["id"] for entry in
               api.get("/audit", as_="quinn", params={"limit": 500}).json()["entries"])  # fmt: skip
    # The appeal names the decision: not listed, not readable, not claimable.
    assert appeal["id"] not in [a["id"] for a in api.get("/appeals", as_="quinn").json()]
    for response in (
        api.get(f"/appeals/{appeal['id']}", as_="quinn"),
        api.post(f"/appeals/{appeal['id']}/claim", as_="quinn"),
    ):
        assert response.status_code == 409 and response.json()["error"]["code"] == "review_first"
    # Everyone else sees everything meanwhile.
    assert api.get(f"/items/{sampled_id}", as_="ada").json()["decision"]["id"] == original["id"]
    assert appeal["id"] in [a["id"] for a in api.get("/appeals", as_="bob").json()]

    reviewed = api.post(f"/qa/samples/{sample['sample_id']}/review", as_="quinn", json={"action": "no_violation"})
    assert reviewed.status_code == 200 and reviewed.json()["original"]["id"] == original["id"]

    after = api.get(f"/items/{sampled_id}", as_="quinn").json()
    assert after == api.get(f"/items/{sampled_id}", as_="alice").json()
    assert after["decision"]["id"] == original["id"] and _mentions(after, original)
    assert any(entry["kind"] == "note" for entry in after["history"])
    assert _mentions(api.get(f"/items/{later_id}", as_="quinn").json(), original)
    trail = api.get("/audit", as_="quinn", params={"item_id": sampled_id}).json()["entries"]
    assert {"decision", "appeal_filed", "qa_review"} <= {entry["action"] for entry in trail}
    assert appeal["id"] in [a["id"] for a in api.get("/appeals", as_="quinn").json()]
    assert api.get(f"/appeals/{appeal['id']}", as_="quinn").status_code == 200
    assert earlier["item_id"] == earlier_id


def test_two_samples_of_one_channel_do_not_show_each_other(api: Api) -> None:
    queue_id, (first_id, second_id) = fresh_queue(api, "blindpair", 2)
    set_sampling(api, 0.0, [{"queue_id": queue_id, "rate": 1.0}])
    claim(api, "alice", queue_id, count=2)
    first = decide(api, "alice", first_id, action="remove_post", reason="spam")
    api.clock.advance(60)
    second = decide(api, "alice", second_id, action="no_violation", reason=None)
    api.clock.advance(60)

    samples = api.post("/qa/claims", as_="quinn", json={"count": 5}).json()["samples"]
    by_item = {sample["item"]["id"]: sample for sample in samples}
    assert set(by_item) == {first_id, second_id}
    # The second item's moderator saw the first decision, but the reviewer is judging that decision blind too.
    for sample in samples:
        assert not _mentions(sample["item"], first) and not _mentions(sample["item"], second)
        assert api.get(f"/items/{sample['item']['id']}", as_="quinn").json() == sample["item"]

    api.post(f"/qa/samples/{by_item[first_id]['sample_id']}/review", as_="quinn", json={"action": "no_violation"})
    # One review done: the first decision shows again, the second stays hidden.
    second_view = api.get(f"/items/{second_id}", as_="quinn").json()
    assert _mentions(second_view, first) and not _mentions(second_view, second)
    assert second_view["decision"] is None

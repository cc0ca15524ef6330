"""A QA review carries what a moderator's decision carries (a ban's scope, a geo-restriction's countries), checked
as strictly; the blind claim says when the decision was made, and nothing else about it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from moderator_app.server.tables import QaSampleRow
from tests.server.conftest import Api
from tests.server.flows import claim, decide, fresh_queue, set_sampling


def _held_sample(api: Api, key: str, **decision: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the QA reviewer's blind sample, the original decision) for a new item alice decided."""
    queue_id, (item_id,) = fresh_queue(api, key, 1)
    set_sampling(api, 0.0, [{"queue_id": queue_id, "rate": 1.0}])
    claim(api, "alice", queue_id)
    api.clock.advance(600)  # decided ten minutes after the claim: the decision time is not the claim's
    original = decide(api, "alice", item_id, **decision)
    api.clock.advance(3600)  # claimed an hour later: the decision time is not the QA claim's either
    response = api.post("/qa/claims", as_="quinn", json={"count": 1})
    assert response.status_code == 200, response.text
    (sample,) = response.json()["samples"]
    return sample, original


def _stored(api: Api, sample_id: int) -> QaSampleRow:
    with Session(api.engine) as session:
        row = session.get(QaSampleRow, sample_id)
        assert row is not None
        session.expunge(row)
        return row


def test_the_blind_claim_carries_the_decision_time_and_nothing_else_of_the_decision(api: Api) -> None:
    sample, original = _held_sample(api, "qa_when", action="remove_post", reason="spam")
    assert set(sample) == {"sample_id", "claim_expires_at", "item", "decided_at"}
    assert sample["decided_at"] == original["decided_at"]
    assert sample["claim_expires_at"] != original["decided_at"]
    assert sample["item"]["decision"] is None
    assert "remove_post" not in str(sample) and "alice" not in str(sample).lower()


def test_a_ban_review_stores_its_scope(api: Api) -> None:
    sample, _original = _held_sample(api, "qa_ban", action="no_violation", reason=None)
    sample_id = sample["sample_id"]
    body = {"action": "ban_channel", "reason": "spam", "ban_scope": "channel_and_posts"}
    reviewed = api.post(f"/qa/samples/{sample_id}/review", as_="quinn", json=body)
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["review"]["ban_scope"] == "channel_and_posts"
    assert reviewed.json()["review"]["territorial_scope"] is None
    row = _stored(api, sample_id)
    assert (row.review_action, row.review_ban_scope, row.review_territorial_scope) == (
        "ban_channel",
        "channel_and_posts",
        None,
    )
    trail = api.get("/audit", as_="lena", params={"action": "qa_review"}).json()["entries"]
    assert [entry["details"].get("ban_scope") for entry in trail] == ["channel_and_posts"]

    # The lead settling the dispute sees the scope the reviewer chose.
    verdict = api.post(f"/qa/samples/{sample_id}/verdict", as_="quinn", json={"agree": False, "reason": "spam"})
    assert verdict.status_code == 200, verdict.text
    assert verdict.json()["review"]["ban_scope"] == "channel_and_posts"
    (dispute,) = api.get("/qa/disputes", as_="lena").json()
    assert dispute["review"]["ban_scope"] == "channel_and_posts"


def test_a_geo_restriction_review_stores_its_countries(api: Api) -> None:
    sample, _original = _held_sample(api, "qa_geo", action="remove_post", reason="spam")
    sample_id = sample["sample_id"]
    body = {"action": "restrict_post", "reason": "hate_speech", "territorial_scope": ["FR", "DE", "FR"]}
    reviewed = api.post(f"/qa/samples/{sample_id}/review", as_="quinn", json=body)
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["review"]["territorial_scope"] == ["DE", "FR"]  # sorted, each once, as for a decision
    row = _stored(api, sample_id)
    assert (row.review_territorial_scope, row.review_ban_scope) == (["DE", "FR"], None)


def test_bad_scopes_are_refused_and_record_nothing(api: Api) -> None:
    sample, _original = _held_sample(api, "qa_bad", action="remove_post", reason="spam")
    sample_id = sample["sample_id"]
    bad_bodies: list[dict[str, Any]] = [
        {"action": "restrict_post", "reason": "spam"},  # no countries
        {"action": "restrict_post", "reason": "spam", "territorial_scope": []},
        {"action": "restrict_post", "reason": "spam", "territorial_scope": ["XX"]},  # unknown country
        {"action": "remove_post", "reason": "spam", "territorial_scope": ["DE"]},  # countries without a restriction
        {"action": "remove_post", "reason": "spam", "ban_scope": "channel"},  # a scope without a ban
        {"action": "ban_channel", "reason": "spam", "ban_scope": "everything"},  # no such scope
    ]
    for body in bad_bodies:
        refused = api.post(f"/qa/samples/{sample_id}/review", as_="quinn", json=body)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["error"]["code"] == "invalid_request", refused.text
    row = _stored(api, sample_id)
    assert (row.status, row.review_action, row.review_ban_scope, row.review_territorial_scope) == (
        "claimed",
        None,
        None,
        None,
    )
    # The same sample still takes a good review.
    body = {"action": "ban_channel", "reason": "spam", "ban_scope": "channel"}
    assert api.post(f"/qa/samples/{sample_id}/review", as_="quinn", json=body).status_code == 200

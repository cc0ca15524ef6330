"""The same action with another reach is a disagreement: a QA review restricting in other countries, or banning with
another scope, is not suggested as agreeing, and the agreement figures count it against agreement (and say how
many did), its kappa over decision categories worked by hand."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy.orm import Session

from moderator_app.core.qa_compare import Side, compare
from moderator_app.server.tables import QaSampleRow
from tests.server.conftest import Api
from tests.server.flows import claim, fresh_queue, set_sampling

# (moderator's decision, QA reviewer's decision) for four items of one queue.
PLAN: list[tuple[dict[str, Any], dict[str, Any]]] = [
    (  # other countries
        {"action": "restrict_post", "reason": "hate_speech", "territorial_scope": ["FR"]},
        {"action": "restrict_post", "reason": "hate_speech", "territorial_scope": ["FR", "DE"]},
    ),
    (  # another ban scope (none given is the channel only)
        {"action": "ban_channel", "reason": "spam", "ban_scope": "channel_and_posts"},
        {"action": "ban_channel", "reason": "spam"},
    ),
    (  # the same countries, given in another order
        {"action": "restrict_post", "reason": "hate_speech", "territorial_scope": ["FR", "AT"]},
        {"action": "restrict_post", "reason": "hate_speech", "territorial_scope": ["AT", "FR"]},
    ),
    (  # the same ban: "channel" said, or left to the default
        {"action": "ban_channel", "reason": "spam"},
        {"action": "ban_channel", "reason": "spam", "ban_scope": "channel"},
    ),
]
# By hand: categories are the action with its reach. Moderator: r:FR, b:posts, r:AT,FR, b:channel. Reviewer: r:DE,FR,
# b:channel, r:AT,FR, b:channel. p_o = 2/4. p_e = (r:AT,FR 1*1 + b:channel 1*2) / 16 = 3/16.
# kappa = (1/2 - 3/16) / (1 - 3/16) = (5/16) / (13/16) = 5/13 = 0.384615...
KAPPA = round(5 / 13, 4)
WORDS = [
    ("Same action and reason, different countries: DE, FR (yours) vs FR (the moderator's).", False),
    (
        "Same action and reason, different ban scope: the channel only (yours) vs the channel and all its posts "
        "(the moderator's).",
        False,
    ),
    ("Same action and reason, same countries: AT, FR.", True),
    ("Same action and reason, same ban scope: the channel only.", True),
]


def _decide(api: Api, item_id: int, body: dict[str, Any], key: str) -> dict[str, Any]:
    response = api.post(f"/items/{item_id}/decisions", as_="alice", json=body, headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.text
    return response.json()


def _review_plan(api: Api) -> list[dict[str, Any]]:
    queue_id, item_ids = fresh_queue(api, "qa_reach", len(PLAN))
    set_sampling(api, 0.0, [{"queue_id": queue_id, "rate": 1.0}])
    claim(api, "alice", queue_id, len(item_ids))
    for n, (item_id, (decision, _review)) in enumerate(zip(item_ids, PLAN, strict=True)):
        _decide(api, item_id, decision, f"reach-key-{n}")
    samples = api.post("/qa/claims", as_="quinn", json={"count": len(PLAN)}).json()["samples"]
    by_item = {sample["item"]["id"]: sample["sample_id"] for sample in samples}
    outcomes = []
    for item_id, (_decision, review) in zip(item_ids, PLAN, strict=True):
        response = api.post(f"/qa/samples/{by_item[item_id]}/review", as_="quinn", json=review)
        assert response.status_code == 200, response.text
        outcomes.append(response.json())
    return outcomes


def test_a_review_with_another_reach_is_not_suggested_as_agreeing(api: Api) -> None:
    outcomes = _review_plan(api)
    flags = [(o["same_action"], o["same_reason"], o["same_scope"], o["agree"]) for o in outcomes]
    assert flags == [
        (True, True, False, False),
        (True, True, False, False),
        (True, True, True, True),
        (True, True, True, True),
    ]


def test_the_words_name_the_difference() -> None:
    for (theirs, mine), (words, agree) in zip(PLAN, WORDS, strict=True):
        comparison = compare(
            Side.of(mine["action"], mine["reason"], mine.get("territorial_scope"), mine.get("ban_scope")),
            Side.of(theirs["action"], theirs["reason"], theirs.get("territorial_scope"), theirs.get("ban_scope")),
        )
        assert (comparison.words(), comparison.agree) == (words, agree)


def test_the_agreement_figures_count_another_reach_as_disagreement(api: Api) -> None:
    outcomes = _review_plan(api)
    for outcome in outcomes:  # the reviewer follows the suggestion
        verdict = {"agree": outcome["agree"], "reason": "" if outcome["agree"] else "another reach"}
        assert api.post(f"/qa/samples/{outcome['sample_id']}/verdict", as_="quinn", json=verdict).status_code == 200
    report = api.get("/qa/agreement", as_="lena", params={"group_by": "queue"})
    assert report.status_code == 200, report.text
    (row,) = report.json()["rows"]
    assert row == {
        "key": "qa_reach",
        "label": "Qa Reach",
        "reviewed": 4,
        "agreed": 2,
        "percent_agreement": 50.0,
        "kappa": pytest.approx(KAPPA),
        "disagreements": 2,
        "overturned": 0,
        "scope_differences": 2,
    }
    table = list(csv.DictReader(io.StringIO(api.get("/qa/agreement", as_="lena", params={"format": "csv"}).text)))
    assert [(line["key"], line["agreed"], line["scope_differences"]) for line in table] == [
        ("alice", "2", "2"),
        ("all", "2", "2"),
    ]


def test_a_review_without_countries_from_before_they_were_recorded_is_not_held_against_the_moderator(
    api: Api,
) -> None:
    """Reviews made before migration 0005 stored no countries: their geo-restrictions agree on the action alone."""
    outcomes = _review_plan(api)
    with Session(api.engine) as session:
        first = session.get(QaSampleRow, outcomes[0]["sample_id"])
        assert first is not None
        first.review_territorial_scope = None  # as a review recorded before 0005 reads
        session.commit()
    (row,) = api.get("/qa/agreement", as_="lena", params={"group_by": "queue"}).json()["rows"]
    assert (row["agreed"], row["scope_differences"]) == (3, 1)

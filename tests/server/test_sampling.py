"""QA sampling: the configured share of decisions is drawn, per moderator, with per-queue and per-action overrides."""

from __future__ import annotations

import math
from collections import Counter
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.models import SamplingConfig, SamplingRule
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.server.services.sampling import draw, is_sampled, rate_for
from moderator_app.server.tables import QaSampleRow
from tests.server.conftest import Api
from tests.server.flows import claim, decide, fresh_queue, set_sampling

SECRET = b"sampling-test-secret"
DECISIONS = 10_000


def assert_within_4_sd(sampled: int, n: int, rate: float) -> None:
    """A binomial count within four standard deviations of its mean (fails by chance about once in 16,000 runs)."""
    sd = math.sqrt(n * rate * (1 - rate))
    assert abs(sampled - n * rate) <= 4 * sd, f"{sampled} of {n} sampled, expected about {n * rate:.0f} (sd {sd:.1f})"


def test_the_default_rate_holds_for_every_moderator_over_10000_decisions() -> None:
    config = SamplingConfig()
    assert config.default_rate == 0.05
    decided: Counter[str] = Counter()
    sampled: Counter[str] = Counter()
    for decision_id in range(1, DECISIONS + 1):
        moderator = f"moderator{decision_id % 5}"
        rate = rate_for(config, 1, Action.REMOVE_POST.value, PolicyReason.SPAM.value)
        decided[moderator] += 1
        sampled[moderator] += is_sampled(SECRET, decision_id, rate)
    assert_within_4_sd(sum(sampled.values()), DECISIONS, 0.05)
    for moderator, count in decided.items():
        assert_within_4_sd(sampled[moderator], count, 0.05)


def test_overrides_apply_over_10000_decisions() -> None:
    child_safety_queue, hot_queue = 1, 7
    config = SamplingConfig(
        default_rate=0.05,
        rules=[
            SamplingRule(queue_id=hot_queue, rate=0.2),
            SamplingRule(queue_id=hot_queue, action=Action.NO_VIOLATION, rate=0.0),
            SamplingRule(action=Action.REMOVE_POST, reason=PolicyReason.CHILD_SAFETY, rate=1.0),
        ],
    )
    rng = Random(11)
    groups: dict[str, list[bool]] = {"child_safety_removal": [], "hot_kept": [], "hot_other": [], "default": []}
    for decision_id in range(1, DECISIONS + 1):
        queue_id = rng.choice([child_safety_queue, 2, 3, hot_queue])
        action = rng.choice([Action.REMOVE_POST, Action.NO_VIOLATION, Action.BAN_CHANNEL])
        reason = None if action is Action.NO_VIOLATION else rng.choice([PolicyReason.CHILD_SAFETY, PolicyReason.SPAM])
        rate = rate_for(config, queue_id, action.value, reason.value if reason else None)
        drawn = is_sampled(SECRET, decision_id, rate)
        if action is Action.REMOVE_POST and reason is PolicyReason.CHILD_SAFETY:
            groups["child_safety_removal"].append(drawn)
        elif queue_id == hot_queue and action is Action.NO_VIOLATION:
            groups["hot_kept"].append(drawn)
        elif queue_id == hot_queue:
            groups["hot_other"].append(drawn)
        else:
            groups["default"].append(drawn)
    assert all(groups["child_safety_removal"]) and len(groups["child_safety_removal"]) > 1000
    assert not any(groups["hot_kept"]) and len(groups["hot_kept"]) > 500
    assert_within_4_sd(sum(groups["hot_other"]), len(groups["hot_other"]), 0.2)
    assert_within_4_sd(sum(groups["default"]), len(groups["default"]), 0.05)


def test_the_most_specific_rule_wins_and_ties_take_the_higher_rate() -> None:
    config = SamplingConfig(
        default_rate=0.05,
        rules=[
            SamplingRule(action=Action.BAN_CHANNEL, rate=0.3),
            SamplingRule(queue_id=4, rate=0.1),
            SamplingRule(queue_id=4, action=Action.BAN_CHANNEL, rate=0.5),
            SamplingRule(reason=PolicyReason.TERRORISM, rate=0.4),
        ],
    )
    assert rate_for(config, 4, "ban_channel", "spam") == 0.5
    assert rate_for(config, 4, "remove_post", "spam") == 0.1
    assert rate_for(config, 2, "ban_channel", "spam") == 0.3
    assert rate_for(config, 2, "ban_channel", "terrorism") == 0.4  # one field each: the higher rate
    assert rate_for(config, 2, "no_violation", None) == 0.05


def test_the_draw_is_fixed_by_the_secret() -> None:
    first = [draw(SECRET, n) for n in range(1, 200)]
    assert first == [draw(SECRET, n) for n in range(1, 200)]
    assert first != [draw(b"another secret", n) for n in range(1, 200)]
    assert all(0 <= value < 1 for value in first)
    assert not is_sampled(SECRET, 1, 0.0) and is_sampled(SECRET, 1, 1.0)


def test_decisions_are_sampled_as_they_are_made(make_api: object) -> None:
    api: Api = make_api(qa_sampling_secret="known-secret")  # type: ignore[operator]
    queue_id, ids = fresh_queue(api, "sampled_half", 30)
    other_id, others = fresh_queue(api, "never_sampled", 3)
    set_sampling(api, 0.0, [{"queue_id": queue_id, "rate": 0.5}])
    claim(api, "alice", queue_id, 30)
    decisions = [decide(api, "alice", item_id)["id"] for item_id in ids]
    claim(api, "bob", other_id, 3)
    kept = [decide(api, "bob", item_id, action="no_violation", reason=None)["id"] for item_id in others]
    escalated_queue, (escalated,) = fresh_queue(api, "escalated_never", 1)
    set_sampling(api, 1.0)
    claim(api, "bob", escalated_queue)
    escalation = api.post(
        f"/items/{escalated}/decisions",
        as_="bob",
        json={"action": "escalate", "escalation_target": "lead"},
        headers={"Idempotency-Key": "escalate-never-sampled"},
    )
    assert escalation.status_code == 201  # even at 100%: an escalation is not a final decision
    with Session(api.engine) as session:
        samples = {row.decision_id: row for row in session.scalars(select(QaSampleRow))}
    predicted = {d for d in decisions if is_sampled(b"known-secret", d, 0.5)}
    assert 0 < len(predicted) < 30
    assert set(samples) == predicted
    assert not set(kept) & set(samples)
    assert escalation.json()["id"] not in samples
    assert {(row.rate, row.queue_id, row.status) for row in samples.values()} == {(0.5, queue_id, "pending")}
    audit = api.get("/audit", as_="lena", params={"action": "qa_sampled"}).json()["entries"]
    assert sorted(e["details"]["decision_id"] for e in audit) == sorted(predicted)
    assert all(e["actor"] is None for e in audit)

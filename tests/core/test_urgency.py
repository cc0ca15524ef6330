"""The rule that names the dashboard's most urgent queue (headline and M key): late work weighted by priority."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from moderator_app.core.models import QueueStats
from moderator_app.core.urgency import (
    AT_RISK_WEIGHT,
    PriorityLevel,
    most_urgent,
    priority_levels,
    rank_queues,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
HIGH, MEDIUM, LOW = PriorityLevel.HIGH, PriorityLevel.MEDIUM, PriorityLevel.LOW
_ids = itertools.count(1)


def queue(name: str, priority: int, *, overdue: int = 0, at_risk: int = 0, pending: int = 10,
          due_in_minutes: float = 60) -> QueueStats:  # fmt: skip
    deadline = NOW + timedelta(minutes=due_in_minutes)
    return QueueStats(
        queue_id=next(_ids), key=name.lower(), name=name,
        priority=priority, sla_seconds=3600, pending=pending, claimed=0, overdue=overdue, at_risk=at_risk,
        oldest_flagged_at=NOW - timedelta(hours=1), oldest_deadline=deadline, next_deadline=deadline,
        inflow_last_hour=0, outflow_last_hour=0, series=[],
    )  # fmt: skip


def names(queues: list[QueueStats]) -> list[str]:
    return [urgency.queue.name for urgency in rank_queues(queues)]


def test_levels_are_thirds_of_the_distinct_priorities() -> None:
    demo = priority_levels([100, 90, 80, 70, 60, 50, 40])  # the demo's seven queues
    assert demo == {100: HIGH, 90: HIGH, 80: MEDIUM, 70: MEDIUM, 60: MEDIUM, 50: LOW, 40: LOW}
    assert priority_levels([5, 5, 1]) == {5: HIGH, 1: LOW}  # only distinct values count
    assert priority_levels([3, 2, 1]) == {3: HIGH, 2: MEDIUM, 1: LOW}
    assert priority_levels([0, 0]) == {0: MEDIUM}  # all alike: none matters more
    assert priority_levels([-1000, 1000, 0, 999]) == {1000: HIGH, 999: MEDIUM, 0: MEDIUM, -1000: LOW}
    assert priority_levels([]) == {}


def test_a_high_priority_queue_with_3_overdue_outranks_a_low_one_with_5() -> None:
    terrorism = queue("Terrorism", 90, overdue=3)
    spam = queue("Spam", 10, overdue=5)
    drugs = queue("Drugs", 50, overdue=1)
    ranked = rank_queues([spam, drugs, terrorism])
    assert [(u.queue.name, u.level, u.score) for u in ranked] == [
        ("Terrorism", HIGH, 9.0),
        ("Spam", LOW, 5.0),
        ("Drugs", MEDIUM, 2.0),
    ]
    assert ranked[0].reason == "Terrorism: 3 overdue, priority high"


def test_weighting_is_not_plain_priority_order() -> None:
    # A medium queue with 2 overdue (4) comes before a high one with 1 (3); a low one needs more than 3x as many.
    assert names([queue("High", 3, overdue=1), queue("Medium", 2, overdue=2), queue("Low", 1)]) == [
        "Medium",
        "High",
        "Low",
    ]
    assert names([queue("High", 3, overdue=1), queue("Medium", 2), queue("Low", 1, overdue=4)]) == [
        "Low",
        "High",
        "Medium",
    ]


def test_items_at_risk_count_less_than_overdue_ones() -> None:
    assert AT_RISK_WEIGHT < 1
    assert names([queue("Risky", 1, at_risk=1), queue("Late", 1, overdue=1)]) == ["Late", "Risky"]
    # Counting less is not counting nothing: three items at risk (1.5) come before one overdue (1).
    assert names([queue("Late", 1, overdue=1), queue("Risky", 1, at_risk=3)]) == ["Risky", "Late"]
    urgent = most_urgent([queue("Hate", 1, overdue=2, at_risk=3)])
    assert urgent is not None and urgent.score == 2 * (2 + 1.5)  # a single level: medium, weight 2
    assert urgent.reason == "Hate: 2 overdue, 3 at risk, priority medium"


def test_ties_go_to_the_higher_priority_then_to_more_overdue() -> None:
    # 80 and 70 are both "high" among these seven priorities: equal scores, so the higher priority first.
    tied = [queue("Seventy", 70, overdue=2), queue("Eighty", 80, overdue=2)]
    tied += [queue(f"Calm {p}", p) for p in (10, 5, 1, 0, -5)]
    ranked = rank_queues(tied)
    assert [(u.queue.name, u.level, u.score) for u in ranked[:2]] == [("Eighty", HIGH, 6.0), ("Seventy", HIGH, 6.0)]
    # Same priority, same score (2 = 1 + 2 x 0.5): the one with more overdue items first.
    assert names([queue("Mixed", 5, overdue=1, at_risk=2), queue("Overdue", 5, overdue=2)]) == ["Overdue", "Mixed"]


def test_with_nothing_late_the_nearest_deadline_comes_first_whatever_the_priority() -> None:
    calm = [queue("Important", 100, due_in_minutes=50), queue("Minor", 1, due_in_minutes=5)]
    assert names(calm) == ["Minor", "Important"]
    # Anything late beats any calm queue, even a low one against a high one.
    assert names([*calm, queue("Late", 1, at_risk=1, due_in_minutes=30)])[0] == "Late"


def test_empty_queues_are_left_out() -> None:
    assert names([queue("Empty", 100, overdue=9, pending=0), queue("Open", 1)]) == ["Open"]
    assert most_urgent([queue("Empty", 1, pending=0)]) is None and most_urgent([]) is None
    # The empty queue still counts for the levels: "Open" is low next to it.
    assert rank_queues([queue("Empty", 100, pending=0), queue("Open", 1)])[0].level is LOW

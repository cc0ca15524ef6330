"""Which queue a lead should look at first: late work weighted by how much the queue matters.

One rule for the dashboard's headline and its M key (select the queue most at risk), so the two never disagree.

- Priority is a number a lead sets (higher first; any range). What it means is how it compares with the other
  queues, so the queues are put in three levels by rank among their distinct priorities: the top third "high", the
  bottom third "low", the rest "medium" (all queues alike: all "medium").
- Urgency = (overdue + AT_RISK_WEIGHT x at risk) x the level's weight: an overdue item counts fully, an item at risk
  (less than a fifth of its service level left, core/deadlines.py) half, and a high-priority queue three times a
  low one. So 3 overdue items in a high-priority queue (9) come before 5 in a low one (5).
- Ties: the higher priority, then more overdue items, then the nearest deadline. When nothing is late anywhere, the
  queue whose next deadline is nearest comes first (the headline calls it the next deadline).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from moderator_app.core.models import QueueStats

AT_RISK_WEIGHT = 0.5  # an item at risk counts half an overdue one


class PriorityLevel(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


LEVEL_WEIGHTS: dict[PriorityLevel, int] = {PriorityLevel.HIGH: 3, PriorityLevel.MEDIUM: 2, PriorityLevel.LOW: 1}
_NO_DEADLINE = datetime.max.replace(tzinfo=UTC)


def priority_levels(priorities: Iterable[int]) -> dict[int, PriorityLevel]:
    """Each distinct priority's level among the others: top third high, bottom third low, the middle medium."""
    distinct = sorted(set(priorities), reverse=True)
    last = len(distinct) - 1
    levels: dict[int, PriorityLevel] = {}
    for rank, priority in enumerate(distinct):
        # In whole numbers (rank / last against 1/3 and 2/3), so no rounding decides a level.
        if 3 * rank < last:
            levels[priority] = PriorityLevel.HIGH
        elif 3 * rank > 2 * last:
            levels[priority] = PriorityLevel.LOW
        else:
            levels[priority] = PriorityLevel.MEDIUM
    return levels


@dataclass(frozen=True, slots=True)
class Urgency:
    queue: QueueStats
    level: PriorityLevel
    score: float  # (overdue + AT_RISK_WEIGHT x at risk) x the level's weight

    @property
    def reason(self) -> str:
        """Why it ranks where it does, in the headline's words: "Terrorism: 3 overdue, 1 at risk, priority high"."""
        late = [f"{self.queue.overdue} overdue"] if self.queue.overdue else []
        late += [f"{self.queue.at_risk} at risk"] if self.queue.at_risk else []
        return f"{self.queue.name}: {', '.join(late) or 'nothing late'}, priority {self.level.value}"


def _sort_key(urgency: Urgency) -> tuple[float, int, int, datetime, int]:
    queue = urgency.queue
    deadline = queue.next_deadline or queue.oldest_deadline or _NO_DEADLINE
    # With nothing late the nearest deadline decides, whatever the priority; otherwise priority breaks a tie first.
    priority = queue.priority if urgency.score > 0 else 0
    return (-urgency.score, -priority, -queue.overdue, deadline, queue.queue_id)


def rank_queues(queues: Sequence[QueueStats]) -> list[Urgency]:
    """The queues with open items, most urgent first (levels are taken among all the queues given)."""
    levels = priority_levels(queue.priority for queue in queues)
    ranked = [
        Urgency(
            queue,
            levels[queue.priority],
            (queue.overdue + AT_RISK_WEIGHT * queue.at_risk) * LEVEL_WEIGHTS[levels[queue.priority]],
        )
        for queue in queues
        if queue.pending + queue.claimed > 0
    ]
    return sorted(ranked, key=_sort_key)


def most_urgent(queues: Sequence[QueueStats]) -> Urgency | None:
    """The first of rank_queues, or None when no queue has open items."""
    ranked = rank_queues(queues)
    return ranked[0] if ranked else None

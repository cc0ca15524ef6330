"""Deadlines: an item's service level follows its queue's and who reported it; "at risk" is the last fifth of it.

Pure rules first (testable without a database), then the helpers that keep ItemRow.deadline and at_risk_at together.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core import deadlines as core_deadlines
from moderator_app.core.models import ReportSource
from moderator_app.core.policy import PolicyReason
from moderator_app.server.tables import ItemRow, ReportRow, at_risk_from

# Notices with legal weight are handled first: an authority's (hot line, law enforcement) in a quarter of the queue's
# service level, a trusted flagger's (DSA Art. 22) in half.
SOURCE_FACTORS: dict[ReportSource, float] = {
    ReportSource.AUTHORITY: 0.25,
    ReportSource.TRUSTED_FLAGGER: 0.5,
    ReportSource.USER: 1.0,
    ReportSource.AUTOMATED: 1.0,
}
_FACTOR_BY_VALUE = {source.value: factor for source, factor in SOURCE_FACTORS.items()}
# Whatever queue it sits in, a child-safety report is never given more than this, and the source factor still applies
# on top, so child safety always has the shortest deadlines.
CHILD_SAFETY_CAP_SECONDS = 3600
AT_RISK_SHARE = core_deadlines.AT_RISK_SHARE  # at risk: less than a fifth of the service level left


def effective_sla_seconds(queue_sla_seconds: int, sources: Iterable[str], reasons: Iterable[str]) -> int:
    """The service level of one item: the queue's, shortened by its most urgent report source and child safety."""
    factor = min((_FACTOR_BY_VALUE.get(s, 1.0) for s in sources), default=1.0)
    base = queue_sla_seconds
    if PolicyReason.CHILD_SAFETY.value in set(reasons):
        base = min(base, CHILD_SAFETY_CAP_SECONDS)
    return max(60, int(base * factor))


def is_at_risk(deadline: datetime, at_risk_at: datetime | None, now: datetime) -> bool:
    """Not yet overdue, and past the point where a fifth of the service level is left."""
    return at_risk_at is not None and at_risk_at <= now <= deadline


def set_deadline(row: ItemRow, deadline: datetime) -> None:
    row.deadline = deadline
    row.at_risk_at = at_risk_from(row.flagged_at, deadline)


def report_facts(session: Session, item_ids: Iterable[int]) -> dict[int, tuple[list[str], list[str]]]:
    """item id -> (report sources, report reasons)."""
    ids = list(set(item_ids))
    facts: dict[int, tuple[list[str], list[str]]] = {item_id: ([], []) for item_id in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.execute(
            select(ReportRow.item_id, ReportRow.source, ReportRow.reason).where(ReportRow.item_id.in_(chunk))
        )
        for item_id, source, reason in rows:
            facts[item_id][0].append(source)
            facts[item_id][1].append(reason)
    return facts


def reschedule(row: ItemRow, queue_sla_seconds: int, facts: tuple[list[str], list[str]]) -> None:
    """New deadline from the flag time and the (new) queue's service level."""
    sources, reasons = facts
    sla = effective_sla_seconds(queue_sla_seconds, sources, reasons)
    set_deadline(row, row.flagged_at + timedelta(seconds=sla))

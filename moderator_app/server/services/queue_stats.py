"""Queue figures for leads: counts against deadlines, inflow and outflow, and backlog/throughput over recent hours.

Flows are rebuilt from what the server already records: an item arrives in a queue when it is flagged (in the queue
it was first in), moved or escalated in, or returned by a revert; it leaves when it is decided, moved or escalated
out. The backlog at a past moment is today's backlog with the later flows undone, so it is exact for everything the
server did itself and an estimate where items were loaded from elsewhere with their history.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.models import QueueBucket, QueueStats, TeamQueueStats
from moderator_app.core.policy import Action
from moderator_app.server.services.queues import OPEN_STATUSES, open_counts
from moderator_app.server.tables import AuditRow, ItemRow, QueueRow

FLOW_ACTIONS = ("decision", "reassign", "reassign_undo", "revert")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Flow:
    at: datetime
    queue_id: int
    change: int  # +1 arrived, -1 left
    decided: bool = False


def bucket_edges(now: datetime, hours: int, bucket_seconds: int) -> list[datetime]:
    """Bucket boundaries, oldest first, aligned to multiples of bucket_seconds since the epoch (stable between polls,
    so an unchanged queue keeps its ETag); the last bucket is the current one and ends after `now`."""
    elapsed = (now - _EPOCH).total_seconds()
    last_end = _EPOCH + timedelta(seconds=(math.floor(elapsed / bucket_seconds) + 1) * bucket_seconds)
    count = max(1, math.ceil(hours * 3600 / bucket_seconds))
    return [last_end - timedelta(seconds=bucket_seconds * (count - n)) for n in range(count + 1)]


def _moves(action: str, queue_id: int | None, details: dict[str, Any]) -> list[tuple[int, int, bool]]:
    """(queue id, +1/-1, decided) for one audit row."""
    if action == "decision" and queue_id is not None:
        moved_to = details.get("moved_to_queue_id")
        if details.get("action") != Action.ESCALATE.value:
            return [(queue_id, -1, True)]
        return [(queue_id, -1, False), (int(moved_to), +1, False)] if moved_to is not None else []
    if action in ("reassign", "reassign_undo"):
        source, target = details.get("from_queue_id"), details.get("to_queue_id")
        if source is not None and target is not None and source != target:
            return [(int(source), -1, False), (int(target), +1, False)]
        return []
    if action == "revert" and queue_id is not None and details.get("item_returned"):
        return [(queue_id, +1, False)]
    return []


def _flows(session: Session, since: datetime) -> list[Flow]:
    flows: list[Flow] = []
    first_source: dict[int, int] = {}  # item -> the queue it was moved out of first (where it arrived)
    audit_rows = session.execute(
        select(AuditRow.item_id, AuditRow.queue_id, AuditRow.action, AuditRow.at, AuditRow.details)
        .where(AuditRow.at >= since, AuditRow.action.in_(FLOW_ACTIONS))
        .order_by(AuditRow.id)
    ).all()
    for item_id, queue_id, action, at, details in audit_rows:
        moves = _moves(action, queue_id, details or {})
        for target, change, decided in moves:
            flows.append(Flow(at, target, change, decided))
        if item_id is not None and item_id not in first_source:
            left = [target for target, change, _ in moves if change < 0]
            if left:
                first_source[item_id] = left[0]
    arrivals = session.execute(
        select(ItemRow.id, ItemRow.queue_id, ItemRow.flagged_at).where(ItemRow.flagged_at >= since)
    )
    for item_id, queue_id, flagged_at in arrivals:
        flows.append(Flow(flagged_at, first_source.get(item_id, queue_id), +1))
    return flows


def _oldest(session: Session, queue_id: int) -> tuple[datetime, datetime] | None:
    found = session.execute(
        select(ItemRow.flagged_at, ItemRow.deadline)
        .where(ItemRow.queue_id == queue_id, ItemRow.status.in_(OPEN_STATUSES))
        .order_by(ItemRow.flagged_at, ItemRow.id)
        .limit(1)
    ).first()
    return (found[0], found[1]) if found else None


def queue_stats(session: Session, now: datetime, hours: int, bucket_seconds: int) -> TeamQueueStats:
    edges = bucket_edges(now, hours, bucket_seconds)
    hour_ago = now - timedelta(hours=1)
    flows = _flows(session, min(edges[0], hour_ago))
    by_queue: dict[int, list[Flow]] = defaultdict(list)
    for flow in flows:
        if flow.at <= now:
            by_queue[flow.queue_id].append(flow)
    counts = open_counts(session, now)
    result: list[QueueStats] = []
    for row in session.scalars(select(QueueRow).order_by(QueueRow.priority.desc(), QueueRow.key)):
        c = counts.get(row.id)
        queue_flows = by_queue.get(row.id, [])
        backlog_now = int(c.pending or 0) + int(c.claimed or 0) if c is not None else 0
        oldest = _oldest(session, row.id) if c is not None else None
        result.append(
            QueueStats(
                queue_id=row.id,
                key=row.key,
                name=row.name,
                priority=row.priority,
                sla_seconds=row.sla_seconds,
                pending=int(c.pending or 0) if c is not None else 0,
                claimed=int(c.claimed or 0) if c is not None else 0,
                overdue=int(c.overdue or 0) if c is not None else 0,
                at_risk=int(c.at_risk or 0) if c is not None else 0,
                oldest_flagged_at=oldest[0] if oldest else None,
                oldest_deadline=oldest[1] if oldest else None,
                next_deadline=c.next_deadline if c is not None else None,
                inflow_last_hour=sum(1 for f in queue_flows if f.change > 0 and f.at > hour_ago),
                outflow_last_hour=sum(1 for f in queue_flows if f.change < 0 and f.at > hour_ago),
                series=_series(queue_flows, edges, backlog_now, now),
            )
        )
    return TeamQueueStats(hours=hours, bucket_seconds=bucket_seconds, queues=result)


def _series(flows: list[Flow], edges: list[datetime], backlog_now: int, now: datetime) -> list[QueueBucket]:
    buckets: list[QueueBucket] = []
    for start, end in pairwise(edges):
        inside = [f for f in flows if start <= f.at < end]
        later = sum(f.change for f in flows if f.at >= end)  # flows after the bucket, undone to get its backlog
        buckets.append(
            QueueBucket(
                start=start,
                end=end,
                backlog=max(0, backlog_now - later) if end <= now else backlog_now,
                inflow=sum(1 for f in inside if f.change > 0),
                outflow=sum(1 for f in inside if f.change < 0),
                decided=sum(1 for f in inside if f.decided),
            )
        )
    return buckets

"""The lead's list of open items to pick from for a move: the same filter as a bulk move, without any content.

A lead moving work needs to tell items apart (id, queue, channel, how late, who holds it), not to read them: no
post text and no media leave this module, so picking work never exposes anyone to flagged content.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.deadlines import DeadlineState
from moderator_app.core.models import ItemKind, ItemStatus, ReassignFilter, TeamItem, TeamItemPage, TeamItemQuery
from moderator_app.server.services import deadlines, reassign, wire
from moderator_app.server.tables import ChannelRow, ItemRow


def list_items(session: Session, query: TeamItemQuery, now: datetime) -> TeamItemPage:
    """At most query.limit open items in the query's order; `more` when others match too."""
    spec = ReassignFilter.model_validate({**query.model_dump(), "limit": query.limit + 1})
    rows = list(session.scalars(reassign.filtered(session, spec, now)))
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    titles = _channel_titles(session, {row.channel_id for row in rows})
    holders = [row.claimed_by if _live_claim(row, now) else None for row in rows]
    names = wire.usernames(session, [*holders, *(row.assigned_to for row in rows)])
    items = [
        TeamItem(
            id=row.id,
            kind=ItemKind(row.kind),
            queue_id=row.queue_id,
            channel_id=row.channel_id,
            channel_title=titles.get(row.channel_id, ""),
            flagged_at=row.flagged_at,
            deadline=row.deadline,
            deadline_state=_state(row, now),
            claimed_by=names.get(holder) if holder is not None else None,
            assigned_to=names.get(row.assigned_to) if row.assigned_to is not None else None,
        )
        for row, holder in zip(rows, holders, strict=True)
    ]
    return TeamItemPage(items=items, more=more)


def _channel_titles(session: Session, channel_ids: set[int]) -> dict[int, str]:
    if not channel_ids:
        return {}
    found = session.execute(select(ChannelRow.id, ChannelRow.title).where(ChannelRow.id.in_(channel_ids)))
    return {channel_id: title for channel_id, title in found}


def _live_claim(row: ItemRow, now: datetime) -> bool:
    # A lapsed lease is nobody's claim any more, whatever the row still says (the queue counts agree).
    return row.status == ItemStatus.CLAIMED.value and row.lease_expires_at is not None and row.lease_expires_at > now


def _state(row: ItemRow, now: datetime) -> DeadlineState:
    if row.deadline < now:
        return DeadlineState.OVERDUE
    if deadlines.is_at_risk(row.deadline, row.at_risk_at, now):
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TIME

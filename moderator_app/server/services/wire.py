"""Rows to wire models: the one place that knows how a table row becomes JSON."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.models import BanScope, Channel, Decision, MediaRef, Post, Queue, RevertKind
from moderator_app.core.policy import Action, EscalationTarget, PolicyReason
from moderator_app.server.services import decision_sets
from moderator_app.server.tables import ChannelRow, DecisionRow, MediaRow, PostRow, QueueRow, UserRow


def channel(row: ChannelRow) -> Channel:
    return Channel(
        id=row.id,
        title=row.title,
        handle=row.handle,
        description=row.description,
        subscribers=row.subscribers,
        created_at=row.created_at,
        verified=row.verified,
        strikes=row.strikes,
        language=row.language,
    )


def media_by_post(session: Session, post_ids: Iterable[int]) -> dict[int, list[MediaRef]]:
    ids = set(post_ids)
    found: dict[int, list[MediaRef]] = {post_id: [] for post_id in ids}
    if not ids:
        return found
    rows = session.scalars(select(MediaRow).where(MediaRow.post_id.in_(ids)).order_by(MediaRow.position, MediaRow.id))
    for row in rows:
        found[row.post_id].append(
            MediaRef(
                id=row.id,
                kind=row.kind,
                mime_type=row.mime_type,
                width=row.width,
                height=row.height,
                size_bytes=row.size_bytes,
            )
        )
    return found


def post(row: PostRow, media: list[MediaRef]) -> Post:
    return Post(
        id=row.id,
        channel_id=row.channel_id,
        text=row.text,
        language=row.language,
        posted_at=row.posted_at,
        views=row.views,
        forwarded_from=row.forwarded_from,
        media=media,
    )


def decision(row: DecisionRow, decided_by: str) -> Decision:
    revert_kind = RevertKind(row.revert_kind) if row.revert_kind else None
    if row.reverted_at is not None and revert_kind is None:
        revert_kind = RevertKind.MANUAL  # rows written without a kind (seeded history) were reverted by hand
    return Decision(
        id=row.id,
        item_id=row.item_id,
        action=Action(row.action),
        reason=PolicyReason(row.reason) if row.reason else None,
        note=row.note,
        territorial_scope=list(row.territorial_scope) if row.territorial_scope is not None else None,
        escalation_target=EscalationTarget(row.escalation_target) if row.escalation_target else None,
        decided_by=decided_by,
        decided_at=row.decided_at,
        reverted_at=row.reverted_at,
        revert_kind=revert_kind,
        ban_scope=BanScope(row.ban_scope) if row.ban_scope else None,
    )


def load_decisions(session: Session, decision_ids: Iterable[int]) -> dict[int, Decision]:
    ids = list(set(decision_ids))
    found: dict[int, Decision] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(DecisionRow, UserRow.username)
            .join(UserRow, UserRow.id == DecisionRow.user_id)
            .where(DecisionRow.id.in_(ids[start : start + 500]))
        )
        for row, username in rows:
            found[row.id] = decision(row, username)
    return found


def usernames(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    rows = session.execute(select(UserRow.id, UserRow.username).where(UserRow.id.in_(ids)))
    return {user_id: username for user_id, username in rows}


def load_decision(session: Session, decision_id: int) -> Decision | None:
    found = session.execute(
        select(DecisionRow, UserRow.username)
        .join(UserRow, UserRow.id == DecisionRow.user_id)
        .where(DecisionRow.id == decision_id)
    ).first()
    return decision(found[0], found[1]) if found else None


def queue(
    row: QueueRow,
    *,
    pending: int,
    claimed: int,
    overdue: int,
    oldest_flagged_at: datetime | None,
    next_deadline: datetime | None,
    at_risk: int = 0,
    assigned_to_me: int = 0,
) -> Queue:
    return Queue(
        id=row.id,
        key=row.key,
        name=row.name,
        description=row.description,
        default_reason=PolicyReason(row.default_reason),
        priority=row.priority,
        sla_seconds=row.sla_seconds,
        pending=pending,
        claimed=claimed,
        overdue=overdue,
        oldest_flagged_at=oldest_flagged_at,
        next_deadline=next_deadline,
        at_risk=at_risk,
        assigned_to_me=assigned_to_me,
        sensitive=bool(row.sensitive),
        decision_set=decision_sets.decision_set(row),
        own_decision_set=bool(row.decision_set),
    )

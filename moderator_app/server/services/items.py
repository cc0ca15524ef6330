"""An item with everything a moderator needs to decide it: channel, post, posts around it, reports, signals, history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from moderator_app.core.models import HistoryEntry, Item, ItemKind, ItemStatus, Report, Signal
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.server.errors import not_found
from moderator_app.server.services import deadlines, notes, wire
from moderator_app.server.tables import (
    ChannelRow,
    DecisionRow,
    ItemRow,
    PostRow,
    ReportRow,
    SignalRow,
    UserRow,
)

POSTS_AROUND = 3  # before and after a flagged post
CHANNEL_RECENT_POSTS = 9  # for a flagged channel
HISTORY_LIMIT = 50


def get_item(session: Session, item_id: int, now: datetime) -> Item:
    row = session.get(ItemRow, item_id)
    if row is None:
        raise not_found("Item", item_id)
    return build_item(session, row, now)


def _status(row: ItemRow, now: datetime) -> ItemStatus:
    # A lapsed lease is waiting again before any sweep writes it down (the queue counts agree).
    if row.status == ItemStatus.CLAIMED.value and (row.lease_expires_at is None or row.lease_expires_at <= now):
        return ItemStatus.PENDING
    return ItemStatus(row.status)


def build_item(
    session: Session,
    row: ItemRow,
    now: datetime,
    *,
    as_of: datetime | None = None,
    history_before: datetime | None = None,
) -> Item:
    """The item with its context. as_of: as it stood then (posts, reports and history from then on left out, for a
    blind second review); history_before: only the channel history before that moment (see qa_blind)."""
    channel_row = session.get(ChannelRow, row.channel_id)
    if channel_row is None:  # the foreign key makes this impossible short of a broken database
        raise RuntimeError(f"item {row.id} has no channel")
    flagged = session.get(PostRow, row.post_id) if row.post_id is not None else None
    context = _context_posts(session, row, flagged, as_of)
    cutoffs = [moment for moment in (as_of, history_before) if moment is not None]
    media = wire.media_by_post(session, [p.id for p in context] + ([flagged.id] if flagged else []))
    decision = wire.load_decision(session, row.decision_id) if row.decision_id is not None else None
    status = _status(row, now)
    return Item(
        id=row.id,
        kind=ItemKind(row.kind),
        queue_id=row.queue_id,
        status=status,
        flagged_at=row.flagged_at,
        deadline=row.deadline,
        channel=wire.channel(channel_row),
        post=wire.post(flagged, media[flagged.id]) if flagged else None,
        context_posts=[wire.post(p, media[p.id]) for p in context],
        reports=_reports(session, row.id, as_of),
        signals=_signals(session, row.id),
        history=history(session, row.channel_id, min(cutoffs) if cutoffs else None),
        decision=decision,
        at_risk=status is not ItemStatus.DECIDED and deadlines.is_at_risk(row.deadline, row.at_risk_at, now),
        assigned_to=wire.usernames(session, [row.assigned_to]).get(row.assigned_to) if row.assigned_to else None,
    )


def _context_posts(session: Session, row: ItemRow, flagged: PostRow | None, as_of: datetime | None) -> list[PostRow]:
    in_channel = select(PostRow).where(PostRow.channel_id == row.channel_id)
    if as_of is not None:
        in_channel = in_channel.where(PostRow.posted_at <= as_of)  # posts made later were not there to see
    if flagged is None:
        recent = session.scalars(
            in_channel.order_by(PostRow.posted_at.desc(), PostRow.id.desc()).limit(CHANNEL_RECENT_POSTS)
        )
        return list(reversed(recent.all()))
    # (posted_at, id) orders posts even when two share a timestamp.
    before = session.scalars(
        in_channel.where(
            (PostRow.posted_at < flagged.posted_at)
            | ((PostRow.posted_at == flagged.posted_at) & (PostRow.id < flagged.id))
        )
        .order_by(PostRow.posted_at.desc(), PostRow.id.desc())
        .limit(POSTS_AROUND)
    ).all()
    after = session.scalars(
        in_channel.where(
            (PostRow.posted_at > flagged.posted_at)
            | ((PostRow.posted_at == flagged.posted_at) & (PostRow.id > flagged.id))
        )
        .order_by(PostRow.posted_at, PostRow.id)
        .limit(POSTS_AROUND)
    ).all()
    return [*reversed(before), *after]


def _reports(session: Session, item_id: int, as_of: datetime | None = None) -> list[Report]:
    query = select(ReportRow).where(ReportRow.item_id == item_id)
    if as_of is not None:
        query = query.where(ReportRow.created_at <= as_of)
    rows = session.scalars(query.order_by(ReportRow.created_at, ReportRow.id))
    return [
        Report(id=r.id, source=r.source, reason=r.reason, comment=r.comment, country=r.country, created_at=r.created_at)
        for r in rows
    ]


def _signals(session: Session, item_id: int) -> list[Signal]:
    rows = session.scalars(select(SignalRow).where(SignalRow.item_id == item_id).order_by(SignalRow.id))
    return [Signal(kind=s.kind, label=s.label, score=s.score, detail=s.detail) for s in rows]


def history(session: Session, channel_id: int, before: datetime | None = None) -> list[HistoryEntry]:
    """Decisions (and their reverts) and colleagues' notes on every item of the channel, newest first; with before,
    only what happened before that moment (the history as it stood then)."""
    reverter = aliased(UserRow)
    query = (
        select(DecisionRow, UserRow.username, reverter.username)
        .join(ItemRow, ItemRow.id == DecisionRow.item_id)
        .join(UserRow, UserRow.id == DecisionRow.user_id)
        .outerjoin(reverter, reverter.id == DecisionRow.reverted_by)
        .where(ItemRow.channel_id == channel_id)
    )
    if before is not None:
        query = query.where(DecisionRow.decided_at < before)
    rows = session.execute(
        query.order_by(DecisionRow.decided_at.desc(), DecisionRow.id.desc()).limit(HISTORY_LIMIT)
    ).all()
    entries: list[HistoryEntry] = []
    for decision, decided_by, reverted_by in rows:
        action = Action(decision.action)
        reason = PolicyReason(decision.reason) if decision.reason else None
        entries.append(
            HistoryEntry(
                at=decision.decided_at,
                kind="decision" if action.is_final else "escalation",
                actor=decided_by,
                action=action,
                reason=reason,
                note=decision.note,
                item_id=decision.item_id,
            )
        )
        if decision.reverted_at is not None and (before is None or decision.reverted_at < before):
            entries.append(
                HistoryEntry(
                    at=decision.reverted_at,
                    kind="revert",
                    actor=reverted_by or "",
                    action=action,
                    reason=reason,
                    note=decision.revert_note or "",
                    item_id=decision.item_id,
                )
            )
    entries.extend(notes.channel_notes(session, channel_id, HISTORY_LIMIT, before))
    # A revert never precedes its decision, even when both carry the same timestamp.
    entries.sort(key=lambda e: (e.at, e.kind == "revert"), reverse=True)
    return entries[:HISTORY_LIMIT]

"""Write the demo's current shift (shift_plan.py): the colleagues' accounts, the items they worked on, and each claim
and decision through the server's own claim and decision code, so the audit log, the decisions, their handling
times and the QA samples read exactly as if the server had taken them.

Run after the demo users exist (the demo moderator is on the shift) and after demo/qa.py, whose samples, dispute and
appeal are built from the earlier decisions only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from moderator_app.core.models import DecisionRequest, ItemStatus
from moderator_app.core.roles import Role
from moderator_app.server.db import immediate
from moderator_app.server.demo.catalogue import CHANNELS
from moderator_app.server.demo.seed import DEFAULT_SEED, UNUSABLE_PASSWORD_HASH
from moderator_app.server.demo.shift_plan import SHIFT, ShiftDecisionPlan, plan_shift
from moderator_app.server.services import claims, decisions
from moderator_app.server.services.audit import Actor
from moderator_app.server.tables import (
    ChannelRow,
    ItemRow,
    PostRow,
    QaSampleRow,
    QueueRow,
    ReportRow,
    SignalRow,
    UserRow,
)

DEFAULT_LEASE_SECONDS = 300  # ServerSettings.lease_seconds' default


@dataclass(frozen=True, slots=True)
class DemoShiftSummary:
    moderators: int  # people with at least one decision
    decisions: int
    sampled: int  # drawn for QA by the server's sampling, as any decision is
    seconds: float


def _sampling_secret(seed: int) -> str:
    # Which decisions QA samples depends on the sampling secret; the database's own is random, so the shift's draws
    # use one made from the seed instead (same seed, same samples). Later decisions use the database's secret.
    return f"demo-shift-sampling/{seed}"


def _actors(session: Session, now: datetime) -> dict[int, Actor]:
    """SHIFT index -> the account deciding: colleagues are created (active, but no password ever matches), demo
    sign-in accounts are looked up and left out when missing."""
    actors: dict[int, Actor] = {}
    for index, member in enumerate(SHIFT):
        user_id = session.scalar(select(UserRow.id).where(UserRow.username == member.username))
        if user_id is None and not member.sign_in:
            row = UserRow(
                username=member.username,
                display_name=member.display_name,
                password_hash=UNUSABLE_PASSWORD_HASH,
                roles=Role.MODERATOR.value,
                active=True,
                created_at=now - timedelta(days=200 + 90 * index),  # joined the team months ago
            )
            session.add(row)
            session.flush()
            user_id = row.id
        if user_id is not None:
            actors[index] = Actor(user_id, member.username)
    return actors


def _count_samples(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(QaSampleRow)) or 0)


def _insert(session: Session, row_class: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    table = row_class.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars().all())


def _write_items(session: Session, planned: list[ShiftDecisionPlan]) -> list[int]:
    """Posts, items (pending until decided below), reports and signals; the new item ids in the order of `planned`."""
    channels = {
        handle: (channel_id, subscribers)
        for channel_id, handle, subscribers in session.execute(
            select(ChannelRow.id, ChannelRow.handle, ChannelRow.subscribers)
        )
    }
    queues = {key: queue_id for key, queue_id in session.execute(select(QueueRow.key, QueueRow.id))}
    posts = [d for d in planned if d.text is not None]
    post_ids = _insert(
        session,
        PostRow,
        [
            {
                "channel_id": channels[d.channel][0],
                "text": d.text,
                "language": d.language,
                "posted_at": d.posted_at,
                "views": int(channels[d.channel][1] * d.view_share),
                "forwarded_from": None,
            }
            for d in posts
        ],
    )
    post_of = {id(d): post_id for d, post_id in zip(posts, post_ids, strict=True)}
    # Ids follow the flag time, as they would have on the server.
    order = sorted(range(len(planned)), key=lambda i: planned[i].flagged_at)
    inserted = _insert(
        session,
        ItemRow,
        [
            {
                "kind": planned[i].kind.value,
                "queue_id": queues[planned[i].queue],
                "channel_id": channels[planned[i].channel][0],
                "post_id": post_of.get(id(planned[i])),
                "status": ItemStatus.PENDING.value,
                "flagged_at": planned[i].flagged_at,
                "deadline": planned[i].deadline,
            }
            for i in order
        ],
    )
    item_ids = [0] * len(planned)
    for i, item_id in zip(order, inserted, strict=True):
        item_ids[i] = item_id
    reports = [
        {"item_id": item_id, "source": r.source.value, "reason": r.reason.value, "comment": r.comment,
         "country": r.country, "created_at": r.created_at}
        for d, item_id in zip(planned, item_ids, strict=True)
        for r in d.reports
    ]  # fmt: skip
    signals = [
        {"item_id": item_id, "kind": s.kind.value, "label": s.label, "score": s.score, "detail": s.detail}
        for d, item_id in zip(planned, item_ids, strict=True)
        for s in d.signals
    ]
    if reports:
        session.execute(insert(ReportRow.__table__), reports)
    if signals:
        session.execute(insert(SignalRow.__table__), signals)
    return item_ids


def seed_demo_shift(
    engine: Engine,
    *,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
) -> DemoShiftSummary:
    """Add the shift's decisions of the last hours to a seeded demo; does nothing when its colleagues exist.

    Deterministic: the same seed, `now` and demo dataset give the same rows (QA samples included).
    """
    started = time.perf_counter()
    if now is None:
        now = datetime.now(UTC).replace(microsecond=0)
    with Session(immediate(engine), expire_on_commit=False) as session:
        if session.scalar(select(UserRow.id).where(UserRow.username == SHIFT[0].username)) is not None:
            return DemoShiftSummary(0, 0, 0, 0.0)
        present = set(session.scalars(select(ChannelRow.handle)))
        if not present:  # not a demo database: nothing to work on
            return DemoShiftSummary(0, 0, 0, 0.0)
        planned = plan_shift(seed, now, [spec for spec in CHANNELS if spec.handle in present])
        actors = _actors(session, now)
        planned = [d for d in planned if d.member in actors]
        item_ids = _write_items(session, planned)
        session.commit()
        samples_before = _count_samples(session)
        # In time order, claims and decisions of everyone interleaved, as the server would have seen them.
        events = sorted(
            [(d.claimed_at, 0, n) for n, d in enumerate(planned)]
            + [(d.decided_at, 1, n) for n, d in enumerate(planned)]
        )
        secret = _sampling_secret(seed)
        for at, step, n in events:
            d, item_id, actor = planned[n], item_ids[n], actors[planned[n].member]
            if step == 0:
                row = session.get(ItemRow, item_id)
                assert row is not None
                claims.mark_claimed(session, actor, row, at, lease_seconds)
                continue
            request = DecisionRequest(
                action=d.action,
                reason=d.reason,
                note=d.note,
                territorial_scope=d.territorial_scope,
                ban_scope=d.ban_scope,
            )
            answer = decisions.decide(
                session, actor, item_id, request, f"demo-shift-{item_id}", at, sampling_secret=secret
            )
            assert answer.status == 201, answer.body
        sampled = _count_samples(session) - samples_before
    return DemoShiftSummary(
        moderators=len({d.member for d in planned}),
        decisions=len(planned),
        sampled=sampled,
        seconds=round(time.perf_counter() - started, 3),
    )

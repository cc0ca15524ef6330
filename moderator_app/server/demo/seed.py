"""Write the planned demo dataset into an empty database: one transaction, bulk inserts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, func, insert, select, update

from moderator_app.core.models import ItemKind, ItemStatus, MediaKind
from moderator_app.core.roles import Role
from moderator_app.server.db import immediate
from moderator_app.server.demo.catalogue import QUEUES
from moderator_app.server.demo.images import ensure_gui_application, render_images
from moderator_app.server.demo.plan import ARCHIVE_REVIEWERS, DemoPlan, build_plan
from moderator_app.server.demo.videos import GeneratedVideo, render_video
from moderator_app.server.media_hash import dhash
from moderator_app.server.tables import (
    ChannelRow,
    DecisionRow,
    ItemRow,
    MediaBlobRow,
    MediaRow,
    PostRow,
    QueueRow,
    ReportRow,
    SignalRow,
    UserRow,
)

DEFAULT_SEED = 20261130
# Stored for the archive reviewers: not a valid hash in any scheme, so no password ever matches it.
UNUSABLE_PASSWORD_HASH = "!"


class DemoDataExistsError(RuntimeError):
    """The database already has queues: the demo only seeds an empty one."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    queues: int
    channels: int
    posts: int
    media: int  # pictures and videos
    media_bytes: int
    videos: int
    items: int
    open_items: int
    channel_items: int
    decided_items: int
    escalated_items: int
    overdue_items: int  # open items past their deadline at `now`
    reports: int
    signals: int
    decisions: int
    seconds: float  # wall time of the whole seeding, images and videos included


def _table(row_class: type[Any]) -> Table:
    return row_class.__table__  # type: ignore[no-any-return]


def _insert(connection: Connection, row_class: type[Any], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Bulk insert and return the new ids in the order of `rows` (RETURNING: SQLite 3.35+, PostgreSQL)."""
    if not rows:
        return []
    table = _table(row_class)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, list(rows)).scalars().all())


def _queues_exist(connection: Connection) -> bool:
    return bool(connection.scalar(select(func.count()).select_from(_table(QueueRow))))


def _archive_reviewers(connection: Connection, now: datetime) -> list[int]:
    """The inactive accounts the earlier decisions are attributed to (created once, reused if present)."""
    users = _table(UserRow)
    ids: list[int] = []
    for username, display_name in ARCHIVE_REVIEWERS:
        existing = connection.scalar(select(users.c.id).where(users.c.username == username))
        if existing is None:
            row = {
                "username": username,
                "display_name": display_name,
                "password_hash": UNUSABLE_PASSWORD_HASH,
                "roles": Role.MODERATOR.value,
                "active": False,
                "created_at": now - timedelta(days=400),
            }
            existing = _insert(connection, UserRow, [row])[0]
        ids.append(existing)
    return ids


def _write(
    connection: Connection,
    plan: DemoPlan,
    blobs: list[bytes],
    meta: list[tuple[str, str, str | None]],
    videos: list[GeneratedVideo],
    now: datetime,
) -> None:
    reviewers = _archive_reviewers(connection, now)
    queue_ids = dict(
        zip(
            [queue.key for queue in QUEUES],
            _insert(
                connection,
                QueueRow,
                [
                    {
                        "key": q.key,
                        "name": q.name,
                        "description": q.description,
                        "default_reason": q.default_reason.value,
                        "priority": q.priority,
                        "sla_seconds": q.sla_seconds,
                    }
                    for q in QUEUES
                ],
            ),
            strict=True,
        )
    )
    channel_ids = _insert(
        connection,
        ChannelRow,
        [
            {
                "title": c.spec.title,
                "handle": c.spec.handle,
                "description": c.spec.description,
                "subscribers": c.subscribers,
                "created_at": c.created_at,
                "verified": c.verified,
                "strikes": c.strikes,
                "language": c.spec.language,
            }
            for c in plan.channels
        ],
    )
    # Posts go in by channel, oldest first, so ids follow time within a channel.
    order = sorted(range(len(plan.posts)), key=lambda i: (plan.posts[i].channel, plan.posts[i].posted_at, i))
    inserted = _insert(
        connection,
        PostRow,
        [
            {
                "channel_id": channel_ids[plan.posts[i].channel],
                "text": plan.posts[i].text,
                "language": plan.posts[i].language,
                "posted_at": plan.posts[i].posted_at,
                "views": plan.posts[i].views,
                "forwarded_from": plan.posts[i].forwarded_from,
            }
            for i in order
        ],
    )
    post_ids = {index: post_id for index, post_id in zip(order, inserted, strict=True)}
    media_rows: list[dict[str, Any]] = []
    media_blobs: list[bytes] = []
    for i in order:
        for position, image in enumerate(plan.posts[i].images):
            spec = plan.images[image]
            mime, digest, perceptual = meta[image]
            media_rows.append(
                {
                    "post_id": post_ids[i],
                    "position": position,
                    "kind": MediaKind.IMAGE.value,
                    "mime_type": mime,
                    "width": spec.width,
                    "height": spec.height,
                    "size_bytes": len(blobs[image]),
                    "sha256": digest,
                    "dhash": perceptual,
                }
            )
            media_blobs.append(blobs[image])
        for position, index in enumerate(plan.posts[i].videos, start=len(plan.posts[i].images)):
            video = videos[index]
            media_rows.append(
                {
                    "post_id": post_ids[i],
                    "position": position,
                    "kind": MediaKind.VIDEO.value,
                    "mime_type": video.mime_type,
                    "width": video.width,
                    "height": video.height,
                    "size_bytes": len(video.data),
                    "sha256": video.sha256,
                    "dhash": None,  # near-duplicates are grouped by picture only
                }
            )
            media_blobs.append(video.data)
    media_ids = _insert(connection, MediaRow, media_rows)
    if media_ids:
        connection.execute(
            insert(_table(MediaBlobRow)),
            [{"media_id": m, "data": data} for m, data in zip(media_ids, media_blobs, strict=True)],
        )
    item_ids = _insert(
        connection,
        ItemRow,
        [
            {
                "kind": item.kind.value,
                "queue_id": queue_ids[item.queue],
                "channel_id": channel_ids[item.channel],
                "post_id": post_ids[item.post] if item.post is not None else None,
                "status": item.status.value,
                "flagged_at": item.flagged_at,
                "deadline": item.deadline,
                "claimed_by": None,
                "lease_expires_at": None,
                "decision_id": None,
            }
            for item in plan.items
        ],
    )
    reports = [
        {
            "item_id": item_id,
            "source": r.source.value,
            "reason": r.reason.value,
            "comment": r.comment,
            "country": r.country,
            "created_at": r.created_at,
        }
        for item, item_id in zip(plan.items, item_ids, strict=True)
        for r in item.reports
    ]
    signals = [
        {"item_id": item_id, "kind": s.kind.value, "label": s.label, "score": s.score, "detail": s.detail}
        for item, item_id in zip(plan.items, item_ids, strict=True)
        for s in item.signals
    ]
    if reports:
        connection.execute(insert(_table(ReportRow)), reports)
    if signals:
        connection.execute(insert(_table(SignalRow)), signals)
    decided: list[dict[str, Any]] = []
    for item, item_id in zip(plan.items, item_ids, strict=True):
        rows = [
            {
                "item_id": item_id,
                "user_id": reviewers[d.reviewer],
                "action": d.action.value,
                "reason": d.reason.value if d.reason else None,
                "note": d.note,
                "territorial_scope": d.territorial_scope,
                "escalation_target": d.escalation_target.value if d.escalation_target else None,
                "decided_at": d.decided_at,
                "reverted_at": d.reverted_at,
                "reverted_by": reviewers[d.reverted_by] if d.reverted_by is not None else None,
                "revert_note": d.revert_note,
            }
            for d in item.decisions
        ]
        ids = _insert(connection, DecisionRow, rows)
        if item.in_force is not None:
            decided.append({"target": item_id, "decision": ids[item.in_force]})
    if decided:
        items = _table(ItemRow)
        statement = update(items).where(items.c.id == bindparam("target")).values(decision_id=bindparam("decision"))
        connection.execute(statement, decided)


def seed_demo(
    engine: Engine, *, seed: int = DEFAULT_SEED, scale: str = "full", now: datetime | None = None
) -> DemoSummary:
    """Fill an empty database with the synthetic demo dataset; raise DemoDataExistsError if it has queues.

    Deterministic: the same seed, scale and `now` give the same rows (and, on one machine, the same image bytes).
    Deadlines are relative to `now` (default: the current time), so some items are overdue and some at risk.
    Drawing pictures and videos needs a QGuiApplication: one is created offscreen if none exists (then call from the
    main thread).
    """
    started = time.perf_counter()
    if now is None:
        now = datetime.now(UTC).replace(microsecond=0)
    elif now.tzinfo is None:
        raise ValueError("seed_demo needs a timezone-aware `now`")
    with engine.connect() as connection:
        if _queues_exist(connection):
            raise DemoDataExistsError("the database already has queues; the demo only seeds an empty database")
    plan = build_plan(seed, scale, now)
    ensure_gui_application()
    # Drawn before the transaction begins, so the write lock is held only for the inserts.
    rendered = render_images(plan.images)
    blobs = [image.data for image in rendered]
    # The perceptual hash groups near-duplicates (GET /items/{id}/duplicates); once per picture, reposts share it.
    meta = [(image.mime_type, image.sha256, dhash(image.data)) for image in rendered]
    videos = [render_video(spec) for spec in plan.videos]
    with immediate(engine).begin() as connection:
        if _queues_exist(connection):  # someone seeded while we were drawing
            raise DemoDataExistsError("the database already has queues; the demo only seeds an empty database")
        _write(connection, plan, blobs, meta, videos, now)
    open_items = [item for item in plan.items if item.status is not ItemStatus.DECIDED]
    return DemoSummary(
        queues=len(QUEUES),
        channels=len(plan.channels),
        posts=len(plan.posts),
        media=sum(len(post.images) + len(post.videos) for post in plan.posts),
        media_bytes=sum(len(blobs[i]) for post in plan.posts for i in post.images)
        + sum(len(videos[i].data) for post in plan.posts for i in post.videos),
        videos=len(videos),
        items=len(plan.items),
        open_items=len(open_items),
        channel_items=sum(item.kind is ItemKind.CHANNEL for item in plan.items),
        decided_items=len(plan.items) - len(open_items),
        escalated_items=sum(item.queue == "escalations" for item in plan.items),
        overdue_items=sum(item.deadline < now for item in open_items),
        reports=sum(len(item.reports) for item in plan.items),
        signals=sum(len(item.signals) for item in plan.items),
        decisions=sum(len(item.decisions) for item in plan.items),
        seconds=round(time.perf_counter() - started, 3),
    )

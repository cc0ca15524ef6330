"""A small, deterministic dataset for server tests, used until moderator_app.server.demo can seed one.

Also helpers that add exactly the rows a test needs (a queue with items of known deadlines), whatever the seeder.
Pictures are tiny generated PNG gradients (no Qt needed).
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from moderator_app.server.tables import (
    AuditRow,
    ChannelRow,
    ItemRow,
    MediaBlobRow,
    MediaRow,
    PostRow,
    QueueRow,
    ReportRow,
    SignalRow,
    utcnow,
)

# key, name, default reason, priority, SLA hours
QUEUES: tuple[tuple[str, str, str, int, int], ...] = (
    ("child_safety", "Child safety", "child_safety", 100, 1),
    ("terrorism", "Terrorism", "terrorism", 90, 1),
    ("escalations", "Escalations", "other", 80, 24),
    ("hate", "Hate speech", "hate_speech", 60, 24),
    ("drugs", "Illegal drugs", "illegal_drugs", 50, 24),
    ("scams", "Scams and fraud", "scam_fraud", 40, 48),
    ("spam", "Spam", "spam", 10, 72),
)


def png_gradient(width: int, height: int, seed: int = 0) -> bytes:
    """A valid RGB PNG: a two-colour gradient with stripes (enough detail for a blur to remove)."""
    rng = Random(seed)
    a = [rng.randrange(256) for _ in range(3)]
    b = [rng.randrange(256) for _ in range(3)]
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type: none
        for x in range(width):
            t = x / max(1, width - 1)
            stripe = 60 if (x // 3 + y // 3) % 2 else 0
            row += bytes(min(255, int(a[c] * (1 - t) + b[c] * t) + stripe) for c in range(3))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class SmallDataset:
    queue_ids: dict[str, int]
    item_ids: list[int]


def add_channel(session: Session, handle: str, now: datetime, posts: int = 12, with_media: bool = True) -> list[int]:
    """A channel with `posts` posts an hour apart (oldest first); returns the post ids."""
    channel = ChannelRow(
        title=f"Channel {handle}",
        handle=handle,
        description=f"Test channel {handle}",
        subscribers=1000 + len(handle) * 37,
        created_at=now - timedelta(days=400),
        verified=False,
        strikes=0,
        language="en",
    )
    session.add(channel)
    session.flush()
    post_ids: list[int] = []
    for n in range(posts):
        post = PostRow(
            channel_id=channel.id,
            text=f"Post {n} of {handle}",
            language="en",
            posted_at=now - timedelta(hours=posts - n),
            views=100 * (n + 1),
            forwarded_from=None,
        )
        session.add(post)
        session.flush()
        post_ids.append(post.id)
        if with_media and n % 3 == 0:
            data = png_gradient(24, 16, seed=post.id)
            media = MediaRow(
                post_id=post.id,
                position=0,
                kind="image",
                mime_type="image/png",
                width=24,
                height=16,
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
            session.add(media)
            session.flush()
            session.add(MediaBlobRow(media_id=media.id, data=data))
    return post_ids


def add_queue(session: Session, key: str, *, priority: int = 0, sla_hours: int = 24, reason: str = "other") -> int:
    queue = QueueRow(
        key=key,
        name=key.replace("_", " ").title(),
        description="",
        default_reason=reason,
        priority=priority,
        sla_seconds=sla_hours * 3600,
    )
    session.add(queue)
    session.flush()
    return queue.id


def add_item(
    session: Session,
    queue_id: int,
    deadline: datetime,
    *,
    channel_id: int,
    post_id: int | None,
    flagged_at: datetime | None = None,
    item_id: int | None = None,
) -> int:
    """item_id: a chosen id (e.g. one past 2^31); the database's next one otherwise."""
    item = ItemRow(
        id=item_id,
        kind="post" if post_id is not None else "channel",
        queue_id=queue_id,
        channel_id=channel_id,
        post_id=post_id,
        status="pending",
        flagged_at=flagged_at or deadline - timedelta(hours=1),
        deadline=deadline,
    )
    session.add(item)
    session.flush()
    session.add(
        ReportRow(
            item_id=item.id,
            source="user",
            reason="spam",
            comment="looks wrong",
            country="DE",
            created_at=item.flagged_at,
        )
    )
    session.add(SignalRow(item_id=item.id, kind="classifier", label="spam", score=0.5, detail="test"))
    return item.id


def add_queue_with_items(engine: Engine, key: str, deadlines: list[datetime]) -> tuple[int, list[int]]:
    """A fresh queue whose items have exactly these deadlines (in this order of creation)."""
    with Session(engine) as session:
        queue_id = add_queue(session, key)
        post_ids = add_channel(session, f"{key}_channel", utcnow(), posts=len(deadlines), with_media=False)
        channel_id = session.get(PostRow, post_ids[0]).channel_id  # type: ignore[union-attr]
        ids = [
            add_item(session, queue_id, d, channel_id=channel_id, post_id=p)
            for d, p in zip(deadlines, post_ids, strict=True)
        ]
        session.commit()
        return queue_id, ids


def seed_small(engine: Engine, *, seed: int = 7, now: datetime | None = None) -> SmallDataset:
    """Seven queues, six channels, 42 items (post and channel items; some overdue), reports, signals, media."""
    rng = Random(seed)
    now = now or utcnow()
    with Session(engine) as session:
        queue_ids = {
            key: add_queue(session, key, priority=prio, sla_hours=sla, reason=reason)
            for key, _n, reason, prio, sla in QUEUES
        }
        item_ids: list[int] = []
        sla_hours = {key: sla for key, _name, _reason, _priority, sla in QUEUES}
        for c in range(6):
            post_ids = add_channel(session, f"test_channel_{c}", now)
            channel_id = session.get(PostRow, post_ids[0]).channel_id  # type: ignore[union-attr]
            for n in range(7):
                key = QUEUES[(c + n) % len(QUEUES)][0]
                if key == "escalations":
                    key = "spam"
                flagged_at = now - timedelta(minutes=rng.randrange(5, 180))
                deadline = flagged_at + timedelta(hours=sla_hours[key])  # the 1-hour queues have overdue items
                post_id = None if n == 6 else post_ids[rng.randrange(len(post_ids))]
                item_ids.append(
                    add_item(
                        session,
                        queue_ids[key],
                        deadline,
                        channel_id=channel_id,
                        post_id=post_id,
                        flagged_at=flagged_at,
                    )
                )
        session.commit()
    return SmallDataset(queue_ids=queue_ids, item_ids=item_ids)


AUDIT_ROWS = 100_000
AUDIT_ACTORS = ("bot0", "bot1", "bot2", "bot3", "bot4", "bot5", "bot6")
AUDIT_ACTIONS = ("claim", "decision", "release", "renew", "reassign")


def add_audit_rows(engine: Engine, base: datetime, count: int = AUDIT_ROWS) -> None:
    """count audit rows one second apart from base, seven bot actors and five actions in turn (bot3 claims: one in
    35), over 997 items and 7 queues: enough to page through, in one bulk insert."""
    rows = [
        {
            "at": base + timedelta(seconds=n),
            "actor_id": None,
            "actor_name": AUDIT_ACTORS[n % len(AUDIT_ACTORS)],
            "action": AUDIT_ACTIONS[n % len(AUDIT_ACTIONS)],
            "item_id": n % 997 + 1,
            "queue_id": n % 7 + 1,
            "details": {"n": n},
        }
        for n in range(count)
    ]
    with engine.begin() as connection:
        connection.execute(insert(AuditRow.__table__), rows)  # type: ignore[arg-type]

"""The synthetic demo dataset: deterministic, complete enough to demo every screen, tame, and with real pictures."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from moderator_app.core.models import ItemKind, ItemStatus, ReportSource, SignalKind
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.server.db import make_engine
from moderator_app.server.demo import DemoDataExistsError, DemoSummary, seed_demo
from moderator_app.server.demo.plan import SCALES, build_plan
from moderator_app.server.migrate import upgrade_to_head
from moderator_app.server.security import verify_password
from moderator_app.server.tables import (
    Base,
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
from tests.conftest import sqlite_url
from tests.server.test_demo_images import detail

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
QUEUE_KEYS = {"child_safety", "terrorism", "drugs", "scams", "hate", "spam", "escalations"}


def new_engine(path: Path) -> Engine:
    engine = make_engine(sqlite_url(path))
    upgrade_to_head(engine)
    return engine


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
            for table in Base.metadata.sorted_tables
        }


@dataclass
class Seeded:
    engine: Engine
    path: Path
    summary: DemoSummary


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory, qapp: Any) -> Iterator[Seeded]:
    """The full dataset, seeded once for the module (a few seconds). `qapp` first: see tests/conftest.py."""
    path = tmp_path_factory.mktemp("demo-full") / "demo.db"
    engine = new_engine(path)
    summary = seed_demo(engine, now=NOW)
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    yield Seeded(engine, path, summary)
    engine.dispose()


@pytest.fixture
def small_engine(tmp_path: Path, qapp: Any) -> Iterator[Engine]:
    engine = new_engine(tmp_path / "small.db")
    yield engine
    engine.dispose()


# --- determinism and refusal ------------------------------------------------------------------------------


def test_same_seed_gives_the_same_rows_and_bytes(tmp_path: Path, qapp: Any) -> None:
    first, second, other = (new_engine(tmp_path / f"{name}.db") for name in ("a", "b", "c"))
    try:
        seed_demo(first, scale="small", now=NOW)
        seed_demo(second, scale="small", now=NOW)
        seed_demo(other, seed=7, scale="small", now=NOW)
        rows = dump(first)
        assert rows["items"] and rows["media_blobs"]
        assert rows == dump(second)
        assert rows["channels"] != dump(other)["channels"]  # the seed matters
    finally:
        for engine in (first, second, other):
            engine.dispose()


def test_the_full_plan_is_deterministic() -> None:
    assert build_plan(20261130, "full", NOW) == build_plan(20261130, "full", NOW)
    assert build_plan(20261130, "full", NOW) != build_plan(20261131, "full", NOW)


def test_seeding_refuses_a_database_that_has_queues(small_engine: Engine) -> None:
    seed_demo(small_engine, scale="small", now=NOW)
    before = dump(small_engine)
    with pytest.raises(DemoDataExistsError):
        seed_demo(small_engine, scale="small", now=NOW)
    assert dump(small_engine) == before


def test_unknown_scale_and_naive_now_are_refused(small_engine: Engine) -> None:
    with pytest.raises(ValueError, match="scale"):
        seed_demo(small_engine, scale="huge", now=NOW)
    with pytest.raises(ValueError, match="timezone"):
        seed_demo(small_engine, scale="small", now=datetime(2026, 11, 30, 12))
    with Session(small_engine) as session:
        assert session.scalar(select(func.count()).select_from(QueueRow)) == 0


def test_small_scale_stays_small(small_engine: Engine) -> None:
    """What keeps the small seed well under a second: few items, few and modest pictures (time: see the report)."""
    summary = seed_demo(small_engine, scale="small", now=NOW)
    assert 30 <= summary.open_items <= 60
    assert summary.channels <= 12
    assert summary.channel_items >= 1 and summary.overdue_items >= 1
    plan = build_plan(20261130, "small", NOW)
    assert sum(spec.width * spec.height for spec in plan.images) < 40_000_000
    assert SCALES["small"].flagged_posts[1] <= 4


# --- the full dataset -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_queues(full: Seeded) -> None:
    with Session(full.engine) as session:
        queues = {q.key: q for q in session.scalars(select(QueueRow))}
        escalated = session.scalar(
            select(func.count()).select_from(ItemRow).join(QueueRow).where(QueueRow.key == "escalations")
        )
    assert set(queues) == QUEUE_KEYS
    assert max(queues.values(), key=lambda q: q.priority).key == "child_safety"
    assert queues["child_safety"].sla_seconds == queues["terrorism"].sla_seconds == 3600
    assert queues["hate"].sla_seconds == queues["drugs"].sla_seconds == 24 * 3600
    assert queues["scams"].sla_seconds == 48 * 3600 and queues["spam"].sla_seconds == 72 * 3600
    assert {PolicyReason(q.default_reason) for q in queues.values()} >= {PolicyReason.CHILD_SAFETY, PolicyReason.SPAM}
    assert all(q.name and q.description for q in queues.values())
    assert escalated is not None and 1 <= escalated <= 5


@pytest.mark.slow
def test_items_channels_and_deadlines(full: Seeded) -> None:
    with Session(full.engine) as session:
        items = list(session.scalars(select(ItemRow)))
        queues = {q.id: q for q in session.scalars(select(QueueRow))}
        channels = session.scalar(select(func.count()).select_from(ChannelRow))
        posts = {p.id: p for p in session.scalars(select(PostRow))}
        reports: dict[int, list[ReportRow]] = {}
        for report in session.scalars(select(ReportRow)):
            reports.setdefault(report.item_id, []).append(report)
    open_items = [i for i in items if i.status == ItemStatus.PENDING]
    assert len(open_items) >= 400 and channels is not None and channels >= 60
    assert {i.status for i in items} == {ItemStatus.PENDING, ItemStatus.DECIDED}
    share = sum(i.kind == ItemKind.CHANNEL for i in items) / len(items)
    assert 0.08 <= share <= 0.22
    overdue = sum(i.deadline < NOW for i in open_items) / len(open_items)
    assert 0.15 <= overdue <= 0.25
    for item in items:
        assert item.flagged_at <= NOW and item.claimed_by is None
        assert (item.post_id is None) == (item.kind == ItemKind.CHANNEL)
        if item.post_id is not None:
            assert posts[item.post_id].channel_id == item.channel_id
            assert posts[item.post_id].posted_at < item.flagged_at
        first = min(reports[item.id], key=lambda r: r.created_at)
        assert first.created_at == item.flagged_at and all(r.created_at <= NOW for r in reports[item.id])
        queue = queues[item.queue_id]
        if queue.key != "escalations":
            sources = {r.source for r in reports[item.id]}
            divisor = 4 if "authority" in sources else 2 if "trusted_flagger" in sources else 1
            assert item.deadline - item.flagged_at == timedelta(seconds=queue.sla_seconds // divisor)
    at_risk = [
        i for i in open_items if NOW <= i.deadline <= NOW + timedelta(seconds=queues[i.queue_id].sla_seconds) * 0.2
    ]
    assert at_risk


@pytest.mark.slow
def test_reports_signals_and_history(full: Seeded) -> None:
    with Session(full.engine) as session:
        reports = list(session.scalars(select(ReportRow)))
        signals = list(session.scalars(select(SignalRow)))
        decisions = list(session.scalars(select(DecisionRow)))
        items = {i.id: i for i in session.scalars(select(ItemRow))}
        queue_keys = {q.id: q.key for q in session.scalars(select(QueueRow))}
        reviewers = list(session.scalars(select(UserRow)))
    assert {r.source for r in reports} == {s.value for s in ReportSource}
    countries = Counter(r.country for r in reports)
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in countries)
    eu = {"AT", "BE", "CZ", "DE", "DK", "ES", "FI", "FR", "GR", "IE", "IT", "NL", "PL", "PT", "RO", "SE"}
    assert sum(n for c, n in countries.items() if c in eu) / len(reports) > 0.75
    assert len({r.comment for r in reports}) > 30
    assert all(PolicyReason(r.reason) for r in reports)

    classifiers = [s for s in signals if s.kind == SignalKind.CLASSIFIER]
    assert {"scam_classifier", "spam_classifier", "hate_speech_classifier"} <= {s.label for s in classifiers}
    assert all(s.score is not None and 0 <= s.score <= 1 for s in classifiers)
    matches = [s for s in signals if s.kind == SignalKind.HASH_MATCH]
    assert {s.label for s in matches} == {"industry-hash-list", "shared-extremism-hash-list"}
    assert all(s.score is None and "synthetic" in s.detail for s in matches)
    assert {queue_keys[items[s.item_id].queue_id] for s in matches} <= {"child_safety", "terrorism", "escalations"}

    assert all(not r.active and not verify_password("demo", r.password_hash) for r in reviewers)
    by_id = {d.id: d for d in decisions}
    decided = [i for i in items.values() if i.status == ItemStatus.DECIDED]
    assert len(decided) >= 10
    for item in decided:
        assert item.decision_id is not None
        in_force = by_id[item.decision_id]
        assert in_force.item_id == item.id and in_force.reverted_at is None and Action(in_force.action).is_final
    assert any(d.reverted_at is not None and d.revert_note for d in decisions)
    for d in decisions:
        assert not Action(d.action).needs_reason or d.reason is not None
        if d.action == Action.ESCALATE:
            assert queue_keys[items[d.item_id].queue_id] == "escalations" and d.escalation_target
    # History to show: a decided item shares its channel with open items.
    open_channels = {i.channel_id for i in items.values() if i.status == ItemStatus.PENDING}
    assert any(item.channel_id in open_channels for item in decided)


def _is_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


@pytest.mark.slow
def test_post_texts_exercise_plain_text_handling(full: Seeded) -> None:
    with Session(full.engine) as session:
        posts = list(session.scalars(select(PostRow)))
        by_channel = Counter(p.channel_id for p in posts)
    texts = [p.text for p in posts]
    assert {"en", "de", "fr", "ru", "uk", "es"} <= {p.language for p in posts}
    assert any(_is_rtl(t) for t in texts)
    assert any(ord(ch) >= 0x1F300 for t in texts for ch in t)  # emoji
    assert any("<b>" in t for t in texts) and any("<img src=http://example.invalid/x.png>" in t for t in texts)
    assert any("https://" in t for t in texts) and any(re.search(r"@\w+", t) for t in texts)
    assert max(len(t) for t in texts) > 5000
    assert min(by_channel.values()) >= 2
    assert any(p.forwarded_from for p in posts)


@pytest.mark.slow
def test_post_languages_match_their_scripts(full: Seeded) -> None:
    scripts = {"CYRILLIC": {"ru", "uk"}, "ARABIC": {"ar"}, "HEBREW": {"he"}}
    with Session(full.engine) as session:
        posts = list(session.scalars(select(PostRow).where(PostRow.text != "")))
    for post in posts:
        letters = {unicodedata.name(ch, "").split(" ")[0] for ch in post.text if ch.isalpha()}
        for script, languages in scripts.items():
            assert (script in letters) == (post.language in languages), (post.language, post.text[:40])


@pytest.mark.slow
def test_child_safety_items_use_neutral_stand_ins_only(full: Seeded) -> None:
    with Session(full.engine) as session:
        channels = list(
            session.scalars(
                select(ChannelRow)
                .join(ItemRow, ItemRow.channel_id == ChannelRow.id)
                .join(QueueRow)
                .distinct()
                .where(QueueRow.key == "child_safety")
            )
        )
        ids = [c.id for c in channels]
        posts = list(session.scalars(select(PostRow).where(PostRow.channel_id.in_(ids))))
        comments = list(
            session.scalars(
                select(ReportRow.comment).join(ItemRow).join(QueueRow).where(QueueRow.key == "child_safety")
            )
        )
    assert channels and posts and comments
    assert all(c.handle.startswith("cs_test_channel_") and "synthetic" in c.description for c in channels)
    assert all(re.fullmatch(r"\[synthetic child-safety test (item|post) #\d+\]", p.text) for p in posts)
    assert all(re.fullmatch(r"\[synthetic child-safety test report #\d+-\d\]", c) for c in comments)


@pytest.mark.slow
def test_media_rows_agree_with_blobs_and_every_image_has_fine_detail(full: Seeded) -> None:
    with Session(full.engine) as session:
        media = list(session.scalars(select(MediaRow)))
        blobs = {b.media_id: b.data for b in session.scalars(select(MediaBlobRow))}
        posts = session.scalar(select(func.count()).select_from(PostRow))
    assert posts is not None and len(blobs) == len(media)
    with_media = Counter(m.post_id for m in media)
    assert 0.45 <= len(with_media) / posts <= 0.75 and set(with_media.values()) <= {1, 2, 3}
    pictures = [m for m in media if m.kind == "image"]
    assert {m.mime_type for m in pictures} == {"image/jpeg", "image/png"}
    assert {(m.kind, m.mime_type) for m in media if m not in pictures} == {("video", "video/x-msvideo")}
    assert len({(m.width, m.height) for m in pictures}) >= 5 and any(m.height > m.width for m in pictures)
    checked: set[str] = set()
    for row in media:
        data = blobs[row.id]
        assert len(data) == row.size_bytes and hashlib.sha256(data).hexdigest() == row.sha256
        if row.kind == "video":
            continue  # see test_demo_videos.py
        if row.sha256 in checked:
            continue  # a repost of a picture already checked
        checked.add(row.sha256)
        image = QImage.fromData(data, "JPG" if row.mime_type == "image/jpeg" else "PNG")
        assert not image.isNull(), row.id
        assert (image.width(), image.height()) == (row.width, row.height)
        mean, peak = detail(image)
        assert mean > 2.0 and peak > 12, (row.id, mean, peak)
    assert len(checked) < len(media)  # some pictures are reposted
    assert full.path.stat().st_size < 40_000_000


@pytest.mark.slow
def test_summary_matches_the_database(full: Seeded) -> None:
    s = full.summary
    with Session(full.engine) as session:

        def count(row: type[Any]) -> int:
            return session.scalar(select(func.count()).select_from(row)) or 0

        assert (s.queues, s.channels, s.posts, s.media, s.items, s.reports, s.signals, s.decisions) == (
            count(QueueRow),
            count(ChannelRow),
            count(PostRow),
            count(MediaRow),
            count(ItemRow),
            count(ReportRow),
            count(SignalRow),
            count(DecisionRow),
        )
        assert s.media_bytes == session.scalar(select(func.sum(MediaRow.size_bytes)))
    assert s.open_items + s.decided_items == s.items and s.seconds > 0

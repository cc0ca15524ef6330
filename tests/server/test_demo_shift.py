"""The demo's current shift (moderator_app/server/demo/shift.py): decisions by the demo moderators over the last 12
hours, written the way the server writes them, so the lead dashboard's pace columns and "Decided" bars show work."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moderator_app.core.models import ItemStatus
from moderator_app.core.policy import Action
from moderator_app.core.roles import Permission, permissions_for
from moderator_app.server.app import create_app
from moderator_app.server.config import ServerSettings
from moderator_app.server.demo import DEMO_PASSWORD, create_demo_users, seed_demo
from moderator_app.server.demo.qa import seed_demo_qa
from moderator_app.server.demo.shift import DemoShiftSummary, seed_demo_shift
from moderator_app.server.demo.shift_plan import SHIFT
from moderator_app.server.security import TEST_SCRYPT
from moderator_app.server.services.auth import parse_roles
from moderator_app.server.tables import (
    AuditRow,
    ChannelRow,
    DecisionRow,
    ItemRow,
    PostRow,
    QaSampleRow,
    ReportRow,
    UserRow,
)
from tests.server.conftest import make_test_client
from tests.server.test_demo_data import new_engine

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # mid-afternoon UTC: "today" holds the whole shift
SHIFT_START = NOW - timedelta(hours=12)
SHIFT_USERS = {member.username for member in SHIFT}


@dataclass
class Demo:
    engine: Engine
    url: str
    open_before: list[tuple[int, str, int]]  # (item id, status, queue id) of every open item before the shift
    summary: DemoShiftSummary


def _open_items(engine: Engine) -> list[tuple[int, str, int]]:
    with Session(engine) as session:
        rows = session.execute(
            select(ItemRow.id, ItemRow.status, ItemRow.queue_id)
            .where(ItemRow.status != ItemStatus.DECIDED.value)
            .order_by(ItemRow.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def _seed(path: Path) -> Demo:
    """The app's demo seeding (server/app.py), on the small dataset and at a fixed time."""
    engine = new_engine(path)
    seed_demo(engine, scale="small", now=NOW)
    create_demo_users(engine, kdf=TEST_SCRYPT)
    seed_demo_qa(engine, now=NOW)
    before = _open_items(engine)
    summary = seed_demo_shift(engine, now=NOW)
    return Demo(engine, f"sqlite:///{path}", before, summary)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, qapp: Any) -> Iterator[Demo]:
    seeded = _seed(tmp_path_factory.mktemp("demo-shift") / "demo.db")
    yield seeded
    seeded.engine.dispose()


def _shift_decisions(session: Session) -> list[tuple[DecisionRow, str]]:
    rows = session.execute(
        select(DecisionRow, UserRow.username)
        .join(UserRow, UserRow.id == DecisionRow.user_id)
        .where(DecisionRow.decided_at >= SHIFT_START)
        .order_by(DecisionRow.id)
    )
    return [(decision, username) for decision, username in rows]


def test_the_demo_moderators_decided_items_all_through_the_last_12_hours(demo: Demo) -> None:
    with Session(demo.engine) as session:
        decided = [(d, name) for d, name in _shift_decisions(session) if d.action != Action.ESCALATE.value]
        users = {u.username: u for u in session.scalars(select(UserRow).where(UserRow.username.in_(SHIFT_USERS)))}
    assert demo.summary.decisions == len(decided) >= 60
    assert all(SHIFT_START <= d.decided_at <= NOW for d, _ in decided)
    by_user = Counter(name for _, name in decided)
    assert set(by_user) == SHIFT_USERS and min(by_user.values()) >= 8  # the demo moderator and three colleagues
    for user in users.values():
        assert user.active and Permission.REVIEW in permissions_for(parse_roles(user.roles))
    hours = Counter(int((NOW - d.decided_at).total_seconds() // 3600) for d, _ in decided)
    assert len(hours) >= 11 and max(hours.values()) <= 25  # a spread over the hours, not one burst
    actions = Counter(d.action for d, _ in decided)
    assert actions[Action.REMOVE_POST.value] > actions[Action.NO_VIOLATION.value] > 0 and len(actions) >= 4


def test_shift_items_are_decided_as_the_server_decides_them(demo: Demo) -> None:
    with Session(demo.engine) as session:
        decided = [d for d, _ in _shift_decisions(session) if d.action != Action.ESCALATE.value]
        items = {i.id: i for i in session.scalars(select(ItemRow).where(ItemRow.id.in_([d.item_id for d in decided])))}
        audit = list(session.scalars(select(AuditRow).where(AuditRow.item_id.in_(items)).order_by(AuditRow.id)))
        reports = list(session.scalars(select(ReportRow).where(ReportRow.item_id.in_(items))))
        posts = {p.id: p for p in session.scalars(select(PostRow))}
        child_safety = set(session.scalars(select(ChannelRow.id).where(ChannelRow.handle.startswith("cs_test_"))))
        samples = list(session.scalars(select(QaSampleRow).where(QaSampleRow.decision_id.in_([d.id for d in decided]))))
    assert len(items) == len(decided)  # one decision per item: none reverted, none decided twice
    for decision in decided:
        item = items[decision.item_id]
        assert item.status == ItemStatus.DECIDED and item.decision_id == decision.id
        assert item.claimed_by is None and item.lease_expires_at is None and decision.reverted_at is None
        # Claimed, then decided within the lease: the handling time the dashboard shows.
        assert decision.claimed_at is not None
        assert item.flagged_at < decision.claimed_at < decision.decided_at
        assert decision.decided_at - decision.claimed_at <= timedelta(minutes=5)
        assert not Action(decision.action).needs_reason or decision.reason is not None
        if item.post_id is not None:
            post = posts[item.post_id]
            assert post.channel_id == item.channel_id and post.posted_at < item.flagged_at
            if item.channel_id in child_safety:  # neutral stand-ins only, as in the rest of the demo
                assert re.fullmatch(r"\[synthetic child-safety test item #\d+\]", post.text), post.text
    claimed_at = {d.item_id: d.claimed_at for d in decided}
    assert all(r.created_at <= claimed_at[r.item_id] for r in reports)  # reported before anyone looked
    assert any(r.comment.startswith("[synthetic child-safety test report #") for r in reports)
    first_reports = {r.item_id: min(x.created_at for x in reports if x.item_id == r.item_id) for r in reports}
    assert all(first_reports[item_id] == item.flagged_at for item_id, item in items.items())
    # The audit log has each item's claim and decision, by the same person, in that order.
    for item_id in items:
        rows = [(row.action, row.actor_name) for row in audit if row.item_id == item_id and row.action != "qa_sampled"]
        assert [action for action, _ in rows] == ["claim", "decision"], rows
        assert rows[0][1] == rows[1][1] in SHIFT_USERS
    by_id = {d.id: d for d in decided}
    decision_rows = [row for row in audit if row.action == "decision"]
    assert all(by_id[row.details["decision_id"]].item_id == row.item_id for row in decision_rows)
    # QA sampling ran as for any decision (5 % by default), and each sample has its audit row.
    assert 0 < demo.summary.sampled == len(samples) < len(decided) // 4
    assert {s.decision_id for s in samples} == {r.details["decision_id"] for r in audit if r.action == "qa_sampled"}


def test_the_open_queues_are_left_as_they_were(demo: Demo) -> None:
    assert _open_items(demo.engine) == demo.open_before
    assert len(demo.open_before) >= 30


def test_a_second_run_adds_nothing_and_colleagues_cannot_sign_in(demo: Demo) -> None:
    assert seed_demo_shift(demo.engine, now=NOW).decisions == 0
    app = create_app(ServerSettings(db_url=demo.url, password_kdf=TEST_SCRYPT), engine=demo.engine, clock=lambda: NOW)
    with make_test_client(app) as client:
        for member in SHIFT:
            answer = client.post("/api/v1/auth/login", json={"username": member.username, "password": DEMO_PASSWORD})
            assert answer.status_code == (200 if member.sign_in else 401), member.username


def test_the_dashboards_team_endpoints_report_pace_and_decided_bars(demo: Demo) -> None:
    app = create_app(ServerSettings(db_url=demo.url, password_kdf=TEST_SCRYPT), engine=demo.engine, clock=lambda: NOW)
    with make_test_client(app) as client:
        login = client.post("/api/v1/auth/login", json={"username": "demo-lead", "password": DEMO_PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        moderators = client.get("/api/v1/team/moderators", headers=headers)
        stats = client.get("/api/v1/team/queues/stats", headers=headers, params={"hours": 12})
    assert moderators.status_code == 200 and stats.status_code == 200
    rows = {row["username"]: row for row in moderators.json()}
    assert rows.keys() >= SHIFT_USERS
    for member in SHIFT:
        row = rows[member.username]
        assert row["decisions_today"] > 0 and row["decisions_per_hour_today"] > 0
        assert row["median_handling_seconds"] is not None and 0 < row["median_handling_seconds"] <= 300
    working = [m for m in SHIFT if m.end_hours_ago == 0]
    assert working and all(rows[m.username]["decisions_last_hour"] > 0 for m in working)
    queues = stats.json()["queues"]
    decided = {q["key"]: sum(bucket["decided"] for bucket in q["series"]) for q in queues}
    assert sum(decided.values()) >= 60
    assert {key for key, count in decided.items() if count} >= {"spam", "scams", "hate", "terrorism", "drugs"}
    buckets_with_decisions = sum(1 for n in range(12) if any(q["series"][n]["decided"] for q in queues))
    assert buckets_with_decisions >= 11
    assert sum(q["outflow_last_hour"] for q in queues) > 0


def test_the_same_seed_gives_the_same_shift(demo: Demo, tmp_path: Path) -> None:
    again = _seed(tmp_path / "again.db")
    try:

        def shift_rows(engine: Engine) -> list[tuple[Any, ...]]:
            with Session(engine) as session:
                rows = []
                for d, name in _shift_decisions(session):
                    item = session.get(ItemRow, d.item_id)
                    assert item is not None
                    post = session.get(PostRow, item.post_id) if item.post_id is not None else None
                    rows.append((name, d.action, d.reason, d.note, d.decided_at, d.claimed_at, item.queue_id,
                                 item.flagged_at, item.deadline, post.text if post else None))  # fmt: skip
                return rows

        assert shift_rows(again.engine) == shift_rows(demo.engine)
        assert again.summary.sampled == demo.summary.sampled
    finally:
        again.engine.dispose()

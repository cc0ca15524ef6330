"""A lead reassigns by filter while moderators keep claiming (real server; SQLite, and PostgreSQL when set up): one
transaction, exactly the matching items, none lost, none claimed twice."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from random import Random

import requests
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.tables import AuditRow, ItemRow, UserRow
from tests.conftest import password_of
from tests.factories import add_queue, add_queue_with_items

ITEMS = 150
MOVE = 60


def _signed_in(server: EmbeddedServer, username: str) -> requests.Session:
    http = requests.Session()
    response = http.post(
        f"{server.url}/api/v1/auth/login", json={"username": username, "password": password_of(username)}, timeout=10
    )
    response.raise_for_status()
    http.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return http


def test_reassigning_by_filter_while_moderators_claim(seeded_server: EmbeddedServer) -> None:
    now = datetime.now(UTC)
    # Deadlines (and so flag times) in shuffled order, so "oldest first" is not simply creation order.
    minutes = list(range(ITEMS))
    Random(5).shuffle(minutes)
    source, ids = add_queue_with_items(seeded_server.engine, "busy", [now + timedelta(minutes=m) for m in minutes])
    with Session(seeded_server.engine) as session:
        target = add_queue(session, "relief")
        session.commit()

    moderators = {name: _signed_in(seeded_server, name) for name in ("alice", "bob")}
    lead = _signed_in(seeded_server, "lena")
    claimed: dict[str, list[int]] = {name: [] for name in moderators}
    errors: list[str] = []
    start = threading.Barrier(3)
    some_claimed = threading.Event()
    result: dict[str, object] = {}

    def moderate(name: str, http: requests.Session, seed: int) -> None:
        rng = Random(seed)
        try:
            start.wait(timeout=10)
            while True:
                response = http.post(
                    f"{seeded_server.url}/api/v1/queues/{source}/claims", json={"count": rng.randint(1, 3)}, timeout=30
                )
                if response.status_code != 200:
                    errors.append(f"{name}: {response.status_code} {response.text[:200]}")
                    return
                got = [entry["item"]["id"] for entry in response.json()["items"]]
                if not got:
                    return
                claimed[name].extend(got)
                if sum(len(v) for v in claimed.values()) >= 20:
                    some_claimed.set()
        except Exception as exc:  # reported by the test thread
            errors.append(repr(exc))

    def reassign() -> None:
        try:
            start.wait(timeout=10)
            some_claimed.wait(timeout=30)
            response = lead.post(
                f"{seeded_server.url}/api/v1/team/reassign",
                json={
                    "filter": {"queue_id": source, "status": "pending", "limit": MOVE, "order": "oldest_first"},
                    "target": {"queue_id": target},
                },
                timeout=30,
            )
            if response.status_code != 200:
                errors.append(f"lead: {response.status_code} {response.text[:200]}")
            result.update(response.json())
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=moderate, args=(n, h, i)) for i, (n, h) in enumerate(moderators.items())]
    threads.append(threading.Thread(target=reassign))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors

    moved = list(result["item_ids"])  # type: ignore[call-overload]
    handed_out = Counter(claimed["alice"] + claimed["bob"])
    assert [item for item, times in handed_out.items() if times > 1] == []  # none claimed twice
    assert not set(moved) & set(handed_out)  # nothing both moved and claimed
    assert sorted(moved + list(handed_out)) == sorted(ids)  # nothing lost

    with Session(seeded_server.engine) as session:
        audit = session.execute(
            select(AuditRow.id, AuditRow.action, AuditRow.item_id).where(
                AuditRow.item_id.in_(ids), AuditRow.action.in_(("claim", "reassign"))
            )
        ).all()
        rows = {row.id: row for row in session.scalars(select(ItemRow).where(ItemRow.id.in_(ids)))}
        names = dict(session.execute(select(UserRow.id, UserRow.username)).all())
    move_ids = [audit_id for audit_id, action, _ in audit if action == "reassign"]
    assert len(move_ids) == len(moved)
    if seeded_server.engine.dialect.name == "postgresql":
        # One transaction: every row of the move was written by the same one (ids come from a sequence that
        # concurrent claims draw from too, so they need not be consecutive there).
        with seeded_server.engine.connect() as connection:
            writers = connection.execute(
                select(text("xmin::text")).select_from(AuditRow).where(AuditRow.id.in_(move_ids)).distinct()
            ).all()
        assert len(writers) == 1
    else:
        # One transaction: writers take turns, so no claim's audit row falls between the first and last of the move.
        assert max(move_ids) - min(move_ids) == len(moved) - 1
    claimed_before = {item for audit_id, action, item in audit if action == "claim" and audit_id < min(move_ids)}
    assert claimed_before  # the move ran while moderators were claiming
    # Exactly the matching items: the MOVE oldest among those nobody had claimed when the move ran.
    oldest_first = sorted(ids, key=lambda i: (rows[i].flagged_at, i))
    assert moved == [i for i in oldest_first if i not in claimed_before][:MOVE]
    for item_id in moved:
        assert (rows[item_id].queue_id, rows[item_id].status, rows[item_id].claimed_by) == (target, "pending", None)
    for name, items in claimed.items():
        assert all(rows[i].queue_id == source and names[rows[i].claimed_by] == name for i in items)
    for http in [*moderators.values(), lead]:
        http.close()

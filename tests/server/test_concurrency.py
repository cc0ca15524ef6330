"""Concurrent requests against a real server (uvicorn in a thread; SQLite, and PostgreSQL when set up): no double
claims, one decision."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from random import Random

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.tables import ItemRow, UserRow
from tests.conftest import password_of
from tests.factories import add_queue_with_items

ROUNDS = 6
ITEMS_PER_ROUND = 20


def _session_for(server: EmbeddedServer, username: str) -> requests.Session:
    http = requests.Session()
    response = http.post(
        f"{server.url}/api/v1/auth/login", json={"username": username, "password": password_of(username)}, timeout=10
    )
    response.raise_for_status()
    http.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return http


def _claim_until_empty(
    http: requests.Session, url: str, seed: int, start: threading.Barrier, got: list[int], errors: list[str]
) -> None:
    rng = Random(seed)
    try:
        start.wait(timeout=10)
        while True:
            response = http.post(url, json={"count": rng.randint(1, 3)}, timeout=30)
            if response.status_code != 200:
                errors.append(f"{response.status_code} {response.text[:200]}")
                return
            ids = [entry["item"]["id"] for entry in response.json()["items"]]
            if not ids:
                return
            got.extend(ids)
    except Exception as exc:  # reported by the test thread
        errors.append(repr(exc))


def test_two_threads_claiming_one_queue_never_share_an_item(seeded_server: EmbeddedServer) -> None:
    sessions = {name: _session_for(seeded_server, name) for name in ("alice", "bob")}
    now = datetime.now(UTC)
    for round_number in range(ROUNDS):
        deadlines = [now + timedelta(minutes=(n * 7) % ITEMS_PER_ROUND) for n in range(ITEMS_PER_ROUND)]
        queue_id, ids = add_queue_with_items(seeded_server.engine, f"race_{round_number}", deadlines)
        url = f"{seeded_server.url}/api/v1/queues/{queue_id}/claims"
        start = threading.Barrier(2)
        got: dict[str, list[int]] = {name: [] for name in sessions}
        errors: list[str] = []
        threads = [
            threading.Thread(
                target=_claim_until_empty, args=(http, url, round_number * 10 + n, start, got[name], errors)
            )
            for n, (name, http) in enumerate(sessions.items())
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors
        handed_out = Counter(got["alice"] + got["bob"])
        assert [item for item, times in handed_out.items() if times > 1] == []
        assert sorted(handed_out) == sorted(ids)
        with Session(seeded_server.engine) as session:
            holders = dict(
                session.execute(
                    select(ItemRow.id, UserRow.username)
                    .join(UserRow, UserRow.id == ItemRow.claimed_by)
                    .where(ItemRow.queue_id == queue_id)
                ).all()
            )
        assert holders == {item: name for name, items in got.items() for item in items}
    for http in sessions.values():
        http.close()


def _decide(http: requests.Session, url: str, key: str, start: threading.Barrier, statuses: list[int]) -> None:
    start.wait(timeout=10)
    response = http.post(
        url, json={"action": "remove_post", "reason": "spam"}, headers={"Idempotency-Key": key}, timeout=30
    )
    statuses.append(response.status_code)


def test_racing_decisions_on_one_item_apply_once(seeded_server: EmbeddedServer) -> None:
    now = datetime.now(UTC)
    _queue_id, ids = add_queue_with_items(seeded_server.engine, "race_decide", [now + timedelta(minutes=5)] * 8)
    sessions = {name: _session_for(seeded_server, name) for name in ("alice", "bob")}
    for item_id in ids:
        url = f"{seeded_server.url}/api/v1/items/{item_id}/decisions"
        start = threading.Barrier(2)
        statuses: list[int] = []
        threads = [
            threading.Thread(target=_decide, args=(http, url, f"race-{name}-{item_id}", start, statuses))
            for name, http in sessions.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(statuses) == [201, 409]
    for http in sessions.values():
        http.close()

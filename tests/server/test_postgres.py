"""The claim and decision flow on PostgreSQL (SELECT ... FOR UPDATE SKIP LOCKED), when a server is available.

Set MODERATOR_TEST_POSTGRES_URL to a PostgreSQL URL whose user may create databases, e.g.
postgresql://postgres@127.0.0.1:55432/postgres; each run works in a database of its own and drops it afterwards.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url

from moderator_app.server.config import ServerSettings
from moderator_app.server.db import make_engine
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.migrate import current_revision, head_revision
from moderator_app.server.security import TEST_SCRYPT
from moderator_app.server.tables import Base
from tests.conftest import MovableClock, create_test_users, password_of
from tests.factories import add_queue_with_items, seed_small

POSTGRES_URL = os.environ.get("MODERATOR_TEST_POSTGRES_URL")

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="set MODERATOR_TEST_POSTGRES_URL to run the PostgreSQL tests")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    assert POSTGRES_URL
    name = f"moderator_test_{secrets.token_hex(4)}"
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_server(postgres_url: str) -> Iterator[tuple[EmbeddedServer, MovableClock]]:
    clock = MovableClock()
    server = EmbeddedServer(ServerSettings(db_url=postgres_url, port=0, password_kdf=TEST_SCRYPT), clock=clock)
    server.start()
    try:
        seed_small(server.engine)
        create_test_users(server.engine)
        yield server, clock
    finally:
        server.stop()


def _login(server: EmbeddedServer, username: str) -> requests.Session:
    http = requests.Session()
    response = http.post(
        f"{server.url}/api/v1/auth/login", json={"username": username, "password": password_of(username)}, timeout=10
    )
    response.raise_for_status()
    http.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return http


def test_claim_and_decision_flow_on_postgres(pg_server: tuple[EmbeddedServer, MovableClock]) -> None:
    server, clock = pg_server
    assert server.engine.dialect.name == "postgresql"
    assert current_revision(server.engine) == head_revision()
    api = f"{server.url}/api/v1"
    alice, bob, lena = _login(server, "alice"), _login(server, "bob"), _login(server, "lena")

    # Earliest deadline first, and two moderators claiming at once never share an item.
    now = clock()
    deadlines = [now + timedelta(minutes=(n * 7) % 40) for n in range(40)]
    queue_id, ids = add_queue_with_items(server.engine, "pg_race", deadlines)
    got: dict[str, list[int]] = {"alice": [], "bob": []}
    errors: list[str] = []
    start = threading.Barrier(2)

    def claim_all(name: str, http: requests.Session) -> None:
        start.wait(timeout=10)
        while True:
            response = http.post(f"{api}/queues/{queue_id}/claims", json={"count": 2}, timeout=30)
            if response.status_code != 200:
                errors.append(response.text)
                return
            batch = [entry["item"]["id"] for entry in response.json()["items"]]
            if not batch:
                return
            got[name].extend(batch)

    threads = [threading.Thread(target=claim_all, args=(n, h)) for n, h in (("alice", alice), ("bob", bob))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    counts = Counter(got["alice"] + got["bob"])
    assert sorted(counts) == sorted(ids) and set(counts.values()) == {1}
    by_deadline = sorted(ids, key=lambda i: (deadlines[ids.index(i)], i))
    assert got["alice"] == sorted(got["alice"], key=by_deadline.index)

    # Renew and release; someone else's claim is 409.
    mine = got["alice"][0]
    assert alice.post(f"{api}/items/{mine}/claim/renew", timeout=10).status_code == 200
    assert bob.post(f"{api}/items/{mine}/claim/renew", timeout=10).status_code == 409

    # Decide idempotently, then a second decision is 409 naming the first; a lead reverts it.
    body = {"action": "remove_post", "reason": "spam"}
    first = alice.post(
        f"{api}/items/{mine}/decisions", json=body, headers={"Idempotency-Key": "pg-key-0001"}, timeout=10
    )
    retry = alice.post(
        f"{api}/items/{mine}/decisions", json=body, headers={"Idempotency-Key": "pg-key-0001"}, timeout=10
    )
    assert (first.status_code, retry.status_code) == (201, 201) and first.json() == retry.json()
    other = bob.post(
        f"{api}/items/{mine}/decisions", json={"action": "no_violation"}, headers={"Idempotency-Key": "pg-key-0002"}
    )
    assert other.status_code == 409
    assert other.json()["error"]["details"]["decision"]["id"] == first.json()["id"]
    reverted = lena.post(f"{api}/decisions/{first.json()['id']}/revert", json={"note": "recheck"}, timeout=10)
    assert reverted.status_code == 200
    assert lena.get(f"{api}/items/{mine}", timeout=10).json()["status"] == "pending"

    # Leases run out: the items come back, with a lease_expired row each (the reverted item was already back).
    clock.advance(301)
    back = bob.post(f"{api}/queues/{queue_id}/claims", json={"count": 50}, timeout=30).json()["items"]
    assert sorted(entry["item"]["id"] for entry in back) == sorted(ids)
    audit = lena.get(f"{api}/audit", params={"action": "lease_expired", "queue_id": queue_id, "limit": 500}, timeout=10)
    assert len(audit.json()["entries"]) == len(ids) - 1
    for http in (alice, bob, lena):
        http.close()


def test_schema_team_qa_and_appeal_flows_on_postgres(pg_server: tuple[EmbeddedServer, MovableClock]) -> None:
    """The migrations build exactly tables.py on PostgreSQL too, and the lead, QA and appeal paths run there."""
    server, clock = pg_server
    with server.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    api = f"{server.url}/api/v1"
    alice, lena, quinn, ada, bob = (_login(server, name) for name in ("alice", "lena", "quinn", "ada", "bob"))
    now = clock()
    queue_id, ids = add_queue_with_items(server.engine, "pg_team", [now + timedelta(minutes=m) for m in range(6)])
    target, _ = add_queue_with_items(server.engine, "pg_target", [now + timedelta(hours=5)])

    moved = lena.post(
        f"{api}/team/reassign",
        json={"filter": {"queue_id": queue_id, "limit": 2}, "target": {"queue_id": target, "assign_to": "bob"}},
        timeout=10,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["item_ids"] == ids[:2]
    undone = lena.post(f"{api}/team/reassign/{moved.json()['operation_id']}/undo", timeout=10).json()
    assert undone["restored_ids"] == ids[:2]
    stats = lena.get(f"{api}/team/queues/stats", timeout=10)
    assert stats.status_code == 200 and lena.get(f"{api}/team/moderators", timeout=10).status_code == 200
    etag = stats.headers["ETag"]
    assert lena.get(f"{api}/team/queues/stats", headers={"If-None-Match": etag}, timeout=10).status_code == 304

    assert lena.put(f"{api}/qa/sampling", json={"default_rate": 1.0}, timeout=10).status_code == 200
    claimed = alice.post(f"{api}/queues/{queue_id}/claims", json={"count": 2}, timeout=10).json()["items"]
    decided = [
        alice.post(
            f"{api}/items/{entry['item']['id']}/decisions",
            json={"action": "remove_post", "reason": "spam"},
            headers={"Idempotency-Key": f"pg-team-{n:04d}"},
            timeout=10,
        ).json()
        for n, entry in enumerate(claimed)
    ]
    sample = quinn.post(f"{api}/qa/claims", json={"count": 1}, timeout=10).json()["samples"][0]
    assert sample["item"]["decision"] is None
    quinn.post(f"{api}/qa/samples/{sample['sample_id']}/review", json={"action": "no_violation"}, timeout=10)
    verdict = quinn.post(
        f"{api}/qa/samples/{sample['sample_id']}/verdict", json={"agree": False, "reason": "fine"}, timeout=10
    ).json()
    resolved = lena.post(
        f"{api}/qa/disputes/{verdict['dispute_id']}/resolve", json={"outcome": "overturn", "note": "ok"}, timeout=10
    )
    assert resolved.json()["decision"]["revert_kind"] == "qa_overturn"
    assert lena.get(f"{api}/qa/agreement", params={"format": "csv"}, timeout=10).status_code == 200

    other = next(d for d in decided if d["item_id"] != sample["item"]["id"])
    appeal = ada.post(
        f"{api}/appeals", json={"decision_id": other["id"], "statement": "x", "contact_ref": "y"}, timeout=10
    ).json()
    assert alice.post(f"{api}/appeals/{appeal['id']}/claim", timeout=10).status_code == 403
    assert bob.post(f"{api}/appeals/{appeal['id']}/claim", timeout=10).status_code == 200
    reversed_ = bob.post(
        f"{api}/appeals/{appeal['id']}/decide", json={"outcome": "reverse", "note": "ok"}, timeout=10
    ).json()
    assert reversed_["decision"]["revert_kind"] == "appeal"
    window = {"from": (now - timedelta(minutes=1)).isoformat(), "limit": 5}
    assert lena.get(f"{api}/audit", params=window, timeout=10).json()["entries"]
    for http in (alice, lena, quinn, ada, bob):
        http.close()


def test_ids_past_two_to_the_31_work_end_to_end_on_postgres(pg_server: tuple[EmbeddedServer, MovableClock]) -> None:
    """A large platform's item, post, report, decision and audit ids pass 2^31: stored, claimed, decided, listed."""
    server, clock = pg_server
    big = 3_000_000_000
    with server.engine.begin() as connection:
        for table in ("channels", "posts", "items", "decisions", "audit_log", "idempotency_keys"):
            connection.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"), {"t": table, "v": big})
    queue_id, ids = add_queue_with_items(server.engine, "pg_big", [clock() + timedelta(minutes=5)])
    assert ids[0] > big
    api = f"{server.url}/api/v1"
    alice, lena = _login(server, "alice"), _login(server, "lena")
    claimed = alice.post(f"{api}/queues/{queue_id}/claims", json={"count": 1}, timeout=10).json()["items"]
    assert [entry["item"]["id"] for entry in claimed] == ids
    assert claimed[0]["item"]["post"]["id"] > big and claimed[0]["item"]["channel"]["id"] > big
    decided = alice.post(
        f"{api}/items/{ids[0]}/decisions",
        json={"action": "remove_post", "reason": "spam"},
        headers={"Idempotency-Key": "pg-big-0001"},
        timeout=10,
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["id"] > big and decided.json()["item_id"] == ids[0]
    audit = lena.get(f"{api}/audit", params={"item_id": ids[0], "limit": 50}, timeout=10).json()["entries"]
    assert audit and all(entry["id"] > big for entry in audit)
    for http in (alice, lena):
        http.close()

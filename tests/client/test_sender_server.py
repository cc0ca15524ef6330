"""The outbox and its sender against the real server: exactly-once delivery, conflicts, going offline and back."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from moderator_app.client.api import ApiClient
from moderator_app.client.outbox import Outbox
from moderator_app.client.sender import OutboxSender
from moderator_app.core.models import DecisionRequest
from moderator_app.core.policy import Action, PolicyReason

REMOVE = DecisionRequest(action=Action.REMOVE_POST, reason=PolicyReason.SCAM_FRAUD, note="sent via outbox")
KEEP = DecisionRequest(action=Action.NO_VIOLATION)
LATER = timedelta(hours=1)  # far past any backoff, so a round sends whatever is pending


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


@pytest.fixture
def clients() -> Iterator[Callable[[str, str], ApiClient]]:
    made: list[ApiClient] = []

    def make(url: str, username: str) -> ApiClient:
        api = ApiClient(url, timeout=5.0)
        api.login(username, f"pw-{username}")
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


def claim_items(api: ApiClient, count: int) -> list[int]:
    queue = max(api.queues(), key=lambda q: q.pending)
    batch = api.claim(queue.id, count)
    assert len(batch.items) == count
    return [claimed.item.id for claimed in batch.items]


def decisions_recorded(lead: ApiClient, item_id: int) -> int:
    return sum(entry.action == "decision" for entry in lead.audit(item_id=item_id, action="decision").entries)


def test_entries_reach_the_server_exactly_once_and_conflicts_are_recorded(
    seeded_server: Any, outbox: Outbox, clients: Callable[[str, str], ApiClient]
) -> None:
    alice, bob, lena = (clients(seeded_server.url, name) for name in ("alice", "bob", "lena"))
    first, second, taken = claim_items(alice, 3)
    now = datetime.now(UTC)
    entries = [outbox.add(item_id, REMOVE, 0, now=now) for item_id in (first, second, taken)]
    bobs = bob.decide(taken, KEEP, "bob-key-0001")  # bob gets there first
    # The first entry's request reached the server once already but its answer was lost (killed app, dropped
    # connection): the resend carries the same key.
    earlier = alice.decide(first, REMOVE, entries[0].idempotency_key)

    sender = OutboxSender(outbox, alice, rng=random.Random(1))
    report = sender.send_due(now)
    assert (report.sent, report.retrying, report.offline, report.failed) == (2, 0, False, [])
    [conflict] = report.conflicts
    assert (conflict.item_id, conflict.state, conflict.other_decision) == (taken, "conflict", bobs)
    assert conflict.last_error and "bob" in conflict.last_error

    sent = {entry.item_id: entry for entry in outbox.entries(["sent"])}
    assert sent[first].decision_id == earlier.id
    for item_id in (first, second):
        decision = alice.item(item_id).decision
        assert decision is not None and decision.id == sent[item_id].decision_id and decision.decided_by == "alice"
        assert decisions_recorded(lena, item_id) == 1
    assert alice.item(taken).decision == bobs

    # Another round sends nothing again.
    assert sender.send_due(now + LATER).sent == 0
    assert decisions_recorded(lena, second) == 1


def test_offline_entries_stay_pending_and_go_out_when_the_server_is_back(
    server_factory: Callable[..., Any],
    seeded_db_url: str,
    outbox: Outbox,
    clients: Callable[[str, str], ApiClient],
) -> None:
    server = server_factory(db_url=seeded_db_url)
    port = server.port
    alice = clients(server.url, "alice")
    items = claim_items(alice, 2)
    server.stop()

    now = datetime.now(UTC)
    for item_id in items:
        outbox.add(item_id, REMOVE, 0, now=now)
    sender = OutboxSender(outbox, alice, base_delay=1.0, max_delay=30.0, rng=random.Random(2))
    report = sender.send_due(now)
    assert report.offline and report.sent == 0 and report.retrying == 1
    assert report.last_error is not None and report.last_error.startswith(f"Cannot reach the server at {server.url}")
    assert outbox.pending_count() == 2
    assert sender.send_due(now + timedelta(seconds=0.5)).sent == 0  # still offline (or still backing off)

    # The same database on the same address: the token and the claims are still there.
    restarted = server_factory(db_url=seeded_db_url, port=port)
    assert restarted.url == server.url
    report = sender.send_due(now + LATER)
    assert (report.sent, report.offline, report.last_error) == (2, False, None)
    assert outbox.pending_count() == 0
    for entry in outbox.entries():
        decision = alice.item(entry.item_id).decision
        assert decision is not None and decision.id == entry.decision_id

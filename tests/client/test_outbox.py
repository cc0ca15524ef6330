"""The durable outbox: states, timing, crash recovery, concurrency."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from moderator_app.client.outbox import SCHEMA_VERSION, Outbox, OutboxError
from moderator_app.core.models import Decision, DecisionRequest
from moderator_app.core.policy import Action, PolicyReason

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
REMOVE = DecisionRequest(action=Action.REMOVE_POST, reason=PolicyReason.SPAM, note="obvious spam")


def decision(item_id: int, decision_id: int = 1, by: str = "alice") -> Decision:
    return Decision(
        id=decision_id,
        item_id=item_id,
        action=Action.REMOVE_POST,
        reason=PolicyReason.SPAM,
        note="",
        territorial_scope=None,
        escalation_target=None,
        decided_by=by,
        decided_at=T0,
        reverted_at=None,
    )


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


def test_an_entry_is_due_after_its_undo_window(outbox: Outbox) -> None:
    entry = outbox.add(42, REMOVE, undo_seconds=5, now=T0)
    assert (entry.item_id, entry.request, entry.state, entry.attempts) == (42, REMOVE, "pending", 0)
    assert entry.created_at == T0 and entry.send_after == T0 + timedelta(seconds=5)
    assert len(entry.idempotency_key) == 32 and int(entry.idempotency_key, 16) >= 0
    assert outbox.due(T0 + timedelta(seconds=4.9)) == []
    assert [e.id for e in outbox.due(T0 + timedelta(seconds=5))] == [entry.id]
    assert outbox.pending_count() == 1
    assert outbox.counts() == {"pending": 1, "sending": 0, "sent": 0, "conflict": 0, "failed": 0}


def test_due_lists_oldest_first_and_keys_are_unique(outbox: Outbox) -> None:
    later = outbox.add(2, REMOVE, undo_seconds=0, now=T0 + timedelta(seconds=1))
    earlier = outbox.add(1, REMOVE, undo_seconds=0, now=T0)
    assert [e.id for e in outbox.due(T0 + timedelta(minutes=1))] == [earlier.id, later.id]
    assert earlier.idempotency_key != later.idempotency_key


def test_cancel_is_possible_until_sending(outbox: Outbox) -> None:
    undone = outbox.add(1, REMOVE, 5, now=T0)
    assert outbox.cancel(undone.id) is True
    assert outbox.get(undone.id) is None
    assert outbox.cancel(undone.id) is False

    in_flight = outbox.add(2, REMOVE, 0, now=T0)
    assert outbox.mark_sending(in_flight.id)
    assert outbox.cancel(in_flight.id) is False
    outbox.mark_sent(in_flight.id, decision(2, 77))
    assert outbox.cancel(in_flight.id) is False
    sent = outbox.get(in_flight.id)
    assert sent is not None and (sent.state, sent.decision_id, sent.attempts) == ("sent", 77, 1)


def test_retry_schedule_conflict_failure_and_manual_retry(outbox: Outbox) -> None:
    a = outbox.add(1, REMOVE, 0, now=T0)
    b = outbox.add(2, REMOVE, 0, now=T0)
    c = outbox.add(3, REMOVE, 0, now=T0)
    for entry in (a, b, c):
        assert outbox.mark_sending(entry.id)
    assert not outbox.mark_sending(a.id)  # only a pending entry can be taken
    outbox.mark_retry(a.id, "The server is down.", T0 + timedelta(seconds=30))
    outbox.mark_conflict(b.id, "Bob decided it first.", decision(2, 9, by="bob"))
    outbox.mark_failed(c.id, "Item not found.")

    assert outbox.due(T0 + timedelta(seconds=29)) == []
    retried = outbox.due(T0 + timedelta(seconds=30))
    assert [(e.id, e.last_error, e.attempts) for e in retried] == [(a.id, "The server is down.", 1)]
    conflict = outbox.get(b.id)
    assert conflict is not None and conflict.state == "conflict"
    assert conflict.other_decision is not None and conflict.other_decision.decided_by == "bob"
    assert [e.id for e in outbox.entries(["conflict", "failed"])] == [b.id, c.id]
    assert outbox.counts() == {"pending": 1, "sending": 0, "sent": 0, "conflict": 1, "failed": 1}
    assert outbox.pending_count() == 1

    assert outbox.retry(c.id, now=T0) is True
    assert outbox.retry(a.id) is False  # pending already
    assert {e.id for e in outbox.due(T0)} == {c.id}
    with pytest.raises(ValueError):
        outbox.entries(["lost"])  # type: ignore[list-item]


def test_refuses_naive_times_and_impossible_decisions(outbox: Outbox) -> None:
    with pytest.raises(ValueError, match="timezone"):
        outbox.add(1, REMOVE, 5, now=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="needs a policy reason"):
        outbox.add(1, DecisionRequest(action=Action.REMOVE_POST), 5, now=T0)
    assert outbox.entries() == []


def test_reopening_after_a_crash_mid_send_makes_the_entry_pending_again(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    box = Outbox(path)
    entry = box.add(5, REMOVE, 0, now=T0)
    done = box.add(6, REMOVE, 0, now=T0)
    box.mark_sending(entry.id)
    box.mark_sending(done.id)
    box.mark_sent(done.id, decision(6))
    box.close()  # as if killed while the request for `entry` was in flight

    reopened = Outbox(path)
    again = reopened.get(entry.id)
    assert again is not None and again.state == "pending"
    assert again.idempotency_key == entry.idempotency_key  # the resend is recognised by the server
    assert [e.id for e in reopened.due(T0)] == [entry.id]
    assert reopened.counts()["sent"] == 1
    reopened.close()


def test_a_committed_entry_survives_the_process_being_killed(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    script = (
        "import os, signal, sys\n"
        "from moderator_app.client.outbox import Outbox\n"
        "from moderator_app.core.models import DecisionRequest\n"
        "box = Outbox(sys.argv[1])\n"
        "entry = box.add(9, DecisionRequest(action='no_violation', note='kept'), 5)\n"
        "print(entry.idempotency_key, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    run = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60, env=env, cwd=repo
    )
    assert run.returncode == -9, run.stderr
    key = run.stdout.strip()
    with Outbox(path) as box:
        [entry] = box.entries()
        assert (entry.item_id, entry.idempotency_key, entry.request.note) == (9, key, "kept")


def test_file_is_private_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "outbox.sqlite3"
    Outbox(path).close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_a_newer_schema_or_a_corrupt_file_is_an_outbox_error(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    raw = sqlite3.connect(newer)
    raw.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(OutboxError, match="newer version"):
        Outbox(newer)

    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database" * 100)
    with pytest.raises(OutboxError, match="cannot be read"):
        Outbox(corrupt)


def test_memory_outbox_for_tests() -> None:
    with Outbox(":memory:") as box:
        box.add(1, REMOVE, 0, now=T0)
        assert box.pending_count() == 1


def test_purge_forgets_only_old_sent_entries(outbox: Outbox) -> None:
    sent = outbox.add(1, REMOVE, 0, now=T0)
    kept = outbox.add(2, REMOVE, 0, now=T0)
    outbox.mark_sending(sent.id)
    outbox.mark_sent(sent.id, decision(1))
    assert outbox.purge_sent(datetime.now(UTC) - timedelta(days=1)) == 0
    assert outbox.purge_sent(datetime.now(UTC) + timedelta(seconds=1)) == 1
    assert [e.id for e in outbox.entries()] == [kept.id]


def test_threads_adding_and_taking_entries_concurrently(outbox: Outbox) -> None:
    per_thread, threads = 25, 4
    errors: list[BaseException] = []

    def add_many(offset: int) -> None:
        try:
            for i in range(per_thread):
                outbox.add(offset * 1000 + i, REMOVE, 0, now=T0)
        except BaseException as exc:  # surfaced below: an exception in a thread would otherwise vanish
            errors.append(exc)

    workers = [threading.Thread(target=add_many, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert outbox.pending_count() == per_thread * threads

    # Several senders racing for the same entries: each entry is taken exactly once.
    taken: list[int] = []
    lock = threading.Lock()

    def take_all() -> None:
        for entry in outbox.due(T0):
            if outbox.mark_sending(entry.id):
                with lock:
                    taken.append(entry.id)

    racers = [threading.Thread(target=take_all) for _ in range(threads)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(taken) == sorted(e.id for e in outbox.entries())
    assert len(taken) == len(set(taken)) == per_thread * threads

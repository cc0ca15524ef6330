"""The outbox's keypress path: commit now, fsync on the outbox's own thread, checkpoint off the keypress path."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from moderator_app.client import outbox as outbox_module
from moderator_app.client.outbox import Outbox
from moderator_app.core.models import DecisionRequest
from moderator_app.core.policy import Action, PolicyReason

KEEP = DecisionRequest(action=Action.NO_VIOLATION, reason=PolicyReason.SPAM)


def fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(outbox_module.os, "fsync", counting)
    return calls


def test_a_durable_add_syncs_the_log_before_it_returns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fsyncs(monkeypatch)
    with Outbox(tmp_path / "o.sqlite3") as box:
        box.add(1, KEEP, undo_seconds=5)
        assert len(calls) == 1


def test_a_deferred_add_is_committed_at_once_and_synced_by_sync_soon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = fsyncs(monkeypatch)
    path = tmp_path / "o.sqlite3"
    with Outbox(path) as box:
        entry = box.add(7, KEEP, undo_seconds=5, durable=False)
        assert calls == []
        # Committed: another connection (another process after a crash) sees it before any fsync.
        other = sqlite3.connect(path)
        assert other.execute("SELECT item_id, idempotency_key FROM outbox").fetchall() == [(7, entry.idempotency_key)]
        other.close()
        assert box.get(entry.id) == entry  # what add() returned is the row as stored
        box.sync_soon().result(timeout=10)
        assert len(calls) == 1


def test_an_undo_is_synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Outbox(tmp_path / "o.sqlite3") as box:
        entry = box.add(3, KEEP, undo_seconds=5, durable=False)
        calls = fsyncs(monkeypatch)
        assert box.cancel(entry.id)
        assert len(calls) == 1 and box.pending_count() == 0


def test_the_sync_thread_checkpoints_the_log_now_and_then(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox_module, "CHECKPOINT_EVERY_SYNCS", 3)
    path = tmp_path / "o.sqlite3"
    with Outbox(path) as box:
        for item_id in range(3):
            box.add(item_id, KEEP, undo_seconds=5, durable=False)
            box.sync_soon().result(timeout=10)
        # After a checkpoint the rows are in the database file itself, not only in the log.
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(path.read_bytes())
        rows = sqlite3.connect(copy).execute("SELECT COUNT(*) FROM outbox").fetchone()
        assert rows == (3,)


def test_sync_soon_after_close_is_a_finished_no_op(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3")
    box.add(1, KEEP, undo_seconds=5, durable=False)
    box.close()
    assert box.sync_soon().result(timeout=1) is None


def test_an_in_memory_outbox_has_nothing_to_sync() -> None:
    with Outbox(":memory:") as box:
        box.add(1, KEEP, undo_seconds=5, durable=False)
        box.sync_soon().result(timeout=5)
        box.sync()

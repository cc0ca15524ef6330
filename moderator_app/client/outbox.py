"""The durable decision outbox: a decision is committed to a local SQLite file before the moderator moves on.

The keypress path only writes here (no network); OutboxSender posts the entries later with their idempotency keys.
Kill the app at any moment and nothing is lost: a committed row survives (it is in the write-ahead log the moment the
commit returns), and a row caught mid-send goes back to "pending" on the next open, where its idempotency key makes
the resend safe. A power cut is survived too once the log is synced (fsync): add() does it before it returns, or the
keypress path has it done on the outbox's own thread while the next item is put on screen (see sync_soon()).

Only decisions are stored (action, reason, the moderator's note, scope): never post text or media.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, get_args

from moderator_app.core.models import Decision, DecisionRequest

log = logging.getLogger(__name__)

EntryState = Literal["pending", "sending", "sent", "conflict", "failed"]
STATES: tuple[EntryState, ...] = get_args(EntryState)

SCHEMA_VERSION = 1
#: The log is copied into the database (a checkpoint, two fsyncs) by the sync thread every this many syncs, so the
#: commit that would otherwise do it on the way (SQLite's automatic checkpoint) is never the keypress's.
CHECKPOINT_EVERY_SYNCS = 32
#: SQLite's own automatic checkpoint stays as a safety net, at a size the sync thread's checkpoints never reach.
AUTOCHECKPOINT_PAGES = 4000
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width, so text order is time order in SQL comparisons

_SCHEMA = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL,
    request_json TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    send_after TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'conflict', 'failed')),
    last_error TEXT,
    decision_id INTEGER,
    other_decision_json TEXT
);
CREATE INDEX outbox_due ON outbox (state, send_after);
"""

_COLUMNS = (
    "id, item_id, request_json, idempotency_key, created_at, send_after, attempts, state, last_error, "
    "decision_id, other_decision_json"
)


class OutboxError(Exception):
    """The outbox file cannot be used (corrupt, or written by a newer version of the app)."""


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    item_id: int
    request: DecisionRequest
    idempotency_key: str
    created_at: datetime
    send_after: datetime
    attempts: int
    state: EntryState
    last_error: str | None
    decision_id: int | None
    other_decision: Decision | None


class Outbox:
    """Thread-safe: one connection guarded by a lock, since the sender runs on a worker thread."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._sync_lock = threading.Lock()  # the log's file descriptor and the checkpoint connection
        self._wal_fd: int | None = None
        self._checkpointer: sqlite3.Connection | None = None
        self._syncs = 0
        # Threads start on the first sync_soon() only.
        self._syncer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-sync")
        self._closed = False
        if self.path != ":memory:":
            _create_private_file(Path(self.path))
        try:
            # isolation_level=None: every statement commits on its own unless we open a transaction explicitly.
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=5.0)
        except sqlite3.Error as exc:
            raise OutboxError(f"The decision outbox at {self.path} cannot be opened: {exc}.") from exc
        self._db.row_factory = sqlite3.Row
        try:
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise OutboxError(f"The decision outbox at {self.path} cannot be read: {exc}.") from exc
        except OutboxError:
            self._db.close()
            raise

    def _prepare(self) -> None:
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL: a commit is in the log file when it returns (a crash or a kill of the app loses nothing); the log's
        # fsync, for a power cut, is sync()'s. FULL would fsync inside every commit, the sender's bookkeeping too
        # (mark_*), while holding the lock the keypress path waits for: tens of ms on a busy disk.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        self._db.execute("PRAGMA busy_timeout=5000")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise OutboxError(
                f"The decision outbox at {self.path} was written by a newer version of the app; "
                "update the app to send the decisions it holds."
            )
        if version == 0:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        # A row left in "sending" means the app died mid-request; the server may or may not have it. Resending with
        # the same idempotency key gets the first answer back, so "pending" is always safe.
        self._db.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")

    # --- writing ----------------------------------------------------------------------------------------

    def add(
        self,
        item_id: int,
        request: DecisionRequest,
        undo_seconds: float,
        now: datetime | None = None,
        *,
        durable: bool = True,
    ) -> OutboxEntry:
        """Commit a decision; it becomes due after the undo window. Returns only once it is on disk (synced).

        durable=False: return once committed (it survives a crash or kill of the app from then on) and leave the
        sync to the caller, who starts sync_soon() and waits for it before the screen shows anything new.
        """
        problems = request.problems()
        if problems:
            # The server would refuse it forever (422); better to stop the caller now than park a doomed entry.
            raise ValueError("; ".join(problems))
        now = _now(now)
        stamp = _ts(now)
        send_after = _ts(now + timedelta(seconds=max(0.0, undo_seconds)))
        key = uuid.uuid4().hex
        request_json = request.model_dump_json()
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO outbox (item_id, request_json, idempotency_key, created_at, send_after, updated_at, "
                "state) VALUES (?, ?, ?, ?, ?, ?, 'pending')",
                (int(item_id), request_json, key, stamp, send_after, stamp),
            )
        # The row as written (not read back: this is the keypress path); times at the stored precision.
        entry = OutboxEntry(
            id=int(cursor.lastrowid or 0),
            item_id=int(item_id),
            request=DecisionRequest.model_validate_json(request_json),
            idempotency_key=key,
            created_at=_parse(stamp),
            send_after=_parse(send_after),
            attempts=0,
            state="pending",
            last_error=None,
            decision_id=None,
            other_decision=None,
        )
        if durable:
            self.sync()
        return entry

    def cancel(self, entry_id: int) -> bool:
        """Undo: drop an entry that has not been sent. False once it is sending or sent (too late). Synced: an
        undone decision must not come back after a power cut."""
        cancelled = self._update(
            "DELETE FROM outbox WHERE id = ? AND state IN ('pending', 'conflict', 'failed')", (entry_id,)
        )
        if cancelled:
            self.sync()
        return cancelled

    def sync(self) -> None:
        """Blocking: fsync the write-ahead log, so every commit so far survives a power cut too (the same fsync
        synchronous=FULL does inside each commit). Runs without the connection's lock and without the GIL."""
        with self._sync_lock:
            if self.path == ":memory:" or self._closed:
                return
            if self._wal_fd is None:
                try:
                    # Kept open until close(): SQLite keeps the same log file while its connection is open.
                    self._wal_fd = os.open(self.path + "-wal", os.O_RDWR | getattr(os, "O_BINARY", 0))
                except FileNotFoundError:
                    return  # no log: everything is in the database file, which SQLite synced
            os.fsync(self._wal_fd)
            self._syncs += 1
            if self._syncs % CHECKPOINT_EVERY_SYNCS == 0:
                self._checkpoint()

    def sync_soon(self) -> Future[None]:
        """Start sync() on the outbox's own thread; the future is done once the commits made so far are durable."""
        if self._closed:
            done: Future[None] = Future()
            done.set_result(None)
            return done
        return self._syncer.submit(self.sync)

    def _checkpoint(self) -> None:
        """Copy the log into the database on a connection of the sync thread's own (PASSIVE: never waits for, nor
        holds up, the main connection's readers and writers)."""
        try:
            if self._checkpointer is None:
                self._checkpointer = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                self._checkpointer.execute("PRAGMA synchronous=NORMAL")
            self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as exc:
            log.info("outbox checkpoint skipped: %s", exc)  # SQLite's automatic checkpoint does it later

    def mark_sending(self, entry_id: int) -> bool:
        """Claim a pending entry for one send attempt. False if it was cancelled or taken meanwhile."""
        return self._update(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? "
            "WHERE id = ? AND state = 'pending'",
            (_ts(_now(None)), entry_id),
        )

    def mark_sent(self, entry_id: int, decision: Decision) -> bool:
        return self._update(
            "UPDATE outbox SET state = 'sent', decision_id = ?, last_error = NULL, updated_at = ? "
            "WHERE id = ? AND state IN ('pending', 'sending')",
            (decision.id, _ts(_now(None)), entry_id),
        )

    def mark_retry(self, entry_id: int, error: str, retry_at: datetime) -> bool:
        return self._update(
            "UPDATE outbox SET state = 'pending', last_error = ?, send_after = ?, updated_at = ? "
            "WHERE id = ? AND state IN ('pending', 'sending')",
            (error, _ts(retry_at), _ts(_now(None)), entry_id),
        )

    def mark_conflict(self, entry_id: int, message: str, other: Decision | None) -> bool:
        return self._update(
            "UPDATE outbox SET state = 'conflict', last_error = ?, other_decision_json = ?, updated_at = ? "
            "WHERE id = ? AND state IN ('pending', 'sending')",
            (message, other.model_dump_json() if other else None, _ts(_now(None)), entry_id),
        )

    def mark_failed(self, entry_id: int, error: str) -> bool:
        """The server refused the entry for good (4xx other than 401/409)."""
        return self._update(
            "UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? "
            "WHERE id = ? AND state IN ('pending', 'sending')",
            (error, _ts(_now(None)), entry_id),
        )

    def retry(self, entry_id: int, now: datetime | None = None) -> bool:
        """Send a failed or conflicting entry again, now."""
        stamp = _ts(_now(now))
        return self._update(
            "UPDATE outbox SET state = 'pending', send_after = ?, updated_at = ? "
            "WHERE id = ? AND state IN ('failed', 'conflict')",
            (stamp, stamp, entry_id),
        )

    def purge_sent(self, before: datetime) -> int:
        """Forget sent entries last touched before the given time; returns how many."""
        with self._lock:
            cursor = self._db.execute("DELETE FROM outbox WHERE state = 'sent' AND updated_at < ?", (_ts(before),))
            return cursor.rowcount

    # --- reading ----------------------------------------------------------------------------------------

    def get(self, entry_id: int) -> OutboxEntry | None:
        with self._lock:
            return self._get(entry_id)

    def due(self, now: datetime | None = None) -> list[OutboxEntry]:
        """Pending entries whose undo window or backoff has passed, oldest first."""
        return self._select("WHERE state = 'pending' AND send_after <= ? ORDER BY created_at, id", (_ts(_now(now)),))

    def entries(self, states: Iterable[EntryState] | None = None) -> list[OutboxEntry]:
        if states is None:
            return self._select("ORDER BY id", ())
        wanted = list(states)
        unknown = set(wanted) - set(STATES)
        if unknown:
            raise ValueError(f"unknown outbox states: {sorted(unknown)}")
        marks = ", ".join("?" for _ in wanted)
        return self._select(f"WHERE state IN ({marks}) ORDER BY id", tuple(wanted))

    def counts(self) -> dict[str, int]:
        """Entries per state, every state present (zero when none)."""
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall()
        found = dict.fromkeys(STATES, 0)
        found.update({state: count for state, count in rows})
        return found

    def pending_count(self) -> int:
        """Decisions not yet accepted by the server and still being tried (pending or in flight)."""
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')").fetchone()
        return int(row[0])

    def close(self) -> None:
        self._syncer.shutdown(wait=True)  # a sync in flight finishes first
        with self._lock, self._sync_lock:
            self._closed = True
            if self._checkpointer is not None:
                self._checkpointer.close()
            self._db.close()
            if self._wal_fd is not None:
                # After the connection: SQLite's locks live on the other files, but close the log last anyway.
                os.close(self._wal_fd)
                self._wal_fd = None

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals --------------------------------------------------------------------------------------

    def _update(self, sql: str, params: tuple[object, ...]) -> bool:
        with self._lock:
            return self._db.execute(sql, params).rowcount > 0

    def _get(self, entry_id: int) -> OutboxEntry | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (entry_id,)).fetchone()
        return _entry(row) if row else None

    def _select(self, where: str, params: tuple[object, ...]) -> list[OutboxEntry]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM outbox {where}", params).fetchall()
        return [_entry(row) for row in rows]


def _entry(row: sqlite3.Row) -> OutboxEntry:
    other = row["other_decision_json"]
    return OutboxEntry(
        id=row["id"],
        item_id=row["item_id"],
        request=DecisionRequest.model_validate_json(row["request_json"]),
        idempotency_key=row["idempotency_key"],
        created_at=_parse(row["created_at"]),
        send_after=_parse(row["send_after"]),
        attempts=row["attempts"],
        state=row["state"],
        last_error=row["last_error"],
        decision_id=row["decision_id"],
        other_decision=None if other is None else Decision.model_validate_json(other),
    )


def _create_private_file(path: Path) -> None:
    """Create the file readable by its owner only (decisions and notes are not for other local users)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _now(now: datetime | None) -> datetime:
    return datetime.now(UTC) if now is None else now


def _ts(moment: datetime) -> str:
    if moment.tzinfo is None:
        # A naive time is ambiguous (local or UTC?) and would silently shift the schedule by hours.
        raise ValueError("outbox times must be timezone-aware")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def _parse(text: str) -> datetime:
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)

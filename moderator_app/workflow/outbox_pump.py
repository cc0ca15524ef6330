"""Drives the outbox sender from the UI loop: one send round at a time on a worker thread, status after each.

The keypress path only writes to the outbox; this pump is what eventually puts decisions on the network. It also
turns the outbox's state into a ReviewStatus for the status bar, and announces each conflict once so the screen
can show it (the conflict stays in the outbox, and in every later status, until the moderator dismisses it).

Offline: any sign that the server cannot be reached (a send round, or the review session's claims and renewals)
marks the status offline. While offline a cheap probe (GET /health) runs every few seconds; the moment it answers,
decisions waiting out a backoff are made due at once, so everything goes out when the server is back, not up to a
minute later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from moderator_app.client.outbox import Outbox, OutboxEntry
from moderator_app.client.sender import OutboxSender, SendReport
from moderator_app.workflow.tasks import BackgroundRunner, describe_error

log = logging.getLogger(__name__)

__all__ = ["OutboxEntry", "OutboxPump", "ReviewStatus"]  # OutboxEntry: the UI reads entries via this layer

KEEP_SENT = timedelta(days=7)  # sent entries are kept a while (the revert dialog lists them), then purged
FLUSH_POLL_SECONDS = 0.01  # flush() waits for a round under way in steps this long (only at quit)


@dataclass(frozen=True)
class ReviewStatus:
    """What the status bar shows about decisions that have not reached the server."""

    pending: int = 0  # waiting out the undo window, or being retried
    offline: bool = False  # the server could not be reached at the last attempt
    last_error: str | None = None
    conflicts: list[OutboxEntry] = field(default_factory=list)  # someone else decided these items first
    failed: list[OutboxEntry] = field(default_factory=list)  # refused by the server; can be retried
    sent_total: int = 0  # decisions accepted by the server in this run


@dataclass(frozen=True)
class _Round:
    report: SendReport
    pending: int
    conflicts: list[OutboxEntry]
    failed: list[OutboxEntry]


class OutboxPump(QObject):
    status_changed = Signal(object)  # ReviewStatus
    conflict = Signal(object)  # OutboxEntry, once per conflict seen in this run
    sent = Signal(int)  # decisions accepted in the last round
    online_changed = Signal(bool)  # False when the server went away, True when it answers again

    def __init__(
        self,
        outbox: Outbox,
        sender: OutboxSender,
        runner: BackgroundRunner,
        interval_ms: int = 500,
        parent: QObject | None = None,
        *,
        probe: Callable[[], object] | None = None,
        probe_interval_ms: int = 2000,
    ) -> None:
        super().__init__(parent)
        self._outbox = outbox
        self._sender = sender
        self._runner = runner
        self._probe = probe
        self._status = ReviewStatus()
        self._busy = False  # never two rounds at once: they would race for the same due entries
        self._again = False  # a tick arrived during a round: run another one right after it
        self._announced: set[int] = set()
        self._sent_total = 0
        self._purged = False
        self._probing = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)
        self._probe_timer = QTimer(self)
        self._probe_timer.setInterval(probe_interval_ms)
        self._probe_timer.timeout.connect(self._run_probe)

    @property
    def status(self) -> ReviewStatus:
        return self._status

    @property
    def outbox(self) -> Outbox:
        return self._outbox

    @property
    def offline(self) -> bool:
        return self._status.offline

    def start(self) -> None:
        """Start ticking; the first round runs at once so a resumed outbox is sent right after start-up."""
        self._stopped = False
        self._timer.start()
        self.tick()

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()
        self._probe_timer.stop()

    @property
    def busy(self) -> bool:
        return self._busy

    def tick(self) -> None:
        if self._runner.closed:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._runner.spawn(self._round(), on_error=self._round_failed, name="outbox-round")

    # --- reachability -----------------------------------------------------------------------------------

    def note_unreachable(self, message: str | None = None) -> None:
        """Another part of the client (claims, renewals) could not reach the server."""
        self._set_offline(True, message)

    def note_reachable(self) -> None:
        """Another part of the client got an answer from the server."""
        self._set_offline(False, None)

    def _set_offline(self, offline: bool, message: str | None) -> None:
        previous = self._status
        if previous.offline == offline and (message is None or message == previous.last_error):
            return
        status = replace(previous, offline=offline, last_error=message or previous.last_error)
        self._status = status
        if offline:
            if self._probe is not None and not self._stopped and not self._probe_timer.isActive():
                self._probe_timer.start()
        else:
            self._probe_timer.stop()
        if previous.offline != offline:
            log.info("server %s", "unreachable: working offline" if offline else "reachable again")
            self.online_changed.emit(not offline)
            if not offline:
                self._runner.spawn(self._back_online(), on_error=self._round_failed, name="outbox-resume")
        self.status_changed.emit(status)

    def _run_probe(self) -> None:
        if self._probing or self._probe is None or self._runner.closed:
            return
        self._probing = True
        self._runner.spawn(self._probe_once(), on_error=self._probe_failed, name="outbox-probe")

    async def _probe_once(self) -> None:
        assert self._probe is not None
        try:
            await self._runner.call(self._probe)
        finally:
            self._probing = False
        self.note_reachable()

    def _probe_failed(self, error: BaseException) -> None:
        log.debug("probe: still offline (%s)", type(error).__name__)

    async def _back_online(self) -> None:
        # Entries backing off from the outage would otherwise wait out their (up to a minute) delay.
        await self._runner.call(self._resume_backoff)
        self.tick()

    def _resume_backoff(self) -> int:
        now = datetime.now(UTC)
        resumed = 0
        for entry in self._outbox.entries(states=("pending",)):
            # attempts == 0: still inside its undo window, which the moderator may yet use. Leave it.
            if entry.attempts > 0 and entry.send_after > now:
                resumed += self._outbox.mark_retry(entry.id, entry.last_error or "", now)
        return resumed

    # --- moderator's requests ---------------------------------------------------------------------------

    def retry_failed(self) -> None:
        """Put every refused entry back to pending, due now, and send at once."""
        if self._runner.closed:
            return
        self._runner.spawn(self._retry_failed(), on_error=self._round_failed, name="outbox-retry")

    async def _retry_failed(self) -> None:
        await self._runner.call(self._retry_failed_blocking)
        self.tick()

    def _retry_failed_blocking(self) -> int:
        entries = self._outbox.entries(states=("failed",))
        for entry in entries:
            self._outbox.retry(entry.id)
        return len(entries)

    def dismiss_troubles(self) -> None:
        """The moderator has read the conflicts and refusals: take them off the list (and out of the outbox)."""
        if self._runner.closed:
            return
        self._runner.spawn(self._dismiss(), on_error=self._round_failed, name="outbox-dismiss")

    async def _dismiss(self) -> None:
        await self._runner.call(self._dismiss_blocking)
        self.tick()

    def _dismiss_blocking(self) -> int:
        entries = self._outbox.entries(states=("conflict", "failed"))
        return sum(self._outbox.cancel(entry.id) for entry in entries)

    def sent_entries(self, limit: int = 50) -> list[OutboxEntry]:
        """Decisions this outbox delivered, newest first (blocking; small)."""
        entries = [e for e in self._outbox.entries(states=("sent",)) if e.decision_id is not None]
        return list(reversed(entries))[:limit]

    # --- rounds -----------------------------------------------------------------------------------------

    async def _round(self) -> None:
        try:
            result = await self._runner.call(self._send_and_look)
        finally:
            self._busy = False
        self._apply(result)
        if self._again:
            self._again = False
            self.tick()

    def _send_and_look(self) -> _Round:
        if not self._purged:
            self._purged = True
            self._outbox.purge_sent(datetime.now(UTC) - KEEP_SENT)
        report = self._sender.send_due()
        troubles = self._outbox.entries(states=("conflict", "failed"))
        return _Round(
            report=report,
            pending=self._outbox.pending_count(),
            conflicts=[entry for entry in troubles if entry.state == "conflict"],
            failed=[entry for entry in troubles if entry.state == "failed"],
        )

    def _apply(self, result: _Round) -> None:
        report = result.report
        previous = self._status
        self._sent_total += report.sent
        offline = previous.offline
        if report.offline:
            offline = True
        elif report.sent or report.conflicts or report.failed:
            offline = False  # the server answered
        last_error = report.last_error
        if last_error is None and not report.sent:
            last_error = previous.last_error  # a quiet round (nothing due) does not clear the last problem
        status = ReviewStatus(
            pending=result.pending,
            offline=previous.offline,
            last_error=last_error,
            conflicts=result.conflicts,
            failed=result.failed,
            sent_total=self._sent_total,
        )
        self._status = status
        if report.sent:
            self.sent.emit(report.sent)
        for entry in result.conflicts:
            if entry.id not in self._announced:
                self._announced.add(entry.id)
                self.conflict.emit(entry)
        if offline != previous.offline:
            self._set_offline(offline, None)  # emits the status (and online_changed)
        elif status != previous:
            self.status_changed.emit(status)

    def _round_failed(self, error: BaseException) -> None:
        # An outbox that cannot be read is serious, but the loop must go on: show it and try again next tick.
        log.warning("outbox round failed: %s", type(error).__name__, exc_info=error)
        self._status = replace(self._status, last_error=describe_error(error), sent_total=self._sent_total)
        self.status_changed.emit(self._status)

    async def flush(self) -> None:
        """Run one round now (used at quit, so decisions whose undo window passed are not left waiting).

        A round under way looked for due decisions before the caller made them due: wait for it, then run another.
        """
        while self._busy and not self._runner.closed:
            await asyncio.sleep(FLUSH_POLL_SECONDS)
        if self._runner.closed:
            return
        self._again = False  # this round is the one a tick during the last round asked for
        self._busy = True
        await self._round()

    def make_all_due(self) -> int:
        """Blocking: end every undo window and backoff now (at quit: nobody can undo once the window is closed)."""
        now = datetime.now(UTC)
        due = 0
        for entry in self._outbox.entries(states=("pending",)):
            if entry.send_after > now:
                due += self._outbox.mark_retry(entry.id, entry.last_error or "", now)
        return due

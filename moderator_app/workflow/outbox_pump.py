"""Drives the outbox sender from the UI loop: one send round at a time on a worker thread, status after each.

The keypress path only writes to the outbox; this pump is what eventually puts decisions on the network. It also
turns the outbox's state into a ReviewStatus for the status bar, and announces each conflict once so the screen
can show it (the conflict stays in the outbox, and in every later status, until the moderator deals with it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from moderator_app.client.outbox import Outbox, OutboxEntry
from moderator_app.client.sender import OutboxSender, SendReport
from moderator_app.workflow.tasks import BackgroundRunner, describe_error

log = logging.getLogger(__name__)

__all__ = ["OutboxEntry", "OutboxPump", "ReviewStatus"]  # OutboxEntry: the UI reads entries via this layer


@dataclass(frozen=True)
class ReviewStatus:
    """What the status bar shows about decisions that have not reached the server."""

    pending: int = 0  # waiting out the undo window, or being retried
    offline: bool = False  # the last attempt could not reach the server
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

    def __init__(
        self,
        outbox: Outbox,
        sender: OutboxSender,
        runner: BackgroundRunner,
        interval_ms: int = 500,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._outbox = outbox
        self._sender = sender
        self._runner = runner
        self._status = ReviewStatus()
        self._busy = False  # never two rounds at once: they would race for the same due entries
        self._again = False  # a tick arrived during a round: run another one right after it
        self._announced: set[int] = set()
        self._sent_total = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    @property
    def status(self) -> ReviewStatus:
        return self._status

    @property
    def outbox(self) -> Outbox:
        return self._outbox

    def start(self) -> None:
        """Start ticking; the first round runs at once so a resumed outbox is sent right after start-up."""
        self._timer.start()
        self.tick()

    def stop(self) -> None:
        self._timer.stop()

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
        elif report.sent or result.pending == 0:
            offline = False  # the server answered, or there is nothing left that could be stuck
        last_error = report.last_error
        if last_error is None and not report.sent:
            last_error = previous.last_error  # a quiet round (nothing due) does not clear the last problem
        status = ReviewStatus(
            pending=result.pending,
            offline=offline,
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
        if status != previous:
            self.status_changed.emit(status)

    def _round_failed(self, error: BaseException) -> None:
        # An outbox that cannot be read is serious, but the loop must go on: show it and try again next tick.
        log.warning("outbox round failed: %s", type(error).__name__, exc_info=error)
        self._status = ReviewStatus(
            pending=self._status.pending,
            offline=self._status.offline,
            last_error=describe_error(error),
            conflicts=self._status.conflicts,
            failed=self._status.failed,
            sent_total=self._sent_total,
        )
        self.status_changed.emit(self._status)

    async def flush(self) -> None:
        """Run one round now (used at quit, so decisions whose undo window passed are not left waiting)."""
        if self._busy or self._runner.closed:
            return
        self._busy = True
        await self._round()

"""The lead's view of the team: queue figures and moderators polled in the background, bulk reassignment with undo.

Polling sends the last ETag (If-None-Match): an unchanged dashboard costs a 304 and keeps the view as it is. Every
call runs on the BackgroundRunner; results come back as signals on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from moderator_app.client.team_api import TeamApi
from moderator_app.core.models import (
    ModeratorStats,
    QueueStats,
    QueueUpdate,
    ReassignPreview,
    ReassignRequest,
    ReassignResult,
    ReassignUndoResult,
    ReleaseStaleRequest,
    TeamQueueStats,
)
from moderator_app.workflow.tasks import BackgroundRunner, describe_error

POLL_MS = 15_000


def risk_of(queue: QueueStats) -> tuple[int, int, float]:
    """Sort key, most at risk first: overdue items, then items at risk, then how little time the oldest has left."""
    left = (queue.oldest_deadline or queue.next_deadline or datetime.max.replace(tzinfo=UTC)).timestamp()
    return (-queue.overdue, -queue.at_risk, left)


def most_at_risk(stats: TeamQueueStats | None) -> QueueStats | None:
    """The queue a lead should look at first; None when no queue has open items."""
    if stats is None:
        return None
    open_queues = [q for q in stats.queues if q.pending + q.claimed > 0]
    return min(open_queues, key=risk_of) if open_queues else None


class LeadBoard(QObject):
    """Figures for the dashboard; start() polls, refresh() asks now (a poll in flight makes it a no-op)."""

    stats_changed = Signal(object)  # TeamQueueStats
    moderators_changed = Signal(object)  # list[ModeratorStats]
    polled = Signal(bool)  # after each poll: True when the queue figures changed, False on a 304
    error = Signal(str)

    def __init__(
        self, team: TeamApi, runner: BackgroundRunner, poll_ms: int = POLL_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.team = team
        self._runner = runner
        self.stats: TeamQueueStats | None = None
        self.moderators: list[ModeratorStats] = []
        self._etag: str | None = None
        self._in_flight = False
        self.polls = 0
        self.not_modified = 0
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def polling(self) -> bool:
        return self._timer.isActive()

    def refresh(self) -> None:
        if self._in_flight or self._runner.closed:
            return
        self._in_flight = True
        self._runner.spawn(self._poll(), on_error=self._failed, name="lead-poll")

    async def _poll(self) -> None:
        try:
            answer = await self._runner.call(self.team.queue_stats, self._etag)
            moderators = await self._runner.call(self.team.moderators)
        finally:
            self._in_flight = False
        self.polls += 1
        self._etag = answer.etag
        if answer.value is not None:
            self.stats = answer.value
            self.stats_changed.emit(answer.value)
        else:
            self.not_modified += 1
        if moderators != self.moderators:
            self.moderators = moderators
            self.moderators_changed.emit(moderators)
        self.polled.emit(answer.value is not None)

    def _failed(self, error: BaseException) -> None:
        self.error.emit(describe_error(error))


class Reassigner(QObject):
    """Preview, execute and undo one bulk operation at a time; the undo window is the server's (undo_until)."""

    previewed = Signal(object)  # ReassignPreview
    done = Signal(object)  # ReassignResult
    undone = Signal(object)  # ReassignUndoResult
    error = Signal(str)

    def __init__(self, team: TeamApi, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self._runner = runner
        self.last: ReassignResult | None = None
        self.busy = False
        self._preview_serial = 0

    def can_undo(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return self.last is not None and now < self.last.undo_until and not self.busy

    def preview(self, request: ReassignRequest) -> None:
        # Only the answer to the newest question counts: the form may change while one is on its way.
        self._preview_serial += 1
        serial = self._preview_serial

        async def ask() -> None:
            answer: ReassignPreview = await self._runner.call(self.team.reassign_preview, request)
            if serial == self._preview_serial:
                self.previewed.emit(answer)

        self._runner.spawn(ask(), on_error=self._failed, name="reassign-preview")

    def execute(self, request: ReassignRequest) -> None:
        self._run(self.team.reassign, request)

    def release_stale(self, request: ReleaseStaleRequest) -> None:
        self._run(self.team.release_stale, request)

    def _run(self, call: Callable[..., ReassignResult], request: object) -> None:
        if self.busy:
            return
        self.busy = True

        async def go() -> None:
            try:
                result = await self._runner.call(call, request)
            finally:
                self.busy = False
            self.last = result
            self.done.emit(result)

        self._runner.spawn(go(), on_error=self._failed, name="reassign")

    def undo(self) -> bool:
        if not self.can_undo():
            return False
        assert self.last is not None
        operation_id = self.last.operation_id
        self.busy = True

        async def go() -> None:
            try:
                result: ReassignUndoResult = await self._runner.call(self.team.undo_reassign, operation_id)
            finally:
                self.busy = False
            self.last = None
            self.undone.emit(result)

        self._runner.spawn(go(), on_error=self._failed, name="reassign-undo")
        return True

    def update_queue(self, queue_id: int, update: QueueUpdate, on_done: Callable[[], None]) -> None:
        async def go() -> None:
            await self._runner.call(self.team.update_queue, queue_id, update)
            on_done()

        self._runner.spawn(go(), on_error=self._failed, name="queue-update")

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.error.emit(describe_error(error))

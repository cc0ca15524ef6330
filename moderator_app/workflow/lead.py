"""The lead's view of the team: queue figures and moderators polled in the background, and the lead's moves (bulk
reassignment, release of stale claims, queue settings, decision keys), each undoable for the server's undo window.

Polling sends the last ETags (If-None-Match): an unchanged dashboard costs two 304s and keeps the view as it is.
Every call runs on the BackgroundRunner; results come back as signals on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from moderator_app.client.team_api import TeamApi
from moderator_app.core.models import (
    DecisionOption,
    DecisionSetResult,
    ModeratorStats,
    Queue,
    QueueSettingsResult,
    QueueStats,
    QueueUpdate,
    ReassignRequest,
    ReassignResult,
    ReassignUndoResult,
    ReleaseStaleRequest,
    TeamItemPage,
    TeamItemQuery,
    TeamQueueStats,
)
from moderator_app.core.urgency import most_urgent
from moderator_app.workflow.decision_keys import changed_slots
from moderator_app.workflow.tasks import BackgroundRunner, describe_error

POLL_MS = 15_000


def most_at_risk(stats: TeamQueueStats | None) -> QueueStats | None:
    """The queue a lead should look at first (core/urgency.py, the headline's rule); None when none has open items."""
    found = most_urgent(stats.queues) if stats is not None else None
    return found.queue if found is not None else None


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
        self._moderators_etag: str | None = None
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
            moderators = await self._runner.call(self.team.moderators_polled, self._moderators_etag)
        finally:
            self._in_flight = False
        self.polls += 1
        self._etag = answer.etag
        self._moderators_etag = moderators.etag
        if answer.value is not None:
            self.stats = answer.value
            self.stats_changed.emit(answer.value)
        else:
            self.not_modified += 1
        if moderators.value is not None and moderators.value != self.moderators:
            self.moderators = moderators.value
            self.moderators_changed.emit(moderators.value)
        self.polled.emit(answer.value is not None)

    def _failed(self, error: BaseException) -> None:
        self.error.emit(describe_error(error))


class MoveKind(StrEnum):
    REASSIGN = "reassign"
    RELEASE_STALE = "release_stale"
    QUEUE_SETTINGS = "queue_settings"
    DECISION_KEYS = "decision_keys"


@dataclass(frozen=True)
class LeadMove:
    """One lead operation the server keeps for its undo window (every kind undoes the same way)."""

    kind: MoveKind
    operation_id: str
    undo_until: datetime
    count: int  # items moved, claims released, items given new deadlines, or decision keys changed
    queue: Queue | None = None  # QUEUE_SETTINGS, DECISION_KEYS: the queue as the change left it
    before: QueueStats | None = None  # QUEUE_SETTINGS: the queue's figures before the change


class Reassigner(QObject):
    """Preview, execute and undo one lead move at a time; the undo window is the server's (undo_until)."""

    previewed = Signal(object)  # ReassignPreview
    stale_previewed = Signal(object)  # ReleaseStalePreview
    done = Signal(object)  # ReassignResult (a move or a release of stale claims)
    queue_changed = Signal(object)  # LeadMove of kind QUEUE_SETTINGS
    keys_loaded = Signal(object)  # Queue: its decision keys as the server has them now, for the keys editor
    keys_changed = Signal(object)  # LeadMove of kind DECISION_KEYS
    undone = Signal(object)  # ReassignUndoResult (undone_move says what it undid)
    error = Signal(str)
    items_listed = Signal(object)  # TeamItemPage: open items to pick from (the Move work dialog's picker)
    items_failed = Signal(str)  # the list could not be had; kept apart from error, which the move's form shows

    def __init__(self, team: TeamApi, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self._runner = runner
        self.last: ReassignResult | None = None  # the last move or release (None after a settings change)
        self.last_move: LeadMove | None = None  # the last operation of any kind, while it may be undone
        self.undone_move: LeadMove | None = None
        self.busy = False
        self._preview_serial = 0
        self._list_serial = 0

    def can_undo(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return self.last_move is not None and now < self.last_move.undo_until and not self.busy

    def _ask(self, call: Callable[..., object], request: object, signal: SignalInstance, name: str) -> None:
        # Only the answer to the newest question counts: the form may change while one is on its way.
        self._preview_serial += 1
        serial = self._preview_serial

        async def ask() -> None:
            answer = await self._runner.call(call, request)
            if serial == self._preview_serial:
                signal.emit(answer)

        self._runner.spawn(ask(), on_error=self._failed, name=name)

    def preview(self, request: ReassignRequest) -> None:
        self._ask(self.team.reassign_preview, request, self.previewed, "reassign-preview")

    def preview_stale(self, request: ReleaseStaleRequest) -> None:
        self._ask(self.team.release_stale_preview, request, self.stale_previewed, "release-stale-preview")

    def list_items(self, query: TeamItemQuery) -> None:
        """Ask for the open items to pick from; only the answer to the newest question is emitted."""
        self._list_serial += 1
        serial = self._list_serial

        async def ask() -> None:
            page: TeamItemPage = await self._runner.call(self.team.team_items, query)
            if serial == self._list_serial:
                self.items_listed.emit(page)

        def failed(error: BaseException) -> None:
            if serial == self._list_serial:
                self.items_failed.emit(describe_error(error))

        self._runner.spawn(ask(), on_error=failed, name="team-items")

    def execute(self, request: ReassignRequest) -> None:
        self._run(self.team.reassign, request, MoveKind.REASSIGN)

    def release_stale(self, request: ReleaseStaleRequest) -> None:
        self._run(self.team.release_stale, request, MoveKind.RELEASE_STALE)

    def _run(self, call: Callable[..., ReassignResult], request: object, kind: MoveKind) -> None:
        if self.busy:
            return
        self.busy = True

        async def go() -> None:
            try:
                result = await self._runner.call(call, request)
            finally:
                self.busy = False
            self.last = result
            self.last_move = LeadMove(kind, result.operation_id, result.undo_until, result.count)
            self.done.emit(result)

        self._runner.spawn(go(), on_error=self._failed, name=kind.value)

    def change_queue(self, before: QueueStats, update: QueueUpdate) -> None:
        """New priority and/or service level for a queue (its open items get new deadlines); undoable."""
        if self.busy:
            return
        self.busy = True

        async def go() -> None:
            try:
                result: QueueSettingsResult = await self._runner.call(
                    self.team.change_queue_settings, before.queue_id, update
                )
            finally:
                self.busy = False
            self.last = None
            self.last_move = LeadMove(
                MoveKind.QUEUE_SETTINGS,
                result.operation_id,
                result.undo_until,
                result.items_rescheduled,
                queue=result.queue,
                before=before,
            )
            self.queue_changed.emit(self.last_move)

        self._runner.spawn(go(), on_error=self._failed, name="queue-settings")

    def load_decision_keys(self, queue_id: int) -> None:
        """Ask for the queue with its decision keys (the dashboard's figures do not carry them)."""

        async def ask() -> None:
            self.keys_loaded.emit(await self._runner.call(self.team.api.queue, queue_id))

        self._runner.spawn(ask(), on_error=self._failed, name="decision-keys")

    def change_decision_keys(self, before: Queue, options: list[DecisionOption]) -> None:
        """New decision keys for a queue (an empty list: its defaults); undoable like the other moves."""
        if self.busy:
            return
        self.busy = True

        async def go() -> None:
            try:
                result: DecisionSetResult = await self._runner.call(self.team.change_decision_set, before.id, options)
            finally:
                self.busy = False
            count = len(changed_slots(before.decision_set, result.queue.decision_set))
            self.last = None
            self.last_move = LeadMove(
                MoveKind.DECISION_KEYS, result.operation_id, result.undo_until, count, queue=result.queue
            )
            self.keys_changed.emit(self.last_move)

        self._runner.spawn(go(), on_error=self._failed, name="decision-keys")

    def undo(self) -> bool:
        if not self.can_undo():
            return False
        move = self.last_move
        assert move is not None
        self.busy = True

        async def go() -> None:
            try:
                result: ReassignUndoResult = await self._runner.call(self.team.undo_reassign, move.operation_id)
            finally:
                self.busy = False
            self.last = None
            self.last_move = None
            self.undone_move = move
            self.undone.emit(result)

        self._runner.spawn(go(), on_error=self._failed, name="lead-undo")
        return True

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.error.emit(describe_error(error))

"""The review loop: keep K items claimed and prepared, decide in one keystroke, send later.

decide(), decide_items() and skip() never touch the network: a decision is committed to the outbox and the next
prepared item is shown at once. Everything else (claiming, downloading, covering media, renewing leases, releasing,
sending) runs in the background through the BackgroundRunner, and its results come back on the UI thread.

prefetch=K keeps K items ready behind the shown one; prefetch=0 fetches the next item only after each decision, as
web consoles do (the benchmark compares the two).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QObject, QSize, QTimer, Signal

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import ConnectionFailed
from moderator_app.client.outbox import Outbox, OutboxEntry
from moderator_app.client.sender import OutboxSender
from moderator_app.core.foreground import GATE
from moderator_app.core.models import BanScope, Item, Queue
from moderator_app.core.policy import Action, EscalationTarget, PolicyReason
from moderator_app.workflow.claims import ClaimKeeper, LeaseKeeper
from moderator_app.workflow.decision_log import DecisionLog
from moderator_app.workflow.decisions import DecisionChoice, decision_choices
from moderator_app.workflow.items import ReviewItem
from moderator_app.workflow.outbox_pump import OutboxPump, ReviewStatus
from moderator_app.workflow.prefetch import Prefetcher
from moderator_app.workflow.queue_opening import QueueOpening
from moderator_app.workflow.quit import send_and_release
from moderator_app.workflow.tasks import BackgroundRunner, describe_error
from moderator_app.workflow.undo import UndoResult

log = logging.getLogger(__name__)

DEFAULT_DISPLAY_SIZE = QSize(960, 720)
RELEASE_DELAY_MS = 40


class ReviewSession(QObject):
    item_changed = Signal(object)  # ReviewItem, or None when nothing is shown (see `loading` to tell why)
    loading_changed = Signal(bool)  # True while the screen waits for the next item to be claimed and prepared
    queue_changed = Signal(object)  # Queue
    decided = Signal(object)  # list[OutboxEntry] just written (one keypress)
    undone = Signal(object)  # UndoResult
    status_changed = Signal(object)  # ReviewStatus
    conflict = Signal(object)  # OutboxEntry whose item someone else decided first
    online_changed = Signal(bool)
    error = Signal(str)

    def __init__(
        self,
        api: ApiClient,
        outbox: Outbox,
        sender: OutboxSender,
        runner: BackgroundRunner,
        prefetch: int = 5,
        undo_seconds: float = 5.0,
        display_size: QSize = DEFAULT_DISPLAY_SIZE,
        min_dwell_ms: int = 150,
        maintenance_ms: int = 2000,
        send_interval_ms: int = 500,
        probe_interval_ms: int = 2000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._outbox = outbox
        self._runner = runner
        self._min_dwell_ms = min_dwell_ms
        self._queue: Queue | None = None
        self._choices: dict[int, DecisionChoice] = {}
        self._current: ReviewItem | None = None
        self._loading = False
        self._transition = False  # an item was just shown: a second keypress must not decide it unseen
        self._shown_serial = 0
        self._log = DecisionLog(outbox, undo_seconds)
        self._claims = ClaimKeeper(api, outbox)
        self._leases = LeaseKeeper(self._claims, runner, self._background_failed, self._answered)
        self._prefetcher = Prefetcher(
            api,
            runner,
            self._leases,
            display_size,
            prefetch,
            screen_waiting=lambda: self._current is None and self._loading,
            arrived=self._arrived,
            accept=self._log.accept,
            ran_dry=self._ran_dry,
            answered=self._answered,
            failed=self._background_failed,
        )
        self._opening = QueueOpening(
            api, runner, self._claims, lambda: self._prefetcher.generation, self._opened, self._background_failed
        )
        self._pump = OutboxPump(
            outbox,
            sender,
            runner,
            interval_ms=send_interval_ms,
            parent=self,
            probe=api.health,
            probe_interval_ms=probe_interval_ms,
        )
        self._pump.status_changed.connect(self.status_changed)
        self._pump.conflict.connect(self.conflict)
        self._pump.online_changed.connect(self._online_changed)
        # Pictures of items whose undo window closed are freed a moment after a keypress, once the next item is
        # on screen, not during it (giving several MB back to the system takes a while).
        self._release_timer = QTimer(self)
        self._release_timer.setSingleShot(True)
        self._release_timer.setInterval(RELEASE_DELAY_MS)
        self._release_timer.timeout.connect(self._log.release_memory)
        self._maintenance = QTimer(self)
        self._maintenance.setInterval(maintenance_ms)
        self._maintenance.timeout.connect(self._maintain)

    # --- state ------------------------------------------------------------------------------------------

    @property
    def queue(self) -> Queue | None:
        return self._queue

    @property
    def choices(self) -> dict[int, DecisionChoice]:
        """The open queue's decision keys: slot 1..9 -> action + reason."""
        return dict(self._choices)

    @property
    def current(self) -> ReviewItem | None:
        return self._current

    @property
    def prepared_count(self) -> int:
        """Items claimed and ready to show after the current one."""
        return len(self._prefetcher.ready)

    @property
    def ready_items(self) -> list[ReviewItem]:
        return list(self._prefetcher.ready)

    @property
    def prefetch(self) -> int:
        return self._prefetcher.prefetch

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def can_decide(self) -> bool:
        return self._current is not None and not self._transition

    @property
    def status(self) -> ReviewStatus:
        return self._pump.status

    @property
    def pump(self) -> OutboxPump:
        return self._pump

    @property
    def api(self) -> ApiClient:
        return self._api

    @property
    def runner(self) -> BackgroundRunner:
        return self._runner

    @property
    def undo_seconds(self) -> float:
        return self._log.undo_seconds

    def set_undo_seconds(self, seconds: float) -> None:
        """For decisions from now on (those already waiting keep their window)."""
        self._log.set_undo_seconds(seconds)

    def set_cover_size(self, size: QSize) -> None:
        """The screen paints covered media this large (device pixels) for the shown item's kind: media prepared
        from now on for items of that kind are covered at that size, so painting them copies pixels instead of
        rescaling them on the UI thread. Only the covered picture: the original keeps the display size."""
        if self._current is not None and size.isValid() and not size.isEmpty():
            self._prefetcher.cover_sizes[self._current.item.kind] = QSize(size)

    def set_prefetch(self, count: int) -> None:
        """How many items to keep prepared behind the shown one (0: fetch after each decision)."""
        self._prefetcher.prefetch = max(0, int(count))
        self._top_up()

    def held_items(self) -> list[ReviewItem]:
        """Items this session holds claims on and has not decided: the shown one first."""
        return ([self._current] if self._current else []) + list(self._prefetcher.ready)

    def held_item_ids(self) -> list[int]:
        return [review_item.id for review_item in self.held_items()]

    # --- starting and stopping --------------------------------------------------------------------------

    def start_sending(self) -> None:
        """Start the outbox sender; call once at start-up so decisions left from the last run go out."""
        self._pump.start()

    def open_queue(self, queue_id: int, queue: Queue | None = None) -> None:
        """Release what the session holds, then claim and prepare the first K items of another queue.

        Pass the Queue when the caller has it (from the queue list) to save a round trip before the first claim.
        """
        self._drop_held(None)
        self._queue = None
        self._set_loading(True)
        self._maintenance.start()
        self._opening.start(queue_id, queue, set(self.held_item_ids()))

    def close(self) -> None:
        """Leave the queue: release every claim not decided (in the background; best effort)."""
        self._maintenance.stop()
        self._drop_held(None)
        # Decisions still in their window go out as made: undo brings an item back into its own queue only.
        self._log.forget_undo()
        self._queue = None
        self._choices = {}
        self._opening.cancel()
        self._set_loading(False)

    async def aclose(self, timeout: float = 2.0) -> None:
        """Quit: send what waits in the undo window, release held claims; at most `timeout` seconds in all."""
        self._maintenance.stop()
        self._pump.stop()
        self._leases.closing = True  # claims that land from now on are collected in late_claims, not shown
        ids = ([self._current.id] if self._current else []) + self._prefetcher.reset(None)
        self._current = None
        self._log.forget_undo()
        await send_and_release(self._runner, self._pump, self._prefetcher, self._leases, self._claims, ids, timeout)

    async def _opened(self, queue: Queue, stale: list[int], generation: int) -> None:
        self._queue = queue
        self._choices = decision_choices(queue)
        self._pump.note_reachable()
        self.queue_changed.emit(queue)
        if stale:
            log.info("releasing %d claims left by an earlier run", len(stale))
            self._leases.release(stale)
        self._prefetcher.queue_id = queue.id
        await self._prefetcher.fill(generation)

    # --- the keypress path: no network, no waiting ------------------------------------------------------

    def decide(
        self,
        action: Action,
        reason: PolicyReason | None = None,
        note: str = "",
        escalation_target: EscalationTarget | None = None,
        territorial_scope: list[str] | None = None,
        ban_scope: BanScope | None = None,
        *,
        confirmed: bool = False,
    ) -> OutboxEntry | None:
        """Commit a decision on the shown item to the outbox and show the next one. None if nothing was decided.

        confirmed: the moderator confirmed it in a dialog, so the short guard against a double keypress (no decision
        in the first moments an item is shown) does not apply.
        """
        current = self._current
        if current is None or (self._transition and not confirmed):
            return None
        details = (action, reason, note, escalation_target, territorial_scope, ban_scope)
        entries = self._commit([current.item], *details)
        return entries[0] if entries else None

    def decide_items(
        self,
        items: Iterable[Item],
        action: Action,
        reason: PolicyReason | None = None,
        note: str = "",
        escalation_target: EscalationTarget | None = None,
        territorial_scope: list[str] | None = None,
        ban_scope: BanScope | None = None,
    ) -> list[OutboxEntry]:
        """One key, several items (a selection, or the near-duplicates of the shown media): one outbox entry each.

        Items that the decision does not fit (remove_post on a channel) are left out and named in `error`.
        """
        return self._commit(list(items), action, reason, note, escalation_target, territorial_scope, ban_scope)

    def _commit(self, items: list[Item], *details: object) -> list[OutboxEntry]:
        """details: action, reason, note, escalation target, territorial scope, ban scope (as decide() takes)."""
        held = {review_item.id: review_item for review_item in self.held_items()}
        # Committed before the screen moves on: a kill right after the keypress loses nothing.
        entries, refused = self._log.commit(items, held, self._queue, *details)  # type: ignore[arg-type]
        if refused:
            self.error.emit("; ".join(refused))
        if not entries:
            return []
        try:
            decided_ids = {entry.item_id for entry in entries}
            self._prefetcher.discard(decided_ids)
            self.decided.emit(entries)
            if self._current is not None and self._current.id in decided_ids:
                self._advance()
            else:
                self._top_up()
        finally:
            # On disk (fsync, for a power cut) before the next item can be painted: the sync ran on the outbox's
            # thread while the screen was updated, so this rarely waits. Painting happens only once we return.
            self._log.wait_durable()
            if not self._release_timer.isActive():
                self._release_timer.start()
        if self._log.undo_seconds <= 0:
            self._pump.tick()  # nothing to wait for: do not sit out the rest of the tick interval
        return entries

    def skip(self) -> bool:
        """Give the shown item back to the queue and show the next one."""
        current = self._current
        if current is None or self._transition:
            return False
        self._leases.release([current.id])
        self._advance()
        return True

    def undo_last(self) -> UndoResult | None:
        """Take back the newest decision (or batch) still inside its undo window and show its item again."""
        result = self._log.take_back()
        if result is None:
            return None
        if result.review_items:
            ready = self._prefetcher.ready
            if self._current is not None:
                ready.appendleft(self._current)
            for review_item in reversed(result.review_items[1:]):
                ready.appendleft(review_item)
            self._show(result.review_items[0])
            # The claim was kept while the decision waited; renew now so the item is surely still ours.
            for review_item in result.review_items:
                self._leases.renew(review_item, self._lease_lost)
        self.undone.emit(result)
        self._pump.tick()  # the pending count drops now, not at the next tick
        return result

    def retry_failed(self) -> None:
        self._pump.retry_failed()

    def dismiss_troubles(self) -> None:
        self._pump.dismiss_troubles()

    # --- showing ----------------------------------------------------------------------------------------

    def _advance(self) -> None:
        if self._prefetcher.ready:
            self._prefetcher.note_taken()
            self._show(self._prefetcher.ready.popleft())
        else:
            GATE.release()  # nothing to paint: the screen waits for preparation, which must not wait for it
            self._current = None
            self._transition = False
            self.item_changed.emit(None)
            self._set_loading(self._queue is not None or self._prefetcher.filling)
        self._top_up()

    def _show(self, review_item: ReviewItem) -> None:
        # Preparation workers pause until the screen has painted it (see core.foreground).
        GATE.hold()
        self._current = review_item
        self._set_loading(False)
        self._shown_serial += 1
        if self._min_dwell_ms > 0:
            self._transition = True
            QTimer.singleShot(self._min_dwell_ms, lambda serial=self._shown_serial: self._end_transition(serial))
        self.item_changed.emit(review_item)

    def _end_transition(self, serial: int) -> None:
        if serial == self._shown_serial:
            self._transition = False

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # --- background: prefetch, leases, reachability ----------------------------------------------------

    def _top_up(self) -> None:
        if self._queue is not None:
            self._prefetcher.top_up(showing=self._current is not None)

    def _arrived(self) -> None:
        if self._current is None and self._loading:
            self._show(self._prefetcher.ready.popleft())

    def _ran_dry(self) -> None:
        if self._current is None:
            # Nothing left to show: say so (item_changed(None) with loading False means "queue empty").
            self._set_loading(False)
            self.item_changed.emit(None)

    def _maintain(self) -> None:
        if self._opening.pending and self._queue is None:
            self._opening.retry(set(self.held_item_ids()))  # the first attempt failed (server unreachable)
            return
        self._top_up()
        # Decided items waiting out their undo window keep their claim too: undo brings them back.
        self._leases.renew_due(self.held_items() + self._log.kept_items(), self._lease_lost)

    def _lease_lost(self, review_item: ReviewItem) -> None:
        if review_item in self._prefetcher.ready:
            # Someone else holds it now (our lease ran out while offline): never show it from our prefetch.
            self._prefetcher.ready.remove(review_item)
            self._top_up()
        elif review_item is self._current:
            self.error.emit(
                f"Item {review_item.id} is no longer claimed by you (the lease ran out); "
                "deciding it still works unless someone else decides it first."
            )

    def _answered(self) -> None:
        self._pump.note_reachable()

    def _online_changed(self, online: bool) -> None:
        self.online_changed.emit(online)
        if online and self._queue is not None:
            self._maintain()  # top up and renew at once instead of at the next maintenance tick

    def _drop_held(self, queue_id: int | None) -> None:
        ids = ([self._current.id] if self._current else []) + self._prefetcher.reset(queue_id)
        self._current = None
        self._transition = False
        self._leases.release(ids)

    def _background_failed(self, error: BaseException) -> None:
        log.info("review background work failed: %s", describe_error(error))
        if isinstance(error, ConnectionFailed):
            # Offline: the screen keeps working through what is prepared; the status bar says OFFLINE.
            self._pump.note_unreachable(describe_error(error))
            return
        # The maintenance timer tries again (open, claim) in a moment; the status bar says what went wrong.
        self.error.emit(describe_error(error))

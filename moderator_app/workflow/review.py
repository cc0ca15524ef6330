"""The review loop: keep K items claimed and prepared, decide in one keystroke, send later.

decide() and skip() never touch the network: a decision is committed to the outbox and the next prepared item is
shown at once. Everything else (claiming, downloading, covering media, renewing leases, releasing, sending) runs in
the background through the BackgroundRunner, and its results come back on the UI thread.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, QSize, QTimer, Signal

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import ApiError
from moderator_app.client.outbox import Outbox, OutboxEntry
from moderator_app.client.sender import OutboxSender
from moderator_app.core.models import ClaimedItem, Queue
from moderator_app.core.policy import Action, EscalationTarget, PolicyReason
from moderator_app.workflow.claims import ClaimKeeper
from moderator_app.workflow.items import ReviewItem, build_request, prepare_review_item
from moderator_app.workflow.outbox_pump import OutboxPump, ReviewStatus
from moderator_app.workflow.tasks import BackgroundRunner, describe_error
from moderator_app.workflow.undo import UndoStack

log = logging.getLogger(__name__)

DEFAULT_DISPLAY_SIZE = QSize(960, 720)
RENEW_MARGIN = timedelta(seconds=120)  # renew a lease this long before it runs out
EMPTY_RECHECK_SECONDS = 15.0  # a dry queue can refill (leases expire, escalations arrive): look again this often


class ReviewSession(QObject):
    item_changed = Signal(object)  # ReviewItem, or None when nothing is shown (see `loading` to tell why)
    loading_changed = Signal(bool)  # True while the screen waits for the next item to be claimed and prepared
    queue_changed = Signal(object)  # Queue
    decided = Signal(object)  # OutboxEntry just written
    status_changed = Signal(object)  # ReviewStatus
    conflict = Signal(object)  # OutboxEntry whose item someone else decided first
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
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._outbox = outbox
        self._runner = runner
        self._prefetch = max(1, prefetch)
        self._undo_seconds = undo_seconds
        self._display_size = QSize(display_size)
        self._min_dwell_ms = min_dwell_ms
        self._queue: Queue | None = None
        self._current: ReviewItem | None = None
        self._ready: deque[ReviewItem] = deque()
        self._preparing = 0  # claimed items whose media are still being prepared
        self._generation = 0  # bumped on open/close so late results for an old queue are dropped
        self._filling = False
        self._dry_since: float | None = None  # monotonic time the queue last handed out fewer items than asked
        self._loading = False
        self._transition = False  # an item was just shown: a second keypress must not decide it unseen
        self._shown_serial = 0
        self._undo = UndoStack(undo_seconds)
        self._opening: int | None = None  # queue id whose opening has not succeeded yet (retried when it fails)
        self._open_task: asyncio.Task[None] | None = None
        self._known_queue: Queue | None = None
        self._fill_task: asyncio.Task[None] | None = None
        self._closing = False
        self._late_claims: list[int] = []  # claimed while quitting: released by aclose
        self._claims = ClaimKeeper(api, outbox)
        self._pump = OutboxPump(outbox, sender, runner, interval_ms=send_interval_ms, parent=self)
        self._pump.status_changed.connect(self.status_changed)
        self._pump.conflict.connect(self.conflict)
        self._maintenance = QTimer(self)
        self._maintenance.setInterval(maintenance_ms)
        self._maintenance.timeout.connect(self._maintain)

    # --- state ------------------------------------------------------------------------------------------

    @property
    def queue(self) -> Queue | None:
        return self._queue

    @property
    def current(self) -> ReviewItem | None:
        return self._current

    @property
    def prepared_count(self) -> int:
        """Items claimed and ready to show after the current one."""
        return len(self._ready)

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

    def held_item_ids(self) -> list[int]:
        """Items this session holds claims on and has not decided: the shown one first."""
        return [review_item.id for review_item in self._held_items()]

    # --- starting and stopping --------------------------------------------------------------------------

    def start_sending(self) -> None:
        """Start the outbox sender; call once at start-up so decisions left from the last run go out."""
        self._pump.start()

    def open_queue(self, queue_id: int, queue: Queue | None = None) -> None:
        """Release what the session holds, then claim and prepare the first K items of another queue.

        Pass the Queue when the caller has it (from the queue list) to save a round trip before the first claim.
        """
        self._drop_held()
        self._generation += 1
        self._queue = None
        self._known_queue = queue if queue is not None and queue.id == queue_id else None
        self._dry_since = None
        self._set_loading(True)
        self._opening = queue_id
        self._maintenance.start()
        self._spawn_open()

    def _spawn_open(self) -> None:
        if self._opening is None or self._runner.closed:
            return
        if self._open_task is not None and not self._open_task.done():
            return  # a slow server: the attempt in flight may still succeed
        self._open_task = self._runner.spawn(
            self._open(self._opening, self._generation), on_error=self._background_failed, name="open"
        )

    def close(self) -> None:
        """Leave the queue: release every claim not decided (in the background; best effort)."""
        self._maintenance.stop()
        self._generation += 1
        self._drop_held()
        self._queue = None
        self._opening = None
        self._set_loading(False)

    async def aclose(self, timeout: float = 2.0) -> None:
        """Quit: stop the sender and release held claims, waiting at most `timeout` seconds in all."""
        deadline = time.monotonic() + timeout
        self._maintenance.stop()
        self._pump.stop()
        self._closing = True  # claims that land from now on are collected in _late_claims, not shown
        self._generation += 1
        ids = self.held_item_ids()
        self._ready.clear()
        self._current = None
        if self._fill_task is not None and not self._fill_task.done():
            # A claim request in flight would leave its items claimed by nobody who will show them.
            await asyncio.wait([self._fill_task], timeout=max(0.0, deadline - time.monotonic()))
        ids += self._late_claims
        if ids and not self._runner.closed:
            try:
                await asyncio.wait_for(
                    self._runner.call(self._claims.release, ids), max(0.1, deadline - time.monotonic())
                )
            except (TimeoutError, ApiError):
                log.info("could not release %d claims at quit; their leases will run out", len(ids))

    async def _open(self, queue_id: int, generation: int) -> None:
        # Claims left by an earlier run (crash, kill) block those items for everyone until their lease runs out.
        # Listed before this session claims anything, so everything listed and not held here is a leftover.
        leftovers = asyncio.ensure_future(self._runner.call(self._claims.leftovers, set(self.held_item_ids())))
        queue = self._known_queue or await self._runner.call(self._api.queue, queue_id)
        stale = await leftovers
        if generation != self._generation:
            return
        self._queue = queue
        self._opening = None
        self.queue_changed.emit(queue)
        if stale:
            log.info("releasing %d claims left by an earlier run", len(stale))
            self._release_in_background(stale)
        await self._fill(generation)

    # --- the keypress path: no network, no waiting ------------------------------------------------------

    def decide(
        self,
        action: Action,
        reason: PolicyReason | None = None,
        note: str = "",
        escalation_target: EscalationTarget | None = None,
        territorial_scope: list[str] | None = None,
    ) -> OutboxEntry | None:
        """Commit a decision on the shown item to the outbox and show the next one. None if nothing was decided."""
        current = self._current
        if current is None or self._transition:
            return None
        try:
            request = build_request(
                current.item, self._queue, action, reason, note, escalation_target, territorial_scope
            )
            entry = self._outbox.add(current.id, request, self._undo_seconds)
        except ValueError as problem:
            self.error.emit(str(problem))
            return None
        self._undo.push(entry, current)
        self.decided.emit(entry)
        self._advance()
        if self._undo_seconds <= 0:
            self._pump.tick()  # nothing to wait for: do not sit out the rest of the tick interval
        return entry

    def skip(self) -> bool:
        """Give the shown item back to the queue and show the next one."""
        current = self._current
        if current is None or self._transition:
            return False
        self._release_in_background([current.id])
        self._advance()
        return True

    def undo_last(self) -> bool:
        """Take back the newest decision still inside its undo window and show its item again."""
        review_item = self._undo.take_back(self._outbox.cancel)
        if review_item is None:
            return False
        if self._current is not None:
            self._ready.appendleft(self._current)
        self._show(review_item)
        return True

    def retry_failed(self) -> None:
        self._pump.retry_failed()

    # --- showing ----------------------------------------------------------------------------------------

    def _advance(self) -> None:
        if self._ready:
            self._show(self._ready.popleft())
        else:
            self._current = None
            self.item_changed.emit(None)
            self._set_loading(self._queue is not None or self._filling)
        self._top_up()

    def _show(self, review_item: ReviewItem) -> None:
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

    # --- background: claiming and preparing -------------------------------------------------------------

    def _top_up(self) -> None:
        if self._queue is None or self._filling or self._runner.closed:
            return
        if self._dry_since is not None:
            if self._current is not None or self._ready:
                return
            if time.monotonic() - self._dry_since < EMPTY_RECHECK_SECONDS and not self._loading:
                return
        if len(self._ready) + self._preparing < self._prefetch:
            self._fill_task = self._runner.spawn(
                self._fill(self._generation), on_error=self._background_failed, name="fill"
            )

    async def _fill(self, generation: int) -> None:
        if self._filling:
            return
        self._filling = True
        self._fill_task = asyncio.current_task()
        try:
            while generation == self._generation and self._queue is not None:
                missing = self._prefetch - len(self._ready) - self._preparing
                if missing <= 0:
                    break
                if self._current is None and not self._ready and not self._preparing:
                    missing = 1  # the screen is waiting: one item prepares faster than a batch of K
                batch = await self._runner.call(self._api.claim, self._queue.id, missing)
                if generation != self._generation:
                    self._give_back([claimed.item.id for claimed in batch.items])
                    return
                self._dry_since = time.monotonic() if len(batch.items) < missing else None
                await self._prepare_batch(batch.items, generation)
                if self._dry_since is not None:
                    break
        finally:
            self._filling = False
        if generation == self._generation and self._current is None and not self._ready:
            # Nothing left to show: say so (item_changed(None) with loading False means "queue empty").
            self._set_loading(False)
            self.item_changed.emit(None)

    async def _prepare_batch(self, batch: Iterable[ClaimedItem], generation: int) -> None:
        claimed = list(batch)
        self._preparing += len(claimed)
        # Start all at once (the pool has several workers), but hand them to the screen in claim order.
        futures = [
            asyncio.ensure_future(self._runner.call(prepare_review_item, self._api, c, self._display_size))
            for c in claimed
        ]
        for claimed_item, future in zip(claimed, futures, strict=True):
            try:
                review_item = await future
            except Exception as error:  # a bug in preparing one item must not stall the queue
                log.warning("item %s could not be prepared", claimed_item.item.id, exc_info=error)
                self._give_back([claimed_item.item.id])
                continue
            finally:
                self._preparing -= 1
            if generation != self._generation:
                self._give_back([review_item.id])
                continue
            self._ready.append(review_item)
            if self._current is None and self._loading:
                self._show(self._ready.popleft())

    # --- background: leases -----------------------------------------------------------------------------

    def _maintain(self) -> None:
        if self._opening is not None and self._queue is None:
            self._spawn_open()  # the first attempt failed (server unreachable): try again
            return
        self._top_up()
        now = datetime.now(UTC)
        due = [r for r in self._held_items() if r.claim.lease_expires_at - now < RENEW_MARGIN]
        for review_item in due:
            self._runner.spawn(self._renew(review_item), on_error=self._background_failed, name="renew")

    def _held_items(self) -> list[ReviewItem]:
        return ([self._current] if self._current else []) + list(self._ready)

    async def _renew(self, review_item: ReviewItem) -> None:
        claim = await self._runner.call(self._claims.renew, review_item.id)
        if claim is not None:
            review_item.claim = claim
        elif review_item in self._ready:
            # Someone else holds it now (our lease ran out while offline): never show it from our prefetch.
            self._ready.remove(review_item)
            self._top_up()

    # --- background: releasing --------------------------------------------------------------------------

    def _drop_held(self) -> None:
        ids = self.held_item_ids()
        self._ready.clear()
        self._current = None
        self._transition = False
        self._release_in_background(ids)

    def _release_in_background(self, item_ids: list[int]) -> None:
        if item_ids and not self._runner.closed:
            self._runner.spawn(self._runner.call(self._claims.release, item_ids), on_error=self._release_failed)

    def _give_back(self, item_ids: list[int]) -> None:
        """Release claims that arrived for a queue the session has left (or while quitting)."""
        if self._closing:
            self._late_claims.extend(item_ids)
        else:
            self._release_in_background(item_ids)

    def _release_failed(self, error: BaseException) -> None:
        # Best effort: an unreleased claim only delays the item until its lease runs out.
        log.info("release failed: %s", describe_error(error))

    def _background_failed(self, error: BaseException) -> None:
        log.info("review background work failed: %s", describe_error(error))
        # The maintenance timer tries again (open, claim) in a moment; the status bar says what went wrong.
        self.error.emit(describe_error(error))

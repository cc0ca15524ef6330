"""Prefetch: keep the next K items of a queue claimed, fetched, and their media prepared, in claim order.

The review session shows items from `ready`; this class refills it in the background. With K = 0 it claims one item
only when the screen has nothing to show (fetch after each decision, as web consoles do).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from PySide6.QtCore import QSize

from moderator_app.client.api import ApiClient
from moderator_app.core.models import ClaimedItem, ItemKind
from moderator_app.media.warmup import warm_up
from moderator_app.workflow.claims import LeaseKeeper
from moderator_app.workflow.items import ReviewItem, prepare_review_item
from moderator_app.workflow.tasks import BackgroundRunner

log = logging.getLogger(__name__)

EMPTY_RECHECK_SECONDS = 15.0  # a dry queue can refill (leases expire, escalations arrive): look again this often


class Prefetcher:
    def __init__(
        self,
        api: ApiClient,
        runner: BackgroundRunner,
        leases: LeaseKeeper,
        display_size: QSize,
        prefetch: int,
        *,
        screen_waiting: Callable[[], bool],
        arrived: Callable[[], None],
        accept: Callable[[ReviewItem], bool],
        ran_dry: Callable[[], None],
        answered: Callable[[], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        self._api = api
        self._runner = runner
        self._leases = leases
        self._display_size = QSize(display_size)
        self.cover_sizes: dict[ItemKind, QSize] = {}  # the size covered media are painted at, by item kind
        self.prefetch = max(0, prefetch)
        self._screen_waiting = screen_waiting  # the screen shows nothing and waits for an item
        self._arrived = arrived  # an item was added to `ready`
        self._accept = accept  # False: the session keeps the item aside (it was decided while it was prepared)
        self._ran_dry = ran_dry  # a fill ended with nothing to show
        self._answered = answered
        self._failed = failed
        self.ready: deque[ReviewItem] = deque()
        self.queue_id: int | None = None
        self.preparing = 0  # claimed items whose media are still being prepared
        self.generation = 0  # bumped on every reset so late results for an old queue are given back
        self.filling = False
        self.dry_since: float | None = None  # monotonic time the queue last handed out fewer items than asked
        self.fill_task: asyncio.Task[None] | None = None
        self.in_flight: set[int] = set()  # claimed, being prepared
        self._claimed = 0  # claims so far: their order is the order items are shown in
        self._order: dict[int, int] = {}  # item id -> claim order, while preparing
        self._placed: dict[int, int] = {}  # item id -> claim order, while ready
        self._prepare_seconds: float | None = None  # average time from claim to ready
        self._take_seconds: float | None = None  # average time between items the screen takes
        self._last_take: float | None = None
        # Preparing is mostly waiting for downloads: a pool of its own, so a slow network for media never delays
        # sending decisions or renewing leases on the shared runner. Its threads keep the UI's CPU priority: they
        # hold the interpreter lock through each decode and blur (PySide6 does not release it in Qt calls), so a
        # lower priority only made a busy machine stretch those calls while the UI thread waited for the lock
        # (bench.ui_probe: blocks of 45-75 ms at nice 10, 30-45 ms without). They give way to the UI thread
        # through core.foreground while it puts an item on screen instead.
        self._pool = ThreadPoolExecutor(max_workers=max(2, self.prefetch + 1), thread_name_prefix="prepare")
        warm_up()  # on this (the UI) thread, before preparation runs on several at once (see media.warmup)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def reset(self, queue_id: int | None) -> list[int]:
        """Start over for another queue (or none). Returns the ids of the ready and still preparing items, whose
        claims to release (a preparation that ends later gives its item back again, harmlessly)."""
        ids = [review_item.id for review_item in self.ready] + sorted(self.in_flight)
        self.ready.clear()
        self._placed.clear()
        self.generation += 1
        self.queue_id = queue_id
        self.dry_since = None
        return ids

    def discard(self, item_ids: set[int]) -> None:
        self.ready = deque(r for r in self.ready if r.id not in item_ids)

    def wanted(self) -> int:
        """Items to claim now: K ready behind the shown one, and at least one while the screen waits for anything.

        Items on their way count against K only beyond what the network keeps in flight: when preparing an item
        takes longer than the moderator spends on one, K items would otherwise never all be ready at once.
        """
        missing = self.prefetch - len(self.ready) - max(0, self.preparing - self.in_flight_allowance())
        if self._screen_waiting() and not self.ready and not self.preparing:
            missing = max(missing, 1)
        return missing

    def in_flight_allowance(self) -> int:
        """How many items the network needs on their way to keep pace: preparation time over time per item (at
        most K, so at most 2K + 1 claims are held, and only while the network is slow against the pace)."""
        if self._prepare_seconds is None or self._take_seconds is None or self._take_seconds <= 0:
            return 0
        return min(self.prefetch, math.ceil(self._prepare_seconds / self._take_seconds - 0.25))

    def note_taken(self) -> None:
        """The screen took an item from `ready` (the pace the moderator works at)."""
        now = time.monotonic()
        if self._last_take is not None:
            self._take_seconds = _average(self._take_seconds, now - self._last_take)
        self._last_take = now

    def top_up(self, showing: bool) -> None:
        if self.queue_id is None or self.filling or self._runner.closed:
            return
        if self.dry_since is not None:
            if showing or self.ready:
                return
            if time.monotonic() - self.dry_since < EMPTY_RECHECK_SECONDS and not self._screen_waiting():
                return
        if self.wanted() > 0:
            self.fill_task = self._runner.spawn(self.fill(self.generation), on_error=self._failed, name="fill")

    async def fill(self, generation: int) -> None:
        """Claim until K items are ready or being prepared. Preparing runs on, so the next claim does not wait
        for the slowest download of the last batch: with network latency, claims and downloads overlap."""
        if self.filling:
            return
        self.filling = True
        self.fill_task = asyncio.current_task()
        try:
            while generation == self.generation and self.queue_id is not None:
                missing = self.wanted()
                if missing <= 0:
                    break
                waiting = self._screen_waiting() and not self.ready and not self.preparing
                if waiting:
                    missing = 1  # the screen is waiting: one item prepares faster than a batch of K
                claimed_at = time.monotonic()
                batch = await self._runner.call(self._api.claim, self.queue_id, missing)
                self._answered()
                if generation != self.generation:
                    self._leases.give_back([claimed.item.id for claimed in batch.items])
                    return
                self.dry_since = time.monotonic() if len(batch.items) < missing else None
                self._start_preparing(batch.items, generation, claimed_at)
                if self.dry_since is not None or waiting:
                    break  # dry; or the waiting screen's item first, the rest once it is shown (see _collect)
        finally:
            self.filling = False
        self._check_dry(generation)

    def _check_dry(self, generation: int) -> None:
        """Nothing ready, nothing coming: say the queue is empty if it is, else claim again."""
        if generation != self.generation or self.ready or self.preparing or self.filling:
            return
        if self.dry_since is not None:
            self._ran_dry()
        else:
            self.top_up(showing=not self._screen_waiting())  # a preparation failed: claim another one

    def _start_preparing(self, batch: Iterable[ClaimedItem], generation: int, claimed_at: float) -> None:
        claimed = list(batch)
        self.preparing += len(claimed)
        self.in_flight |= {c.item.id for c in claimed}
        for claimed_item in claimed:
            self._claimed += 1
            self._order[claimed_item.item.id] = self._claimed
        loop = asyncio.get_running_loop()
        for claimed_item in claimed:
            # Each item on its own: one with many pictures must not hold back the others claimed with it (they
            # are within seconds of each other's deadline, so the order they become ready in hardly matters).
            cover_size = self.cover_sizes.get(claimed_item.item.kind)
            job = partial(prepare_review_item, self._api, claimed_item, self._display_size, cover_size=cover_size)
            future = loop.run_in_executor(self._pool, job)
            collect = self._collect(claimed_item, future, generation, claimed_at)
            self._runner.spawn(collect, on_error=self._failed, name="prepare")

    async def _collect(
        self, claimed: ClaimedItem, future: asyncio.Future[ReviewItem], generation: int, claimed_at: float
    ) -> None:
        try:
            review_item: ReviewItem | None = await future
        except Exception as error:  # a bug in preparing one item must not stall the queue
            log.warning("item %s could not be prepared", claimed.item.id, exc_info=error)
            review_item = None
        self.preparing -= 1
        self.in_flight.discard(claimed.item.id)
        if review_item is None or generation != self.generation:
            self._leases.give_back([claimed.item.id])
        elif self._accept(review_item):
            self._prepare_seconds = _average(self._prepare_seconds, time.monotonic() - claimed_at)
            self._insert(review_item)
            self._arrived()
        self._check_dry(generation)
        if generation == self.generation:
            self.top_up(showing=not self._screen_waiting())

    def _insert(self, review_item: ReviewItem) -> None:
        """Into `ready` in claim order (earliest deadline first), whichever preparation finished first."""
        order = self._order.pop(review_item.id, 0)
        position = len(self.ready)
        while position > 0 and self._order_of(self.ready[position - 1]) > order:
            position -= 1
        self.ready.insert(position, review_item)
        self._placed[review_item.id] = order
        # Forget the order of items the screen has taken since (a handful are ready at any time).
        self._placed = {r.id: self._placed[r.id] for r in self.ready if r.id in self._placed}

    def _order_of(self, review_item: ReviewItem) -> int:
        return self._placed.get(review_item.id, 0)  # 0: put back by an undo, goes first


def _average(previous: float | None, sample: float) -> float:
    """A moving average that follows changes within a few samples (the pace changes with the items)."""
    return sample if previous is None else 0.7 * previous + 0.3 * sample

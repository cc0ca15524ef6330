"""Opening a queue for review, in the background: find the claims an earlier run left behind, fetch the queue (its
decision set), then hand both to the review session. An attempt that fails (server unreachable) is tried again by
the session's maintenance tick; one still in flight is never doubled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from moderator_app.client.api import ApiClient
from moderator_app.core.models import Queue
from moderator_app.workflow.claims import ClaimKeeper
from moderator_app.workflow.tasks import BackgroundRunner

#: Awaited on the UI thread once the queue is known, with the queue, the ids of claims left by an earlier run, and
#: the generation the attempt started in (the session fills its prefetch in it: a failure there is this attempt's).
Opened = Callable[[Queue, list[int], int], Awaitable[None]]


class QueueOpening:
    def __init__(
        self,
        api: ApiClient,
        runner: BackgroundRunner,
        claims: ClaimKeeper,
        generation: Callable[[], int],
        opened: Opened,
        failed: Callable[[BaseException], None],
    ) -> None:
        """generation: the session's current one; an answer for a queue the session has since left is dropped."""
        self._api = api
        self._runner = runner
        self._claims = claims
        self._generation = generation
        self._opened = opened
        self._failed = failed
        self._queue_id: int | None = None  # the queue being opened, until an attempt succeeds
        self._known: Queue | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def pending(self) -> bool:
        """A queue was asked for and has not opened yet."""
        return self._queue_id is not None

    def start(self, queue_id: int, known: Queue | None, held_ids: set[int]) -> None:
        """Open queue_id. known: the Queue when the caller has it (from the queue list), saving a round trip.
        held_ids: items the session still holds, which are not leftovers."""
        self._queue_id = queue_id
        self._known = known if known is not None and known.id == queue_id else None
        self.retry(held_ids)

    def retry(self, held_ids: set[int]) -> None:
        """Try again if the queue has not opened and no attempt is in flight (a slow server may still answer)."""
        if self._queue_id is None or self._runner.closed:
            return
        if self._task is not None and not self._task.done():
            return
        attempt = self._attempt(self._queue_id, held_ids, self._generation())
        self._task = self._runner.spawn(attempt, on_error=self._failed, name="open")

    def cancel(self) -> None:
        self._queue_id = None

    async def _attempt(self, queue_id: int, held_ids: set[int], generation: int) -> None:
        # Claims left by an earlier run (crash, kill) block those items for everyone until their lease runs out.
        # Listed before this session claims anything, so everything listed and not held here is a leftover.
        leftovers = asyncio.ensure_future(self._runner.call(self._claims.leftovers, held_ids))
        queue = self._known or await self._runner.call(self._api.queue, queue_id)
        stale = await leftovers
        if generation != self._generation():
            return  # the session left this queue meanwhile (an attempt for the new one follows)
        self._queue_id = None
        await self._opened(queue, stale, generation)

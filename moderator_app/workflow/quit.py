"""Quitting a review session: send what waits in the undo window, then give back every claim not decided.

Nobody can undo once the window is closed, so decisions still in their undo window go out now rather than at the
next start (if there is one). Claims still held would block their items for everyone until their leases run out,
so they are released, including claims whose answer arrives while quitting. All of it within one time limit:
what is not sent stays in the outbox for the next start, and leases not released run out on the server.
"""

from __future__ import annotations

import asyncio
import logging
import time

from moderator_app.client.errors import ApiError
from moderator_app.workflow.claims import ClaimKeeper, LeaseKeeper
from moderator_app.workflow.outbox_pump import OutboxPump
from moderator_app.workflow.prefetch import Prefetcher
from moderator_app.workflow.tasks import BackgroundRunner

log = logging.getLogger(__name__)


async def send_and_release(
    runner: BackgroundRunner,
    pump: OutboxPump,
    prefetcher: Prefetcher,
    leases: LeaseKeeper,
    claims: ClaimKeeper,
    held_ids: list[int],
    timeout: float,
) -> None:
    """held_ids: the claims the session held when it stopped (the shown item and the prepared ones). The pump and
    the session's timers are stopped already; the prefetcher is shut down at the end, whatever happened."""
    deadline = time.monotonic() + timeout

    def left() -> float:
        return max(0.1, deadline - time.monotonic())

    if runner.closed:
        prefetcher.shutdown()
        return
    try:
        try:
            await asyncio.wait_for(runner.call(pump.make_all_due), left())
            await asyncio.wait_for(pump.flush(), left())
        except (TimeoutError, ApiError):
            log.info("decisions left unsent at quit stay in the outbox for the next start")
        fill_task = prefetcher.fill_task
        if fill_task is not None and not fill_task.done():
            # A claim request in flight would leave its items claimed by nobody who will show them.
            await asyncio.wait([fill_task], timeout=max(0.0, deadline - time.monotonic()))
        ids = held_ids + leases.late_claims
        if ids:
            try:
                await asyncio.wait_for(runner.call(claims.release, ids), left())
            except (TimeoutError, ApiError):
                log.info("could not release %d claims at quit; their leases will run out", len(ids))
    finally:
        prefetcher.shutdown()

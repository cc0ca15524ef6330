"""Claim chores: give claims back, find claims an earlier run left, renew leases before they run out.

ClaimKeeper holds the blocking calls (for worker threads); LeaseKeeper schedules them in the background for the
review session, one renewal per item at a time.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import Conflict, NotFound
from moderator_app.client.outbox import Outbox
from moderator_app.core.models import Claim
from moderator_app.workflow.items import ReviewItem
from moderator_app.workflow.tasks import BackgroundRunner, describe_error

log = logging.getLogger(__name__)

RENEW_MARGIN = timedelta(seconds=120)  # renew a lease this long before it runs out


class ClaimKeeper:
    def __init__(self, api: ApiClient, outbox: Outbox) -> None:
        self._api = api
        self._outbox = outbox

    def release(self, item_ids: list[int]) -> None:
        for item_id in item_ids:
            # Conflict/NotFound: not ours any more (decided, or the lease ran out), nothing to give back.
            with contextlib.suppress(Conflict, NotFound):
                self._api.release(item_id)

    def leftovers(self, keep: set[int]) -> list[int]:
        """Claims the server says we hold that this run does not know: left by a crash or a kill.

        Items with a decision still waiting in the outbox are not leftovers: that decision will settle them.
        """
        undecided = {entry.item_id for entry in self._outbox.entries(states=("pending", "sending"))}
        return [claim.item_id for claim in self._api.my_claims() if claim.item_id not in keep | undecided]

    def renew(self, item_id: int) -> Claim | None:
        """The renewed claim, or None when someone else holds the item now (our lease ran out while offline)."""
        try:
            return self._api.renew(item_id)
        except (Conflict, NotFound):
            return None


class LeaseKeeper:
    """Background releases and renewals. Failures go to on_failed (the session tells offline from other trouble)."""

    def __init__(
        self,
        keeper: ClaimKeeper,
        runner: BackgroundRunner,
        on_failed: Callable[[BaseException], None],
        on_answer: Callable[[], None],
    ) -> None:
        self._keeper = keeper
        self._runner = runner
        self._on_failed = on_failed
        self._on_answer = on_answer  # the server answered: we are online
        self._renewing: set[int] = set()
        self.closing = False  # quitting: claims that arrive now are collected for aclose, not released one by one
        self.late_claims: list[int] = []

    def release(self, item_ids: list[int]) -> None:
        if item_ids and not self._runner.closed:
            self._runner.spawn(self._runner.call(self._keeper.release, item_ids), on_error=self._release_failed)

    def give_back(self, item_ids: list[int]) -> None:
        """Release claims that arrived for a queue the session has left (or while quitting)."""
        if self.closing:
            self.late_claims.extend(item_ids)
        else:
            self.release(item_ids)

    def renew_due(self, items: Iterable[ReviewItem], lost: Callable[[ReviewItem], None]) -> None:
        now = datetime.now(UTC)
        for review_item in items:
            if review_item.claim.lease_expires_at - now < RENEW_MARGIN:
                self.renew(review_item, lost)

    def renew(self, review_item: ReviewItem, lost: Callable[[ReviewItem], None]) -> None:
        if review_item.id in self._renewing or self._runner.closed:
            return
        self._renewing.add(review_item.id)
        self._runner.spawn(self._renew(review_item, lost), on_error=self._on_failed, name="renew")

    async def _renew(self, review_item: ReviewItem, lost: Callable[[ReviewItem], None]) -> None:
        try:
            claim = await self._runner.call(self._keeper.renew, review_item.id)
        finally:
            self._renewing.discard(review_item.id)
        self._on_answer()
        if claim is None:
            lost(review_item)
        else:
            review_item.claim = claim

    def _release_failed(self, error: BaseException) -> None:
        # Best effort: an unreleased claim only delays the item until its lease runs out.
        log.info("release failed: %s", describe_error(error))

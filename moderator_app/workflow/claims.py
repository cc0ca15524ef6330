"""Blocking claim chores for worker threads: give claims back, find claims an earlier run left, renew leases."""

from __future__ import annotations

import contextlib
import logging

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import Conflict, NotFound
from moderator_app.client.outbox import Outbox
from moderator_app.core.models import Claim

log = logging.getLogger(__name__)


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

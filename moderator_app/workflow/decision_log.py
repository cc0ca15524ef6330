"""The decisions of one review session on their way out: committed to the outbox before anything else happens,
undoable for a few seconds, and never shown again while they may not have reached the server yet.

Plain Python (no Qt): the ReviewSession decides when to call it and what to show.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from dataclasses import replace

from moderator_app.client.outbox import Outbox, OutboxEntry
from moderator_app.core.models import BanScope, Item, Queue
from moderator_app.core.policy import Action, EscalationTarget, PolicyReason
from moderator_app.workflow.decisions import build_decision
from moderator_app.workflow.items import ReviewItem
from moderator_app.workflow.undo import UndoResult, UndoStack

log = logging.getLogger(__name__)


class DecisionLog:
    def __init__(self, outbox: Outbox, undo_seconds: float) -> None:
        self._outbox = outbox
        self.undo_seconds = undo_seconds
        self._undo = UndoStack(undo_seconds)
        # Items decided in this run whose decision may not be on the server yet (undo window, offline): the queue
        # can still hand them out, and a batch can decide one that is being prepared. Never show them again...
        self._decided: set[int] = set()
        # ...but keep those that arrive anyway, with their claim, in case the decision is undone.
        self._parked: dict[int, ReviewItem] = {}
        self._syncing: Future[None] | None = None  # the fsync of the last commit, running on the outbox's thread

    def set_undo_seconds(self, seconds: float) -> None:
        self.undo_seconds = max(0.0, float(seconds))
        self._undo.window_seconds = self.undo_seconds

    def commit(
        self,
        items: list[Item],
        held: dict[int, ReviewItem],
        queue: Queue | None,
        action: Action,
        reason: PolicyReason | None,
        note: str,
        escalation_target: EscalationTarget | None,
        territorial_scope: list[str] | None,
        ban_scope: BanScope | None,
    ) -> tuple[list[OutboxEntry], list[str]]:
        """One outbox entry per item and the refusals, as sentences.

        The entries are committed when this returns (a crash or kill of the app loses none of them); their fsync,
        for a power cut, has started on the outbox's thread: call wait_durable() before anything new is painted.
        """
        entries: list[OutboxEntry] = []
        refused: list[str] = []
        for item in items:
            try:
                request = build_decision(
                    item, queue, action, reason, note, escalation_target, territorial_scope, ban_scope
                )
                entries.append(self._outbox.add(item.id, request, self.undo_seconds, durable=False))
            except ValueError as problem:
                refused.append(str(problem) if len(items) == 1 else f"item {item.id}: {problem}")
        if entries:
            self._syncing = self._outbox.sync_soon()
            self._decided |= {entry.item_id for entry in entries}
            self._undo.push_group(entries, [held[e.item_id] for e in entries if e.item_id in held])
        return entries, refused

    def wait_durable(self) -> None:
        """Blocking: until the last commit's fsync is done (usually already: it runs while the screen is updated)."""
        syncing, self._syncing = self._syncing, None
        if syncing is None:
            return
        try:
            syncing.result()
        except OSError as error:
            # Committed all the same (a crash of the app loses nothing); only a power cut could, until SQLite's
            # next checkpoint syncs the log.
            log.warning("the decision outbox could not be synced to disk: %s", error)

    def take_back(self) -> UndoResult | None:
        """Undo the newest step still in its window; its items (held or parked) come back to be shown."""
        result = self._undo.take_back(self._outbox.cancel)
        if result is None:
            return None
        self._decided -= result.item_ids
        parked = [self._parked.pop(i) for i in result.item_ids if i in self._parked]
        return replace(result, review_items=result.review_items + parked) if parked else result

    def accept(self, review_item: ReviewItem) -> bool:
        """Whether a freshly prepared item may be shown; a decided one is parked instead."""
        if review_item.id in self._decided:
            self._parked[review_item.id] = review_item
            return False
        return True

    def kept_items(self) -> list[ReviewItem]:
        """Decided items whose claim must stay held because their decision can still be undone."""
        undoable = self._undo.item_ids()
        for item_id in [i for i in self._parked if i not in undoable]:
            del self._parked[item_id]  # its decision can no longer be undone: the decision settles the claim
        return self._undo.review_items() + list(self._parked.values())

    def release_memory(self) -> None:
        """Free the pictures of items whose undo window closed (kept until now, off the keypress path)."""
        self._undo.release_memory()

    def forget_undo(self) -> None:
        """Leaving the queue (or quitting): what waits goes out as decided."""
        self._undo.clear()
        self._parked.clear()

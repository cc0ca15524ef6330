"""The undo window: decisions stay in the outbox, unsent, for a few seconds; the newest can be taken back.

One keypress is one undo step: a batch decision (several items, one key) is taken back as a whole. Undo reaches
back at most MAX_STEPS keypresses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from moderator_app.client.outbox import OutboxEntry
from moderator_app.workflow.items import ReviewItem


@dataclass(frozen=True)
class Undoable:
    entries: tuple[OutboxEntry, ...]
    review_items: tuple[ReviewItem, ...]  # the decided items this session held (to show again), in decision order
    until: float  # time.monotonic() when the undo window closes


@dataclass(frozen=True)
class UndoResult:
    review_items: list[ReviewItem]  # items to show again (the first one now)
    cancelled: int  # decisions taken back
    too_late: int  # decisions of the same step already on their way to the server
    item_ids: frozenset[int] = frozenset()  # the items whose decisions were taken back


MAX_STEPS = 10  # undo reaches this many keypresses back; each step keeps its items' prepared media in memory


class UndoStack:
    def __init__(
        self, window_seconds: float, clock: Callable[[], float] = time.monotonic, max_steps: int = MAX_STEPS
    ) -> None:
        self.window_seconds = window_seconds
        self._clock = clock
        self._max_steps = max_steps
        self._stack: list[Undoable] = []
        # Steps whose window closed, kept until release_memory(): dropping them frees their items' pictures
        # (several MB each, given back to the system at once), which is not work for the keypress path.
        self._released: list[Undoable] = []

    def push(self, entry: OutboxEntry, review_item: ReviewItem) -> None:
        self.push_group([entry], [review_item])

    def push_group(self, entries: Sequence[OutboxEntry], review_items: Sequence[ReviewItem]) -> None:
        if not entries:
            return
        self._prune()
        self._stack.append(Undoable(tuple(entries), tuple(review_items), self._clock() + self.window_seconds))
        # A fast moderator makes dozens of decisions inside one window; the oldest steps go on to the server as
        # decided (only their undo is given up), so memory does not grow with the pace.
        self._released += self._stack[: -self._max_steps]
        del self._stack[: -self._max_steps]

    def take_back(self, cancel: Callable[[int], bool]) -> UndoResult | None:
        """Cancel the newest step still in its window (cancel(entry_id) says whether the outbox agreed)."""
        now = self._clock()
        while self._stack:
            step = self._stack.pop()
            if step.until <= now:
                continue
            cancelled_items = {entry.item_id for entry in step.entries if cancel(entry.id)}
            if not cancelled_items:
                continue  # all of it went out already (a flush at quit, a zero window): try the step before
            shown = [item for item in step.review_items if item.id in cancelled_items]
            too_late = len(step.entries) - len(cancelled_items)
            return UndoResult(shown, len(cancelled_items), too_late, frozenset(cancelled_items))
        return None

    def review_items(self) -> list[ReviewItem]:
        """Decided items still inside their window: their leases must stay held in case they come back."""
        self._prune()
        return [item for step in self._stack for item in step.review_items]

    def item_ids(self) -> set[int]:
        """Items whose decisions can still be taken back."""
        self._prune()
        return {entry.item_id for step in self._stack for entry in step.entries}

    def _prune(self) -> None:
        now = self._clock()
        # Closed windows can never be undone.
        self._released += [step for step in self._stack if step.until <= now]
        self._stack = [step for step in self._stack if step.until > now]

    def release_memory(self) -> None:
        """Let go of the steps whose window closed (call off the keypress path: it frees their pictures)."""
        self._released.clear()

    def clear(self) -> None:
        self._stack.clear()
        self._released.clear()

    def __len__(self) -> int:
        self._prune()
        return len(self._stack)

"""The undo window: decisions stay in the outbox, unsent, for a few seconds; the newest can be taken back."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from moderator_app.client.outbox import OutboxEntry
from moderator_app.workflow.items import ReviewItem


@dataclass(frozen=True)
class Undoable:
    entry: OutboxEntry
    review_item: ReviewItem
    until: float  # time.monotonic() when the undo window closes


class UndoStack:
    def __init__(self, window_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_seconds = window_seconds
        self._clock = clock
        self._stack: list[Undoable] = []

    def push(self, entry: OutboxEntry, review_item: ReviewItem) -> None:
        now = self._clock()
        self._stack = [u for u in self._stack if u.until > now]  # closed windows can never be undone
        self._stack.append(Undoable(entry, review_item, now + self.window_seconds))

    def take_back(self, cancel: Callable[[int], bool]) -> ReviewItem | None:
        """Cancel the newest decision still in its window (cancel(entry_id) says whether the outbox agreed)."""
        now = self._clock()
        while self._stack:
            undoable = self._stack.pop()
            if undoable.until > now and cancel(undoable.entry.id):
                return undoable.review_item
        return None

    def clear(self) -> None:
        self._stack.clear()

"""Items whose undo window closed are let go only when the session says so (off the keypress path)."""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass

from moderator_app.workflow.undo import UndoStack


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Entry:
    id: int
    item_id: int


class Picture:
    """Stands for a ReviewItem with its prepared media."""


def test_closed_steps_are_freed_by_release_memory_not_by_the_next_keypress() -> None:
    clock = Clock()
    stack = UndoStack(5.0, clock=clock, max_steps=2)
    first = Picture()
    alive = weakref.ref(first)
    stack.push_group([Entry(1, 11)], [first])  # type: ignore[list-item]
    del first
    clock.now += 6  # its window closed
    stack.push_group([Entry(2, 12)], [Picture()])  # type: ignore[list-item]  # the next keypress
    gc.collect()
    assert alive() is not None  # still held: freeing it is not the keypress's work
    assert stack.item_ids() == {12}  # but it can no longer be undone
    stack.release_memory()
    gc.collect()
    assert alive() is None


def test_steps_beyond_the_limit_are_freed_the_same_way() -> None:
    stack = UndoStack(60.0, clock=Clock(), max_steps=1)
    first = Picture()
    alive = weakref.ref(first)
    stack.push_group([Entry(1, 11)], [first])  # type: ignore[list-item]
    del first
    stack.push_group([Entry(2, 12)], [Picture()])  # type: ignore[list-item]
    gc.collect()
    assert alive() is not None and stack.item_ids() == {12}
    stack.release_memory()
    gc.collect()
    assert alive() is None

"""Background picture work gives way to the UI thread while it puts the next item on screen.

PySide6 keeps Python's global interpreter lock through every Qt call, so a worker thread decoding, blurring or
scaling a picture (one C++ call of several ms) holds up every Python step of the UI thread meanwhile: the decision
key's handler, paint events. A lower OS priority for the worker does not help against a lock. So the review loop
marks the few ms from a decision key to the next item painted (hold ... release), and preparation workers call
wait_turn() between their steps: they wait for the mark to end, never longer than the hold's limit (a paint that
never comes, a hidden window, must not stall preparation).

Plain threading; no Qt. One gate per process: there is one screen the moderator looks at.
"""

from __future__ import annotations

import threading
import time

__all__ = ["DEFAULT_HOLD_SECONDS", "GATE", "MIN_HOLD_INTERVAL_SECONDS", "ForegroundGate"]

DEFAULT_HOLD_SECONDS = 0.1  # an item is painted well within this; a hold is never longer
#: At most one hold this often: a moderator pressing keys faster than this (or a script) must not starve the
#: preparation of the items behind (at a human pace every keypress is covered).
MIN_HOLD_INTERVAL_SECONDS = 0.1


class ForegroundGate:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clear = threading.Event()
        self._clear.set()
        self._until = 0.0  # monotonic time the current hold ends at the latest
        self._last_hold = -MIN_HOLD_INTERVAL_SECONDS  # monotonic time the last hold began

    @property
    def held(self) -> bool:
        return not self._clear.is_set() and time.monotonic() < self._until

    def hold(self, seconds: float = DEFAULT_HOLD_SECONDS) -> None:
        """UI thread: the foreground needs the interpreter now, for at most `seconds` (until release()).
        Ignored within MIN_HOLD_INTERVAL_SECONDS of the last hold, so workers always get most of the time."""
        now = time.monotonic()
        with self._lock:
            if now - self._last_hold < MIN_HOLD_INTERVAL_SECONDS:
                return
            self._last_hold = now
            self._until = now + seconds
            self._clear.clear()

    def release(self) -> None:
        """UI thread: the item is on screen; workers may go on."""
        with self._lock:
            self._clear.set()

    def wait_turn(self) -> None:
        """Worker thread, before a step that holds the interpreter for a while: wait while the foreground holds.
        On the UI thread itself (the same code runs there now and then) it never waits."""
        if threading.current_thread() is threading.main_thread():
            return
        while not self._clear.is_set():
            with self._lock:
                remaining = self._until - time.monotonic()
                if remaining <= 0:
                    self._clear.set()  # the hold ran out without a release
                    return
            self._clear.wait(remaining)


#: The process's gate: the review loop holds it, media preparation waits on it.
GATE = ForegroundGate()

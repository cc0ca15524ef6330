"""Exposure accounting: how long unblurred media was on screen, per item and per session; how long the moderator
has been reviewing; break reminders from both; idle detection that covers everything.

Seconds come from a monotonic clock (injectable for tests); QTimers only decide when to look at it again, so a late
timer never makes a figure wrong. Nothing here is written anywhere: the figures exist for the moderator's own
wellbeing and leave this object only through its signals.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from moderator_app.workflow.reveal import RevealController
from moderator_app.workflow.wellness import WellnessSettings

__all__ = ["ExposureTracker", "WellnessSettings", "describe_duration"]

# Timers may fire a hair early against the clock; a reminder that is due within this margin is due now.
_EPSILON = 1e-3


def describe_duration(seconds: float) -> str:
    """A duration as a tired person reads it in a sentence: 45 seconds, 15 minutes, 1 hour 30 minutes."""
    if seconds < 59.5:
        whole = max(1, round(seconds))
        return f"{whole} second{'s' if whole != 1 else ''}"
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def _ms(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))


class ExposureTracker(QObject):
    """Counts revealed seconds (per item, per session) and review seconds; reminds of breaks; detects idle.

    Feed it: set_item(item_id) on every navigation (None when no item is shown), set_revealed() or attach() to a
    RevealController, and user_active() on every input event.
    """

    exposure_changed = Signal(float, float)  # revealed seconds of the current item, of the session
    break_due = Signal(str)  # a sentence for the moderator
    idle = Signal()  # no input for idle_seconds: cover everything
    reveal_closed = Signal(object, float)  # item id (None: no item), seconds of one reveal that just ended

    def __init__(
        self,
        settings: WellnessSettings | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        tick_seconds: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings or WellnessSettings()
        self._clock = clock
        self._item: int | None = None
        self._item_totals: dict[int, float] = {}
        self._revealed_closed = 0.0
        self._revealed_since: float | None = None
        self._review_closed = 0.0
        self._review_since: float | None = None
        self._idle = False
        self._revealed_mark = 0.0  # session revealed seconds at the last reminder
        self._review_mark = 0.0
        self._controllers: list[RevealController] = []

        self._tick = QTimer(self)  # live figures while revealed
        self._tick.setInterval(_ms(tick_seconds))
        self._tick.timeout.connect(self._emit_exposure)
        self._revealed_break = self._single_shot(self.check)
        self._review_break = self._single_shot(self.check)
        self._idle_timer = self._single_shot(self._on_idle)
        self.apply_settings(self._settings)

    def _single_shot(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    # --- figures ---------------------------------------------------------------------------------------------

    @property
    def settings(self) -> WellnessSettings:
        return self._settings

    @property
    def item_id(self) -> int | None:
        return self._item

    @property
    def revealed(self) -> bool:
        return self._revealed_since is not None

    @property
    def is_idle(self) -> bool:
        return self._idle

    def item_seconds(self, item_id: int | None = None) -> float:
        """Revealed seconds of item_id (default: the current item), including a reveal still running."""
        key = self._item if item_id is None else item_id
        if key is None:
            return 0.0
        total = self._item_totals.get(key, 0.0)
        if key == self._item and self._revealed_since is not None:
            total += self._clock() - self._revealed_since
        return total

    @property
    def session_seconds(self) -> float:
        """Revealed seconds of the whole session."""
        running = 0.0 if self._revealed_since is None else self._clock() - self._revealed_since
        return self._revealed_closed + running

    @property
    def review_seconds(self) -> float:
        """Seconds with an item on screen and the moderator not idle."""
        running = 0.0 if self._review_since is None else self._clock() - self._review_since
        return self._review_closed + running

    # --- inputs ----------------------------------------------------------------------------------------------

    def apply_settings(self, settings: WellnessSettings) -> None:
        """New thresholds apply at once; figures and the last reminder's mark are kept."""
        self._settings = settings
        self._idle_timer.setInterval(_ms(settings.idle_seconds))
        if self._idle_timer.isActive():
            self._idle_timer.start()
        self._rearm()

    def attach(self, controller: RevealController) -> None:
        """Follow controller's reveal state too (the review screen's media, the QA blind review's), and cover its
        media when the moderator goes idle. Revealed time runs while any followed controller shows media."""
        if controller in self._controllers:
            return
        self._controllers.append(controller)
        controller.changed.connect(self._on_reveal_changed)
        self.idle.connect(controller.cover)
        self._on_reveal_changed()

    def set_item(self, item_id: int | None) -> None:
        """The item now on screen (None: no item). Revealed time so far goes to the previous item."""
        if item_id == self._item:
            return
        now = self._clock()
        if self._revealed_since is not None:
            self._close_reveal(now)
            self._revealed_since = now
        self._item = item_id
        self._update_review(now)
        if item_id is not None and not self._idle_timer.isActive() and not self._idle:
            self._idle_timer.start()
        self._rearm()
        self._emit_exposure()

    def set_revealed(self, revealed: bool) -> None:
        if revealed == self.revealed:
            return
        now = self._clock()
        if revealed:
            self._revealed_since = now
        else:
            self._close_reveal(now)
        self._rearm()
        self._emit_exposure()

    def user_active(self) -> None:
        """Any input event; cheap, called very often."""
        if self._idle:
            self._idle = False
            self._update_review(self._clock())
            self._rearm()
        self._idle_timer.start()

    def reset_session(self) -> None:
        """Start counting afresh (a new sign-in): all figures and reminder marks back to zero."""
        now = self._clock()
        self._item_totals.clear()
        self._revealed_closed = self._review_closed = 0.0
        self._revealed_mark = self._review_mark = 0.0
        if self._revealed_since is not None:
            self._revealed_since = now
        if self._review_since is not None:
            self._review_since = now
        self._rearm()
        self._emit_exposure()

    def check(self) -> None:
        """Emit any break reminder that is due and re-arm it; the timers call this, tests with a fake clock too."""
        revealed = self.session_seconds
        if revealed - self._revealed_mark >= self._settings.break_after_revealed_seconds - _EPSILON:
            self._revealed_mark = revealed
            self.break_due.emit(
                f"Unblurred media has been on screen for {describe_duration(revealed)} this session. "
                "Take a short break away from the screen."
            )
        review = self.review_seconds
        if review - self._review_mark >= self._settings.break_after_review_seconds - _EPSILON:
            self._review_mark = review
            self.break_due.emit(f"You have been reviewing for {describe_duration(review)}. Time for a break.")
        self._rearm()
        self._emit_exposure()  # the reminder and the status-bar figures must agree

    def stop(self) -> None:
        """Stop every timer (sign-out, shutdown); figures stay readable."""
        now = self._clock()
        if self._revealed_since is not None:
            self._close_reveal(now)
        self._item = None
        self._update_review(now)
        for timer in (self._tick, self._revealed_break, self._review_break, self._idle_timer):
            timer.stop()

    # --- internals -------------------------------------------------------------------------------------------

    def _on_reveal_changed(self) -> None:
        self.set_revealed(any(controller.revealed for controller in self._controllers))

    def _close_reveal(self, now: float) -> None:
        if self._revealed_since is None:
            return
        elapsed = max(0.0, now - self._revealed_since)
        self._revealed_closed += elapsed
        if self._item is not None:
            self._item_totals[self._item] = self._item_totals.get(self._item, 0.0) + elapsed
        self._revealed_since = None
        if elapsed > 0:
            self.reveal_closed.emit(self._item, elapsed)

    def _update_review(self, now: float) -> None:
        """Review time runs while an item is on screen and the moderator is not idle."""
        running = self._item is not None and not self._idle
        if running and self._review_since is None:
            self._review_since = now
        elif not running and self._review_since is not None:
            self._review_closed += max(0.0, now - self._review_since)
            self._review_since = None

    def _rearm(self) -> None:
        """Point the break timers at the moment each reminder falls due, given the figures now."""
        if self._revealed_since is not None:
            left = self._settings.break_after_revealed_seconds - (self.session_seconds - self._revealed_mark)
            self._revealed_break.start(_ms(max(left, 0.0)))
            if not self._tick.isActive():
                self._tick.start()
        else:
            self._revealed_break.stop()
            self._tick.stop()
        if self._review_since is not None:
            left = self._settings.break_after_review_seconds - (self.review_seconds - self._review_mark)
            self._review_break.start(_ms(max(left, 0.0)))
        else:
            self._review_break.stop()

    def _on_idle(self) -> None:
        if self._idle:
            return
        self._idle = True
        self._update_review(self._clock())
        self._rearm()
        self.idle.emit()

    def _emit_exposure(self) -> None:
        self.exposure_changed.emit(self.item_seconds(), self.session_seconds)

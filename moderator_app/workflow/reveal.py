"""The reveal state of the item on screen: which media shows unblurred pixels, how, and for how long.

Everything starts covered and returns to covered on its own: on navigation (reset), when another media of an
album is selected, and when the reveal timeout runs out. Only the selected media can be revealed, so revealing one
picture of an album never reveals the others. Zoom and pan exist only while the selected media is wholly revealed
(peek or toggle) and are forgotten when it is covered again, so the next reveal starts from the overview.

No widgets: the UI feeds key and mouse events in, listens to changed() and paints each media with view_for(index)
(see moderator_app.media.reveal.paint_covered_media).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QObject, QPointF, QTimer, Signal

from moderator_app.media.reveal import COVERED_VIEW, DEFAULT_REGION_RADIUS, MAX_ZOOM, RevealMode, RevealView

__all__ = ["DEFAULT_REVEAL_TIMEOUT_SECONDS", "ZOOM_STEPS_PER_DOUBLING", "RevealController"]

DEFAULT_REVEAL_TIMEOUT_SECONDS = 10.0
#: zoom_in multiplies by sqrt(2): 1, 1.41, 2, 2.83, 4, 5.66, 8 (exact powers of two every second step).
ZOOM_STEPS_PER_DOUBLING = 2
_MAX_ZOOM_STEPS = round(ZOOM_STEPS_PER_DOUBLING * math.log2(MAX_ZOOM))


class RevealController(QObject):
    """Reveal state for the media of one item; see the module docstring for the rules."""

    changed = Signal()
    timed_out = Signal()  # everything was covered because the reveal timeout ran out

    def __init__(
        self,
        timeout_seconds: float = DEFAULT_REVEAL_TIMEOUT_SECONDS,
        *,
        region_radius: float = DEFAULT_REGION_RADIUS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._count = 0
        self._revealable: list[bool] = []
        self._selected = 0
        self._peeking = False
        self._toggled = False
        self._region: QPointF | None = None
        self._zoom_steps = 0
        self._pan = QPointF()
        self._region_radius = float(region_radius)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self.set_timeout_seconds(timeout_seconds)

    # --- state -----------------------------------------------------------------------------------------------

    @property
    def media_count(self) -> int:
        return self._count

    @property
    def selected_index(self) -> int:
        return self._selected

    @property
    def revealed(self) -> bool:
        """True while any unblurred pixel may be on screen (peek, toggle, or a region reveal)."""
        return self._peeking or self._toggled or self._region is not None

    @property
    def zoom(self) -> float:
        return 2.0 ** (self._zoom_steps / ZOOM_STEPS_PER_DOUBLING)

    @property
    def pan_offset(self) -> QPointF:
        return QPointF(self._pan)

    @property
    def timeout_seconds(self) -> float:
        return self._timer.interval() / 1000.0

    def set_timeout_seconds(self, seconds: float) -> None:
        """How long a reveal may last before everything is covered again; applies from the next reveal."""
        if not seconds > 0:
            raise ValueError(f"the reveal timeout must be a positive number of seconds, not {seconds!r}")
        self._timer.setInterval(max(1, round(seconds * 1000)))

    @property
    def region_radius(self) -> float:
        return self._region_radius

    def set_region_radius(self, radius: float) -> None:
        if not radius > 0:
            raise ValueError(f"the region radius must be a positive number of pixels, not {radius!r}")
        self._region_radius = float(radius)
        if self._region is not None:
            self.changed.emit()

    def view_for(self, media_index: int) -> RevealView:
        """How media media_index is to be painted now; COVERED_VIEW for every media but the revealed one."""
        if media_index != self._selected or not self._can_reveal(media_index) or not self.revealed:
            return COVERED_VIEW
        if self._peeking or self._toggled:
            mode = RevealMode.PEEK if self._peeking and not self._toggled else RevealMode.TOGGLED
            return RevealView(mode, zoom=self.zoom, pan=self._pan, region_radius=self._region_radius)
        return RevealView(RevealMode.REGION, region_center=self._region, region_radius=self._region_radius)

    # --- navigation ------------------------------------------------------------------------------------------

    def reset(self, media_count: int | None = None, *, revealable: Sequence[bool] | None = None) -> None:
        """A new item is shown (call on every navigation): everything covered, the first media selected.

        media_count: the new item's number of media (None keeps the current count). revealable: per media, whether
        it has an original to reveal (False for media that failed to decode); by default all can be revealed.
        """
        before = self._snapshot()
        if media_count is not None:
            if media_count < 0:
                raise ValueError("media_count cannot be negative")
            self._count = media_count
        if revealable is not None:
            if len(revealable) != self._count:
                raise ValueError(f"revealable has {len(revealable)} entries for {self._count} media")
            self._revealable = [bool(r) for r in revealable]
        elif media_count is not None:
            self._revealable = [True] * self._count
        self._selected = 0
        self._cover_all()
        self._commit(before)

    def cover(self) -> bool:
        """Cover everything now, keeping the selection (idle, a dialog opening, the window losing focus)."""
        before = self._snapshot()
        self._cover_all()
        return self._commit(before)

    def select_media(self, index: int) -> bool:
        """Select another media of the album. Whatever was revealed is covered first."""
        if not 0 <= index < self._count:
            raise IndexError(f"media index {index} is out of range for {self._count} media")
        before = self._snapshot()
        if index != self._selected:
            self._cover_all()
            self._selected = index
        return self._commit(before)

    # --- reveal ----------------------------------------------------------------------------------------------

    def peek_pressed(self) -> bool:
        """The peek key went down: reveal the selected media until it is released. The UI should not pass key
        auto-repeat on, or a key held past the timeout would reveal again."""
        if not self._can_reveal(self._selected) or self._peeking:
            return False
        before = self._snapshot()
        self._peeking = True
        return self._commit(before)

    def peek_released(self) -> bool:
        before = self._snapshot()
        self._peeking = False
        return self._commit(before)

    def toggle(self) -> bool:
        """Reveal the selected media until toggled again (or navigation, or the timeout)."""
        if not self._can_reveal(self._selected):
            return False
        before = self._snapshot()
        self._toggled = not self._toggled
        return self._commit(before)

    def region_start(self, center: QPointF) -> bool:
        """The region modifier went down with the pointer at center (painter coordinates)."""
        if not self._can_reveal(self._selected):
            return False
        before = self._snapshot()
        self._region = QPointF(center)
        return self._commit(before)

    def region_move(self, center: QPointF) -> bool:
        """The pointer moved while the modifier is held; ignored unless a region reveal is active."""
        if self._region is None:
            return False
        before = self._snapshot()
        self._region = QPointF(center)
        return self._commit(before)

    def region_end(self) -> bool:
        before = self._snapshot()
        self._region = None
        return self._commit(before)

    # --- zoom and pan (only while the selected media is wholly revealed) --------------------------------------

    def zoom_in(self) -> bool:
        return self._set_zoom_steps(self._zoom_steps + 1)

    def zoom_out(self) -> bool:
        return self._set_zoom_steps(self._zoom_steps - 1)

    def reset_zoom(self) -> bool:
        return self._set_zoom_steps(0)

    def pan(self, dx: float, dy: float, *, limit: QPointF | None = None) -> bool:
        """Move the zoomed image by (dx, dy) target pixels. limit: the largest |pan| per axis, which the UI gets
        from media.reveal.pan_limit for the current target; without it the painter clamps at paint time."""
        if not (self._peeking or self._toggled) or self._zoom_steps == 0:
            return False
        before = self._snapshot()
        x, y = self._pan.x() + dx, self._pan.y() + dy
        if limit is not None:
            x = min(max(x, -limit.x()), limit.x())
            y = min(max(y, -limit.y()), limit.y())
        self._pan = QPointF(x, y)
        return self._commit(before)

    # --- internals -------------------------------------------------------------------------------------------

    def _set_zoom_steps(self, steps: int) -> bool:
        if not (self._peeking or self._toggled):
            return False
        steps = min(max(steps, 0), _MAX_ZOOM_STEPS)
        before = self._snapshot()
        old_zoom = self.zoom
        self._zoom_steps = steps
        # Scale the pan with the zoom so the point at the target's centre stays there.
        self._pan = self._pan * (self.zoom / old_zoom) if steps else QPointF()
        return self._commit(before)

    def _can_reveal(self, index: int) -> bool:
        return 0 <= index < self._count and self._revealable[index]

    def _cover_all(self) -> None:
        self._peeking = False
        self._toggled = False
        self._region = None

    def _snapshot(self) -> tuple[object, ...]:
        region = None if self._region is None else (self._region.x(), self._region.y())
        pan = (self._pan.x(), self._pan.y())
        return (self._count, self._selected, self._peeking, self._toggled, region, self._zoom_steps, pan)

    def _commit(self, before: tuple[object, ...]) -> bool:
        """Apply the invariants, run the timeout timer, and emit changed() if anything changed."""
        if not (self._peeking or self._toggled):
            self._zoom_steps = 0
            self._pan = QPointF()
        if not self.revealed:
            self._timer.stop()
        elif not self._timer.isActive():
            # The timeout counts from the start of a reveal, not from the last key: it bounds each exposure.
            self._timer.start()
        if self._snapshot() == before:
            return False
        self.changed.emit()
        return True

    def _on_timeout(self) -> None:
        if self.cover():
            self.timed_out.emit()

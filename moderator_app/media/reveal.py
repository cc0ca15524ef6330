"""Paint prepared media covered, or deliberately revealed: peeked, toggled, or through a circle around the pointer.

The covered (blurred, grayscale) image is what a moderator sees unless they act; the colour original is painted
only for the reveal modes, and a region reveal shows it only inside a circle (interactive blurring, Das et al.,
HCOMP 2020). Zoom and pan apply only while the whole media is revealed, so a covered picture is never enlarged.

QtGui only, no widgets: paint_covered_media works on any QPainter, a widget's in a paintEvent on the UI thread or
a QImage's in a test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath

from moderator_app.media.prepare import PreparedMedia

__all__ = [
    "COVERED_VIEW",
    "DEFAULT_REGION_RADIUS",
    "MAX_ZOOM",
    "MIN_ZOOM",
    "RevealMode",
    "RevealView",
    "clamp_pan",
    "fit_rect",
    "needs_full_resolution",
    "paint_covered_media",
    "pan_limit",
    "zoomed_rect",
]

MIN_ZOOM = 1.0
MAX_ZOOM = 8.0
#: Radius of the region reveal, in target (screen) pixels: about a face at review-screen sizes.
DEFAULT_REGION_RADIUS = 90.0


class RevealMode(Enum):
    COVERED = "covered"  # blurred everywhere: the default
    PEEK = "peek"  # original while a key is held
    TOGGLED = "toggled"  # original until toggled back, navigation or the timeout
    REGION = "region"  # blurred, with the original inside a circle around region_center


@dataclass(frozen=True)
class RevealView:
    """How one media is to be painted right now.

    region_center is in the painter's coordinates, the same ones as the target rectangle (a mouse position in the
    widget). pan is the offset of the zoomed image's centre from the target's centre, in the same pixels; it is
    clamped at paint time (see clamp_pan). zoom is clamped to MIN_ZOOM..MAX_ZOOM on construction.
    """

    mode: RevealMode = RevealMode.COVERED
    region_center: QPointF | None = None
    region_radius: float = DEFAULT_REGION_RADIUS
    zoom: float = MIN_ZOOM
    pan: QPointF = field(default_factory=QPointF)

    def __post_init__(self) -> None:
        if not math.isfinite(self.zoom) or not math.isfinite(self.region_radius):
            raise ValueError("zoom and region_radius must be finite numbers")
        object.__setattr__(self, "zoom", min(max(float(self.zoom), MIN_ZOOM), MAX_ZOOM))
        object.__setattr__(self, "region_radius", max(float(self.region_radius), 0.0))
        # QPointF is mutable: keep private copies so the caller's later edits cannot change a frozen view.
        object.__setattr__(self, "pan", QPointF(self.pan))
        if self.region_center is not None:
            object.__setattr__(self, "region_center", QPointF(self.region_center))

    def __hash__(self) -> int:  # QPointF itself is unhashable
        center = None if self.region_center is None else (self.region_center.x(), self.region_center.y())
        return hash((self.mode, center, self.region_radius, self.zoom, self.pan.x(), self.pan.y()))

    @property
    def revealed(self) -> bool:
        """True when the whole original is shown (peek or toggle); zoom and pan apply only then."""
        return self.mode in (RevealMode.PEEK, RevealMode.TOGGLED)

    @property
    def shows_original(self) -> bool:
        """True when any unblurred pixel may be painted (whole reveal, or a region with a centre)."""
        return self.revealed or (self.mode is RevealMode.REGION and self.region_center is not None)


#: Nothing revealed, no zoom.
COVERED_VIEW = RevealView()


def fit_rect(image_size: QSize | QSizeF, target: QRectF, max_scale: float | None = None) -> QRectF:
    """The largest rectangle with image_size's aspect ratio that fits in target, centred in it.

    max_scale caps the enlargement (None: scale up as far as the target allows). An empty image or target gives
    an empty rectangle at the target's centre.
    """
    width, height = float(image_size.width()), float(image_size.height())
    if width <= 0 or height <= 0 or target.isEmpty():
        return QRectF(target.center(), QSizeF(0, 0))
    scale = min(target.width() / width, target.height() / height)
    if max_scale is not None:
        scale = min(scale, max_scale)
    w, h = width * scale, height * scale
    left = target.x() + (target.width() - w) / 2
    top = target.y() + (target.height() - h) / 2
    if scale == 1.0:
        # At 1:1 a half-pixel offset would resample every pixel and soften the original; sub-pixel centring is
        # invisible, so snap to whole pixels.
        left, top = math.floor(left + 0.5), math.floor(top + 0.5)
    return QRectF(left, top, w, h)


def pan_limit(image_size: QSize | QSizeF, target: QRectF, zoom: float) -> QPointF:
    """The largest |pan| on each axis: the zoomed image may slide until its edge meets the target's edge, so it
    always covers as much of the target as it can and never leaves it."""
    base = fit_rect(image_size, target)
    zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
    return QPointF(
        max(0.0, (base.width() * zoom - target.width()) / 2),
        max(0.0, (base.height() * zoom - target.height()) / 2),
    )


def clamp_pan(image_size: QSize | QSizeF, target: QRectF, zoom: float, pan: QPointF) -> QPointF:
    """pan limited to pan_limit on each axis."""
    limit = pan_limit(image_size, target, zoom)
    return QPointF(min(max(pan.x(), -limit.x()), limit.x()), min(max(pan.y(), -limit.y()), limit.y()))


def zoomed_rect(image_size: QSize | QSizeF, target: QRectF, zoom: float, pan: QPointF) -> QRectF:
    """Where the image lands at this zoom (around the target's centre) and pan (clamped)."""
    base = fit_rect(image_size, target)
    zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
    if zoom == MIN_ZOOM:
        return base
    offset = clamp_pan(image_size, target, zoom, pan)
    w, h = base.width() * zoom, base.height() * zoom
    center = base.center() + offset
    return QRectF(center.x() - w / 2, center.y() - h / 2, w, h)


def _draw_visible(painter: QPainter, rect: QRectF, image: QImage, target: QRectF) -> None:
    """Draw image into rect, transforming only the part that falls inside target (8x zoom of a big picture would
    otherwise scale millions of pixels that are clipped away)."""
    visible = rect.intersected(target)
    if visible.isEmpty() or rect.isEmpty():
        return
    sx = image.width() / rect.width()
    sy = image.height() / rect.height()
    source = QRectF(
        (visible.x() - rect.x()) * sx, (visible.y() - rect.y()) * sy, visible.width() * sx, visible.height() * sy
    )
    painter.drawImage(visible, image, source)


def paint_covered_media(
    painter: QPainter,
    target: QRectF,
    prepared: PreparedMedia,
    reveal: RevealView = COVERED_VIEW,
    *,
    full_resolution: QImage | None = None,
) -> None:
    """Paint prepared into target (aspect kept, centred) as reveal says. Nothing is painted outside target.

    Media without an original (it failed to decode) is always painted covered: its covered image is the
    placeholder that says why. full_resolution, when given, replaces the display-size original while the media is
    revealed and zoomed (see needs_full_resolution); it must be the same picture. The painter's state is restored.
    """
    covered = prepared.covered
    if covered.isNull() or target.isEmpty():
        return
    original = prepared.original
    if original is not None and original.isNull():
        original = None
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setClipRect(target, Qt.ClipOperation.IntersectClip)
        if original is not None and reveal.revealed:
            shown = original
            if full_resolution is not None and not full_resolution.isNull() and reveal.zoom > MIN_ZOOM:
                shown = full_resolution
            _draw_visible(painter, zoomed_rect(original.size(), target, reveal.zoom, reveal.pan), shown, target)
            return
        _draw_visible(painter, fit_rect(covered.size(), target), covered, target)
        center = reveal.region_center
        if original is not None and reveal.mode is RevealMode.REGION and center is not None and reveal.region_radius:
            lens = QPainterPath()
            lens.addEllipse(center, reveal.region_radius, reveal.region_radius)
            painter.setClipPath(lens, Qt.ClipOperation.IntersectClip)
            painter.drawImage(fit_rect(original.size(), target), original, QRectF(original.rect()))
    finally:
        painter.restore()


def needs_full_resolution(
    prepared: PreparedMedia, zoom: float, target: QRectF, device_pixel_ratio: float = 1.0
) -> bool:
    """True when, at this zoom, the display-size original would be stretched past its own pixels and the file has
    more pixels to give (prepared.width/height are the file's own size). Then decode_full_resolution is worth it."""
    original = prepared.original
    if original is None or original.isNull() or not prepared.ok:
        return False
    if prepared.width <= original.width() and prepared.height <= original.height():
        return False  # already decoded whole
    zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
    shown = fit_rect(original.size(), target)
    on_screen_width = shown.width() * zoom * device_pixel_ratio
    on_screen_height = shown.height() * zoom * device_pixel_ratio
    # Half a pixel of slack: fit_rect's float arithmetic must not flip a 1:1 display into "needs more".
    return on_screen_width > original.width() + 0.5 or on_screen_height > original.height() + 0.5

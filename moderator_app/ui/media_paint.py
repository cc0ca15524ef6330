"""Layout and small painting helpers of the media view: where the selected media goes, the album strip of covered
thumbnails, and the caption that says what is on screen and which keys change it.

Plain functions on QPainter and rectangles, so they are tested without a widget.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from moderator_app.media.reveal import RevealMode, RevealView, fit_rect

BACKGROUND = QColor("#2b2b2b")
CAPTION_COLOR = QColor(255, 255, 255)
CAPTION_PLATE = QColor(0, 0, 0, 170)
CAPTION_PLATE_REVEALED = QColor(198, 40, 40, 220)  # red: unblurred pixels are on screen
STRIP_HEIGHT = 72
STRIP_GAP = 6
STRIP_CELL_WIDTH = 96
SELECTED_BORDER = QColor("#ffffff")
SELECTED_BORDER_REVEALED = QColor("#ef5350")
LENS_RING = QColor(255, 255, 255, 140)


@dataclass(frozen=True)
class MediaLayout:
    """Where things go in the media view: the selected media, and (for albums) the strip with one cell each."""

    main: QRect
    strip: list[QRect]


def layout_media(area: QRect, count: int) -> MediaLayout:
    """The selected media takes the area; an album leaves a strip of thumbnails along the bottom."""
    if count <= 1:
        return MediaLayout(main=QRect(area), strip=[])
    main = QRect(area.x(), area.y(), area.width(), max(1, area.height() - STRIP_HEIGHT - STRIP_GAP))
    top = main.bottom() + 1 + STRIP_GAP
    available = area.width() - STRIP_GAP * (count - 1)
    width = max(24, min(STRIP_CELL_WIDTH, available // count))
    left = area.x() + (area.width() - (width * count + STRIP_GAP * (count - 1))) // 2
    cells = [QRect(left + i * (width + STRIP_GAP), top, width, STRIP_HEIGHT) for i in range(count)]
    return MediaLayout(main=main, strip=cells)


def paint_strip(painter: QPainter, cells: list[QRect], thumbnails: list[QImage], selected: int, revealed: bool) -> None:
    """Covered thumbnails only (a thumbnail is never revealed), the selected one framed."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    for index, (cell, thumb) in enumerate(zip(cells, thumbnails, strict=True)):
        painter.fillRect(cell, QColor("#1d1d1d"))
        if not thumb.isNull():
            painter.drawImage(fit_rect(thumb.size(), QRectF(cell)), thumb, QRectF(thumb.rect()))
        if index == selected:
            color = SELECTED_BORDER_REVEALED if revealed else SELECTED_BORDER
            painter.setPen(QPen(color, 3))
            painter.drawRect(QRectF(cell).adjusted(1.5, 1.5, -1.5, -1.5))
        painter.setPen(CAPTION_COLOR)
        number = QRect(cell.x() + 3, cell.y() + 2, 22, 16)
        painter.fillRect(number, CAPTION_PLATE)
        painter.drawText(number, int(Qt.AlignmentFlag.AlignCenter), str(index + 1))
    painter.restore()


def paint_caption(painter: QPainter, area: QRect, text: str, revealed: bool) -> None:
    """A one-line caption on a plate in the bottom-right corner of area (light blurred pictures would swallow
    plain white text)."""
    painter.save()
    font = QFont(painter.font())
    font.setBold(revealed)
    painter.setFont(font)
    box = painter.fontMetrics().boundingRect(text).adjusted(-8, -3, 8, 3)
    box.moveBottomRight(area.bottomRight() - QPoint(6, 6))
    if box.left() < area.left() + 6:
        box.moveLeft(area.left() + 6)
    painter.fillRect(box, CAPTION_PLATE_REVEALED if revealed else CAPTION_PLATE)
    painter.setPen(CAPTION_COLOR)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.restore()


def paint_lens_ring(painter: QPainter, view: RevealView) -> None:
    """A thin ring around the region reveal, so the moderator sees where the unblurred circle ends."""
    if view.mode is not RevealMode.REGION or view.region_center is None:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(LENS_RING, 1.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(view.region_center, view.region_radius, view.region_radius)
    painter.restore()


def lens_rect(center: QPointF | None, radius: float) -> QRect:
    """The widget area a region reveal at center paints (for partial repaints while the pointer moves)."""
    if center is None:
        return QRect()
    r = int(radius) + 4
    return QRect(int(center.x()) - r, int(center.y()) - r, 2 * r, 2 * r)


def caption_text(
    view: RevealView,
    *,
    revealable: bool,
    count: int,
    selected: int,
    video: str | None = None,
) -> str:
    """What the caption says: the state first (covered or revealed, how), then the keys that matter now."""
    album = f" · {selected + 1}/{count} ([ ] to switch)" if count > 1 else ""
    if not revealable:
        return f"Not shown{album}"
    if view.mode is RevealMode.REGION and view.region_center is not None:
        return "REGION REVEALED — release Alt to cover"
    if view.revealed:
        how = "release Space to cover" if view.mode is RevealMode.PEEK else "V to cover"
        zoom = f" · {view.zoom:.1f}× (+/−, 0, arrows pan)" if view.zoom > 1 else " · + to zoom"
        extra = f" · {video}" if video else ""
        return f"REVEALED — {how}{zoom}{extra}{album}"
    kind = "Video covered" if video else "Covered"
    return f"{kind} · hold Space to peek · V reveal · hold Alt + pointer: region{album}"

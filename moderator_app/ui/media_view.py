"""Paints an item's media covered (blurred, grayscale) by default; originals only while a reveal is held.

QImages arrive prepared from worker threads; they become QPixmaps here, on the UI thread, once per item. The
originals are converted only when first revealed, so unblurred pixels are not uploaded unless someone asks.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    from moderator_app.media.prepare import PreparedMedia

GAP = 6
BACKGROUND = QColor("#2b2b2b")
CAPTION_COLOR = QColor(255, 255, 255)
CAPTION_PLATE = QColor(0, 0, 0, 170)
CAPTION_PLATE_REVEALED = QColor(198, 40, 40, 220)  # red: unblurred pixels are on screen


class MediaView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._media: list[PreparedMedia] = []
        self._covered: list[QPixmap] = []
        self._originals: dict[int, QPixmap] = {}
        self._revealed = False
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    @property
    def revealed(self) -> bool:
        return self._revealed

    @property
    def media_count(self) -> int:
        return len(self._media)

    def set_media(self, media: list[PreparedMedia]) -> None:
        """Show another item's media: covered, and anything revealed for the previous item forgotten."""
        self._media = list(media)
        self._covered = [QPixmap.fromImage(m.covered) for m in self._media]
        self._originals.clear()
        self._revealed = False
        self.update()

    def clear(self) -> None:
        self.set_media([])

    def set_revealed(self, revealed: bool) -> None:
        if revealed == self._revealed:
            return
        self._revealed = revealed
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(640, 400) if self._media else QSize(240, 40)

    def shown_pixmap(self, index: int) -> QPixmap:
        """The pixmap painted for media `index` right now (covered unless revealed and an original exists)."""
        if self._revealed and self._media[index].original is not None:
            if index not in self._originals:
                self._originals[index] = QPixmap.fromImage(self._media[index].original)
            return self._originals[index]
        return self._covered[index]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if not self._media:
            painter.setPen(QColor("#aaaaaa"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No media")
            painter.end()
            return
        for index, cell in enumerate(grid_cells(self.rect(), len(self._media))):
            pixmap = self.shown_pixmap(index)
            painter.drawPixmap(fit_inside(pixmap.size(), cell), pixmap, QRectF(pixmap.rect()))
        caption = "REVEALED — release Space to cover" if self._revealed else "Blurred · hold Space to peek"
        # On a dark plate: light blurred pictures would otherwise swallow white text.
        box = painter.fontMetrics().boundingRect(caption).adjusted(-8, -3, 8, 3)
        box.moveBottomRight(self.rect().bottomRight() - QPoint(6, 6))
        painter.fillRect(box, CAPTION_PLATE_REVEALED if self._revealed else CAPTION_PLATE)
        painter.setPen(CAPTION_COLOR)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, caption)
        painter.end()


def grid_cells(area: QRect, count: int) -> list[QRect]:
    """Split `area` into `count` cells: one row up to three, then as square a grid as fits."""
    if count <= 0:
        return []
    columns = count if count <= 3 else math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    width = (area.width() - GAP * (columns - 1)) // columns
    height = (area.height() - GAP * (rows - 1)) // rows
    return [
        QRect(area.x() + (i % columns) * (width + GAP), area.y() + (i // columns) * (height + GAP), width, height)
        for i in range(count)
    ]


def fit_inside(size: QSize, cell: QRect) -> QRectF:
    """The largest rectangle of size's aspect ratio centred in cell (never scaled up past 2x, to keep blur soft)."""
    if size.isEmpty() or cell.isEmpty():
        return QRectF(cell)
    scale = min(cell.width() / size.width(), cell.height() / size.height(), 2.0)
    width, height = size.width() * scale, size.height() * scale
    return QRectF(cell.x() + (cell.width() - width) / 2, cell.y() + (cell.height() - height) / 2, width, height)

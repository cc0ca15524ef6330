"""The batch dialog's preview of one item's media: covered by default, with the review screen's reveal rules.

The same RevealController and painting as the review screen (workflow.reveal, media.reveal): only the selected
media of the item can be revealed, moving to another item (set_media) or another media of an album covers again,
and so does the reveal timeout. No peek (Space ticks rows in the dialog), no region lens, no zoom, no player: the
preview is for telling items apart, the review screen for looking closely.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from moderator_app.media.prepare import PreparedMedia
from moderator_app.media.reveal import paint_covered_media
from moderator_app.ui import media_paint
from moderator_app.workflow.reveal import RevealController

CAPTION_HEIGHT = 30


class BatchPreview(QWidget):
    def __init__(self, reveal_key: str = "V", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reveal = RevealController(parent=self)
        self.reveal.changed.connect(self.update)
        self._media: list[PreparedMedia] = []
        self._reveal_key = reveal_key
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    @property
    def media_count(self) -> int:
        return len(self._media)

    @property
    def selected_index(self) -> int:
        return self.reveal.selected_index

    @property
    def revealed(self) -> bool:
        return self.reveal.revealed

    def media(self, index: int) -> PreparedMedia:
        return self._media[index]

    def media_rect(self) -> QRect:
        return self.rect().adjusted(0, 0, 0, -CAPTION_HEIGHT)

    def set_media(self, media: list[PreparedMedia]) -> None:
        """Another item: covered, its first media selected."""
        self._media = list(media)
        self.reveal.reset(len(self._media), revealable=[m.revealable for m in self._media])
        self.update()

    def clear(self) -> None:
        self.set_media([])

    def toggle(self) -> bool:
        return self.reveal.toggle()

    def cover(self) -> None:
        self.reveal.cover()

    def next_media(self) -> None:
        if self._media:
            self.reveal.select_media((self.selected_index + 1) % len(self._media))

    def previous_media(self) -> None:
        if self._media:
            self.reveal.select_media((self.selected_index - 1) % len(self._media))

    def hideEvent(self, event: object) -> None:
        self.cover()
        super().hideEvent(event)  # type: ignore[arg-type]

    def sizeHint(self) -> QSize:
        return QSize(480, 360)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), media_paint.BACKGROUND)
        if not self._media:
            painter.setPen(QColor("#aaaaaa"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No media")
            painter.end()
            return
        index = self.selected_index
        prepared = self._media[index]
        view = self.reveal.view_for(index)
        paint_covered_media(painter, QRectF(self.media_rect()), prepared, view)
        album = f" · {index + 1}/{len(self._media)} ([ ] to switch)" if len(self._media) > 1 else ""
        if not prepared.revealable:
            caption = f"Not shown{album}"
        elif view.revealed:
            caption = f"REVEALED — {self._reveal_key} to cover{album}"
        else:
            caption = f"Covered · {self._reveal_key} reveals this item's media{album}"
        media_paint.paint_caption(painter, self.rect(), caption, view.shows_original)
        painter.end()

"""The rows of the batch confirmation: a tick box, the item's media as covered thumbnails, who and why, and its text
(masked in a sensitive queue). Thumbnails are made from the covered images only, so a row can never show unblurred
pixels; the dialog's preview is where one item at a time can be revealed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionButton, QStyleOptionViewItem

from moderator_app.core.models import Item, ItemKind
from moderator_app.ui.post_text import mask_text
from moderator_app.ui.text import one_line
from moderator_app.workflow.batch_media import ROW_THUMBNAIL, BatchEntry

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
THUMB = ROW_THUMBNAIL
PAD = 6
TICKED = QColor("#dbe9ff")
CURRENT = QColor("#1565c0")


def item_label(item: Item) -> str:
    """Who and why: the item, its channel, how many media, the reasons reported."""
    kind = "Post" if item.kind is ItemKind.POST else "Channel"
    reasons = Counter(report.reason.value for report in item.reports)
    why = ", ".join(f"{reason} ×{count}" if count > 1 else reason for reason, count in reasons.most_common(3))
    media = len(item.post.media) if item.post else 0
    extra = f" · {media} media" if media else ""
    return f"#{item.id}  {kind} in {one_line(item.channel.title, 40)} (@{item.channel.handle}){extra} · {why or '—'}"


def item_excerpt(item: Item, sensitive: bool) -> str:
    """The post's text (a channel's description) on one line; only its shape in a sensitive queue."""
    text = item.post.text if item.post is not None else item.channel.description
    line = one_line(text, 200) if text.strip() else "(no text)"
    return mask_text(line) if sensitive and text.strip() else line


@dataclass(frozen=True)
class Row:
    entry: BatchEntry
    label: str
    excerpt: str
    thumbs: list[QImage]  # covered only

    @classmethod
    def of(cls, entry: BatchEntry, sensitive: bool) -> Row:
        return cls(entry, item_label(entry.item), item_excerpt(entry.item, sensitive), entry.thumbnails)


class RowDelegate(QStyledItemDelegate):
    """Paints a Row: tick box, covered thumbnails (+n when there are more), label and excerpt; the current row
    (the one in the preview) framed."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(option.rect.width(), THUMB.height() + 2 * PAD)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        row = index.data(ROW_ROLE)
        if not isinstance(row, Row):
            super().paint(painter, option, index)
            return
        rect: QRect = option.rect  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        ticked = bool(state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.fillRect(rect, TICKED if ticked else option.palette.base())  # type: ignore[attr-defined]
        style = QApplication.style()
        box = QStyleOptionButton()
        indicator = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
        box.rect = QRect(rect.left() + PAD, rect.center().y() - indicator // 2, indicator, indicator)
        box.state = QStyle.StateFlag.State_Enabled | (
            QStyle.StateFlag.State_On if ticked else QStyle.StateFlag.State_Off
        )
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorCheckBox, box, painter)
        x = box.rect.right() + 2 * PAD
        for thumb in row.thumbs:
            cell = QRect(x, rect.top() + PAD, THUMB.width(), THUMB.height())
            painter.fillRect(cell, QColor("#2b2b2b"))
            size = thumb.size().scaled(cell.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(cell.center())
            painter.drawImage(QRectF(target), thumb, QRectF(thumb.rect()))
            x += THUMB.width() + PAD
        more = len(row.entry.item.post.media) - len(row.thumbs) if row.entry.item.post else 0
        if more > 0:
            painter.setPen(QColor("#333333"))
            painter.drawText(QRect(x, rect.top(), 28, rect.height()), Qt.AlignmentFlag.AlignVCenter, f"+{more}")
            x += 28
        if not row.thumbs:
            x += PAD
        text_box = QRect(x, rect.top() + PAD, rect.right() - x - PAD, rect.height() - 2 * PAD)
        font = QFont(option.font)  # type: ignore[attr-defined]
        bold = QFont(font)
        bold.setBold(True)
        metrics = QFontMetrics(font)
        painter.setFont(bold)
        painter.setPen(QColor("#111111"))
        first = QRect(text_box.left(), text_box.top(), text_box.width(), metrics.height())
        label = QFontMetrics(bold).elidedText(row.label, Qt.TextElideMode.ElideRight, text_box.width())
        painter.drawText(first, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        painter.setFont(font)
        painter.setPen(QColor("#333333"))
        rest = text_box.adjusted(0, metrics.height() + 2, 0, 0)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        lines = max(1, rest.height() // metrics.lineSpacing())
        excerpt = metrics.elidedText(row.excerpt, Qt.TextElideMode.ElideRight, text_box.width() * lines - 20)
        painter.drawText(rest, int(flags), excerpt)
        view = option.widget  # type: ignore[attr-defined]
        if view is not None and view.currentIndex() == index:
            painter.setPen(QPen(CURRENT, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.restore()

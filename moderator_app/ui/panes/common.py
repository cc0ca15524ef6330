"""Widgets the context panes share: labels that never interpret markup, read-only trees, titled boxes."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QGroupBox, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget


def plain_label(text: str = "", style: str = "") -> QLabel:
    """A label that never interprets markup (channel titles and comments are written by anyone)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


#: Room around a cell's text: the item's margins on both sides.
CELL_PADDING = 14


def make_tree(
    headers: list[str], fixed: dict[int, str], *, decorated: bool = False, icon_width: int = 0
) -> QTreeWidget:
    """A read-only tree whose columns keep their widths from item to item.

    Rows are all one height (one line of text, or text beside a fixed-size icon), so the view measures one row for
    all of them. No column sizes to its contents: that would measure every cell again for each item shown and move
    the columns under the moderator's eyes. `fixed` gives the short columns (times, countries, counts) a sample of
    their longest usual value: such a column is as wide as that sample or its header, whichever is wider (the
    moderator can drag it). The other columns share the rest of the width. A cut cell shows its whole text as a
    tooltip.
    """
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(decorated)
    tree.setUniformRowHeights(True)
    tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
    tree.setWordWrap(False)
    header = tree.header()
    header.setStretchLastSection(False)
    bold = QFont(tree.font())
    bold.setBold(True)  # group rows and the flagged post are bold: measure as if every row were
    metrics = QFontMetrics(bold)
    for column, title in enumerate(headers):
        sample = fixed.get(column)
        if sample is None:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        extra = (tree.indentation() if decorated else 0) + icon_width if column == 0 else 0
        width = max(metrics.horizontalAdvance(title), metrics.horizontalAdvance(sample) + extra)
        header.resizeSection(column, width + CELL_PADDING)
    return tree


def group_box(title: str, content: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(content)
    return box


def row_item(values: list[str], tips: dict[int, str] | None = None) -> QTreeWidgetItem:
    """A tree row whose cells carry their whole text as a tooltip (cells are cut to fit); tips replaces the tooltip
    of some columns (a short time's full moment)."""
    entry = QTreeWidgetItem(values)
    for column, value in enumerate(values):
        entry.setToolTip(column, value)
    for column, tip in (tips or {}).items():
        entry.setToolTip(column, tip)
    return entry


def fill_tree(tree: QTreeWidget, rows: list[list[str]]) -> None:
    tree.clear()
    if not rows:
        tree.addTopLevelItem(QTreeWidgetItem(["(none)"]))
        return
    tree.addTopLevelItems([row_item(row) for row in rows])


NO_MEDIA_TILE = QColor("#e0e0e0")


@cache
def _blank_tile(width: int, height: int) -> QIcon:
    pixmap = QPixmap(QSize(width, height))
    pixmap.fill(NO_MEDIA_TILE)
    return QIcon(pixmap)


def blank_icon(size: QSize) -> QIcon:
    """A flat tile for posts without media, so every row or card lines up (one pixmap per size, made once)."""
    return _blank_tile(size.width(), size.height())


def covered_icon(image: QImage | None) -> QIcon:
    """An icon from a covered (blurred) thumbnail; an empty icon when there is none."""
    if image is None or image.isNull():
        return QIcon()
    return QIcon(QPixmap.fromImage(image))

"""Widgets the context panes share: labels that never interpret markup, read-only trees, titled boxes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QGroupBox, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget


def plain_label(text: str = "", style: str = "") -> QLabel:
    """A label that never interprets markup (channel titles and comments are written by anyone)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


def make_tree(
    headers: list[str], stretch_column: int, *, decorated: bool = False, uniform_rows: bool = True
) -> QTreeWidget:
    """uniform_rows: every row is one line of text (no icons), so the view measures one row for all of them, not
    each row again for every item shown (pass False when rows can differ in height)."""
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(decorated)
    tree.setUniformRowHeights(uniform_rows)
    tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
    tree.setWordWrap(False)
    header = tree.header()
    header.setStretchLastSection(False)
    for column in range(len(headers)):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch_column else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    return tree


def group_box(title: str, content: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(content)
    return box


def row_item(values: list[str]) -> QTreeWidgetItem:
    """A tree row whose cells carry their whole text as a tooltip (cells are cut to fit)."""
    entry = QTreeWidgetItem(values)
    for column, value in enumerate(values):
        entry.setToolTip(column, value)
    return entry


def fill_tree(tree: QTreeWidget, rows: list[list[str]]) -> None:
    tree.clear()
    if not rows:
        tree.addTopLevelItem(QTreeWidgetItem(["(none)"]))
        return
    tree.addTopLevelItems([row_item(row) for row in rows])


def covered_icon(image: QImage | None) -> QIcon:
    """An icon from a covered (blurred) thumbnail; an empty icon when there is none."""
    if image is None or image.isNull():
        return QIcon()
    return QIcon(QPixmap.fromImage(image))

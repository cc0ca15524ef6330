"""What the lead and QA screens share: read-only tables (keyboard row selection, plain text cells, row colours), hint
lines and error boxes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QWidget

RISK_COLOR = QColor("#ffe0b2")  # items at risk
OVERDUE_COLOR = QColor("#ffcdd2")  # past the deadline
HINT_STYLE = "color: #555; padding: 2px 0;"
BANNER_STYLE = "background: #fff3cd; color: #5d4200; border: 1px solid #e0c060; padding: 6px; font-weight: 600;"
ERROR_STYLE = "background: #fdecea; color: #8a1c1c; border: 1px solid #e0a0a0; padding: 6px; font-weight: 600;"


def hint_label(text: str = "") -> QLabel:
    """A grey line of keys or explanation, wrapped to the dialog's width."""
    label = QLabel(text)
    label.setStyleSheet(HINT_STYLE)
    label.setWordWrap(True)
    return label


def error_label() -> QLabel:
    """A red box for what went wrong, hidden until there is something to say; plain text (servers' words)."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def read_only_table(headers: Sequence[str], stretch_column: int = 0) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch_column else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    return table


Colors = QColor | dict[int, QColor] | None  # the whole row, or some cells by column


def set_row(table: QTableWidget, row: int, values: Sequence[object], color: Colors = None) -> None:
    for column, value in enumerate(values):
        cell = QTableWidgetItem("—" if value is None else str(value))
        if isinstance(value, int | float) and not isinstance(value, bool):
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        cell_color = color.get(column) if isinstance(color, dict) else color
        if cell_color is not None:
            cell.setBackground(cell_color)
        table.setItem(row, column, cell)


def fill_table(table: QTableWidget, rows: Sequence[tuple[Sequence[object], Colors]]) -> None:
    """Replace the rows, keeping the selected row where it was (a poll must not move the lead's cursor)."""
    current = table.currentRow()
    table.setRowCount(len(rows))
    for index, (values, color) in enumerate(rows):
        set_row(table, index, values, color)
    if rows:
        table.selectRow(min(max(current, 0), len(rows) - 1))


def local_key(parent: QWidget, key: str, handler: object) -> QShortcut:
    """A key live only while the focus is inside parent (its screen), so screens never fight over letters."""
    shortcut = QShortcut(QKeySequence(key), parent)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.setAutoRepeat(False)
    shortcut.activated.connect(handler)  # type: ignore[arg-type]
    return shortcut

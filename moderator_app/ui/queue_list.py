"""The queue list: name, pending, claimed, overdue (red), at risk (amber), oldest item's age, next deadline.

Enter opens a queue. "At risk" is the server's count of open items with less than a fifth of their service level left.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from moderator_app.core.models import Queue
from moderator_app.ui.text import age_text, deadline_text

OVERDUE_COLOR = QColor("#c62828")
AT_RISK_COLOR = QColor("#8d5300")
AT_RISK_BACKGROUND = QColor("#ffe0b2")
COLUMNS = ("Queue", "Pending", "Claimed", "Overdue", "At risk", "Oldest", "Next deadline", "About")
_NUMERIC = {1, 2, 3, 4}
AT_RISK_COLUMN = 4
DESCRIPTION = len(COLUMNS) - 1

AnyIndex = QModelIndex | QPersistentModelIndex


class QueueTableModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._queues: list[Queue] = []
        self._now = datetime.now(UTC)

    def set_queues(self, queues: list[Queue]) -> None:
        self.beginResetModel()
        self._queues = list(queues)
        self._now = datetime.now(UTC)  # one "now" per refresh, so ages in a column agree with each other
        self.endResetModel()

    def queue_at(self, row: int) -> Queue | None:
        return self._queues[row] if 0 <= row < len(self._queues) else None

    def row_of(self, queue_id: int) -> int:
        for row, queue in enumerate(self._queues):
            if queue.id == queue_id:
                return row
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._queues)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        queue = self.queue_at(index.row())
        if queue is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(queue, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, DESCRIPTION):
            return queue.description
        if role == Qt.ItemDataRole.ForegroundRole and column == DESCRIPTION:
            return QBrush(QColor("#666666"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self._is_overdue_cell(queue, column):
            return QBrush(OVERDUE_COLOR)
        at_risk_cell = column == AT_RISK_COLUMN and queue.at_risk > 0
        if role == Qt.ItemDataRole.ForegroundRole and at_risk_cell:
            return QBrush(AT_RISK_COLOR)
        if role == Qt.ItemDataRole.BackgroundRole and at_risk_cell:
            return QBrush(AT_RISK_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and (at_risk_cell or self._is_overdue_cell(queue, column)):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, queue: Queue, column: int) -> str:
        if column == 0:
            return queue.name
        if column == 1:
            return str(queue.pending)
        if column == 2:
            return str(queue.claimed)
        if column == 3:
            return str(queue.overdue)
        if column == AT_RISK_COLUMN:
            return str(queue.at_risk)
        if column == 5:
            return age_text(queue.oldest_flagged_at, self._now)
        if column == 6:
            return deadline_text(queue.next_deadline, self._now)[0] if queue.next_deadline else "—"
        return queue.description

    def _is_overdue_cell(self, queue: Queue, column: int) -> bool:
        if column == 3:
            return queue.overdue > 0
        if column == 6:
            return deadline_text(queue.next_deadline, self._now)[1]
        return False


class QueueTable(QTableView):
    """Enter/Return opens the selected queue (keyboard first: no double click needed)."""

    open_requested = Signal(object)  # int: queue id

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        model = self.model()
        if isinstance(model, QueueTableModel):
            queue = model.queue_at(index.row())
            if queue is not None:
                self.open_requested.emit(queue.id)


class QueueListView(QWidget):
    open_requested = Signal(object)  # int: queue id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QueueTableModel(self)
        self.table = QueueTable(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(DESCRIPTION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.open_requested.connect(self.open_requested)
        self.table.doubleClicked.connect(self.table._open)

        self.title = QLabel("Queues")
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.hint = QLabel("↑/↓ choose a queue · Enter opens it · F5 refreshes")
        self.hint.setStyleSheet("color: #666;")
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setStyleSheet("color: #666;")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.state_label)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.table)

    def set_queues(self, queues: list[Queue]) -> None:
        current = self.model.queue_at(self.table.currentIndex().row())
        self.model.set_queues(queues)
        row = self.model.row_of(current.id) if current else -1
        self.select_row(max(row, 0))
        total = sum(queue.pending for queue in queues)
        self.state_label.setText(f"{len(queues)} queues · {total} items pending")

    def select_row(self, row: int) -> None:
        if self.model.rowCount() == 0:
            return
        self.table.setCurrentIndex(self.model.index(row, 0))

    def select_queue(self, queue_id: int) -> None:
        row = self.model.row_of(queue_id)
        if row >= 0:
            self.select_row(row)

    def set_loading(self, loading: bool) -> None:
        if loading:
            self.state_label.setText("Refreshing…")

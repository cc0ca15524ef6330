"""Batch decisions: choose several items (the claimed and prefetched ones, or the near-duplicates of the shown
media) and decide all of them with one decision key. Each item still becomes its own outbox entry.

Keyboard: ↑/↓ move, Shift+↑/↓ extend the selection, Ctrl+↑/↓ move without selecting, Space ticks or unticks the
row, Ctrl+A selects all; a decision key (1–9, K, R, B, E, G, L as bound) decides the selection; Esc cancels.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from moderator_app.core.models import Item, ItemKind
from moderator_app.ui.keymap import key_from_event
from moderator_app.ui.text import one_line

ITEM_ROLE = Qt.ItemDataRole.UserRole


def item_label(item: Item) -> str:
    """Who and why, never the post's text: the list must not show flagged content unmasked."""
    kind = "Post" if item.kind is ItemKind.POST else "Channel"
    reasons = Counter(report.reason.value for report in item.reports)
    why = ", ".join(f"{reason} ×{count}" if count > 1 else reason for reason, count in reasons.most_common(3))
    media = len(item.post.media) if item.post else 0
    extra = f" · {media} media" if media else ""
    return f"#{item.id}  {kind} in {one_line(item.channel.title, 40)} (@{item.channel.handle}){extra} · {why or '—'}"


class BatchDialog(QDialog):
    chosen = Signal(str, list)  # the decision command id, the selected Items

    def __init__(
        self,
        title: str,
        items: list[Item],
        preselected: set[int],
        decision_keys: dict[str, str],
        legend: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumSize(640, 420)
        self._decision_keys = decision_keys  # portable key -> decide.* command id
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for item in items:
            row = QListWidgetItem(item_label(item))
            row.setData(ITEM_ROLE, item)
            self.list.addItem(row)
            row.setSelected(item.id in preselected)
        if items:
            self.list.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.list.installEventFilter(self)
        self.list.itemSelectionChanged.connect(self._count)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("font-weight: 600;")
        legend_label = QLabel(legend)
        legend_label.setTextFormat(Qt.TextFormat.PlainText)
        legend_label.setWordWrap(True)
        legend_label.setStyleSheet("color: #333;")
        keys = QLabel(
            "Shift+↑/↓ extend · Ctrl+↑/↓ move · Space ticks · Ctrl+A all · a decision key decides the selection · Esc"
        )
        keys.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(legend_label)
        layout.addWidget(keys)
        self.list.setFocus()
        self._count()

    def selected_items(self) -> list[Item]:
        rows = sorted(self.list.selectedItems(), key=self.list.row)
        return [row.data(ITEM_ROLE) for row in rows]

    def _count(self) -> None:
        self.count_label.setText(f"{len(self.list.selectedItems())} of {self.list.count()} selected")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._key(event):
                return True
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            row = self.list.currentItem()
            if row is not None:
                row.setSelected(not row.isSelected())
            return True
        key = key_from_event(event.key(), event.modifiers())
        command = self._decision_keys.get(key or "")
        if command is None:
            return False
        if event.isAutoRepeat():
            return True
        selected = self.selected_items()
        if not selected:
            self.count_label.setText("Select at least one item first (Space or Shift+↓).")
            return True
        self.accept()
        self.chosen.emit(command, selected)
        return True

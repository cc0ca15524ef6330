"""History of the item and its channel (decisions, reverts, escalations, notes), newest first, and a field to add a
note for colleagues (POST /items/{id}/notes). Notes are plain text, up to 2000 characters."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from moderator_app.core.models import HistoryEntry, Item
from moderator_app.ui.panes.common import make_tree, plain_label, row_item
from moderator_app.ui.text import SHORT_TIME_SAMPLE, label_text, local_time_text, one_line, short_time_text

NOTE_BACKGROUND = QColor("#e3f2fd")
MAX_NOTE_LENGTH = 2000
SHOWN_ENTRIES = 30


def history_row(entry: HistoryEntry, item: Item) -> list[str]:
    what = label_text(entry.kind)
    if entry.action is not None:
        what += f": {label_text(entry.action.value)}"
    if entry.reason is not None:
        what += f" ({label_text(entry.reason.value)})"
    if entry.item_id is None:
        scope = "channel"
    elif entry.item_id == item.id:
        scope = "this item"
    else:
        scope = f"item #{entry.item_id}"
    return [short_time_text(entry.at), scope, what, entry.actor, one_line(entry.note, 200)]


def channel_decision_summary(item: Item) -> str:
    """ "Earlier decisions on this channel: 3 (2 remove post, 1 no violation)" from the item's history."""
    earlier = [h for h in item.history if h.kind == "decision" and h.action is not None and h.item_id != item.id]
    if not earlier:
        return "No earlier decisions on this channel"
    counts: dict[str, int] = {}
    for entry in earlier:
        assert entry.action is not None
        name = label_text(entry.action.value).lower()
        counts[name] = counts.get(name, 0) + 1
    parts = ", ".join(f"{n} {name}" for name, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    return f"Earlier decisions on this channel: {len(earlier)} ({parts})"


class HistoryPane(QWidget):
    note_submitted = Signal(object, str)  # item id (int), note text
    editing_finished = Signal()  # the note field gave the keys back (Enter or Esc)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree: QTreeWidget = make_tree(
            ["When", "Where", "What", "By", "Note"], {0: SHORT_TIME_SAMPLE, 1: "item #123456", 3: "demo-moderator"}
        )
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Note for colleagues on this item · Shift+N to type, Enter saves, Esc leaves")
        self.note_edit.setMaxLength(MAX_NOTE_LENGTH)
        self.note_edit.installEventFilter(self)
        self.status: QLabel = plain_label(style="color: #555;")
        row = QHBoxLayout()
        row.addWidget(self.note_edit, 1)
        row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self._item: Item | None = None
        self._entries: list[HistoryEntry] = []

    def show_item(self, item: Item) -> None:
        if self._item is None or self._item.id != item.id:
            self.note_edit.clear()
            self.status.clear()
        self._item = item
        self._entries = list(item.history)
        self._render()

    def add_entry(self, item_id: int, entry: HistoryEntry) -> None:
        """A note just saved: shown at the top (if its item is still on screen)."""
        if self._item is not None and self._item.id == item_id:
            self._entries.insert(0, entry)
            self._render()
            self.status.setText("Note saved")

    def show_problem(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("color: #b00020;")

    def start_note(self) -> None:
        self.status.setStyleSheet("color: #555;")
        self.note_edit.setFocus()

    def count(self) -> int:
        return self.tree.topLevelItemCount()

    def _render(self) -> None:
        self.tree.clear()
        if self._item is None or not self._entries:
            self.tree.addTopLevelItem(QTreeWidgetItem(["(none)"]))
            return
        for entry in self._entries[:SHOWN_ENTRIES]:
            row = row_item(history_row(entry, self._item), {0: local_time_text(entry.at)})
            if entry.kind == "note":
                for column in range(5):
                    row.setBackground(column, QBrush(NOTE_BACKGROUND))
            self.tree.addTopLevelItem(row)

    def _submit(self) -> None:
        text = self.note_edit.text().strip()
        if not text or self._item is None:
            return
        self.status.setStyleSheet("color: #555;")
        self.status.setText("Saving…")
        self.note_edit.clear()
        self.note_submitted.emit(self._item.id, text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # Esc must leave the field, not go back to the queue list
                    return True
                if event.key() != Qt.Key.Key_Escape:
                    self._submit()
                self.editing_finished.emit()
                return True
        return super().eventFilter(watched, event)

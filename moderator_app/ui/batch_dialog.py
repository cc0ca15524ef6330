"""Batch decisions: choose several items (the claimed and prefetched ones, or the near-duplicates of the shown
media) and decide all of them with one decision key. Each item still becomes its own outbox entry.

The moderator confirms what they see: every row shows the item's media (covered thumbnails) and its text, and the
current row is previewed larger, covered, with the review screen's rules: the reveal key shows the selected media of
that one item, moving to another row or the reveal timeout covers it again, the text is masked in sensitive queues.
A perceptual hash groups the same template picture with another caption as a duplicate; looking is how the
moderator tells them apart, and unticks the one that does not belong.

Keyboard: ↑/↓ move (and preview) without changing what is ticked, Space ticks or unticks the row, Shift+↑/↓ move and
tick, Ctrl+A ticks all, Ctrl+Shift+A none; the review screen's reveal keys (V, [ ], T as bound) work on the preview;
a decision key (1–9, K, R, B, E, G, L as bound) decides the ticked items; Esc cancels.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from moderator_app.core.models import Item
from moderator_app.ui.batch_preview import BatchPreview
from moderator_app.ui.batch_rows import ROW_ROLE, Row, RowDelegate, item_label
from moderator_app.ui.keymap import key_from_event
from moderator_app.ui.post_text import PostText
from moderator_app.workflow.batch_media import BatchEntry

__all__ = ["VIEW_COMMANDS", "BatchDialog", "item_label"]

ITEM_ROLE = Qt.ItemDataRole.UserRole
#: Review-screen commands that also work on the dialog's preview.
VIEW_COMMANDS = frozenset({"reveal.toggle", "reveal.text", "media.next", "media.previous", "wellness.panic"})
_SHIFT, _CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


class BatchDialog(QDialog):
    chosen = Signal(str, list)  # the decision command id, the ticked Items
    item_previewed = Signal(object)  # int: the item id now in the preview (exposure is counted for it)
    panic = Signal()  # the panic key: the dialog closed covered; the window blanks

    def __init__(
        self,
        title: str,
        entries: list[BatchEntry],
        preselected: set[int],
        decision_keys: dict[str, str],
        legend: str,
        parent: QWidget | None = None,
        *,
        view_keys: dict[str, str] | None = None,
        sensitive: bool = False,
        reveal_timeout_seconds: float = 10.0,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumSize(1040, 640)
        self._decision_keys = decision_keys  # portable key -> decide.* command id
        self._view_keys = {key: command for key, command in (view_keys or {}).items() if command in VIEW_COMMANDS}
        self.preview = BatchPreview(self._key_of("reveal.toggle") or "V")
        self.preview.reveal.set_timeout_seconds(reveal_timeout_seconds)
        self.text = PostText()
        self.text.set_sensitive(sensitive)
        self.preview.reveal.timed_out.connect(self.text.cover)
        self.preview_title = QLabel()
        self.preview_title.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_title.setStyleSheet("font-weight: 600;")

        self.list = QListWidget()
        # Ticks are the selection; arrows move the current row (the preview) without touching them.
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.list.setItemDelegate(RowDelegate(self.list))
        self.list.setUniformItemSizes(True)
        for entry in entries:
            row = QListWidgetItem(item_label(entry.item))
            row.setData(ITEM_ROLE, entry.item)
            row.setData(ROW_ROLE, Row.of(entry, sensitive))
            self.list.addItem(row)
            row.setSelected(entry.item.id in preselected)
        self.list.installEventFilter(self)
        self.list.itemSelectionChanged.connect(self._count)
        self.list.currentRowChanged.connect(self._show_row)

        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.preview_title)
        column.addWidget(self.preview, 3)
        column.addWidget(self.text, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(side)
        self.list.setMinimumWidth(480)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("font-weight: 600;")
        legend_label = QLabel(legend)
        legend_label.setTextFormat(Qt.TextFormat.PlainText)
        legend_label.setWordWrap(True)
        legend_label.setStyleSheet("color: #333;")
        reveal = self._key_of("reveal.toggle") or "V"
        keys = QLabel(
            f"↑/↓ look at each item · Space ticks · Shift+↑/↓ move and tick · Ctrl+A all · Ctrl+Shift+A none · "
            f"{reveal} reveals the previewed media · a decision key decides the ticked items · Esc"
        )
        keys.setWordWrap(True)
        keys.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(legend_label)
        layout.addWidget(keys)
        self.list.setFocus()
        if entries:
            self.list.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self._count()

    # --- state ------------------------------------------------------------------------------------------------

    def selected_items(self) -> list[Item]:
        rows = sorted(self.list.selectedItems(), key=self.list.row)
        return [row.data(ITEM_ROLE) for row in rows]

    def previewed(self) -> Item | None:
        row = self.list.currentItem()
        return row.data(ITEM_ROLE) if row is not None else None

    def _key_of(self, command: str) -> str | None:
        return next((key for key, bound in self._view_keys.items() if bound == command), None)

    def _count(self) -> None:
        self.count_label.setText(f"{len(self.list.selectedItems())} of {self.list.count()} ticked")

    def _show_row(self, index: int) -> None:
        """Preview another item: covered, its text masked again in a sensitive queue (set_media resets the reveal)."""
        row = self.list.item(index)
        data = row.data(ROW_ROLE) if row is not None else None
        if not isinstance(data, Row):
            self.preview.clear()
            self.text.clear_item()
            self.preview_title.setText("")
            return
        item = data.entry.item
        self.preview.set_media(data.entry.media)
        self.text.show_item(item)
        self.preview_title.setText(f"Item #{item.id} ({index + 1} of {self.list.count()}) · {item.channel.title}")
        self.item_previewed.emit(item.id)

    # --- keys -------------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._key(event):
                return True
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key, modifiers = event.key(), event.modifiers()
        if key == Qt.Key.Key_Space and not modifiers:
            row = self.list.currentItem()
            if row is not None:
                row.setSelected(not row.isSelected())
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and modifiers == _SHIFT:
            target = self.list.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
            if 0 <= target < self.list.count():
                self.list.setCurrentRow(target, QItemSelectionModel.SelectionFlag.Select)
            return True
        if key == Qt.Key.Key_A and modifiers == _CTRL | _SHIFT:
            self.list.clearSelection()
            return True
        portable = key_from_event(key, modifiers) or ""
        view = self._view_keys.get(portable)
        if view is not None:
            if not event.isAutoRepeat():
                self._view_command(view)
            return True
        command = self._decision_keys.get(portable)
        if command is None:
            return False
        if event.isAutoRepeat():
            return True
        selected = self.selected_items()
        if not selected:
            self.count_label.setText("Tick at least one item first (Space, or Shift+↓).")
            return True
        self.preview.cover()
        self.accept()
        self.chosen.emit(command, selected)
        return True

    def _view_command(self, command: str) -> None:
        if command == "reveal.toggle":
            if self.preview.media_count and self.preview.media(self.preview.selected_index).revealable:
                self.preview.toggle()
        elif command == "media.next":
            self.preview.next_media()
        elif command == "media.previous":
            self.preview.previous_media()
        elif command == "reveal.text":
            self.text.toggle_reveal()
        elif command == "wellness.panic":
            self.preview.cover()
            self.reject()
            self.panic.emit()

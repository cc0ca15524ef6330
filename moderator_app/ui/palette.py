"""The command palette (Ctrl+K): type a few letters of a command's title or id, ↑/↓, Enter runs it. Keyboard only.

Matching is fuzzy: the letters must appear in order, and matches at word starts and in runs score higher, so "rmp"
finds "Remove post" and "esc" finds "Escalate" before "Rescan". Commands that do not apply now are listed greyed out
at the end, so the palette also answers "why can't I do that here?".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from moderator_app.ui.commands import CommandRegistry

ID_ROLE = Qt.ItemDataRole.UserRole
MAX_SHOWN = 40


def fuzzy_score(query: str, text: str) -> float | None:
    """How well `query` matches `text` as an in-order subsequence (higher is better); None when it does not."""
    query, text = query.lower().strip(), text.lower()
    if not query:
        return 0.0
    score = 0.0
    position = 0
    previous = -2
    for char in query:
        if char == " ":
            continue
        found = text.find(char, position)
        if found < 0:
            return None
        if found == previous + 1:
            score += 3.0  # a run of consecutive letters
        if found == 0 or not text[found - 1].isalnum():
            score += 4.0  # the start of a word
        score += 1.0 - min(found - position, 10) * 0.05  # near the previous match
        previous, position = found, found + 1
    return score - len(text) * 0.01  # shorter titles first among equals


def rank(registry: CommandRegistry, query: str) -> list[tuple[str, bool]]:
    """(command id, applies now) best first: applicable commands before the others, then by score."""
    scored: list[tuple[bool, float, str]] = []
    for command in registry.commands():
        if not registry.is_listed(command.id):
            continue
        by_title = fuzzy_score(query, command.title)
        by_id = fuzzy_score(query, command.id)
        candidates = [s for s in (by_title, None if by_id is None else by_id - 1.0) if s is not None]
        if candidates:
            scored.append((registry.is_enabled(command.id), max(candidates), command.id))
    scored.sort(key=lambda entry: (not entry[0], -entry[1]))
    return [(command_id, enabled) for enabled, _score, command_id in scored]


class CommandPalette(QDialog):
    def __init__(self, registry: CommandRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self.setWindowTitle("Commands")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumSize(560, 420)
        self.query = QLineEdit()
        self.query.setPlaceholderText("Type a command…")
        self.query.installEventFilter(self)
        self.results = QListWidget()
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.itemActivated.connect(lambda _item: self._run_current())
        self.message = QLabel("↑/↓ choose · Enter runs · Esc closes")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.message)
        self.query.textChanged.connect(self._refill)
        self._refill("")
        self.query.setFocus()

    def shown_ids(self) -> list[str]:
        return [str(self.results.item(row).data(ID_ROLE)) for row in range(self.results.count())]

    def _refill(self, text: str) -> None:
        self.results.clear()
        for command_id, enabled in rank(self._registry, text)[:MAX_SHOWN]:
            keys = ", ".join(self._registry.keys(command_id))
            title = self._registry.title(command_id)
            entry = QListWidgetItem(f"{title}    {keys}" if keys else title)
            entry.setData(ID_ROLE, command_id)
            entry.setToolTip(command_id)
            if not enabled:
                entry.setForeground(QBrush(QColor("#9e9e9e")))
            self.results.addItem(entry)
        if self.results.count():
            self.results.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
                QCoreApplication.sendEvent(self.results, copy)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._run_current()
                return True
        return super().eventFilter(watched, event)

    def _run_current(self) -> None:
        entry = self.results.currentItem()
        if entry is None:
            return
        command_id = str(entry.data(ID_ROLE))
        if not self._registry.is_enabled(command_id):
            self.message.setText(f"{self._registry.title(command_id)} does not apply here.")
            return
        registry = self._registry
        self.accept()
        # After the palette has closed, so the command (a dialog, a decision) acts on the main window.
        QTimer.singleShot(0, lambda: registry.run(command_id))

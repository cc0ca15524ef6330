"""Settings: the Keys page rebinds commands (records a key press, refuses a key another command uses), the Review
page sets the undo window and prefetch depth. Save hands the result to the caller, which writes the files.

Keys page, keyboard only: ↑/↓ choose a command · Enter records a new key for it (replacing its keys in that mode) ·
+ records an extra key · Delete removes its keys · Ctrl+S saves · Esc cancels (or stops a recording).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from moderator_app.ui.commands import CommandRegistry
from moderator_app.ui.keymap import GLOBAL, MODES, Keymap, display_key, key_from_event
from moderator_app.workflow.preferences import PREFETCH_RANGE, UNDO_RANGE, ReviewPreferences

ID_ROLE = Qt.ItemDataRole.UserRole
_MODE_BY_PREFIX = {"app": GLOBAL, "outbox": GLOBAL, "queues": "queues"}


def home_mode(command_id: str, keymap: Keymap, defaults: Keymap) -> str:
    """Where a command's keys live: where it is bound now, else where the defaults bind it, else by its prefix."""
    for source in (keymap, defaults):
        bound = source.keys_for(command_id)
        if bound:
            return bound[0][0]
    return _MODE_BY_PREFIX.get(command_id.split(".")[0], "review")


def refusal(keymap: Keymap, mode: str, key: str, command_id: str, registry: CommandRegistry) -> str | None:
    """Why key cannot go to command_id in mode: another command has it there (or everywhere, or it is global)."""
    clashes = []
    for other_mode in MODES:
        other = keymap.command_for(other_mode, key)
        relevant = other_mode == mode or GLOBAL in (mode, other_mode)
        if other is not None and other != command_id and relevant:
            title = registry.title(other) if registry.has(other) else other
            clashes.append(f"“{title}” ({other_mode})")
    if not clashes:
        return None
    return f"{display_key(key)} is already used by {', '.join(clashes)}. Free it first (select it, Delete)."


class KeysPage(QWidget):
    changed = Signal()

    def __init__(self, registry: CommandRegistry, keymap: Keymap, defaults: Keymap, parent: QWidget | None = None):
        super().__init__(parent)
        self.registry = registry
        self.keymap = keymap
        self.defaults = defaults
        self._recording: tuple[str, bool] | None = None  # (command id, add instead of replace)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Command", "Keys", "Where"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.installEventFilter(self)
        self.message = QLabel("Enter: record a new key · +: add a key · Delete: remove keys")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.restore = QPushButton("Restore all default keys")
        self.restore.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.restore.clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.restore, 0, Qt.AlignmentFlag.AlignLeft)
        self._fill()
        self.table.setCurrentCell(0, 0)

    @property
    def recording(self) -> bool:
        return self._recording is not None

    def current_command(self) -> str | None:
        row = self.table.currentRow()
        entry = self.table.item(row, 0) if row >= 0 else None
        return str(entry.data(ID_ROLE)) if entry is not None else None

    def select_command(self, command_id: str) -> None:
        for row in range(self.table.rowCount()):
            entry = self.table.item(row, 0)
            if entry is not None and entry.data(ID_ROLE) == command_id:
                self.table.setCurrentCell(row, 0)
                return

    def _fill(self) -> None:
        current = self.current_command()
        commands = self.registry.commands()
        self.table.setRowCount(len(commands))
        for row, command in enumerate(commands):
            title = QTableWidgetItem(command.title)
            title.setData(ID_ROLE, command.id)
            title.setToolTip(command.id)
            bound = self.keymap.keys_for(command.id)
            keys = QTableWidgetItem(", ".join(display_key(key) for _mode, key in bound) or "—")
            where = QTableWidgetItem(", ".join(sorted({mode for mode, _key in bound})))
            for column, cell in enumerate((title, keys, where)):
                self.table.setItem(row, column, cell)
        if current:
            self.select_command(current)

    def start_recording(self, add: bool) -> None:
        command_id = self.current_command()
        if command_id is None:
            return
        self._recording = (command_id, add)
        self.message.setText(f"Press the new key for “{self.registry.title(command_id)}” (Esc cancels)…")
        self.message.setStyleSheet("color: #0d47a1; font-weight: 700;")

    def record(self, key: str) -> bool:
        """Bind the recorded key; False (with the reason shown) when another command uses it."""
        assert self._recording is not None
        command_id, add = self._recording
        self._recording = None
        mode = home_mode(command_id, self.keymap, self.defaults)
        problem = refusal(self.keymap, mode, key, command_id, self.registry)
        if problem:
            self._say(problem, error=True)
            return False
        keymap = self.keymap if add else self.keymap.without_command(command_id, mode)
        self.keymap = keymap.with_binding(mode, key, command_id)
        self._fill()
        self._say(f"{display_key(key)} now runs “{self.registry.title(command_id)}” ({mode}).")
        self.changed.emit()
        return True

    def remove_keys(self) -> None:
        command_id = self.current_command()
        if command_id is not None:
            self.keymap = self.keymap.without_command(command_id)
            self._fill()
            self._say(f"“{self.registry.title(command_id)}” has no key now (the palette still finds it).")
            self.changed.emit()

    def restore_defaults(self) -> None:
        self.keymap = self.defaults
        self._fill()
        self._say("All keys are back to the defaults.")
        self.changed.emit()

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020; font-weight: 600;" if error else "color: #2e7d32;")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.table or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if self._recording is not None:
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # while recording, every key is the new binding, not a button's mnemonic
                return True
            if event.type() == QEvent.Type.KeyPress:
                if event.key() == Qt.Key.Key_Escape:
                    self._recording = None
                    self._say("Recording cancelled.")
                    return True
                key = key_from_event(event.key(), event.modifiers())
                if key is not None and not event.isAutoRepeat():
                    self.record(key)
                return True
            return False
        if event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.start_recording(add=False)
                return True
            if event.key() == Qt.Key.Key_Plus:
                self.start_recording(add=True)
                return True
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_keys()
                return True
        return super().eventFilter(watched, event)


class ReviewPage(QWidget):
    def __init__(self, preferences: ReviewPreferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo = QDoubleSpinBox()
        self.undo.setRange(*UNDO_RANGE)
        self.undo.setSingleStep(1.0)
        self.undo.setDecimals(1)
        self.undo.setSuffix(" s")
        self.undo.setValue(preferences.undo_seconds)
        self.prefetch = QSpinBox()
        self.prefetch.setRange(*PREFETCH_RANGE)
        self.prefetch.setValue(preferences.prefetch)
        form = QFormLayout(self)
        form.addRow("Undo window (a decision waits this long before it is sent)", self.undo)
        form.addRow("Items prepared ahead (from the next queue you open)", self.prefetch)

    def preferences(self) -> ReviewPreferences:
        return ReviewPreferences(undo_seconds=float(self.undo.value()), prefetch=int(self.prefetch.value()))


class SettingsDialog(QDialog):
    saved = Signal(object, object)  # Keymap, ReviewPreferences

    def __init__(
        self,
        registry: CommandRegistry,
        keymap: Keymap,
        defaults: Keymap,
        preferences: ReviewPreferences,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(720, 560)
        self.tabs = QTabWidget()
        self.keys_page = KeysPage(registry, keymap, defaults)
        self.review_page = ReviewPage(preferences)
        self.tabs.addTab(self.keys_page, "Keys")
        self.tabs.addTab(self.review_page, "Review")
        save = QPushButton("Save (Ctrl+S)")
        save.clicked.connect(self.save)
        cancel = QPushButton("Cancel (Esc)")
        cancel.clicked.connect(self.reject)
        for button in (save, cancel):
            button.setAutoDefault(False)  # Enter records a key on the Keys page; it must not press a button
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(save)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        self.keys_page.table.setFocus()  # Ctrl+Tab moves between pages (QTabWidget's own key)

    def add_page(self, widget: QWidget, title: str) -> None:
        """For other settings (wellness, ...): a page of their own."""
        self.tabs.addTab(widget, title)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.keys_page.recording:
            return  # the table's filter handles it; never close the dialog mid-recording
        super().keyPressEvent(event)

    def save(self) -> None:
        self.saved.emit(self.keys_page.keymap, self.review_page.preferences())
        self.accept()

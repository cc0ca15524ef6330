"""`?` shows every key binding over the window (what the keymap says now, the user's changes included); any key
closes it. It swallows keys while shown, so pressing a letter to close it never decides anything.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from moderator_app.ui.commands import CommandRegistry
from moderator_app.ui.keymap import GLOBAL, MODES, display_key

MODE_TITLES = {"global": "Everywhere", "review": "Review screen", "queues": "Queue list"}
EXTRA_KEYS = {"review": [("Space (hold)", "Peek at the media")]}  # keys a widget handles itself, not commands


def binding_rows(registry: CommandRegistry, mode: str) -> list[tuple[str, str]]:
    """(keys, title) for one mode, in the order commands were registered; several keys of a command on one row."""
    keys_of: dict[str, list[str]] = {}
    for bound_mode, key, command_id in registry.keymap.all_bindings():
        if bound_mode == mode and registry.has(command_id) and registry.is_listed(command_id):
            keys_of.setdefault(command_id, []).append(display_key(key))
    rows = [(", ".join(keys_of[c]), registry.title(c)) for c in registry.ids() if c in keys_of]
    return rows + EXTRA_KEYS.get(mode, [])


class HelpOverlay(QFrame):
    def __init__(self, registry: CommandRegistry, host: QWidget) -> None:
        super().__init__(host)
        self._registry = registry
        self._host = host
        self._return_focus: QWidget | None = None
        self.setObjectName("helpOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#helpOverlay { background: rgba(25, 28, 33, 235); }"
            " QLabel { color: #eceff1; } QLabel[role='key'] { color: #ffd54f; font-weight: 700; }"
            " QLabel[role='head'] { font-size: 15px; font-weight: 700; color: white; }"
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._columns = QHBoxLayout()
        self._columns.setSpacing(36)
        title = QLabel("Keys  ·  press any key to close")
        title.setProperty("role", "head")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 28, 40, 28)
        outer.addWidget(title)
        outer.addLayout(self._columns, 1)
        host.installEventFilter(self)
        self.hide()

    def show_over(self) -> None:
        self._return_focus = self._host.window().focusWidget()
        self._rebuild()
        self.setGeometry(self._host.rect())
        self.raise_()
        self.show()
        self.setFocus()

    def close_overlay(self) -> None:
        self.hide()
        if self._return_focus is not None:
            self._return_focus.setFocus()

    def rows(self) -> dict[str, list[tuple[str, str]]]:
        section = self._screen_section()
        if section is not None:
            title, rows = section
            return {GLOBAL: binding_rows(self._registry, GLOBAL), title: rows}
        return {mode: binding_rows(self._registry, mode) for mode in MODES}

    def _screen_section(self) -> tuple[str, list[tuple[str, str]]] | None:
        """A screen with keys of its own (the QA blind review) lists them; review and queue-list keys are not live
        there. It is the focused widget's nearest ancestor with a help_section() method."""
        widget = self._return_focus
        while widget is not None:
            provider = getattr(widget, "help_section", None)
            if callable(provider):
                return provider()  # type: ignore[no-any-return]
            widget = widget.parentWidget()
        return None

    def _rebuild(self) -> None:
        while self._columns.count():
            taken = self._columns.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        for mode, rows in self.rows().items():
            column = QWidget()
            grid = QGridLayout(column)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setVerticalSpacing(3)
            head = QLabel(MODE_TITLES.get(mode, mode))
            head.setProperty("role", "head")
            grid.addWidget(head, 0, 0, 1, 2)
            for number, (keys, title) in enumerate(rows, start=1):
                key_label = QLabel(keys)
                key_label.setProperty("role", "key")
                key_label.setTextFormat(Qt.TextFormat.PlainText)
                title_label = QLabel(title)
                title_label.setTextFormat(Qt.TextFormat.PlainText)
                grid.addWidget(key_label, number, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                grid.addWidget(title_label, number, 1, Qt.AlignmentFlag.AlignTop)
            grid.setRowStretch(len(rows) + 1, 1)
            self._columns.addWidget(column, 1)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # every key is ours while shown: the next keypress only closes the overlay
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta):
            return  # a modifier on its way to a chord is not "any key" yet
        self.close_overlay()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self._host.rect())
        return super().eventFilter(watched, event)

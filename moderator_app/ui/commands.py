"""One registry of commands: each has a name, a title and a key, and becomes a QAction on the main window.

Keys are data (DEFAULT_KEYS), never wired to widgets directly, so the keyboard work can load them from a keymap.
Shortcuts use WindowShortcut context: they work wherever focus is in the window, while a focused text field still
takes its letters first (Qt offers it the key as a ShortcutOverride before any shortcut fires).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class CommandSpec:
    name: str
    title: str  # what the button and the menu say, without the key
    key: str  # QKeySequence text, e.g. "K", "Ctrl+R", "Esc"


DEFAULT_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("decide.keep", "Keep (no violation)", "K"),
    CommandSpec("decide.remove_post", "Remove post", "R"),
    CommandSpec("decide.ban_channel", "Ban channel", "B"),
    CommandSpec("decide.escalate", "Escalate", "E"),
    CommandSpec("review.skip", "Skip", "S"),
    CommandSpec("review.undo", "Undo last decision", "Ctrl+Z"),
    CommandSpec("review.back", "Back to queues", "Esc"),
    CommandSpec("queues.refresh", "Refresh queues", "F5"),
    CommandSpec("outbox.retry", "Retry failed decisions", "Ctrl+R"),
)

REVIEW_COMMANDS = ("decide.keep", "decide.remove_post", "decide.ban_channel", "decide.escalate", "review.skip")


class CommandRegistry(QObject):
    """Creates the window's actions from specs; handlers are bound by name."""

    def __init__(self, window: QWidget, specs: Iterable[CommandSpec] = DEFAULT_COMMANDS) -> None:
        super().__init__(window)
        self._window = window
        self._specs = {spec.name: spec for spec in specs}
        self._actions: dict[str, QAction] = {}

    def bind(self, name: str, handler: Callable[[], object]) -> QAction:
        spec = self._specs[name]
        action = QAction(self.label(name), self._window)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(spec.key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        # Holding a decision key must not decide a run of items unseen.
        action.setAutoRepeat(False)
        action.triggered.connect(lambda _checked=False: handler())
        self._window.addAction(action)
        self._actions[name] = action
        return action

    def label(self, name: str) -> str:
        spec = self._specs[name]
        return f"{spec.title}  [{QKeySequence(spec.key).toString(QKeySequence.SequenceFormat.NativeText)}]"

    def action(self, name: str) -> QAction:
        return self._actions[name]

    def key(self, name: str) -> str:
        return self._specs[name].key

    def set_enabled(self, names: Iterable[str], enabled: bool) -> None:
        for name in names:
            self._actions[name].setEnabled(enabled)

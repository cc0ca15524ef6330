"""One registry of commands: every user action has an id, a title, a menu, and a predicate saying when it applies.

Keys are not part of a command: they come from the keymap (resources/keymap.json plus the user's file, see
keymap.py), so menus, buttons, the palette and the help overlay all read the same bindings. The registry turns the
keymap into window shortcuts and switches them by mode:
- the page mode ("review" or "queues") decides which bindings are live, global ones always are;
- while a text field has focus (typing a note, filtering) only Ctrl/Alt/Meta chords and F-keys stay live, so "k" is a
  letter of the note and never a decision. (Qt also offers the focused field the key first; this is the second lock.)

To add a command: register it (id, title, handler, menu, when) where its handler lives, and give it a default key in
resources/keymap.json; tests/ui/test_keymap.py checks that every default binding names a registered command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from moderator_app.ui.keymap import GLOBAL, Keymap, display_key, typing_safe

MENU_ORDER = ("Review", "Decide", "Queues", "Outbox", "View", "Help")


@dataclass(frozen=True)
class Command:
    id: str
    title: str  # what menus, buttons and the palette say, without the key
    menu: str
    handler: Callable[[], object]
    when: Callable[[], bool] | None = None  # None: always available
    description: str = ""


def is_text_input(widget: QWidget | None) -> bool:
    """Whether keys typed into this widget are text (a letter there must never run a command)."""
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QAbstractSpinBox):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return False


class CommandRegistry(QObject):
    """The window's commands, their QActions (menus, buttons) and their shortcuts (from the keymap)."""

    ran = Signal(str)  # a command id, after its handler ran
    refused = Signal(str, str)  # command id, a sentence: it does not apply right now
    keymap_changed = Signal()

    def __init__(self, window: QWidget, keymap: Keymap | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._commands: dict[str, Command] = {}
        self._actions: dict[str, QAction] = {}
        self._keymap = keymap or Keymap()
        self._shortcuts: list[tuple[QShortcut, str, bool]] = []  # (shortcut, mode, live while typing)
        self._mode = "queues"
        self._typing = False
        self._menubar: QMenuBar | None = None
        self._menus: dict[str, QMenu] = {}
        self._unlisted: set[str] = set()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    # --- declaring --------------------------------------------------------------------------------------

    def register(
        self,
        command_id: str,
        title: str,
        handler: Callable[[], object],
        *,
        menu: str = "Review",
        when: Callable[[], bool] | None = None,
        description: str = "",
    ) -> QAction:
        if command_id in self._commands:
            raise ValueError(f"command {command_id!r} is registered twice")
        command = Command(command_id, title, menu, handler, when, description)
        self._commands[command_id] = command
        action = QAction(self._window)
        action.setObjectName(command_id)
        if description:
            action.setStatusTip(description)
        # Menus and buttons go through run(), which checks the predicate like a key does.
        action.triggered.connect(lambda _checked=False, name=command_id: self.run(name))
        self._actions[command_id] = action
        self._label_action(command_id)
        if self._menubar is not None:
            self._menu(menu).addAction(action)
        self._add_shortcuts(command_id)
        self._apply_modes()
        return action

    def install_menus(self, menubar: QMenuBar) -> None:
        """Put every command (and every one registered later) into the window's menus."""
        self._menubar = menubar
        for command in self._commands.values():
            self._menu(command.menu).addAction(self._actions[command.id])

    def _menu(self, name: str) -> QMenu:
        menu = self._menus.get(name)
        if menu is None:
            assert self._menubar is not None
            menu = QMenu(name, self._menubar)
            menu.setObjectName(f"menu.{name}")
            later = [self._menus[m] for m in MENU_ORDER if m in self._menus and MENU_ORDER.index(m) > _rank(name)]
            if later:
                self._menubar.insertMenu(later[0].menuAction(), menu)
            else:
                self._menubar.addMenu(menu)
            self._menus[name] = menu
        return menu

    # --- reading ----------------------------------------------------------------------------------------

    def commands(self) -> list[Command]:
        return list(self._commands.values())

    def command(self, command_id: str) -> Command:
        return self._commands[command_id]

    def has(self, command_id: str) -> bool:
        return command_id in self._commands

    def ids(self) -> list[str]:
        return list(self._commands)

    def action(self, command_id: str) -> QAction:
        return self._actions[command_id]

    def title(self, command_id: str) -> str:
        return self._commands[command_id].title

    def keys(self, command_id: str) -> list[str]:
        """The keys bound to a command, as this platform writes them, in mode order (global first)."""
        return [display_key(key) for _mode, key in self._keymap.keys_for(command_id)]

    def key(self, command_id: str) -> str:
        keys = self.keys(command_id)
        return keys[0] if keys else ""

    def label(self, command_id: str) -> str:
        key = self.key(command_id)
        return f"{self.title(command_id)}  [{key}]" if key else self.title(command_id)

    def is_enabled(self, command_id: str) -> bool:
        when = self._commands[command_id].when
        return True if when is None else bool(when())

    @property
    def keymap(self) -> Keymap:
        return self._keymap

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def typing(self) -> bool:
        return self._typing

    # --- running ----------------------------------------------------------------------------------------

    def run(self, command_id: str) -> bool:
        """Run a command if it applies now; otherwise say so (refused) and do nothing."""
        command = self._commands.get(command_id)
        if command is None:
            self.refused.emit(command_id, f"There is no command {command_id!r}.")
            return False
        if not self.is_enabled(command_id):
            self.refused.emit(command_id, f"{command.title}: not available here.")
            return False
        command.handler()
        self.ran.emit(command_id)
        return True

    # --- changing ---------------------------------------------------------------------------------------

    def set_title(self, command_id: str, title: str) -> None:
        old = self._commands[command_id]
        if old.title != title:
            self._commands[command_id] = Command(old.id, title, old.menu, old.handler, old.when, old.description)
            self._label_action(command_id)

    def set_listed(self, command_id: str, listed: bool) -> None:
        """Hide a command that means nothing now (an unused decision key) from menus, palette and help."""
        if listed:
            self._unlisted.discard(command_id)
        else:
            self._unlisted.add(command_id)
        self._actions[command_id].setVisible(listed)

    def is_listed(self, command_id: str) -> bool:
        return command_id not in self._unlisted

    def set_keymap(self, keymap: Keymap) -> None:
        self._keymap = keymap
        for command_id in self._commands:
            self._label_action(command_id)
        self._rebuild_shortcuts()
        self.keymap_changed.emit()

    def set_mode(self, mode: str) -> None:
        """The page shown: "review" or "queues". Bindings of other pages go quiet."""
        if mode != self._mode:
            self._mode = mode
            self._apply_modes()
        self.refresh()

    def refresh(self) -> None:
        """Grey out what does not apply now (menus and buttons); call after the state the predicates read changes."""
        for command_id, action in self._actions.items():
            enabled = self.is_enabled(command_id)
            if action.isEnabled() != enabled:
                action.setEnabled(enabled)

    def set_enabled(self, names: Iterable[str], enabled: bool) -> None:
        """Force actions on or off until the next refresh (kept for callers written before predicates)."""
        for name in names:
            self._actions[name].setEnabled(enabled)

    def bind(self, name: str, handler: Callable[[], object]) -> QAction:
        """Register one of SCREEN_COMMANDS by name (for hosts that build the review screen alone, e.g. its tests)."""
        return self.register(name, SCREEN_TITLES.get(name, name), handler)

    # --- internals --------------------------------------------------------------------------------------

    def _label_action(self, command_id: str) -> None:
        action = self._actions[command_id]
        title = self._commands[command_id].title
        key = self.key(command_id)
        # "\t" puts the key in the menu's shortcut column without making the action a shortcut of its own: the
        # keymap's shortcuts below are the only ones, so modes can switch them.
        action.setText(f"{title}\t{key}" if key else title)
        action.setIconText(f"{title}  [{key}]" if key else title)
        action.setToolTip(f"{title} ({', '.join(self.keys(command_id))})" if key else title)

    def _rebuild_shortcuts(self) -> None:
        for shortcut, _mode, _safe in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts = []
        for command_id in self._commands:
            self._add_shortcuts(command_id)
        self._apply_modes()

    def _add_shortcuts(self, command_id: str) -> None:
        for mode, key in self._keymap.keys_for(command_id):
            shortcut = QShortcut(QKeySequence(key, QKeySequence.SequenceFormat.PortableText), self._window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            # Holding a decision key must not decide a run of items unseen.
            shortcut.setAutoRepeat(False)
            shortcut.activated.connect(lambda name=command_id: self.run(name))
            shortcut.activatedAmbiguously.connect(
                lambda name=command_id, k=key: self.refused.emit(name, f"{k} is bound twice here; check Settings.")
            )
            self._shortcuts.append((shortcut, mode, typing_safe(key)))

    def _apply_modes(self) -> None:
        for shortcut, mode, safe in self._shortcuts:
            live = mode in (GLOBAL, self._mode) and (not self._typing or safe)
            if shortcut.isEnabled() != live:
                shortcut.setEnabled(live)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        typing = new is not None and new.window() is self._window and is_text_input(new)
        if typing != self._typing:
            self._typing = typing
            self._apply_modes()


def _rank(menu: str) -> int:
    return MENU_ORDER.index(menu) if menu in MENU_ORDER else len(MENU_ORDER)


@dataclass(frozen=True)
class CommandSpec:
    name: str
    title: str


# The commands the review screen shows as buttons; the main window registers them with their real handlers.
SCREEN_TITLES = {
    "decide.keep": "Keep (no violation)",
    "decide.remove_post": "Remove post",
    "decide.ban_channel": "Ban channel…",
    "decide.escalate": "Escalate…",
    "review.skip": "Skip (give the item back)",
    "review.undo": "Undo last decision",
    "review.back": "Back to the queue list",
}
DEFAULT_COMMANDS: tuple[CommandSpec, ...] = tuple(CommandSpec(name, title) for name, title in SCREEN_TITLES.items())

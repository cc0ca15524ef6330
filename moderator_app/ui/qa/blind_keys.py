"""The blind review's keys: the moderator's own bindings, so a QA reviewer decides with the keys the moderator used.

The keymap's review mode (resources/keymap.json with the user's overrides, as Settings > Keys edits them) says which
key runs which command; this module says what each of those commands means in a blind second review:
- the decision keys 1..9 are the sampled item's queue's decision set (action and policy reason), and the named
  decision keys (keep, remove post, ban channel, geo-restrict, label sensitive) decide with the reason the moderator's
  key would have proposed; as on the review screen, ban channel asks for the scope and geo-restrict (and a queue's
  restrict key) for the countries first; a QA review records a final action, so escalate only says so;
- the reveal and media keys (toggle, text, album, zoom, video, text paging) work on the blurred media as on the
  review screen; Space held peeks, Alt held reveals a circle and arrows pan (reveal_keys.py, handled by the screen);
- the QA flow's own keys: A agree, D disagree, N next sample; fixed, and live only in their phase.

PhaseKeys makes one local shortcut per key and dispatches it by the screen's phase, so a key that means one thing
while deciding and another while giving a verdict is never ambiguous to Qt. Keys that type text (letters, digits)
go quiet while a text field of the screen has focus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from moderator_app.ui.commands import is_text_input
from moderator_app.ui.keymap import (
    GLOBAL,
    Keymap,
    default_keymap_path,
    display_key,
    parse_layer,
    read_json,
    typing_safe,
)

REVIEW_MODE = "review"
NOTE_COMMAND = "review.note"
AGREE_KEY, DISAGREE_KEY, NEXT_KEY = "A", "D", "N"

# Commands of the review screen that a blind review offers with the same meaning, and their titles there.
VIEW_COMMANDS: dict[str, str] = {
    "reveal.toggle": "Reveal or cover the selected media",
    "reveal.text": "Show or hide the post text (sensitive queue)",
    "media.next": "Next media of the album",
    "media.previous": "Previous media of the album",
    "reveal.zoom_in": "Zoom in (revealed media)",
    "reveal.zoom_out": "Zoom out",
    "reveal.zoom_reset": "Reset the zoom",
    "video.play": "Play or pause the revealed video",
    "video.back": "Video: back 5 seconds",
    "video.forward": "Video: forward 5 seconds",
    "video.mute": "Video: sound on or off",
    "text.page_down": "Scroll the post text down",
    "text.page_up": "Scroll the post text up",
}
SLOT_COMMANDS: dict[str, int] = {f"decide.slot{slot}": slot for slot in range(1, 10)}
NAMED_DECISIONS: tuple[str, ...] = (
    "decide.keep",
    "decide.remove_post",
    "decide.ban_channel",
    "decide.geo_restrict",
    "decide.label_sensitive",
    "decide.escalate",
)
QA_COMMANDS: tuple[str, ...] = (*SLOT_COMMANDS, *NAMED_DECISIONS, NOTE_COMMAND, *VIEW_COMMANDS)
# Keys a widget handles itself (held keys), for the hints and the keys overlay.
HELD_KEYS: tuple[tuple[str, str], ...] = (
    ("Space (hold)", "Peek at the media"),
    ("Alt (hold)", "Reveal a circle around the pointer"),
    ("Arrows", "Pan the zoomed media"),
)


def default_review_keymap() -> Keymap:
    """The default bindings as they are, for a screen built without the window's registry (its own tests)."""
    data, _problems = read_json(default_keymap_path(), "default key bindings")
    layer, _problems = parse_layer(data, "default key bindings") if data is not None else ({}, [])
    return Keymap({mode: {key: c for key, c in keys.items() if c is not None} for mode, keys in layer.items()})


def review_keys(keymap: Keymap, command_id: str) -> list[str]:
    """The keys bound to a command in the review mode, in the keymap's portable form."""
    return [key for mode, key in keymap.keys_for(command_id) if mode == REVIEW_MODE]


@dataclass(frozen=True)
class Binding:
    """One key of a phase: what it runs and how the hints and the keys overlay name it."""

    key: str  # portable form ("K", "Shift+PgDown")
    title: str
    run: Callable[[], object]

    @property
    def shown(self) -> str:
        return display_key(self.key)


class PhaseKeys(QObject):
    """Local shortcuts of one screen whose meaning is a table the screen swaps as its phase changes."""

    def __init__(self, screen: QWidget) -> None:
        super().__init__(screen)
        self._screen = screen
        self._shortcuts: dict[str, QShortcut] = {}
        self._table: dict[str, Binding] = {}
        self._typing = False
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    @property
    def table(self) -> dict[str, Binding]:
        return dict(self._table)

    def set_bindings(self, bindings: list[Binding]) -> None:
        """The keys of the phase now; the first binding of a key wins (callers list the more important first)."""
        table: dict[str, Binding] = {}
        for binding in bindings:
            table.setdefault(binding.key, binding)
        for key in table:
            if key not in self._shortcuts:
                shortcut = QShortcut(QKeySequence(key, QKeySequence.SequenceFormat.PortableText), self._screen)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.setAutoRepeat(False)  # holding a decision key must not decide twice
                shortcut.activated.connect(lambda key=key: self._fire(key))
                self._shortcuts[key] = shortcut
        self._table = table
        self._apply()

    def is_live(self, key: str) -> bool:
        shortcut = self._shortcuts.get(key)
        return shortcut is not None and shortcut.isEnabled()

    def _fire(self, key: str) -> None:
        binding = self._table.get(key)
        if binding is not None:
            binding.run()

    def _apply(self) -> None:
        for key, shortcut in self._shortcuts.items():
            live = key in self._table and (not self._typing or typing_safe(key))
            if shortcut.isEnabled() != live:
                shortcut.setEnabled(live)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        typing = new is not None and self._screen.isAncestorOf(new) and is_text_input(new)
        if typing != self._typing:
            self._typing = typing
            self._apply()


def global_keys(keymap: Keymap) -> set[str]:
    """Keys live everywhere in the window: a screen's own key must not shadow one of them."""
    return {key for mode, key, _command in keymap.all_bindings() if mode == GLOBAL}

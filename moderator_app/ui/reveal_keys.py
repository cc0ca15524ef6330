"""The reveal keys that are held rather than pressed, handled by the review screen's key events (a command fires
once on press and knows nothing of the release):

- Space held: peek at the selected media (and a masked text) until it is released; auto-repeat is ignored, so a key
  held past the reveal timeout does not reveal again.
- Alt held: region reveal, a circle around the pointer over the media.
- Arrow keys while the revealed media is zoomed: pan. Otherwise arrows are left to whatever else uses them; while
  zoomed the screen claims them first (ShortcutOverride), so a shortcut on an arrow cannot steal a pan.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from moderator_app.ui.media_view import REGION_KEY, MediaView

PEEK_KEY = Qt.Key.Key_Space
PAN_KEYS: dict[Qt.Key, tuple[int, int]] = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class RevealScreen(Protocol):
    media_view: MediaView

    def has_item(self) -> bool: ...

    def set_peek(self, revealed: bool) -> None: ...


def handle_reveal_key(screen: RevealScreen, event: QKeyEvent, pressed: bool) -> bool:
    """Handle a key press (pressed=True) or release of the review screen; True when it was a reveal key."""
    key = event.key()
    if key == PEEK_KEY:
        if not event.isAutoRepeat() and (screen.has_item() or not pressed):
            screen.set_peek(pressed)
        event.accept()
        return True
    if key == REGION_KEY:
        if not event.isAutoRepeat():
            screen.media_view.region_key(pressed and screen.has_item())
        return False  # Alt stays a modifier for everything else
    if key in PAN_KEYS and screen.media_view.zoomed:
        if pressed:
            dx, dy = PAN_KEYS[Qt.Key(key)]
            screen.media_view.pan(dx, dy)
        event.accept()
        return True
    return False


def claims_shortcut(screen: RevealScreen, event: QEvent) -> bool:
    """Whether the screen wants this key before any shortcut (a ShortcutOverride it should accept)."""
    if event.type() != QEvent.Type.ShortcutOverride:
        return False
    assert isinstance(event, QKeyEvent)
    if event.key() == PEEK_KEY and event.modifiers() == Qt.KeyboardModifier.NoModifier:
        return True
    return event.key() in PAN_KEYS and screen.media_view.zoomed

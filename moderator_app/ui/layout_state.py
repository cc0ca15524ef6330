"""Remember splitter sizes between runs (QSettings): layout only, never content.

The values are lists of pixel sizes under "layout/<name>"; nothing about items, posts or media is ever stored.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QTimer
from PySide6.QtWidgets import QSplitter

ORGANIZATION = "ModeratorApp"
APPLICATION = "moderator-app"
SAVE_DELAY_MS = 400  # dragging a splitter fires many moves; write once it rests
HIDDEN_PANE_SIZE = 200  # a pane hidden since the start, for when it first shows


def ui_settings(parent: QObject | None = None) -> QSettings:
    """The app's settings (the QApplication's names when set, else ours)."""
    organization = QCoreApplication.organizationName() or ORGANIZATION
    application = QCoreApplication.applicationName() or APPLICATION
    return QSettings(organization, application, parent)


def _sizes(value: object) -> list[int] | None:
    if not isinstance(value, list | tuple):
        value = [value] if value is not None else []
    try:
        sizes = [int(v) for v in value]
    except (TypeError, ValueError):
        return None
    return sizes if sizes and all(s >= 0 for s in sizes) else None


def remember_splitter(splitter: QSplitter, name: str, settings: QSettings | None = None) -> None:
    """Restore the splitter's sizes saved under name (if they fit its panes) and save them when they change."""
    # Owned by the splitter, so it is destroyed with it on the UI thread (never by a garbage collection that
    # happens to run on a worker thread while its posted sync event is pending).
    store = settings if settings is not None else ui_settings(splitter)
    key = f"layout/{name}"
    saved = _sizes(store.value(key))
    if saved is not None and len(saved) == splitter.count() and sum(saved) > 0:
        splitter.setSizes(saved)
    timer = QTimer(splitter)
    timer.setSingleShot(True)
    timer.setInterval(SAVE_DELAY_MS)

    def save() -> None:
        # A hidden pane (the channel grid while a post is shown) reports 0: keep the size it had when last shown.
        before = _sizes(store.value(key)) or []
        sizes = [
            int(size) if splitter.widget(i).isVisible() else (before[i] if i < len(before) else HIDDEN_PANE_SIZE)
            for i, size in enumerate(splitter.sizes())
        ]
        store.setValue(key, sizes)
        store.sync()

    timer.timeout.connect(save)
    splitter.splitterMoved.connect(lambda *_: timer.start())

"""A window with the real ReviewScreen and ReviewExtras (reveal, text, notes, wellness) and the real keymap, but no
server: items are hand-made (tests/ui/samples.py) and shown as the main window shows them."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QStatusBar, QVBoxLayout, QWidget

from moderator_app.core.models import Queue
from moderator_app.ui.commands import CommandRegistry
from moderator_app.ui.keymap import default_keymap_path, load_keymap
from moderator_app.ui.review_extras import ReviewExtras
from moderator_app.ui.review_screen import ReviewScreen
from moderator_app.workflow.items import ReviewItem

SCREEN_COMMANDS = ("decide.keep", "decide.remove_post", "decide.ban_channel", "decide.escalate", "review.skip")


class FakeSession(QObject):
    item_changed = Signal(object)
    queue_changed = Signal(object)


class ScreenHost(QMainWindow):
    """What ReviewExtras needs of the main window, around a real review screen."""

    close_requested = Signal()

    def __init__(self, settings_dir: Path) -> None:
        super().__init__()
        self.fired: list[str] = []
        self.commands = CommandRegistry(self)
        for name in (*SCREEN_COMMANDS, "review.back"):
            self.commands.register(name, name, lambda name=name: self.fired.append(name))
        self._stub_other_commands()
        self.session = FakeSession(self)
        self.review = ReviewScreen(self.commands)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.review)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = QStatusBar()
        self.setStatusBar(self.status)
        self.on_review_page = True
        self.extras = ReviewExtras(self, config_dir=settings_dir)
        loaded = load_keymap(self.commands.ids())
        assert not loaded.problems, loaded.problems
        self.commands.set_keymap(loaded.keymap)
        self.commands.set_mode("review")
        self.resize(1280, 820)

    def _stub_other_commands(self) -> None:
        """The default keymap binds the other screens' commands too; record them, so every key resolves."""
        data = json.loads(default_keymap_path().read_text(encoding="utf-8"))
        ours = ("reveal.", "media.", "video.", "text.", "wellness.", "review.item_note")
        for keys in data["bindings"].values():
            for name in keys.values():
                if not self.commands.has(name) and not name.startswith(ours):
                    self.commands.register(name, name, lambda name=name: self.fired.append(name))

    def show_item(self, review_item: ReviewItem | None, queue: Queue | None = None) -> None:
        if queue is not None:
            self.session.queue_changed.emit(queue)
        self.review.show_item(review_item)
        self.session.item_changed.emit(review_item)
        self.commands.refresh()
        self.review.setFocus(Qt.FocusReason.OtherFocusReason)
        # Let the layout settle (labels take their new sizes a turn later), as it has before a person looks.
        for _ in range(3):
            QApplication.sendPostedEvents()
            QApplication.processEvents()


def open_host(qtbot, settings_dir: Path) -> ScreenHost:
    host = ScreenHost(settings_dir)
    qtbot.addWidget(host)
    host.show()
    host.activateWindow()  # window shortcuts fire only in the active window, as for a real user
    qtbot.waitUntil(host.isActiveWindow, timeout=3000)
    return host

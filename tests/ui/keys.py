"""Helpers for the keyboard tests: a real main window on a real server, keys sent where a person's keys would go
(the focused widget of the active window), and waits for the dialogs keys open."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from moderator_app.app import create_main_window
from moderator_app.client.api import ApiClient
from moderator_app.client.outbox import Outbox
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.ui.main_window import MainWindow
from moderator_app.workflow.signin import Connection
from moderator_app.workflow.tasks import BackgroundRunner

WAIT = 10_000
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def activate(qtbot, widget: QWidget) -> None:
    widget.show()
    widget.activateWindow()  # window shortcuts fire only in the active window, as for a real user
    qtbot.waitUntil(widget.isActiveWindow, timeout=WAIT)


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard"
    return widget


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    qtbot.keyClick(focus(), key, modifier)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focus(), text)


def wait_for_dialog(qtbot) -> QWidget:
    """The dialog a key opened, once it is active and has the keyboard."""

    def ready() -> bool:
        modal, widget = QApplication.activeModalWidget(), QApplication.focusWidget()
        return modal is not None and widget is not None and widget.window() is modal

    qtbot.waitUntil(ready, timeout=WAIT)
    dialog = QApplication.activeModalWidget()
    assert dialog is not None
    return dialog


def wait_for_window(qtbot, window: QWidget) -> None:
    """Back in the main window after a dialog closed."""
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None and window.isActiveWindow(), timeout=WAIT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=WAIT)


def connect(server: EmbeddedServer, user: str) -> Connection:
    api = ApiClient(server.url)
    api.login(user, f"pw-{user}")
    return Connection(api=api, user=api.me(), server_url=server.url)


@pytest.fixture
def runner(qloop: object) -> Iterator[BackgroundRunner]:
    made = BackgroundRunner()
    yield made
    made.shutdown(wait=True)


@pytest.fixture
def make_window(qtbot, runner: BackgroundRunner, tmp_path: Path) -> Iterator[Callable[..., MainWindow]]:
    """make(connection, config_dir=None, **session options) -> an active main window, sender running."""
    outboxes: list[Outbox] = []

    def make(connection: Connection, config_dir: Path | None = None, **options: object) -> MainWindow:
        outbox = Outbox(tmp_path / f"outbox-{len(outboxes)}.sqlite3")
        outboxes.append(outbox)
        settings: dict[str, object] = {"undo_seconds": 0.0, "send_interval_ms": 100, "maintenance_ms": 500}
        settings.update(options)
        window = create_main_window(connection, runner, outbox, config_dir=config_dir, **settings)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        activate(qtbot, window)
        window.session.start_sending()
        return window

    yield make
    for outbox in outboxes:
        outbox.close()


def open_queue_with_keys(qtbot, window: MainWindow, queue_id: int) -> None:
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.queue_list.model.row_of(queue_id) >= 0, timeout=WAIT)
    qtbot.waitUntil(lambda: not window.board.loading, timeout=WAIT)
    row = window.queue_list.model.row_of(queue_id)
    press(qtbot, Qt.Key.Key_Home)
    for _ in range(row):
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.on_review_page and window.session.can_decide, timeout=WAIT)

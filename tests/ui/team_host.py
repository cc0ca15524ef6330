"""Fixtures for the lead, QA and appeals tests: real main windows signed in as the seeded users, keys only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from moderator_app.app import create_main_window
from moderator_app.client.api import ApiClient
from moderator_app.client.outbox import Outbox
from moderator_app.client.team_api import TeamApi
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.ui.lead.dashboard import LeadDashboard
from moderator_app.ui.main_window import MainWindow
from moderator_app.workflow.lead import Reassigner
from moderator_app.workflow.signin import Connection
from moderator_app.workflow.tasks import BackgroundRunner

WAIT = 15_000
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def activate(qtbot, widget: QWidget) -> None:
    widget.show()
    widget.activateWindow()  # window shortcuts fire only in the active window, as for a real user
    qtbot.waitUntil(widget.isActiveWindow, timeout=WAIT)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def signed_in(server: EmbeddedServer, user: str) -> ApiClient:
    api = ApiClient(server.url)
    api.login(user, f"pw-{user}")
    return api


def team_of(server: EmbeddedServer, user: str) -> TeamApi:
    return TeamApi(signed_in(server, user))


@pytest.fixture
def runner(qloop: object) -> Iterator[BackgroundRunner]:
    made = BackgroundRunner()
    yield made
    made.shutdown(wait=True)


@pytest.fixture
def open_window(
    qtbot, runner: BackgroundRunner, tmp_path: Path
) -> Iterator[Callable[[EmbeddedServer, str], MainWindow]]:
    """make(server, username) -> the main window of that user, shown and active."""
    outboxes: list[Outbox] = []

    def make(server: EmbeddedServer, user: str) -> MainWindow:
        api = signed_in(server, user)
        connection = Connection(api=api, user=api.me(), server_url=server.url)
        outbox = Outbox(tmp_path / f"outbox-{user}-{len(outboxes)}.sqlite3")
        outboxes.append(outbox)
        window = create_main_window(connection, runner, outbox, undo_seconds=0.0, send_interval_ms=100)
        qtbot.addWidget(window)
        activate(qtbot, window)
        return window

    yield make
    for outbox in outboxes:
        outbox.close()


def lead_dashboard(qtbot, window: MainWindow) -> tuple[LeadDashboard, Reassigner]:
    """Ctrl+2 on a lead's window: the dashboard once its queues and moderators are in, and its Reassigner."""
    press(qtbot, Qt.Key.Key_2, CTRL)
    dashboard: LeadDashboard = window.roles.parts["dashboard"]
    board = window.roles.parts["lead_board"]
    qtbot.waitUntil(lambda: dashboard.queue_table.rowCount() > 0 and bool(board.moderators), timeout=WAIT)
    return dashboard, window.roles.parts["reassigner"]

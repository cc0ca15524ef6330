"""Wires one GUI run: QApplication + qasync loop, the embedded demo server or a remote one, sign-in, main window.

Only this module starts the embedded server (the ui package never imports the server). Everything slow (starting
the server, signing in, opening the outbox) runs on worker threads while the Qt loop keeps painting.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from moderator_app.client.outbox import Outbox
    from moderator_app.server.embedded import EmbeddedServer
    from moderator_app.ui.main_window import MainWindow
    from moderator_app.workflow.signin import Connection, SignIn
    from moderator_app.workflow.tasks import BackgroundRunner

# For print_timing when the caller passes no start time: as close to process start as this module can know.
IMPORTED_AT = time.perf_counter()

ORGANIZATION = "ModeratorApp"
APPLICATION = "moderator-app"
DEMO_USER = ("demo-moderator", "demo")
EMBEDDED_OUTBOX_KEY = "embedded-demo-server"
QUIT_RELEASE_TIMEOUT = 2.0  # seconds to give claims back at quit before leaving them to expire

log = logging.getLogger(__name__)


@dataclass
class GuiOptions:
    server_url: str | None = None  # None: start the embedded demo server and sign in as the demo moderator
    username: str | None = None
    data_dir: Path | None = None  # default: platformdirs user_data_dir("moderator-app")
    quit_after_shown: bool = False  # smoke tests: quit once the first item (or the queue list) is painted
    undo_seconds: float | None = None  # None: the user's review settings (Settings > Review), else 5 s
    config_dir: Path | None = None  # default: platformdirs user_config_dir("moderator-app")
    print_timing: bool = False  # print "first item shown after N ms"
    started_at: float | None = None  # time.perf_counter() at process start; default: when this module was imported


def run_gui(options: GuiOptions) -> int:
    """Run the desktop client until its window is closed. Returns the process exit code."""
    os.environ.setdefault("QT_API", "pyside6")
    from moderator_app.workflow.memory import return_large_buffers_to_the_system

    return_large_buffers_to_the_system()  # before any picture is allocated
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    import qasync  # after PySide6 (and QT_API), so qasync binds to PySide6 and not another installed binding

    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Moderator review")
    # The run ends when GuiRun says so (after releasing claims), not when Qt sees the last window close.
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    run = GuiRun(app, options)
    try:
        return loop.run_until_complete(run.run())
    finally:
        run.stop_server()
        run.window = None
        # Destroy the run's QObjects here, on the UI thread: a later cyclic collection could run on any thread.
        gc.collect()
        loop.close()
        asyncio.set_event_loop(None)


def settle_garbage_collector() -> None:
    """Collect once, then freeze what start-up made (the embedded server, the demo data, the widgets).

    Python's full collections walk every tracked object and run on whatever thread happens to allocate, the UI thread
    included; with the embedded server in the process one took 60-130 ms (bench.ui_probe), several frames. Frozen
    objects are skipped by later collections, which then stay short.
    """
    gc.collect()
    gc.freeze()


def create_main_window(
    connection: Connection,
    runner: BackgroundRunner,
    outbox: Outbox,
    *,
    undo_seconds: float | None = None,
    config_dir: Path | None = None,
    **session_options: Any,
) -> MainWindow:
    """The review session, queue board and main window for a signed-in user (also used by the UI tests).

    config_dir holds the user's key bindings and review settings; None (tests) means defaults, nothing saved.
    """
    from moderator_app.client.sender import OutboxSender
    from moderator_app.ui.main_window import MainWindow
    from moderator_app.workflow.preferences import FILE_NAME, load_preferences
    from moderator_app.workflow.queues import QueueBoard
    from moderator_app.workflow.review import ReviewSession

    # Problems in the file are shown by the window (it reads the file again); here only the values matter.
    preferences, _problems = load_preferences(config_dir / FILE_NAME if config_dir is not None else None)
    session_options.setdefault("prefetch", preferences.prefetch)
    undo = preferences.undo_seconds if undo_seconds is None else undo_seconds
    sender = OutboxSender(outbox, connection.api)
    session = ReviewSession(connection.api, outbox, sender, runner, undo_seconds=undo, **session_options)
    board = QueueBoard(connection.api, runner)
    window = MainWindow(session, board, connection.user, connection.server_url, config_dir=config_dir)
    # The window owns them: they (and their timers) are destroyed with it, on the UI thread, never by a garbage
    # collection that happens to run on a worker thread.
    session.setParent(window)
    board.setParent(window)
    window.extras.connect_services(connection.api, runner)  # wellness defaults from the server, saving notes
    window.roles.connect_services(connection.api, runner)  # lead, QA and appeals screens (issues 5/6)
    return window


class GuiRun:
    """The steps of one run, with what they created, so shutdown can undo them in order."""

    def __init__(self, app: QApplication, options: GuiOptions) -> None:
        self.app = app
        self.options = options
        self.started_at = options.started_at if options.started_at is not None else IMPORTED_AT
        self.server: EmbeddedServer | None = None
        self.window: MainWindow | None = None
        self.first_shown_ms: float | None = None
        self._done: asyncio.Future[int] | None = None
        self._switch_to: str | None = None  # a demo user to sign in as when the current window closes

    async def run(self) -> int:
        from moderator_app.client.tokens import TokenStore
        from moderator_app.paths import default_data_dir
        from moderator_app.workflow.signin import SignIn
        from moderator_app.workflow.tasks import BackgroundRunner

        self._done = asyncio.get_running_loop().create_future()
        data_dir = self.options.data_dir or default_data_dir()
        data_dir.mkdir(parents=True, exist_ok=True)
        runner = BackgroundRunner()
        sign_in = SignIn(runner, TokenStore())
        try:
            if self.options.server_url is None:
                connection = await self._start_embedded(runner, sign_in, data_dir)
            else:
                connection = await self._sign_in_remote(runner, sign_in)
            if connection is None:
                return 0  # the user cancelled the sign-in
            while True:
                code = await self._review(runner, connection, data_dir)
                if self._switch_to is None:
                    return code
                connection = await self._switch_demo_user(runner, sign_in, connection)
        finally:
            runner.shutdown()

    async def _start_embedded(self, runner: BackgroundRunner, sign_in: SignIn, data_dir: Path) -> Connection:
        from moderator_app.paths import demo_database, sqlite_url
        from moderator_app.server.config import ServerSettings
        from moderator_app.server.embedded import EmbeddedServer
        from moderator_app.ui.splash import StartupSplash

        splash = StartupSplash("Starting the local demo server…")
        splash.show()
        try:
            settings = ServerSettings(db_url=sqlite_url(demo_database(data_dir)), port=0, demo=True)
            self.server = EmbeddedServer(settings)
            # A QApplication exists already, so the demo seeding may draw its pictures on this worker thread.
            await runner.call(self.server.start)
            splash.set_message("Signing in as the demo moderator…")
            return await sign_in.sign_in(self.server.url, *DEMO_USER)
        finally:
            splash.close()

    async def _sign_in_remote(self, runner: BackgroundRunner, sign_in: SignIn) -> Connection | None:
        from PySide6.QtCore import QSettings

        from moderator_app.ui.login_dialog import LoginDialog, remembered_login
        from moderator_app.workflow.signin import SignInError, normalise_server_url

        settings = QSettings(ORGANIZATION, APPLICATION)
        assert self.options.server_url is not None
        try:
            server_url = normalise_server_url(self.options.server_url)
        except SignInError:
            server_url = self.options.server_url
        remembered_url, remembered_user = remembered_login(settings)
        username = self.options.username or (remembered_user if remembered_url == server_url else "")
        if username:
            resumed = await sign_in.resume(server_url, username)
            if resumed is not None:
                return resumed
        dialog = LoginDialog(sign_in, runner, settings, server_url=server_url, username=username)
        answer: asyncio.Future[Connection | None] = asyncio.get_running_loop().create_future()
        dialog.signed_in.connect(lambda connection: answer.done() or answer.set_result(connection))
        dialog.rejected.connect(lambda: answer.done() or answer.set_result(None))
        dialog.show()  # not exec(): a nested Qt loop inside a running asyncio task breaks qasync
        try:
            return await answer
        finally:
            dialog.deleteLater()

    async def _review(self, runner: BackgroundRunner, connection: Connection, data_dir: Path) -> int:
        from moderator_app.client.outbox import Outbox
        from moderator_app.paths import outbox_file
        from moderator_app.workflow.queues import busiest_queue

        # The embedded server gets a new port every run; its outbox must not change with it, or decisions left
        # unsent by the last run would never be resumed.
        outbox_key = EMBEDDED_OUTBOX_KEY if self.server is not None else connection.server_url
        path = outbox_file(data_dir, outbox_key, connection.user.username)
        path.parent.mkdir(parents=True, exist_ok=True)
        outbox = await runner.call(Outbox, path)
        from moderator_app.paths import default_config_dir

        window = create_main_window(
            connection,
            runner,
            outbox,
            undo_seconds=self.options.undo_seconds,
            config_dir=self.options.config_dir or default_config_dir(),
        )
        session, board = window.session, window.board
        self.window = window
        window.shown_ready.connect(self._first_shown)
        window.close_requested.connect(lambda: self._finish(0))
        runner.error.connect(window.status.show_error)
        window.roles.set_demo(self.server is not None)
        window.roles.switch_user_requested.connect(self._switch_user)
        window.show()
        session.start_sending()  # decisions left by the last run go out now
        try:
            queues = await board.load()
        except Exception as error:  # unreachable server: the queue list stays, F5 tries again
            from moderator_app.workflow.tasks import describe_error

            window.status.show_error(describe_error(error))
            queues = []
        settle_garbage_collector()  # review-time collections stay short (issue 3: UI thread never blocked > 50 ms)
        from moderator_app.ui.roles import MODERATOR, home_screen

        # Each user lands where their work is: a lead (or admin) on the dashboard, a QA reviewer on the blind review;
        # a moderator of the demo on the fullest queue, of a team server on the queue list.
        home = home_screen(connection.user.roles)
        if home != MODERATOR:
            window.roles.show_screen(home)
        target = busiest_queue(queues) if self.server is not None and home == MODERATOR else None
        if target is not None:
            window.open_queue(target.id)
        else:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, lambda: self._first_shown(-1))
        assert self._done is not None
        try:
            return await self._done
        finally:
            window.hide()
            await session.aclose(QUIT_RELEASE_TIMEOUT)
            session.pump.stop()
            await runner.call(outbox.close)
            connection.api.close()
            window.deleteLater()

    def _first_shown(self, item_id: int) -> None:
        if self.first_shown_ms is not None:
            return
        self.first_shown_ms = (time.perf_counter() - self.started_at) * 1000
        what = "first item" if item_id >= 0 else "first screen"
        log.info("%s shown after %.0f ms", what, self.first_shown_ms)
        if self.options.print_timing:
            print(f"{what} shown after {self.first_shown_ms:.0f} ms", flush=True)
        if self.options.quit_after_shown:
            self._finish(0)

    def _switch_user(self, username: str) -> None:
        self._switch_to = username
        self._finish(0)

    async def _switch_demo_user(self, runner: BackgroundRunner, sign_in: SignIn, old: Connection) -> Connection:
        """Sign out of the demo server and in again as another demo user (the window was closed in order)."""
        assert self.server is not None and self._switch_to is not None
        username, self._switch_to = self._switch_to, None
        self._done = asyncio.get_running_loop().create_future()
        try:
            await runner.call(old.api.logout)
        except Exception:  # the token dies with its expiry anyway; the switch must not fail on it
            log.info("sign-out before switching demo users failed")
        return await sign_in.sign_in(self.server.url, username, DEMO_USER[1])

    def _finish(self, code: int) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result(code)

    def stop_server(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

"""The main window: queue list and review screen in a stack, the trouble banner above, the status bar below.

It is the controller between the screens and the workflow objects: keys become commands, commands call the
ReviewSession or QueueBoard, and their signals update the screens. It never waits on the network.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from moderator_app.core.models import Queue, User
from moderator_app.ui.commands import CommandRegistry
from moderator_app.ui.queue_list import QueueListView
from moderator_app.ui.review_extras import ReviewExtras
from moderator_app.ui.review_screen import NO_ITEM, ReviewScreen
from moderator_app.ui.roles import RoleScreens
from moderator_app.ui.status_panel import StatusPanel, TroubleBanner
from moderator_app.ui.window_commands import WindowCommands
from moderator_app.workflow.items import ReviewItem
from moderator_app.workflow.outbox_pump import ReviewStatus
from moderator_app.workflow.queues import QueueBoard
from moderator_app.workflow.review import ReviewSession

APP_TITLE = "Moderator review"
QUEUES_PAGE, REVIEW_PAGE = 0, 1
QUEUE_REFRESH_MS = 30_000


class MainWindow(QMainWindow):
    shown_ready = Signal(object)  # int: an item id painted, or NO_ITEM when the screen (or the queue list) is empty
    close_requested = Signal()  # the window was closed: the app shuts down in order (releases, sender, server)

    def __init__(
        self,
        session: ReviewSession,
        board: QueueBoard,
        user: User,
        server_url: str,
        parent: QWidget | None = None,
        *,
        config_dir: Path | None = None,  # the user's keymap and review settings; None: defaults, nothing saved
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.board = board
        self.user = user
        self.server_url = server_url
        self.resize(1280, 820)

        self.commands = CommandRegistry(self)
        # Decisions, navigation, palette, settings (issue 4): registered before the screens, whose buttons show them.
        self.workflow_commands = WindowCommands(self, config_dir)

        self.queue_list = QueueListView()
        self.review = ReviewScreen(self.commands)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.queue_list)
        self.stack.addWidget(self.review)
        self.banner = TroubleBanner()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status = StatusPanel("Retry failed (Ctrl+R)")
        self.status.set_identity(user.display_name or user.username, server_url)
        self._set_queue_title(None)
        self.status.retry_requested.connect(self.session.retry_failed)
        self.setStatusBar(self.status)

        self.queue_list.open_requested.connect(self.open_queue)
        self.board.queues_changed.connect(self._queues_changed)
        self.board.loading_changed.connect(self.queue_list.set_loading)
        self.board.error.connect(self.status.show_error)
        session.item_changed.connect(self._item_changed)
        session.loading_changed.connect(self._loading_changed)
        session.queue_changed.connect(self._queue_changed)
        session.status_changed.connect(self._status_changed)
        session.error.connect(self.status.show_error)
        self.review.media_view.paint_size_changed.connect(session.set_cover_size)
        self.review.item_painted.connect(self.shown_ready)
        # Counts and deadlines on the queue list go stale while it is open; refresh it now and then.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(QUEUE_REFRESH_MS)
        self._refresh_timer.timeout.connect(self._refresh_if_listed)
        self._refresh_timer.start()
        # Reveal, text, note and wellness commands (issue 3): registered before any keymap is loaded.
        self.extras = ReviewExtras(self, config_dir=config_dir)
        # Lead, QA and appeals screens by role, switched with Ctrl+1..4 (issues 5/6): commands before the keymap.
        self.roles = RoleScreens(self)
        self.workflow_commands.finish()  # loads the keymap: every command is registered by now
        self._show_page(QUEUES_PAGE)

    # --- navigation -------------------------------------------------------------------------------------

    @property
    def on_review_page(self) -> bool:
        return self.stack.currentIndex() == REVIEW_PAGE

    def open_queue(self, queue_id: int) -> None:
        self.queue_list.select_queue(queue_id)
        queue = next((q for q in self.board.queues if q.id == queue_id), None)
        self._set_queue_title(queue)
        self.review.show_item(None, loading=True)
        self._show_page(REVIEW_PAGE)
        self.session.open_queue(queue_id, queue)

    def show_queues(self) -> None:
        if not self.on_review_page:
            return
        self.session.close()
        self._set_queue_title(None)
        self._show_page(QUEUES_PAGE)
        self.board.refresh()

    def _refresh_if_listed(self) -> None:
        if not self.on_review_page and self.isVisible():
            self.board.refresh()

    def _show_page(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        if page == REVIEW_PAGE:
            self.review.setFocus()
        else:
            self.queue_list.setFocus()
        self._update_commands()

    # --- commands ---------------------------------------------------------------------------------------

    def _update_commands(self) -> None:
        # Keys follow the page (review or queue list); menus and buttons grey out what does not apply now.
        self.workflow_commands.refresh()

    # --- workflow signals -------------------------------------------------------------------------------

    def _item_changed(self, review_item: ReviewItem | None) -> None:
        if not self.on_review_page:
            return
        self.review.show_item(review_item, loading=self.session.loading)
        if review_item is not None:
            self.status.show_error(None)
        self._update_commands()
        if self.review.hasFocus() is False and not self.review.note_edit.hasFocus():
            self.review.setFocus()

    def _loading_changed(self, loading: bool) -> None:
        if self.on_review_page and self.session.current is None:
            self.review.show_item(None, loading=loading)

    def _queue_changed(self, queue: Queue) -> None:
        if self.on_review_page:
            self._set_queue_title(queue)

    def _queues_changed(self, queues: list[Queue]) -> None:
        self.queue_list.set_queues(queues)
        if not self.on_review_page and not queues:
            self.shown_ready.emit(NO_ITEM)

    def _status_changed(self, status: ReviewStatus) -> None:
        self.status.show_status(status)
        self.banner.show_status(status)

    def _set_queue_title(self, queue: Queue | None) -> None:
        self.status.set_queue(queue.name if queue else None)
        who = self.user.username
        self.setWindowTitle(f"{queue.name} — {APP_TITLE} ({who})" if queue else f"Queues — {APP_TITLE} ({who})")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_requested.emit()
        super().closeEvent(event)

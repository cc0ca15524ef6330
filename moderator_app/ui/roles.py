"""Screens by role: what a user sees follows the roles the server reports; a user with several roles switches with keys.

Ctrl+1 moderator (queue list and review), Ctrl+2 lead (dashboard, disputes, audit log), Ctrl+3 QA (blind review,
agreement, audit log), Ctrl+4 appeals; in demo mode Ctrl+Shift+U signs in as another demo user. The server enforces
every permission whatever is shown: a 403 arrives as its own message on the screen that asked.

The main window creates RoleScreens before its keymap is loaded (the commands must exist by then); the screens
themselves are built on first use, once connect_services() gave them the server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QTabWidget, QVBoxLayout, QWidget

from moderator_app.client.team_api import TeamApi
from moderator_app.core.roles import Role

if TYPE_CHECKING:
    from moderator_app.client.api import ApiClient
    from moderator_app.ui.main_window import MainWindow
    from moderator_app.workflow.tasks import BackgroundRunner

MODERATOR, LEAD, QA, APPEALS = "moderator", "lead", "qa", "appeals"
SCREEN_TITLES = {
    MODERATOR: "Moderator screen (queues and review)",
    LEAD: "Lead screen (dashboard, disputes, audit log)",
    QA: "QA screen (blind review, agreement, audit log)",
    APPEALS: "Appeals",
}
DEMO_USERS = ("demo-moderator", "demo-lead", "demo-qa", "demo-admin")
QUEUES_PAGE = 0  # the main window's queue list


def screens_for(roles: list[Role]) -> list[str]:
    """The screens a user with these roles may open (the server still checks every call)."""
    held = set(roles)
    screens = [MODERATOR] if held else []
    if held & {Role.LEAD, Role.ADMIN}:
        screens.append(LEAD)
    if held & {Role.QA, Role.ADMIN}:
        screens.append(QA)
    if held:
        screens.append(APPEALS)
    return screens


def home_screen(roles: list[Role]) -> str:
    """Where a user lands after signing in: leads and admins on the dashboard (queues against their deadlines), QA
    reviewers on the blind review, everyone else on the moderator's queues."""
    held = set(roles)
    if held & {Role.LEAD, Role.ADMIN}:
        return LEAD
    if Role.QA in held:
        return QA
    return MODERATOR


class DemoUserDialog(QDialog):
    """Choose a demo user with Up/Down and Return (Esc cancels)."""

    chosen = Signal(str)

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Switch demo user")
        self.list = QListWidget()
        self.list.addItems(list(DEMO_USERS))
        self.list.setCurrentRow(DEMO_USERS.index(current) if current in DEMO_USERS else 0)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Sign in as (password “demo”):"))
        layout.addWidget(self.list)
        layout.addWidget(QLabel("Return: switch · Esc: cancel"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.list.currentItem() is not None:
            self.chosen.emit(self.list.currentItem().text())
            self.accept()
            return
        super().keyPressEvent(event)


class RoleScreens(QObject):
    switch_user_requested = Signal(str)  # a demo user name: the app signs out and in again
    screen_changed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.available = screens_for(window.user.roles)
        self.current = MODERATOR
        self.demo = False
        self.team: TeamApi | None = None
        self.runner: BackgroundRunner | None = None
        self.widgets: dict[str, QWidget] = {}
        self.parts: dict[str, object] = {}  # workflow objects and sub-screens by name, for tests and screenshots
        self._demo_dialog: DemoUserDialog | None = None
        register = window.commands.register
        for screen, command in ((MODERATOR, "role.moderator"), (LEAD, "role.lead"), (QA, "role.qa"),
                                (APPEALS, "role.appeals")):  # fmt: skip
            register(
                command,
                SCREEN_TITLES[screen],
                lambda screen=screen: self.show_screen(screen),
                menu="View",
                when=lambda screen=screen: screen in self.available,
            )
        register("demo.switch_user", "Switch demo user…", self.choose_demo_user, menu="View", when=lambda: self.demo)
        from moderator_app.ui.qa.sampling_editor import SamplingCommand

        self.sampling = SamplingCommand(self)  # "QA sampling rates…", leads and admins

    def connect_services(self, api: ApiClient, runner: BackgroundRunner, *, demo: bool = False) -> None:
        self.team = TeamApi(api)
        self.runner = runner
        self.demo = demo
        self.window.commands.refresh()

    def set_demo(self, demo: bool) -> None:
        self.demo = demo
        self.window.commands.refresh()

    # --- switching --------------------------------------------------------------------------------------

    def show_screen(self, screen: str) -> None:
        if screen not in self.available:
            roles = ", ".join(r.value for r in self.window.user.roles) or "none"
            self.window.status.show_error(f"Your roles ({roles}) do not include the {screen} screen.")
            return
        self._leaving(self.current)
        self.current = screen
        window = self.window
        if screen == MODERATOR:
            window._show_page(QUEUES_PAGE)  # the window's own navigation (sets its key mode back)
            window.board.refresh()
        else:
            widget = self._screen(screen)
            if window.on_review_page:
                window.show_queues()  # gives the claims back, as leaving the review screen always does
            window.stack.setCurrentWidget(widget)
            # Only global keys of the window stay live; the screen's own keys work while it has focus.
            window.commands.set_mode(screen)
            widget.setFocus()
            self._entering(screen)  # focuses the shown page's own widget (a tab's table, the review screen)
            window.setWindowTitle(f"{SCREEN_TITLES[screen]} — Moderator review ({window.user.username})")
        window.commands.refresh()
        self.screen_changed.emit(screen)

    def _leaving(self, screen: str) -> None:
        board = self.parts.get("lead_board")
        if screen == LEAD and board is not None:
            board.stop()  # type: ignore[attr-defined]

    def _entering(self, screen: str) -> None:
        if screen == LEAD:
            self.parts["lead_board"].start()  # type: ignore[attr-defined]
        tabs = self.widgets.get(screen)
        if isinstance(tabs, QTabWidget):
            self._tab_shown(tabs.currentWidget())
        elif screen == APPEALS:
            self.parts["appeals_board"].load()  # type: ignore[attr-defined]

    def _screen(self, screen: str) -> QWidget:
        widget = self.widgets.get(screen)
        if widget is None:
            if self.team is None or self.runner is None:
                raise RuntimeError("RoleScreens.connect_services() was not called")
            widget = self._build(screen, self.team, self.runner)
            self.widgets[screen] = widget
            self.window.stack.addWidget(widget)
        return widget

    def _build(self, screen: str, team: TeamApi, runner: BackgroundRunner) -> QWidget:
        from moderator_app.ui.qa.appeals import AppealsScreen
        from moderator_app.ui.qa.audit_view import AuditViewer
        from moderator_app.workflow.appeals import AppealsBoard

        if screen == APPEALS:
            board = AppealsBoard(team, runner, self)
            self.parts["appeals_board"] = board
            widget = AppealsScreen(board)
            self.parts["appeals"] = widget
            return widget
        tabs = QTabWidget()
        tabs.setDocumentMode(True)
        if screen == LEAD:
            from moderator_app.ui.lead.dashboard import LeadDashboard
            from moderator_app.ui.qa.disputes import DisputesScreen
            from moderator_app.workflow.lead import LeadBoard, Reassigner
            from moderator_app.workflow.qa import DisputeBoard

            lead_board = LeadBoard(team, runner, parent=self)
            reassigner = Reassigner(team, runner, self)
            disputes = DisputeBoard(team, runner, self)
            self.parts.update(lead_board=lead_board, reassigner=reassigner, dispute_board=disputes)
            self.parts["dashboard"] = dashboard = LeadDashboard(lead_board, reassigner)
            self.parts["disputes"] = disputes_screen = DisputesScreen(disputes)
            self.parts["lead_audit"] = audit = AuditViewer(team, runner)
            tabs.addTab(dashboard, "&Dashboard")
            tabs.addTab(disputes_screen, "Dis&putes")
            tabs.addTab(audit, "Audit &log")
        else:
            from moderator_app.ui.qa.agreement import AgreementScreen
            from moderator_app.ui.qa.blind_review import BlindReviewScreen
            from moderator_app.workflow.qa import AgreementFigures, QaSession

            session = QaSession(team, runner, self)
            figures = AgreementFigures(team, runner, self)
            self.parts.update(qa_session=session, agreement_figures=figures)
            self.parts["blind_review"] = blind = BlindReviewScreen(session, self.window.commands)
            self.window.extras.adopt_media_view(blind.media_view)  # wellness settings, idle cover, exposure
            self.parts["agreement"] = agreement = AgreementScreen(figures)
            self.parts["qa_audit"] = audit = AuditViewer(team, runner)
            tabs.addTab(blind, "&Blind review")
            tabs.addTab(agreement, "A&greement")
            tabs.addTab(audit, "Audit &log")
        tabs.currentChanged.connect(lambda _index, tabs=tabs: self._tab_shown(tabs.currentWidget()))
        return tabs

    def _tab_shown(self, page: QWidget) -> None:
        """Load what a tab shows the first time it appears (and the blind review's first sample)."""
        from moderator_app.ui.qa.agreement import AgreementScreen
        from moderator_app.ui.qa.audit_view import AuditViewer
        from moderator_app.ui.qa.blind_review import BlindReviewScreen
        from moderator_app.ui.qa.disputes import DisputesScreen

        if isinstance(page, DisputesScreen):
            page.board.load()
        elif isinstance(page, AgreementScreen) and page.figures.report is None:
            page.reload()
        elif isinstance(page, AuditViewer) and page.model.rowCount() == 0 and not page.model.loading:
            page.apply_filters()
        elif isinstance(page, BlindReviewScreen) and page.session.current is None:
            page.session.next_sample()
        page.setFocus()

    # --- demo users -------------------------------------------------------------------------------------

    def choose_demo_user(self) -> None:
        dialog = DemoUserDialog(self.window.user.username, self.window)
        dialog.chosen.connect(self.switch_user_requested)
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        self._demo_dialog = dialog
        dialog.open()

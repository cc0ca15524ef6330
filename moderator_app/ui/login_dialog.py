"""Sign-in dialog: server address, user name, password. Remembers the address and user name, never secrets."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from moderator_app.workflow.signin import SignIn, SignInError
from moderator_app.workflow.tasks import BackgroundRunner, describe_error

log = logging.getLogger(__name__)

SERVER_KEY = "login/server_url"
USER_KEY = "login/username"


class LoginDialog(QDialog):
    """Emits signed_in(Connection) and closes on success; stays open with a red message on failure."""

    signed_in = Signal(object)  # Connection

    def __init__(
        self,
        sign_in: SignIn,
        runner: BackgroundRunner,
        settings: QSettings,
        server_url: str | None = None,
        username: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._sign_in = sign_in
        self._runner = runner
        self._settings = settings
        self._busy = False
        self.setWindowTitle("Sign in — Moderator review")
        self.setMinimumWidth(460)

        self.server_edit = QLineEdit(server_url or str(settings.value(SERVER_KEY, "") or ""))
        self.server_edit.setPlaceholderText("https://moderation.example.org")
        self.user_edit = QLineEdit(username or str(settings.value(USER_KEY, "") or ""))
        self.user_edit.setPlaceholderText("your user name")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("password")

        form = QFormLayout()
        form.addRow("&Server:", self.server_edit)
        form.addRow("&User:", self.user_edit)
        form.addRow("&Password:", self.password_edit)

        self.error_label = _message_label("color: #b00020; font-weight: 600;")
        self.warning_label = _message_label("color: #8a5a00;")
        warning = sign_in.token_warning
        if warning:
            self.warning_label.setText(warning)
            self.warning_label.show()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Sign in")
        ok.setDefault(True)  # Enter in any field signs in
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        heading = QLabel("Sign in to your moderation server")
        heading.setStyleSheet("font-size: 15px; font-weight: 600; padding-bottom: 6px;")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.buttons)

        # Start where typing is needed: an empty field first, else the password.
        for edit in (self.server_edit, self.user_edit, self.password_edit):
            if not edit.text():
                edit.setFocus()
                break

    @property
    def busy(self) -> bool:
        return self._busy

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def submit(self) -> None:
        if self._busy:
            return
        self._set_busy(True)
        self.show_error("")
        self._runner.spawn(
            self._submit(self.server_edit.text(), self.user_edit.text(), self.password_edit.text()),
            on_error=self._failed,
            name="sign-in",
        )

    async def _submit(self, server_url: str, username: str, password: str) -> None:
        connection = await self._sign_in.sign_in(server_url, username, password)
        self._set_busy(False)
        self._settings.setValue(SERVER_KEY, connection.server_url)
        self._settings.setValue(USER_KEY, connection.user.username)
        self._settings.sync()
        self.password_edit.clear()
        self.signed_in.emit(connection)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        message = str(error) if isinstance(error, SignInError) else describe_error(error)
        if not isinstance(error, SignInError):
            log.warning("sign-in failed unexpectedly", exc_info=error)
        self.show_error(message)
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not busy)
        ok.setText("Signing in…" if busy else "Sign in")
        for edit in (self.server_edit, self.user_edit, self.password_edit):
            edit.setReadOnly(busy)


def _message_label(style: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # error texts can quote what the user or server sent
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.hide()
    return label


def remembered_login(settings: QSettings) -> tuple[str, str]:
    return str(settings.value(SERVER_KEY, "") or ""), str(settings.value(USER_KEY, "") or "")

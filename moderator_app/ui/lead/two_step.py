"""What the lead's bulk dialogs share: a form page, then a confirmation page, then one server operation.

Return on the form asks for the confirmation (confirm_step), Return on the confirmation does it (confirm), Esc on the
confirmation goes back to the form. A server refusal is shown on whichever page is up, in the server's words.
Subclasses build their form page, hand it to _build_pages, and set self.reassigner.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QStackedWidget, QVBoxLayout, QWidget

from moderator_app.ui.lead.tables import BANNER_STYLE, HINT_STYLE, error_label
from moderator_app.workflow.lead import Reassigner


def choice_combo(entries: list[tuple[str, object]]) -> QComboBox:
    """A combo box of (text shown, value) entries, the first selected: the filters of the lead's dialogs."""
    combo = QComboBox()
    for text, data in entries:
        combo.addItem(text, data)
    return combo


class TwoStepDialog(QDialog):
    finished_with = Signal(object)  # what the server answered once the operation is done
    not_done = "Not done"  # prefixes a refusal shown on the confirmation page

    reassigner: Reassigner
    pages: QStackedWidget
    confirm_label: QLabel
    error_label: QLabel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._confirming = False

    # --- for subclasses -------------------------------------------------------------------------------------

    def confirm_step(self) -> None:
        raise NotImplementedError

    def confirm(self) -> None:
        raise NotImplementedError

    def form_focus(self) -> QWidget:
        """The field that gets the focus back when the lead returns from the confirmation to the form."""
        raise NotImplementedError

    def _build_pages(self, form_page: QWidget, confirm_hint: str) -> None:
        """The form page, the confirmation page (a banner and the keys that apply) and the error line below both."""
        self.confirm_label = QLabel()
        self.confirm_label.setWordWrap(True)
        self.confirm_label.setTextFormat(Qt.TextFormat.PlainText)
        self.confirm_label.setStyleSheet(BANNER_STYLE + " font-size: 15px;")
        hint = QLabel(confirm_hint)
        hint.setStyleSheet(HINT_STYLE)
        confirm_page = QWidget()
        confirm_layout = QVBoxLayout(confirm_page)
        confirm_layout.addStretch(1)
        confirm_layout.addWidget(self.confirm_label)
        confirm_layout.addWidget(hint)
        confirm_layout.addStretch(1)
        self.pages = QStackedWidget()
        self.pages.addWidget(form_page)
        self.pages.addWidget(confirm_page)
        self.error_label = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.error_label)

    def _ask_confirmation(self, text: str) -> None:
        self.error_label.hide()
        self._confirming = True
        self.confirm_label.setText(text)
        self.pages.setCurrentIndex(1)
        self.setFocus()

    def _start(self, progress: str) -> bool:
        """Whether the confirmed operation may start now (it shows progress when it may)."""
        if not self._confirming or self.reassigner.busy:
            return False
        self.confirm_label.setText(progress)
        return True

    # --- shared behaviour -----------------------------------------------------------------------------------

    def _done(self, result: object) -> None:
        if not self._confirming:
            return
        self._confirming = False
        self.finished_with.emit(result)
        self.accept()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        if self._confirming and not self.reassigner.busy:
            self.confirm_label.setText(f"{self.not_done}: {message}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm() if self._confirming else self.confirm_step()
            return
        if key == Qt.Key.Key_Escape and self._confirming:
            self._confirming = False
            self.pages.setCurrentIndex(0)
            self.form_focus().setFocus()
            return
        super().keyPressEvent(event)

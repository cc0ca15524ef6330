"""The last step of a lead's or reviewer's verdict (a dispute, an appeal): a one-line note under its question.

Return sends it (the screen's _send), Esc leaves it; errors show under it in the server's words. Screens build their
own layout with the widgets made here.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView, QWidget

from moderator_app.ui.lead.tables import error_label

NOTE_MAX_LENGTH = 2000
SUBMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)


class NoteStepScreen(QWidget):
    table: QTableView  # where the focus goes back to after the note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(NOTE_MAX_LENGTH)
        self.note_edit.installEventFilter(self)
        self.note_edit.hide()
        self.action_label = QLabel()
        self.action_label.setStyleSheet("font-weight: 600;")
        self.action_label.hide()
        self.error_label = error_label()

    def _send(self) -> None:
        raise NotImplementedError

    def _ask_note(self, question: str, placeholder: str) -> None:
        self.note_edit.setPlaceholderText(placeholder)
        self.action_label.setText(question)
        self.action_label.show()
        self.note_edit.show()
        self.note_edit.setFocus()

    def _leave_note(self) -> None:
        self.pending = None
        self.note_edit.clear()
        self.note_edit.hide()
        self.action_label.hide()
        self.table.setFocus()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            key = event.key()  # type: ignore[attr-defined]
            if key in SUBMIT_KEYS:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # Return and Esc belong to the note while it has focus, not to shortcuts
                    return True
                self._send() if key != Qt.Key.Key_Escape else self._leave_note()
                return True
        return super().eventFilter(watched, event)

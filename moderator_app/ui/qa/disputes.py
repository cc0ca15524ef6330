"""Disputes for leads: a QA reviewer disagreed with a decision; uphold it or overturn it (reverted on the server).

Keys: Up/Down choose, U uphold, O overturn (type the note, Return sends, Esc cancels), F5 reloads.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from moderator_app.core.models import DisputeOutcome, QaDispute
from moderator_app.ui.lead.tables import BANNER_STYLE, ERROR_STYLE, HINT_STYLE, fill_table, local_key, read_only_table
from moderator_app.ui.text import age_text
from moderator_app.workflow.qa import DisputeBoard

HEADERS = ("Dispute", "Item", "Moderator decided", "QA reviewer decided", "Why they disagree", "Open for")


def _decision(action: object, reason: object) -> str:
    return f"{action.value}" + (f" / {reason.value}" if reason is not None else "")  # type: ignore[attr-defined]


class DisputesScreen(QWidget):
    def __init__(self, board: DisputeBoard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board = board
        self.pending: DisputeOutcome | None = None
        title = QLabel("QA disputes")
        title.setStyleSheet("font-size: 18px; font-weight: 700;")
        self.table = read_only_table(HEADERS, stretch_column=4)
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(2000)
        self.note_edit.installEventFilter(self)
        self.note_edit.hide()
        self.action_label = QLabel()
        self.action_label.setStyleSheet("font-weight: 600;")
        self.action_label.hide()
        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        hint = QLabel("U: uphold the decision · O: overturn it (reverts it) · then type a note and Return · F5: reload")
        hint.setStyleSheet(HINT_STYLE)
        layout = QVBoxLayout(self)
        for widget in (title, self.table, self.action_label, self.note_edit, self.banner, self.error_label, hint):
            layout.addWidget(widget)
        layout.setStretchFactor(self.table, 1)
        local_key(self, "U", lambda: self.start(DisputeOutcome.UPHOLD))
        local_key(self, "O", lambda: self.start(DisputeOutcome.OVERTURN))
        local_key(self, "F5", board.load)
        board.disputes_changed.connect(self.show_disputes)
        board.resolved.connect(self._resolved)
        board.error.connect(self.show_error)
        self.setFocusProxy(self.table)

    def show_disputes(self, disputes: list[QaDispute]) -> None:
        rows = [
            ((d.id, d.item_id, f"{d.moderator}: {_decision(d.decision.action, d.decision.reason)}",
              f"{d.reviewer}: {_decision(d.review.action, d.review.reason)}", d.verdict_reason,
              age_text(d.created_at)), None)
            for d in disputes
        ]  # fmt: skip
        fill_table(self.table, rows)

    def selected(self) -> QaDispute | None:
        row = self.table.currentRow()
        return self.board.disputes[row] if 0 <= row < len(self.board.disputes) else None

    def start(self, outcome: DisputeOutcome) -> None:
        dispute = self.selected()
        if dispute is None:
            return
        self.pending = outcome
        verb = "Uphold" if outcome is DisputeOutcome.UPHOLD else "Overturn (revert)"
        self.note_edit.setPlaceholderText(f"{verb} dispute {dispute.id}: why? Return sends · Esc cancels")
        self.action_label.setText(f"{verb} dispute {dispute.id} (item {dispute.item_id}) — your note:")
        self.action_label.show()
        self.note_edit.show()
        self.note_edit.setFocus()

    def _send(self) -> None:
        dispute = self.selected()
        if dispute is None or self.pending is None:
            return
        problem = self.board.resolve(dispute.id, self.pending, self.note_edit.text())
        if problem:
            self.show_error(problem)
            return
        self._leave_note()

    def _leave_note(self) -> None:
        self.pending = None
        self.note_edit.clear()
        self.note_edit.hide()
        self.action_label.hide()
        self.table.setFocus()

    def _resolved(self, dispute: QaDispute) -> None:
        self.error_label.hide()
        done = "upheld" if dispute.outcome is DisputeOutcome.UPHOLD else "overturned: the decision is reverted"
        self.banner.setText(f"Dispute {dispute.id} (item {dispute.item_id}) {done}.")
        self.banner.show()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()
                    return True
                self._send() if key != Qt.Key.Key_Escape else self._leave_note()
                return True
        return super().eventFilter(watched, event)

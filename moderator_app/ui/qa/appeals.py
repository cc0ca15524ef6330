"""Appeals (DSA Art. 20): the open appeals with the time since filing against their deadline; take one and decide it.

The server lets only someone other than the original decider take an appeal; its refusal is shown as it comes.
Keys: Up/Down choose, C take the appeal, U uphold, V reverse (type the note, Return sends, Esc cancels), F5 reload.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from moderator_app.core.models import Appeal, AppealClaim, AppealOutcome
from moderator_app.ui.lead.tables import (
    BANNER_STYLE,
    HINT_STYLE,
    OVERDUE_COLOR,
    fill_table,
    local_key,
    read_only_table,
)
from moderator_app.ui.qa.note_step import NoteStepScreen
from moderator_app.ui.text import age_text, deadline_text, one_line
from moderator_app.workflow.appeals import AppealsBoard

HEADERS = ("Appeal", "Item", "Decision appealed", "Decided by", "User's statement", "Filed", "Deadline", "Status")


class AppealsScreen(NoteStepScreen):
    def __init__(self, board: AppealsBoard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board = board
        self.pending: AppealOutcome | None = None
        title = QLabel("Appeals")
        title.setStyleSheet("font-size: 18px; font-weight: 700;")
        self.table = read_only_table(HEADERS, stretch_column=4)
        self.claim_label = QLabel()
        self.claim_label.setTextFormat(Qt.TextFormat.PlainText)
        self.claim_label.setWordWrap(True)
        self.claim_label.setStyleSheet(BANNER_STYLE)
        self.claim_label.hide()
        hint = QLabel("C: take the appeal · U: uphold · V: reverse (restores the content) · then a note and Return · "
                      "F5: reload")  # fmt: skip
        hint.setStyleSheet(HINT_STYLE)
        layout = QVBoxLayout(self)
        for widget in (title, self.table, self.claim_label, self.action_label, self.note_edit, self.error_label, hint):
            layout.addWidget(widget)
        layout.setStretchFactor(self.table, 1)
        local_key(self, "C", self.take)
        local_key(self, "U", lambda: self.start(AppealOutcome.UPHOLD))
        local_key(self, "V", lambda: self.start(AppealOutcome.REVERSE))
        local_key(self, "F5", board.load)
        board.appeals_changed.connect(self.show_appeals)
        board.claimed.connect(self._claimed)
        board.decided.connect(self._decided)
        board.claim_withdrawn.connect(self._withdrawn)
        board.error.connect(self.show_error)
        self.setFocusProxy(self.table)

    def show_appeals(self, appeals: list[Appeal]) -> None:
        rows = []
        for a in appeals:
            due, overdue = deadline_text(a.deadline)
            decision = a.decision.action.value + (f" / {a.decision.reason.value}" if a.decision.reason else "")
            status = a.status.value + (f" by {a.claimed_by}" if a.claimed_by else "")
            values = (a.id, a.item_id, decision, a.decision.decided_by, one_line(a.statement, 90),
                      f"{age_text(a.filed_at)} ago", due, status)  # fmt: skip
            rows.append((values, OVERDUE_COLOR if overdue else None))
        fill_table(self.table, rows)

    def selected(self) -> Appeal | None:
        row = self.table.currentRow()
        return self.board.appeals[row] if 0 <= row < len(self.board.appeals) else None

    def take(self) -> None:
        appeal = self.selected()
        if appeal is not None:
            self.error_label.hide()
            self.board.take(appeal.id)

    def _claimed(self, claim: AppealClaim) -> None:
        a = claim.appeal
        self.claim_label.setText(
            f"You hold appeal {a.id} on item {a.item_id}: {a.decision.decided_by} decided {a.decision.action.value}"
            f"{' (' + a.decision.note + ')' if a.decision.note else ''}.\nThe user says: {one_line(a.statement, 400)}"
            "\nU: uphold · V: reverse"
        )
        self.claim_label.show()

    def start(self, outcome: AppealOutcome) -> None:
        if self.board.claim is None:
            self.show_error("Take an appeal first (C).")
            return
        self.pending = outcome
        verb = "Uphold the decision" if outcome is AppealOutcome.UPHOLD else "Reverse the decision"
        self._ask_note(
            f"{verb} (appeal {self.board.claim.appeal.id}) — your note for the user:",
            f"{verb}: a note for the user · Return sends · Esc cancels",
        )

    def _send(self) -> None:
        if self.pending is None:
            return
        problem = self.board.decide(self.pending, self.note_edit.text())
        if problem:
            self.show_error(problem)
            return
        self._leave_note()

    def _withdrawn(self, message: str) -> None:
        """The held appeal's decision is under the user's own blind QA review: its text leaves the screen."""
        if self.pending is not None:
            self._leave_note()
        self.claim_label.setText(message)
        self.claim_label.show()

    def _decided(self, appeal: Appeal) -> None:
        outcome = "upheld" if appeal.outcome is AppealOutcome.UPHOLD else "reversed: the content is restored"
        self.claim_label.setText(f"Appeal {appeal.id} {outcome}.")

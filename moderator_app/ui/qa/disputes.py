"""Disputes for leads: a QA reviewer disagreed with a decision; uphold it or overturn it (reverted on the server).

Keys: Up/Down choose, U uphold, O overturn (type the note, Return sends, Esc cancels), F5 reloads.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from moderator_app.core.models import DisputeOutcome, QaDispute
from moderator_app.ui.lead.tables import BANNER_STYLE, HINT_STYLE, fill_table, local_key, read_only_table
from moderator_app.ui.qa.note_step import NoteStepScreen
from moderator_app.ui.text import age_text
from moderator_app.workflow.qa import DisputeBoard

HEADERS = ("Dispute", "Item", "Moderator decided", "QA reviewer decided", "Why they disagree", "Open for")


def _decision(action: object, reason: object) -> str:
    return f"{action.value}" + (f" / {reason.value}" if reason is not None else "")  # type: ignore[attr-defined]


class DisputesScreen(NoteStepScreen):
    def __init__(self, board: DisputeBoard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board = board
        self.pending: DisputeOutcome | None = None
        title = QLabel("QA disputes")
        title.setStyleSheet("font-size: 18px; font-weight: 700;")
        self.table = read_only_table(HEADERS, stretch_column=4)
        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
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
        self._ask_note(
            f"{verb} dispute {dispute.id} (item {dispute.item_id}) — your note:",
            f"{verb} dispute {dispute.id}: why? Return sends · Esc cancels",
        )

    def _send(self) -> None:
        dispute = self.selected()
        if dispute is None or self.pending is None:
            return
        problem = self.board.resolve(dispute.id, self.pending, self.note_edit.text())
        if problem:
            self.show_error(problem)
            return
        self._leave_note()

    def _resolved(self, dispute: QaDispute) -> None:
        self.error_label.hide()
        done = "upheld" if dispute.outcome is DisputeOutcome.UPHOLD else "overturned: the decision is reverted"
        self.banner.setText(f"Dispute {dispute.id} (item {dispute.item_id}) {done}.")
        self.banner.show()

"""A queue's priority and service level: the form, a confirmation saying how many open items get new deadlines, then
one server operation (audited, undoable for a few seconds from the dashboard with Ctrl+Z).

Keys: Alt+P priority, Alt+S service level; Return shows the confirmation, Return again saves, Esc goes back (or
closes).
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from moderator_app.core.models import QueueStats, QueueUpdate
from moderator_app.ui.lead.tables import HINT_STYLE
from moderator_app.ui.lead.two_step import TwoStepDialog
from moderator_app.ui.text import duration_text
from moderator_app.workflow.lead import Reassigner


def level_text(seconds: int) -> str:
    return duration_text(timedelta(seconds=seconds))


class QueueSettingsDialog(TwoStepDialog):
    """finished_with: the LeadMove once the server saved the change."""

    not_done = "Not saved"

    def __init__(self, reassigner: Reassigner, queue: QueueStats, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reassigner = reassigner
        self.queue = queue
        self.setWindowTitle(f"{queue.name}: priority and service level")
        self.priority_spin = QSpinBox()
        self.priority_spin.setRange(-1000, 1000)
        self.priority_spin.setValue(queue.priority)
        self.sla_spin = QSpinBox()
        self.sla_spin.setRange(1, 90 * 24 * 60)
        self.sla_spin.setSuffix(" min")
        self.sla_spin.setValue(max(1, queue.sla_seconds // 60))
        form = QFormLayout()
        form.addRow("&Priority (higher first)", self.priority_spin)
        form.addRow("&Service level", self.sla_spin)
        now_label = QLabel(
            f"Now: priority {queue.priority}, service level {level_text(queue.sla_seconds)},"
            f" {queue.pending + queue.claimed} open items."
        )
        now_label.setStyleSheet(HINT_STYLE)
        hint = QLabel("Return: review the change · Esc: cancel")
        hint.setStyleSheet(HINT_STYLE)
        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addLayout(form)
        form_layout.addWidget(now_label)
        form_layout.addWidget(hint)

        self._build_pages(form_page, "Return: save (audited) · Esc: back to the form")
        reassigner.queue_changed.connect(self._done)
        reassigner.error.connect(self._show_error)
        self.resize(520, 220)

    def update_request(self) -> QueueUpdate | None:
        priority = self.priority_spin.value()
        sla = self.sla_spin.value() * 60
        changed_priority = priority if priority != self.queue.priority else None
        changed_sla = sla if sla != self.queue.sla_seconds else None
        if changed_priority is None and changed_sla is None:
            return None
        return QueueUpdate(priority=changed_priority, sla_seconds=changed_sla)

    def describe(self, update: QueueUpdate) -> str:
        parts = []
        if update.priority is not None:
            parts.append(f"priority {self.queue.priority} → {update.priority}")
        if update.sla_seconds is not None:
            parts.append(f"service level {level_text(self.queue.sla_seconds)} → {level_text(update.sla_seconds)}")
        text = f"{self.queue.name}: " + ", ".join(parts) + "?"
        if update.sla_seconds is not None:
            open_items = self.queue.pending + self.queue.claimed
            shorter = update.sla_seconds < self.queue.sla_seconds
            effect = " Some may be at risk or overdue at once." if shorter and open_items else ""
            text += f"\n{open_items} open items get new deadlines from the new level.{effect}"
        return text + "\nYou can undo this for a few seconds (Ctrl+Z on the dashboard)."

    def confirm_step(self) -> None:
        update = self.update_request()
        if update is None:
            self.reject()  # nothing changed: nothing to save
            return
        self._ask_confirmation(self.describe(update))

    def confirm(self) -> None:
        update = self.update_request()
        if update is not None and self._start("Saving…"):
            self.reassigner.change_queue(self.queue, update)

    def form_focus(self) -> QWidget:
        return self.priority_spin

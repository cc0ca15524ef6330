"""A queue's priority and service level (PATCH /queues/{id}); a new level gives its open items new deadlines."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from moderator_app.core.models import QueueStats, QueueUpdate
from moderator_app.ui.lead.tables import HINT_STYLE


class QueueSettingsDialog(QDialog):
    submitted = Signal(object)  # QueueUpdate with what changed

    def __init__(self, queue: QueueStats, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        hint = QLabel("Return: save (audited) · Esc: cancel")
        hint.setStyleSheet(HINT_STYLE)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)

    def update_request(self) -> QueueUpdate | None:
        priority = self.priority_spin.value()
        sla = self.sla_spin.value() * 60
        changed_priority = priority if priority != self.queue.priority else None
        changed_sla = sla if sla != self.queue.sla_seconds else None
        if changed_priority is None and changed_sla is None:
            return None
        return QueueUpdate(priority=changed_priority, sla_seconds=changed_sla)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            update = self.update_request()
            if update is not None:
                self.submitted.emit(update)
            self.accept()
            return
        super().keyPressEvent(event)

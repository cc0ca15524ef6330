"""The status bar (who, where, which queue, what is waiting to be sent) and the banner of decisions in trouble.

Conflicts (someone else decided first) and refused decisions stay listed until dealt with; they are never dropped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QListWidget, QStatusBar, QToolButton, QVBoxLayout, QWidget

from moderator_app.ui.text import label_text
from moderator_app.workflow.outbox_pump import OutboxEntry, ReviewStatus


def _label(style: str = "") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    if style:
        label.setStyleSheet(style)
    return label


def conflict_text(entry: OutboxEntry) -> str:
    """ "Item 123 was already decided by bob: remove_post" (or the server's words when it named nobody)."""
    mine = entry.request.action.value
    other = entry.other_decision
    if other is not None:
        return f"Item {entry.item_id} was already decided by {other.decided_by}: {other.action.value} (yours: {mine})"
    return f"Item {entry.item_id}: your {mine} was refused: {entry.last_error or 'conflict'}"


def failed_text(entry: OutboxEntry) -> str:
    return f"Item {entry.item_id}: {entry.request.action.value} not accepted: {entry.last_error or 'refused'}"


class StatusPanel(QStatusBar):
    retry_requested = Signal()

    def __init__(self, retry_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.user_label = _label()
        self.server_label = _label("color: #555;")
        self.queue_label = _label("font-weight: 600;")
        self.pending_label = _label()
        self.offline_label = _label("color: white; background: #c62828; font-weight: 700; padding: 0 6px;")
        self.offline_label.setText("OFFLINE")
        self.offline_label.hide()
        self.error_label = _label("color: #b00020;")
        self.retry_button = QToolButton()
        self.retry_button.setText(retry_label)
        self.retry_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.retry_button.clicked.connect(self.retry_requested)
        self.retry_button.hide()
        self.addWidget(self.user_label)
        self.addWidget(self.server_label)
        self.addWidget(self.queue_label)
        self.addWidget(self.error_label, 1)
        self.addPermanentWidget(self.retry_button)
        self.addPermanentWidget(self.offline_label)
        self.addPermanentWidget(self.pending_label)
        self.show_status(ReviewStatus())

    def set_identity(self, user: str, server: str) -> None:
        self.user_label.setText(f"Signed in as {user}")
        self.server_label.setText(server)

    def set_queue(self, name: str | None) -> None:
        self.queue_label.setText(f"Queue: {name}" if name else "No queue open")

    def show_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setToolTip(message or "")

    def show_status(self, status: ReviewStatus) -> None:
        self.pending_label.setText(f"{status.pending} to send")
        self.pending_label.setToolTip("Decisions waiting for their undo window or for the server")
        self.offline_label.setVisible(status.offline)
        self.retry_button.setVisible(bool(status.failed))
        self.retry_button.setText(f"Retry {len(status.failed)} failed (Ctrl+R)")
        if status.last_error:
            self.show_error(status.last_error)


class TroubleBanner(QFrame):
    """A list of conflicts and refused decisions, shown above everything while there are any."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("troubleBanner")
        self.setStyleSheet("#troubleBanner { background: #fff3e0; border: 1px solid #ef6c00; border-radius: 4px; }")
        self.title = _label("font-weight: 700; color: #8a3b00;")
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setStyleSheet("background: transparent; border: none;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.hide()

    def messages(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def show_status(self, status: ReviewStatus) -> None:
        lines = [conflict_text(entry) for entry in status.conflicts] + [failed_text(e) for e in status.failed]
        if lines != self.messages():
            self.list.clear()
            self.list.addItems(lines)
            # As tall as its lines (up to four, then it scrolls): the banner must not push the item off screen.
            row = self.list.sizeHintForRow(0) if lines else 0
            self.list.setFixedHeight(row * min(len(lines), 4) + 2 * self.list.frameWidth() + 4)
        parts = []
        if status.conflicts:
            parts.append(f"{len(status.conflicts)} decided by someone else first")
        if status.failed:
            parts.append(f"{len(status.failed)} not accepted by the server (Ctrl+R retries)")
        self.title.setText(label_text("; ".join(parts)) if parts else "")
        self.setVisible(bool(lines))

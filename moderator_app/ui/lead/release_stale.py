"""Release stale claims: live claims taken longer ago than a limit (of one queue, of one moderator), previewed with
their count and holders, confirmed, then ended in one server operation that can be undone for a few seconds.

Keys: Alt+Q queue, Alt+O age limit, Alt+H holder, Alt+N note; Return shows the confirmation, Return again releases,
Esc goes back (or closes). The server decides what is stale (POST /team/claims/release-stale and its /preview), so
the count shown is the count released, unless claims change in between.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from moderator_app.core.models import (
    ModeratorStats,
    QueueStats,
    ReleaseStalePreview,
    ReleaseStaleRequest,
)
from moderator_app.ui.lead.tables import HINT_STYLE
from moderator_app.ui.lead.two_step import TwoStepDialog, choice_combo
from moderator_app.ui.text import age_text
from moderator_app.workflow.lead import Reassigner

DEFAULT_MINUTES = 15  # leases are renewed while the app is open, so a claim this old is usually a forgotten one
PREVIEW_DELAY_MS = 250


def holders_text(preview: ReleaseStalePreview) -> str:
    return ", ".join(f"{name} ({count})" for name, count in preview.holders.items()) or "nobody"


class ReleaseStaleDialog(TwoStepDialog):
    """finished_with: the ReassignResult once the server ended the claims."""

    def __init__(
        self,
        reassigner: Reassigner,
        queues: list[QueueStats],
        moderators: list[ModeratorStats],
        *,
        queue_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Release stale claims")
        self.reassigner = reassigner
        self.preview: ReleaseStalePreview | None = None
        self._asked: tuple[int, int | None, str | None] | None = None  # the selection the last preview asked about

        self.queue_combo = choice_combo([("any queue", None), *[(q.name, q.queue_id) for q in queues]])
        if queue_id is not None:
            self.queue_combo.setCurrentIndex(max(0, self.queue_combo.findData(queue_id)))
        self.older_spin = QSpinBox()
        self.older_spin.setRange(1, 24 * 60)
        self.older_spin.setSuffix(" min")
        self.older_spin.setValue(DEFAULT_MINUTES)
        holders = [(f"{m.username} ({m.display_name})", m.username) for m in moderators]
        self.holder_combo = choice_combo([("anyone", None), *holders])
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(2000)
        self.note_edit.setPlaceholderText("why (goes into the audit log)")

        form = QFormLayout()
        form.addRow("&Queue", self.queue_combo)  # the string rows make the label the field's buddy (Alt+letter)
        form.addRow("Claims &older than", self.older_spin)
        form.addRow("&Held by", self.holder_combo)
        form.addRow("&Note", self.note_edit)
        self.count_label = QLabel("Counting…")
        self.count_label.setStyleSheet("font-weight: 600;")
        self.count_label.setWordWrap(True)
        hint = QLabel("Return: review the release · Esc: close")
        hint.setStyleSheet(HINT_STYLE)
        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addLayout(form)
        form_layout.addWidget(self.count_label)
        form_layout.addWidget(hint)

        self._build_pages(form_page, "Return: release them · Esc: back to the form")

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._ask_preview)
        self.queue_combo.currentIndexChanged.connect(self._changed)
        self.holder_combo.currentIndexChanged.connect(self._changed)
        self.older_spin.valueChanged.connect(self._changed)
        reassigner.stale_previewed.connect(self._previewed)
        reassigner.done.connect(self._done)
        reassigner.error.connect(self._show_error)
        self.resize(620, 300)
        self._ask_preview()

    def request(self) -> ReleaseStaleRequest:
        return ReleaseStaleRequest(
            older_than_seconds=self.older_spin.value() * 60,
            queue_id=self.queue_combo.currentData(),
            claimed_by=self.holder_combo.currentData(),
            note=self.note_edit.text().strip(),
        )

    def describe(self) -> str:
        where = "in any queue" if self.queue_combo.currentData() is None else f"in {self.queue_combo.currentText()}"
        holder = self.holder_combo.currentData()
        who = f" held by {holder}" if holder else ""
        return f"claims older than {self.older_spin.value()} min {where}{who}"

    # --- preview and confirmation ------------------------------------------------------------------------

    def _selection(self) -> tuple[int, int | None, str | None]:
        return self.older_spin.value(), self.queue_combo.currentData(), self.holder_combo.currentData()

    def _changed(self) -> None:
        # Return in a spin box re-emits its value: the same selection keeps the count it has.
        if self.preview is not None and self._selection() == self._asked:
            return
        self.preview = None
        self.count_label.setText("Counting…")
        self._timer.start()

    def _ask_preview(self) -> None:
        self._asked = self._selection()
        self.reassigner.preview_stale(self.request())

    def _previewed(self, preview: ReleaseStalePreview) -> None:
        if self._selection() != self._asked:
            return  # an answer about a selection the lead has changed since; the timer asks again
        self.preview = preview
        self.error_label.hide()
        if preview.count == 0:
            self.count_label.setText(f"No {self.describe()}: nothing to release.")
            return
        longest = age_text(preview.oldest_claimed_at, datetime.now(UTC)) if preview.oldest_claimed_at else "—"
        self.count_label.setText(
            f"{preview.count} claims would end · held by {holders_text(preview)} · longest held {longest}"
        )

    def confirm_step(self) -> None:
        if self.preview is None:
            self._show_error("Still counting the stale claims; press Return again in a moment.")
            self._ask_preview()
            return
        if self.preview.count == 0:
            self._show_error(f"No {self.describe()}: nothing to release.")
            return
        self._ask_confirmation(
            f"End {self.preview.count} {self.describe()}?\n"
            f"Held by {holders_text(self.preview)}. The items go back to their queues at once, for anyone to claim "
            "(earliest deadline first); the holders' apps let go of them at their next lease renewal.\n"
            "You can undo this for a few seconds (Ctrl+Z on the dashboard)."
        )

    def confirm(self) -> None:
        if self._start("Releasing…"):
            self.reassigner.release_stale(self.request())

    def form_focus(self) -> QWidget:
        return self.older_spin

"""Bulk reassignment: a filter (or item ids), a target, a live count, then a confirmation step showing the count.

Keys: every field has an Alt+letter; Alt+P picks items from a list of those the filter selects (item_picker.py);
Return previews and goes to the confirmation, Return again moves the items, Esc goes back (or closes). The dialog
never blocks: it is opened with open(), and the server calls run on the BackgroundRunner through the Reassigner.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from moderator_app.core.models import (
    ItemScope,
    ModeratorStats,
    QueueStats,
    ReassignFilter,
    ReassignOrder,
    ReassignPreview,
    ReassignRequest,
    ReassignTarget,
    ReportSource,
    TeamItemQuery,
)
from moderator_app.ui.lead.item_picker import ItemPicker, typed_ids, with_pick_button
from moderator_app.ui.lead.tables import HINT_STYLE
from moderator_app.ui.lead.two_step import TwoStepDialog, choice_combo
from moderator_app.ui.text import label_text
from moderator_app.workflow.lead import Reassigner

ANY = "any"
PREVIEW_DELAY_MS = 250


class ReassignDialog(TwoStepDialog):
    """finished_with: the ReassignResult once the server moved the items."""

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
        self.setWindowTitle("Move work")
        self.reassigner = reassigner
        self.preview: ReassignPreview | None = None
        self._asked: ReassignRequest | None = None  # the request the last preview asked about
        self._queue_names = {q.queue_id: q.name for q in queues}
        reviewers = [(f"{m.username} ({m.display_name})", m.username) for m in moderators]

        self.items_edit = QLineEdit()
        self.items_edit.setPlaceholderText("e.g. 12, 15, 31 — leave empty to use the filter")
        items_row, self.pick_button = with_pick_button(self.items_edit, self.pick_items)
        self.picker: ItemPicker | None = None
        self.queue_combo = choice_combo([("any queue", None), *[(q.name, q.queue_id) for q in queues]])
        self.older_spin = QSpinBox()
        self.older_spin.setRange(0, 60 * 24 * 30)
        self.older_spin.setSuffix(" min")
        self.older_spin.setSpecialValueText("any age")
        self.claimed_by_combo = choice_combo([("anyone or nobody", None), *reviewers])
        self.claimed_longer_spin = QSpinBox()
        self.claimed_longer_spin.setRange(0, 60 * 24)
        self.claimed_longer_spin.setSuffix(" min")
        self.claimed_longer_spin.setSpecialValueText("any claim age")
        self.source_combo = choice_combo([("any source", None), *[(label_text(s.value), s) for s in ReportSource]])
        self.scope_combo = choice_combo([("open (pending or claimed)", ItemScope.OPEN), ("pending", ItemScope.PENDING),
                                         ("claimed", ItemScope.CLAIMED)])  # fmt: skip
        self.at_risk_check = QCheckBox("only items at risk")
        self.limit_spin = QSpinBox()
        self.limit_spin.setRange(1, 5000)
        self.limit_spin.setValue(50)
        self.order_combo = choice_combo([("oldest first", ReassignOrder.OLDEST_FIRST),
                                         ("earliest deadline first", ReassignOrder.DEADLINE_FIRST)])  # fmt: skip

        self.move_combo = choice_combo([("stay in its queue", None), *[(q.name, q.queue_id) for q in queues]])
        self.assign_combo = choice_combo([("nobody", None), *reviewers])
        self.release_check = QCheckBox("end live claims")
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(2000)
        self.note_edit.setPlaceholderText("why (goes into the audit log)")

        selection = QGroupBox("Which items")
        form = QFormLayout(selection)
        for text, field in (
            ("&Item ids", items_row),
            ("&Queue", self.queue_combo),
            ("Flagged &older than", self.older_spin),
            ("&Claimed by", self.claimed_by_combo),
            ("Claim older t&han", self.claimed_longer_spin),
            ("Report &source", self.source_combo),
            ("Stat&us", self.scope_combo),
            ("", self.at_risk_check),
            ("At &most", self.limit_spin),
            ("O&rder", self.order_combo),
        ):
            self._add_row(form, text, field)
        target = QGroupBox("What to do with them")
        target_form = QFormLayout(target)
        for text, field in (
            ("Mo&ve to queue", self.move_combo),
            ("Assign &to", self.assign_combo),
            ("", self.release_check),
            ("&Note", self.note_edit),
        ):
            self._add_row(target_form, text, field)
        self.at_risk_check.setText("only items at ris&k")
        self.release_check.setText("&end live claims")

        self.count_label = QLabel("Counting…")
        self.count_label.setStyleSheet("font-weight: 600;")
        hint = QLabel("Alt+P: pick items from a list · Return: review the move · Esc: close")
        hint.setStyleSheet(HINT_STYLE)

        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        columns = QHBoxLayout()
        columns.addWidget(selection, 3)
        columns.addWidget(target, 2)
        form_layout.addLayout(columns)
        form_layout.addWidget(self.count_label)
        form_layout.addWidget(hint)

        self._build_pages(form_page, "Return: confirm · Esc: back to the form")

        if queue_id is not None:
            self.queue_combo.setCurrentIndex(max(0, self.queue_combo.findData(queue_id)))

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._ask_preview)
        for combo in (self.queue_combo, self.claimed_by_combo, self.source_combo, self.scope_combo, self.order_combo,
                      self.move_combo, self.assign_combo):  # fmt: skip
            combo.currentIndexChanged.connect(self._changed)
        for spin in (self.older_spin, self.claimed_longer_spin, self.limit_spin):
            spin.valueChanged.connect(self._changed)
        for check in (self.at_risk_check, self.release_check):
            check.toggled.connect(self._changed)
        self.items_edit.textChanged.connect(self._changed)
        reassigner.previewed.connect(self._previewed)
        reassigner.done.connect(self._done)
        reassigner.error.connect(self._show_error)
        self.resize(900, 440)
        self._ask_preview()

    @staticmethod
    def _add_row(form: QFormLayout, text: str, field: QWidget) -> None:
        if not text:
            form.addRow(field)
            return
        label = QLabel(text)
        label.setBuddy(field)  # Alt+the underlined letter focuses the field
        form.addRow(label, field)

    # --- the request ------------------------------------------------------------------------------------

    def request(self) -> ReassignRequest:
        """What the form says; raises ValueError with a sentence when it says nothing usable."""
        target = ReassignTarget(
            queue_id=self.move_combo.currentData(),
            assign_to=self.assign_combo.currentData(),
            release_claims=self.release_check.isChecked(),
        )
        ids_text = self.items_edit.text().replace(",", " ").split()
        if ids_text:
            try:
                ids = [int(part) for part in ids_text]
            except ValueError:
                raise ValueError("Item ids are numbers separated by commas or spaces.") from None
            return ReassignRequest(item_ids=ids, target=target, note=self.note_edit.text().strip())
        return ReassignRequest(filter=self.selection_filter(), target=target, note=self.note_edit.text().strip())

    def selection_filter(self) -> ReassignFilter:
        older = self.older_spin.value() * 60 or None
        claimed_longer = self.claimed_longer_spin.value() * 60 or None
        return ReassignFilter(
            queue_id=self.queue_combo.currentData(),
            older_than_seconds=older,
            claimed_by=self.claimed_by_combo.currentData(),
            claimed_longer_than_seconds=claimed_longer,
            report_source=self.source_combo.currentData(),
            at_risk=True if self.at_risk_check.isChecked() else None,
            status=self.scope_combo.currentData(),
            limit=self.limit_spin.value(),
            order=self.order_combo.currentData(),
        )

    def _target_ok(self) -> bool:
        return (
            self.move_combo.currentData() is not None
            or self.assign_combo.currentData() is not None
            or self.release_check.isChecked()
        )

    def _preview_request(self) -> ReassignRequest:
        # The preview needs a target too; any will do, the selection is what it counts. The note counts nothing.
        if self._target_ok():
            return self.request().model_copy(update={"note": ""})
        return self.request().model_copy(update={"target": ReassignTarget(release_claims=True), "note": ""})

    # --- preview and confirmation ------------------------------------------------------------------------

    def _changed(self) -> None:
        # Return in a spin box re-emits its value: the same request keeps the count it has.
        if self.preview is not None and self._asked is not None and self._current_request() == self._asked:
            return
        self.preview = None
        self.count_label.setText("Counting…")
        self._timer.start()

    def _current_request(self) -> ReassignRequest | None:
        try:
            return self._preview_request()
        except ValueError:
            return None

    def _ask_preview(self) -> None:
        try:
            request = self._preview_request()
        except ValueError as error:
            self.count_label.setText(str(error).splitlines()[0])
            return
        self._asked = request
        self.reassigner.preview(request)

    def _previewed(self, preview: ReassignPreview) -> None:
        if self._current_request() != self._asked:
            return  # an answer about a form the lead has changed since; the timer asks again
        self.preview = preview
        self.error_label.hide()
        extra = f" · {len(preview.skipped_ids)} ids skipped (decided or unknown)" if preview.skipped_ids else ""
        self.count_label.setText(
            f"{preview.count} items match · {preview.claimed} claimed · {preview.overdue} overdue"
            f" · {preview.at_risk} at risk{extra}"
        )

    def describe_target(self) -> str:
        parts = []
        if self.move_combo.currentData() is not None:
            parts.append(f"move them to {self.move_combo.currentText()}")
        if self.assign_combo.currentData() is not None:
            parts.append(f"assign them to {self.assign_combo.currentData()}")
        if self.release_check.isChecked():
            parts.append("end their live claims")
        return " and ".join(parts)

    def describe_selection(self) -> str:
        if self.items_edit.text().strip():
            return "the item ids you listed"
        return f"{self.describe_filter()} · {self.order_combo.currentText()}, at most {self.limit_spin.value()}"

    def describe_filter(self) -> str:
        parts = [self.queue_combo.currentText(), self.scope_combo.currentText().split(" (")[0] + " items"]
        if self.older_spin.value():
            parts.append(f"flagged over {self.older_spin.value()} min ago")
        if self.claimed_by_combo.currentData() is not None:
            parts.append(f"claimed by {self.claimed_by_combo.currentData()}")
        if self.claimed_longer_spin.value():
            parts.append(f"claimed over {self.claimed_longer_spin.value()} min ago")
        if self.source_combo.currentData() is not None:
            parts.append(f"reported by: {self.source_combo.currentText().lower()}")
        if self.at_risk_check.isChecked():
            parts.append("at risk only")
        return " · ".join(parts)

    # --- picking items from a list -----------------------------------------------------------------------

    def pick_items(self) -> None:
        """Alt+P: the open items the filter fields select, to check by keyboard; Return puts their ids above."""
        query = TeamItemQuery.model_validate(self.selection_filter().model_dump(exclude={"limit"}))
        checked = typed_ids(self.items_edit.text())
        self.picker = ItemPicker(self.reassigner, query, self._queue_names, checked=checked,
                                 scope=self.describe_filter(), parent=self)  # fmt: skip
        self.picker.picked.connect(self._picked)
        self.picker.finished.connect(self._picker_closed)
        self.picker.open()  # window-modal without a nested event loop; deletes itself when closed

    def _picked(self, ids: list[int]) -> None:
        self.items_edit.setText(", ".join(str(item_id) for item_id in ids))
        self.form_focus().setFocus()  # next: what to do with them

    def _picker_closed(self, _result: int) -> None:
        self.picker = None

    def confirm_step(self) -> None:
        if not self._target_ok():
            self._show_error("Choose what to do: a queue to move to, a moderator to assign, or end the claims.")
            return
        if self.preview is None:
            self._show_error("Still counting the matching items; press Return again in a moment.")
            self._ask_preview()
            return
        if self.preview.count == 0:
            self._show_error("No item matches: nothing to move.")
            return
        self._ask_confirmation(
            f"{self.preview.count} items: {self.describe_target()}?\n"
            f"Selection: {self.describe_selection()}.\n"
            f"({self.preview.claimed} of them are claimed right now.) You can undo this for a few seconds."
        )

    def confirm(self) -> None:
        if self._start("Moving…"):
            self.reassigner.execute(self.request())

    def form_focus(self) -> QWidget:
        return self.assign_combo

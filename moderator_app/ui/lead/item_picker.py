"""The Move work dialog's item picker: the open items its filter selects, listed for a lead to check by keyboard.

Keys: arrows move, Space checks or unchecks, Ctrl+A checks every item shown (again: unchecks them), typing finds by
id or channel title (Alt+F goes to the find field, arrows come back to the list), Alt+R changes the order, Return
hands the checked ids to the dialog, Esc cancels and changes nothing. The list comes from the server (GET
/team/items through the Reassigner, on the BackgroundRunner) and never holds post text or media: telling items apart
needs the id, the queue, the channel and how late it is, not the content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moderator_app.core.deadlines import DeadlineState
from moderator_app.core.models import ReassignOrder, TeamItem, TeamItemPage, TeamItemQuery
from moderator_app.ui.lead.tables import (
    OVERDUE_COLOR,
    RISK_COLOR,
    error_label,
    hint_label,
    read_only_table,
    set_row,
)
from moderator_app.ui.lead.two_step import choice_combo
from moderator_app.ui.text import age_text, deadline_text, label_text, local_time_text, one_line
from moderator_app.workflow.lead import Reassigner

HEADERS = ("Item", "Queue", "Kind", "Channel", "Flagged", "Deadline", "Claimed by", "Assigned to")
CHANNEL_COLUMN, FLAGGED_COLUMN, DEADLINE_COLUMN = 3, 4, 5
ID_ROLE = Qt.ItemDataRole.UserRole
HINT = ("↑↓: move · Space: check · Ctrl+A: check all shown · type: find by id or channel · Alt+R: order · "
        "Return: use the checked items · Esc: cancel")  # fmt: skip
_MOVE_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


def typed_ids(text: str) -> set[int]:
    """The ids already in the dialog's field, to check them again when the list opens (anything else is ignored)."""
    return {int(part) for part in text.replace(",", " ").split() if part.isdigit()}


def with_pick_button(field: QLineEdit, pick: Callable[[], None]) -> tuple[QWidget, QPushButton]:
    """The dialog's item ids field with a "Pick items…" button (Alt+P) beside it, as one form row."""
    button = QPushButton("&Pick items…")
    button.setAutoDefault(False)  # Return stays the dialog's (review the move), even while the button has focus
    button.clicked.connect(pick)
    row = QWidget()
    row.setFocusProxy(field)  # the row label's Alt+letter still lands in the field
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    layout.addWidget(button)
    return row, button


def deadline_cell(item: TeamItem, now: datetime) -> str:
    text, _late = deadline_text(item.deadline, now)
    return f"at risk · {text}" if item.deadline_state is DeadlineState.AT_RISK else text


class ItemPicker(QDialog):
    picked = Signal(list)  # the checked item ids, in the order shown, when the lead presses Return

    def __init__(
        self,
        reassigner: Reassigner,
        query: TeamItemQuery,
        queue_names: dict[int, str],
        *,
        checked: Iterable[int] = (),
        scope: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pick items to move")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # accepted or cancelled, it is done with
        self.reassigner = reassigner
        self.query = query
        self.page: TeamItemPage | None = None
        self._queue_names = queue_names
        self._wanted = set(checked)  # checked before the list (re)loads

        scope_label = QLabel(f"Open items the form's filter selects: {scope}" if scope else "Open items")
        scope_label.setTextFormat(Qt.TextFormat.PlainText)
        scope_label.setWordWrap(True)
        scope_label.setStyleSheet("font-weight: 600;")
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("item id or channel title")
        self.find_edit.setClearButtonEnabled(True)
        self.order_combo = choice_combo([("earliest deadline first", ReassignOrder.DEADLINE_FIRST),
                                         ("oldest flagged first", ReassignOrder.OLDEST_FIRST)])  # fmt: skip
        self.order_combo.setCurrentIndex(max(0, self.order_combo.findData(query.order)))
        fields = QHBoxLayout()
        for text, field in (("&Find", self.find_edit), ("O&rder", self.order_combo)):
            form = QFormLayout()
            form.addRow(text, field)  # the label is the field's buddy: Alt+letter focuses it
            fields.addLayout(form, 2 if field is self.find_edit else 1)
        self.table = read_only_table(HEADERS, stretch_column=CHANNEL_COLUMN)
        self.status_label = QLabel("Loading the open items…")
        self.status_label.setStyleSheet("font-weight: 600;")
        self.error_label = error_label()
        hint = hint_label(HINT)

        layout = QVBoxLayout(self)
        layout.addWidget(scope_label)
        layout.addLayout(fields)
        for widget in (self.table, self.status_label, self.error_label, hint):
            layout.addWidget(widget)

        self.table.installEventFilter(self)
        self.find_edit.installEventFilter(self)
        self.find_edit.textChanged.connect(self._apply_find)
        self.order_combo.currentIndexChanged.connect(self._reorder)
        self.table.itemChanged.connect(lambda _item: self._show_count())
        reassigner.items_listed.connect(self._listed)
        reassigner.items_failed.connect(self._failed)
        self.resize(960, 520)
        self.table.setFocus()
        reassigner.list_items(query)

    # --- loading ----------------------------------------------------------------------------------------

    def _reorder(self) -> None:
        self._wanted = set(self.checked_ids())
        self.query = TeamItemQuery.model_validate({**self.query.model_dump(), "order": self.order_combo.currentData()})
        self.status_label.setText("Loading the open items…")
        self.reassigner.list_items(self.query)

    def _listed(self, page: TeamItemPage) -> None:
        self.page = page
        self.error_label.hide()
        now = datetime.now(UTC)
        self.table.blockSignals(True)  # itemChanged would recount once per cell
        self.table.setRowCount(len(page.items))
        for row, item in enumerate(page.items):
            self._fill_row(row, item, now)
        self.table.blockSignals(False)
        self._apply_find()
        self._show_count()

    def _fill_row(self, row: int, item: TeamItem, now: datetime) -> None:
        queue = self._queue_names.get(item.queue_id, f"queue {item.queue_id}")
        color = {DeadlineState.OVERDUE: OVERDUE_COLOR, DeadlineState.AT_RISK: RISK_COLOR}.get(item.deadline_state)
        channel = one_line(item.channel_title, 80)
        values = (item.id, queue, label_text(item.kind.value), channel, age_text(item.flagged_at, now),
                  deadline_cell(item, now), item.claimed_by, item.assigned_to)  # fmt: skip
        set_row(self.table, row, values, {DEADLINE_COLUMN: color} if color is not None else None)
        self.table.item(row, FLAGGED_COLUMN).setToolTip(f"Flagged {local_time_text(item.flagged_at)}")
        self.table.item(row, DEADLINE_COLUMN).setToolTip(f"Deadline {local_time_text(item.deadline)}")
        cell = self.table.item(row, 0)
        cell.setData(ID_ROLE, item.id)
        cell.setFlags(cell.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        checked = item.id in self._wanted
        cell.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _failed(self, message: str) -> None:
        self.status_label.setText("The list could not be loaded.")
        self._show_error(message)

    # --- finding and checking ---------------------------------------------------------------------------

    def _shown_rows(self) -> list[int]:
        return [row for row in range(self.table.rowCount()) if not self.table.isRowHidden(row)]

    def _apply_find(self) -> None:
        needle = self.find_edit.text().strip().casefold()
        items = self.page.items if self.page is not None else []
        for row, item in enumerate(items):
            self.table.setRowHidden(row, bool(needle) and needle not in f"{item.id} {item.channel_title}".casefold())
        shown = self._shown_rows()
        if shown and self.table.currentRow() not in shown:
            self.table.selectRow(shown[0])
        self._show_count()

    def checked_ids(self) -> list[int]:
        """Checked items in the order shown, those the find field hides included (the count says so)."""
        cells = (self.table.item(row, 0) for row in range(self.table.rowCount()))
        return [cell.data(ID_ROLE) for cell in cells if cell is not None and cell.checkState() == Qt.CheckState.Checked]

    def _is_checked(self, row: int) -> bool:
        return self.table.item(row, 0).checkState() == Qt.CheckState.Checked

    def _set_checked(self, row: int, checked: bool) -> None:
        self.table.item(row, 0).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def toggle_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0 and not self.table.isRowHidden(row):
            self._set_checked(row, not self._is_checked(row))

    def check_all_shown(self) -> None:
        """Ctrl+A: check every item shown; when all of them are checked already, uncheck them."""
        shown = self._shown_rows()
        check = not all(self._is_checked(row) for row in shown)
        for row in shown:
            self._set_checked(row, check)

    def _show_count(self) -> None:
        if self.page is None:
            return
        if not self.page.items:
            self.status_label.setText("No open item matches the form's filter: Esc, and change the filter.")
            return
        checked = len(self.checked_ids())
        hidden_rows = [row for row in range(self.table.rowCount()) if self.table.isRowHidden(row)]
        hidden, hidden_checked = len(hidden_rows), sum(1 for row in hidden_rows if self._is_checked(row))
        parts = [f"{len(self.page.items)} open items" + (f" ({hidden} hidden by the find)" if hidden else "")]
        parts.append(f"{checked} checked" + (f", {hidden_checked} of them hidden" if hidden_checked else ""))
        if self.page.more:
            parts.append(f"only the first {len(self.page.items)} are listed: narrow the form's filter for the rest")
        self.status_label.setText(" · ".join(parts))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    # --- keys -------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key, mods = event.key(), event.modifiers()
        if watched is self.find_edit and key in _MOVE_KEYS:
            self.table.setFocus()  # from the find field back into the list, moving as the key says
            QApplication.sendEvent(self.table, QKeyEvent(QEvent.Type.KeyPress, key, mods))
            return True
        if watched is not self.table:
            return False
        if key == Qt.Key.Key_Space and not mods:
            self.toggle_current()
            return True
        if key == Qt.Key.Key_A and mods == Qt.KeyboardModifier.ControlModifier:
            self.check_all_shown()
            return True
        text = event.text()
        typing = bool(text) and text.isprintable() and not text.isspace()
        if typing and mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            self.find_edit.setFocus()  # type-to-find: the first letter starts the search
            self.find_edit.insert(text)
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.use_checked()
            return
        super().keyPressEvent(event)

    def use_checked(self) -> None:
        ids = self.checked_ids()
        if not ids:
            self._show_error("No item is checked: Space checks the item under the cursor, Esc closes the list.")
            return
        self.picked.emit(ids)
        self.accept()

"""The lead's editor of a queue's decision keys (D on the dashboard): a row per key 1..9 with its action, policy
reason and optional title, then a confirmation listing each key that changes, then one server operation (audited,
undoable for a few seconds with Ctrl+Z on the dashboard).

Only valid keys can be built: escalate is not offered (it has a key of its own), an enforcement always carries a
reason, "keep" never does. Keys: Alt+1 to Alt+9 go to a key, Tab moves across a row, typing picks in a list, Alt+C
clears the key being edited, Alt+D goes back to the queue's default keys (again: keep editing); Return shows the
confirmation, Return again saves, Esc goes back (or closes). A refusal from the server is shown in its words.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from moderator_app.core.models import DecisionOption, Queue
from moderator_app.core.policy import ACTION_TITLES, POLICIES, Action, PolicyReason, decision_title
from moderator_app.ui.lead.tables import BANNER_STYLE, HINT_STYLE, hint_label
from moderator_app.ui.lead.two_step import TwoStepDialog, choice_combo
from moderator_app.workflow.decision_keys import (
    NO_KEY_TEXT,
    SLOT_ACTIONS,
    confirmation_text,
    reasons_for,
    same_key,
    saving_problem,
    shown_title,
)
from moderator_app.workflow.decisions import SLOTS
from moderator_app.workflow.lead import LeadMove, Reassigner

HEADERS = ("Key", "Action", "Policy reason", "Title on the key (optional)")
FORM_HINT = (
    "Alt+1…9: go to a key · Tab: next field · type to pick · Alt+C: clear the key · Alt+D: back to the defaults · "
    "Return: review the change · Esc: cancel"
)
KEY_STYLE = "font-weight: 700; padding: 2px 4px;"
CHANGED_KEY_STYLE = KEY_STYLE + " background: #fff3cd; color: #5d4200; border: 1px solid #e0c060;"
DEFAULTS_TEXT = "Back to the default keys for this queue: the keys above are dropped. Alt+D again: keep editing."


class KeyRow:
    """The widgets of one decision key; option() is what the row says now (None: no key on this number)."""

    def __init__(self, slot: int, option: DecisionOption | None, default_reason: PolicyReason) -> None:
        self.slot = slot
        self.original = option
        self.default_reason = default_reason
        self.label = QLabel(f"&{slot}")  # Alt+<number> goes to the key's action
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        entries: list[tuple[str, object]] = [(f"— {NO_KEY_TEXT} —", None)]
        entries += [(ACTION_TITLES[action], action) for action in SLOT_ACTIONS]
        self.action_combo = choice_combo(entries)
        self.label.setBuddy(self.action_combo)
        self.reason_combo = QComboBox()
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(80)
        self._typed = False  # the lead typed a title: keep it when the action or reason changes
        self.set_option(option)
        self.action_combo.currentIndexChanged.connect(self._action_changed)
        self.reason_combo.currentIndexChanged.connect(self._reason_changed)
        self.title_edit.textEdited.connect(self._title_typed)
        self.title_edit.textChanged.connect(self._update)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.label, self.action_combo, self.reason_combo, self.title_edit)

    def set_option(self, option: DecisionOption | None) -> None:
        action = option.action if option is not None else None
        self.action_combo.blockSignals(True)
        self.action_combo.setCurrentIndex(max(0, self.action_combo.findData(action)))
        self.action_combo.blockSignals(False)
        self._fill_reasons(action, option.reason if option is not None else None)
        automatic = decision_title(option.action, option.reason) if option is not None else ""
        title = shown_title(option) if option is not None else ""
        self.title_edit.setText("" if title == automatic else title)  # an automatic title stays automatic
        self._typed = False
        self._update()

    def clear(self) -> None:
        self.set_option(None)

    def action(self) -> Action | None:
        value = self.action_combo.currentData()  # Qt hands the enum back as its plain string
        return Action(value) if value else None

    def reason(self) -> PolicyReason | None:
        value = self.reason_combo.currentData()
        return PolicyReason(value) if value else None

    def option(self) -> DecisionOption | None:
        action = self.action()
        if action is None:
            return None
        reason = self.reason() if action.needs_reason else None
        return DecisionOption(slot=self.slot, action=action, reason=reason, title=self.title_edit.text().strip())

    def _fill_reasons(self, action: Action | None, keep: PolicyReason | None) -> None:
        self.reason_combo.blockSignals(True)
        self.reason_combo.clear()
        reasons = reasons_for(action) if action is not None else (None,)
        for reason in reasons:
            self.reason_combo.addItem(POLICIES[reason].title if reason is not None else "—", reason)
        # A new enforcement keeps the reason the key had, else takes the queue's own reason.
        wanted = keep if keep in reasons else self.default_reason
        self.reason_combo.setCurrentIndex(max(0, self.reason_combo.findData(wanted)))
        self.reason_combo.blockSignals(False)

    def _action_changed(self) -> None:
        self._fill_reasons(self.action(), self.reason())
        self._forget_old_title()

    def _reason_changed(self) -> None:
        self._forget_old_title()

    def _forget_old_title(self) -> None:
        # A title the lead did not type here named the old action or reason: the automatic one fits the new one.
        if not self._typed:
            self.title_edit.clear()
        self._update()

    def _title_typed(self) -> None:
        self._typed = True

    def _update(self) -> None:
        action = self.action()
        self.reason_combo.setEnabled(action is not None and action.needs_reason)
        self.title_edit.setEnabled(action is not None)
        option = self.option()
        self.title_edit.setPlaceholderText(decision_title(option.action, option.reason) if option is not None else "")
        changed = not same_key(self.original, option)  # marked in words too, not by colour alone
        self.label.setText(f"&{self.slot} •" if changed else f"&{self.slot}")
        self.label.setStyleSheet(CHANGED_KEY_STYLE if changed else KEY_STYLE)
        self.label.setToolTip("Changed" if changed else "")


class DecisionKeysDialog(TwoStepDialog):
    """finished_with: the LeadMove once the server saved the new keys."""

    not_done = "Not saved"

    def __init__(self, reassigner: Reassigner, queue: Queue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reassigner = reassigner
        self.queue = queue
        self.to_defaults = False
        self._return_to: QWidget | None = None  # the field the lead was in when asking for the confirmation
        self.setWindowTitle(f"{queue.name}: decision keys")
        by_slot = {option.slot: option for option in queue.decision_set}
        self.rows = [KeyRow(slot, by_slot.get(slot), queue.default_reason) for slot in SLOTS]

        intro = QLabel(
            f"The keys moderators press on the review screen of {queue.name}. Escalate has a key of its own (E)."
        )
        intro.setWordWrap(True)
        now = "keys a lead set for this queue" if queue.own_decision_set else "the default keys for this queue"
        now_label = QLabel(f"Now: {now}. Keys you change are marked •.")
        now_label.setStyleSheet(HINT_STYLE)
        self.grid_box = QWidget()
        grid = QGridLayout(self.grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, text in enumerate(HEADERS):
            header = QLabel(text)
            header.setStyleSheet("font-weight: 600;")
            grid.addWidget(header, 0, column)
        for index, row in enumerate(self.rows, start=1):
            for column, widget in enumerate(row.widgets()):
                grid.addWidget(widget, index, column)
        grid.setColumnStretch(3, 1)
        self.defaults_label = QLabel(DEFAULTS_TEXT)
        self.defaults_label.setWordWrap(True)
        self.defaults_label.setStyleSheet(BANNER_STYLE)
        self.defaults_label.hide()
        hint = hint_label(FORM_HINT)
        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (intro, now_label, self.grid_box, self.defaults_label):
            form_layout.addWidget(widget)
        form_layout.addStretch(1)
        form_layout.addWidget(hint)

        self._build_pages(form_page, "Return: save (audited) · Esc: back to the form")
        for key, handler in (("Alt+C", self.clear_current), ("Alt+D", self.toggle_defaults)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)
        reassigner.keys_changed.connect(self._done)
        reassigner.error.connect(self._show_error)
        self.resize(780, 460)

    # --- the form ---------------------------------------------------------------------------------------

    def row(self, slot: int) -> KeyRow:
        return self.rows[slot - 1]

    def focus_slot(self, slot: int) -> None:
        self.row(slot).action_combo.setFocus()

    def current_row(self) -> KeyRow | None:
        return self.current_row_of(self.focusWidget())

    def current_row_of(self, widget: QWidget | None) -> KeyRow | None:
        return next((row for row in self.rows if widget is not None and widget in row.widgets()), None)

    def clear_current(self) -> None:
        row = self.current_row()
        if row is None or self.pages.currentIndex() != 0:
            return
        row.clear()
        row.action_combo.setFocus()

    def toggle_defaults(self) -> None:
        if self.pages.currentIndex() != 0:
            return
        self.to_defaults = not self.to_defaults
        self.grid_box.setEnabled(not self.to_defaults)
        self.defaults_label.setVisible(self.to_defaults)
        self.error_label.hide()
        if self.to_defaults:
            self.setFocus()  # Return still reviews the change while the rows are disabled
        else:
            self.focus_slot(1)

    def options(self) -> list[DecisionOption]:
        return [option for row in self.rows if (option := row.option()) is not None]

    # --- TwoStepDialog ----------------------------------------------------------------------------------

    def confirm_step(self) -> None:
        after = [] if self.to_defaults else self.options()
        before = self.queue.decision_set
        own = self.queue.own_decision_set
        problem = saving_problem(before, after, to_defaults=self.to_defaults, own_set=own)
        if problem is not None:
            self._show_error(problem)
            return
        self._return_to = self.focusWidget()
        self._ask_confirmation(confirmation_text(self.queue.name, before, after, to_defaults=self.to_defaults))

    def confirm(self) -> None:
        if self._start("Saving…"):
            self.reassigner.change_decision_keys(self.queue, [] if self.to_defaults else self.options())

    def form_focus(self) -> QWidget:
        if self.to_defaults:
            return self
        target = self._return_to
        if target is not None and self.current_row_of(target) is not None:
            return target
        return self.row(1).action_combo


class DecisionKeysOpener(QObject):
    """D on the dashboard: ask for the queue's keys (the figures do not carry them), then open one editor for them."""

    def __init__(
        self, reassigner: Reassigner, host: QWidget, saved: Callable[[LeadMove], None], closed: Callable[[], None]
    ) -> None:
        super().__init__(host)
        self.reassigner = reassigner
        self.host = host
        self.dialog: DecisionKeysDialog | None = None
        self._saved = saved
        self._closed = closed
        self._wanted: int | None = None  # the queue whose keys are on their way
        reassigner.keys_loaded.connect(self._loaded)

    def open_for(self, queue_id: int) -> None:
        if self.dialog is None:
            self._wanted = queue_id
            self.reassigner.load_decision_keys(queue_id)

    def forget(self) -> None:
        self._wanted = None

    def _loaded(self, queue: Queue) -> None:
        if queue.id != self._wanted or self.dialog is not None:
            return
        self._wanted = None
        dialog = DecisionKeysDialog(self.reassigner, queue, parent=self.host)
        dialog.finished_with.connect(self._saved)
        dialog.finished.connect(lambda _code: self._close(dialog))
        self.dialog = dialog
        dialog.open()  # window-modal without a nested event loop (qasync keeps running)
        dialog.focus_slot(1)

    def _close(self, dialog: DecisionKeysDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self._closed()


def done_text(move: LeadMove) -> str:
    """The dashboard banner after a save: "Spam: 1 decision key changed." (Ctrl+Z follows)."""
    name = move.queue.name if move.queue is not None else "The queue"
    if move.queue is not None and not move.queue.own_decision_set:
        return f"{name}: back to the default decision keys."
    return f"{name}: {move.count} decision key{'s' if move.count != 1 else ''} changed."


def undone_text(move: LeadMove) -> str:
    name = move.queue.name if move.queue is not None else "The queue"
    return f"Undone: {name} has its earlier decision keys back."

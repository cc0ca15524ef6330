"""The QA sampling editor (leads and admins): the default share of decisions drawn for a blind second review, and
overrides by queue, action and policy reason; saved with PUT /qa/sampling (audited on the server).

Keys only: Tab between fields; Insert starts a new override; in the table, arrows choose an override, Return edits
it and Delete removes it; Return in the override fields puts it in the table; Ctrl+S (or Return in the default rate)
saves; Esc cancels. Rates are typed as percentages and checked before anything is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from moderator_app.core.models import Queue, SamplingConfig, SamplingRule
from moderator_app.core.policy import ACTION_TITLES, POLICIES, PolicyReason
from moderator_app.core.roles import Permission, permissions_for
from moderator_app.ui.lead.tables import (
    BANNER_STYLE,
    error_label,
    fill_table,
    hint_label,
    read_only_table,
)
from moderator_app.workflow.qa_sampling import (
    SAMPLED_ACTIONS,
    RateError,
    RuleKey,
    SamplingEditor,
    describe_rule,
    parse_percent,
    percent_text,
    put_rule,
)

if TYPE_CHECKING:
    from moderator_app.ui.roles import RoleScreens

COMMAND = "qa.sampling"
HINT = (
    "Insert: new override · in the table: Return edits, Delete removes · Return in the override fields: put it in "
    "the table · Ctrl+S: save · Esc: cancel"
)
RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _choice_box(any_text: str, choices: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    box.addItem(any_text, None)
    for text, data in choices:
        box.addItem(text, data)
    return box


class SamplingDialog(QDialog):
    def __init__(self, editor: SamplingEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.setWindowTitle("QA sampling")
        self.setMinimumWidth(720)
        self.rules: list[SamplingRule] = []
        self.queues: dict[int, Queue] = {}
        self.editing: int | None = None  # the table row the override fields were loaded from
        self.saved_config: SamplingConfig | None = None
        self.loaded = False
        self.ready = False  # loaded, and not saving

        intro = QLabel("The share of each moderator's decisions drawn for a blind second review, as they are made.")
        intro.setWordWrap(True)
        self.default_edit = QLineEdit()
        self.default_edit.setPlaceholderText("for example 5")
        self.table = read_only_table(["Queue", "Action", "Reason", "Rate"])
        self.queue_box = _choice_box("any queue", [])
        self.action_box = _choice_box("any action", [(ACTION_TITLES[a], a) for a in SAMPLED_ACTIONS])
        self.reason_box = _choice_box("any reason", [(POLICIES[r].title, r) for r in PolicyReason])
        self.rate_edit = QLineEdit()
        self.rate_edit.setPlaceholderText("rate in %")
        self.rate_edit.setMaximumWidth(110)
        form = QFormLayout()
        form.addRow("&Default rate (%)", self.default_edit)
        override = QHBoxLayout()
        for label, field in (("&Queue", self.queue_box), ("&Action", self.action_box), ("&Reason", self.reason_box)):
            caption = QLabel(label)
            caption.setBuddy(field)
            override.addWidget(caption)
            override.addWidget(field, 1)
        rate_caption = QLabel("Ra&te (%)")
        rate_caption.setBuddy(self.rate_edit)
        override.addWidget(rate_caption)
        override.addWidget(self.rate_edit)
        self.status_label = QLabel("Loading…")
        self.status_label.setStyleSheet(BANNER_STYLE)
        self.status_label.setWordWrap(True)
        self.error_label = error_label()
        hint = hint_label(HINT)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(QLabel("Overrides (the most specific match wins; between equals, the higher rate):"))
        layout.addWidget(self.table, 1)
        layout.addLayout(override)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        layout.addWidget(hint)
        self.setTabOrder(self.default_edit, self.table)
        self.setTabOrder(self.table, self.queue_box)
        self.setTabOrder(self.queue_box, self.action_box)
        self.setTabOrder(self.action_box, self.reason_box)
        self.setTabOrder(self.reason_box, self.rate_edit)

        for widget in (self.default_edit, self.table, self.queue_box, self.action_box, self.reason_box, self.rate_edit):
            widget.installEventFilter(self)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # holds the keys while the fields wait for the server
        for key, handler in (("Ctrl+S", self.save), ("Insert", self.new_override)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(handler)
        self.table.currentCellChanged.connect(lambda _row, _c, _pr, _pc: self.error_label.hide())
        self._fields = (self.default_edit, self.table, self.queue_box, self.action_box, self.reason_box, self.rate_edit)
        self._set_ready(False)  # until the configuration is loaded (Esc still cancels)
        editor.loaded.connect(self.show_config)
        editor.saved.connect(self._saved)
        editor.failed.connect(self._failed)

    # --- showing ----------------------------------------------------------------------------------------

    def show_config(self, config: SamplingConfig, queues: dict[int, Queue]) -> None:
        self.queues = queues
        self.queue_box.clear()
        self.queue_box.addItem("any queue", None)
        for queue in sorted(queues.values(), key=lambda q: q.name.lower()):
            self.queue_box.addItem(queue.name, queue.id)
        self.default_edit.setText(f"{config.default_rate * 100:g}")
        self.rules = list(config.rules)
        self._show_rules()
        self.status_label.setText(
            f"On the server now: default {percent_text(config.default_rate)}, {len(self.rules)} overrides. "
            "Changes here apply to decisions made after Ctrl+S."
        )
        self.loaded = True
        self._set_ready(True)
        self.default_edit.setFocus()
        self.default_edit.selectAll()

    def _show_rules(self, select: int | None = None) -> None:
        rows = [((*describe_rule(RuleKey.of(rule), self.queues), percent_text(rule.rate)), None) for rule in self.rules]
        fill_table(self.table, rows)
        if select is not None and 0 <= select < len(self.rules):
            self.table.selectRow(select)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _set_ready(self, ready: bool) -> None:
        self.ready = ready
        for field in self._fields:
            field.setEnabled(ready)
        if not ready:
            self.setFocus()

    # --- editing ----------------------------------------------------------------------------------------

    def new_override(self) -> None:
        if not self.ready:
            return
        self.editing = None
        for box in (self.queue_box, self.action_box, self.reason_box):
            box.setCurrentIndex(0)
        self.rate_edit.clear()
        self.error_label.hide()
        self.queue_box.setFocus()

    def edit_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rules):
            return
        rule = self.rules[row]
        self.editing = row
        for box, value in (
            (self.queue_box, rule.queue_id),
            (self.action_box, rule.action),
            (self.reason_box, rule.reason),
        ):
            box.setCurrentIndex(max(0, box.findData(value)) if value is not None else 0)
        self.rate_edit.setText(f"{rule.rate * 100:g}")
        self.queue_box.setFocus()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rules):
            del self.rules[row]
            self.editing = None
            self._show_rules(min(row, len(self.rules) - 1))

    def apply_override(self) -> bool:
        """Put the override fields into the table (checked first); True when they were."""
        try:
            rate = parse_percent(self.rate_edit.text())
            rule = SamplingRule(
                queue_id=self.queue_box.currentData(),
                action=self.action_box.currentData(),
                reason=self.reason_box.currentData(),
                rate=rate,
            )
            self.rules = put_rule(self.rules, rule, self.editing)
        except RateError as problem:
            self.show_error(f"Override: {problem}")
            return False
        placed = self.rules.index(rule)
        self.editing = None
        self.error_label.hide()
        self._show_rules(placed)
        self.table.setFocus()
        return True

    def save(self) -> None:
        if not self.ready:
            return
        try:
            default = parse_percent(self.default_edit.text())
        except RateError as problem:
            self.show_error(f"Default rate: {problem}")
            self.default_edit.setFocus()
            return
        self.error_label.hide()
        self.status_label.setText("Saving…")
        self._set_ready(False)
        self.editor.save(SamplingConfig(default_rate=default, rules=self.rules))

    def _saved(self, config: SamplingConfig) -> None:
        self.saved_config = config
        self.accept()

    def _failed(self, message: str) -> None:
        self.status_label.setText("Not saved.")
        self.show_error(message)
        if self.loaded:
            self._set_ready(True)  # a refused save: the edits stay, to correct and save again
            self.default_edit.setFocus()

    # --- keys -------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in RETURN_KEYS and watched is self.default_edit:
                self.save()
                return True
            if key in RETURN_KEYS and watched in (self.queue_box, self.action_box, self.reason_box, self.rate_edit):
                self.apply_override()
                return True
            if watched is self.table and key in RETURN_KEYS:
                self.edit_selected()
                return True
            if watched is self.table and key == Qt.Key.Key_Delete:
                self.remove_selected()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in RETURN_KEYS:
            return  # Return belongs to the field that has focus (handled above), never "accept the dialog"
        super().keyPressEvent(event)


class SamplingCommand(QObject):
    """The "QA sampling rates…" command: registered with the role screens, offered to leads and admins only."""

    def __init__(self, roles: RoleScreens) -> None:
        super().__init__(roles)
        self.roles = roles
        self.dialog: SamplingDialog | None = None
        window = roles.window
        self.allowed = Permission.MANAGE_QUEUES in permissions_for(window.user.roles)
        window.commands.register(
            COMMAND, "QA sampling rates…", self.open, menu="View", when=lambda: self.allowed and roles.team is not None
        )
        window.commands.set_listed(COMMAND, self.allowed)

    def open(self) -> None:
        roles, window = self.roles, self.roles.window
        if roles.team is None or roles.runner is None or (self.dialog is not None and self.dialog.isVisible()):
            return
        editor = SamplingEditor(roles.team, roles.runner)
        dialog = SamplingDialog(editor, window)
        editor.setParent(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: window.status.showMessage(self._saved_text(dialog), 6000))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        editor.load()

    @staticmethod
    def _saved_text(dialog: SamplingDialog) -> str:
        config = dialog.saved_config
        if config is None:
            return "QA sampling saved."
        return f"QA sampling saved: default {percent_text(config.default_rate)}, {len(config.rules)} overrides."

    def _closed(self, dialog: SamplingDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        self.roles.window.activateWindow()  # keys must reach the window again

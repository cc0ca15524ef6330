"""Small keyboard dialogs for the decisions that need more than one key: escalate (target + comment), geo-restrict
(countries), ban (scope), a note on the item, and reverting a decision already sent.

Each opens with focus where typing starts, Enter confirms from anywhere, Esc cancels. They are opened with open()
(window-modal, no nested event loop: qasync must keep running) and report through accepted/rejected.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moderator_app.core.models import BanScope, ItemKind
from moderator_app.core.policy import POLICIES, TERRITORIES, Action, EscalationTarget, PolicyReason
from moderator_app.workflow.decisions import BAN_SCOPE_TITLES, ESCALATION_TITLES

COUNTRY_NAMES = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany",
    "DK": "Denmark", "EE": "Estonia", "ES": "Spain", "FI": "Finland", "FR": "France", "GR": "Greece",
    "HR": "Croatia", "HU": "Hungary", "IE": "Ireland", "IS": "Iceland", "IT": "Italy", "LI": "Liechtenstein",
    "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta", "NL": "Netherlands", "NO": "Norway",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia",
}  # fmt: skip
CODE_ROLE = Qt.ItemDataRole.UserRole
NAVIGATION_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
HINT_STYLE = "color: #555;"
ERROR_STYLE = "color: #b00020; font-weight: 600;"


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


def reason_box(selected: PolicyReason | None) -> QComboBox:
    box = QComboBox()
    for reason in PolicyReason:
        box.addItem(POLICIES[reason].title, reason)
    if selected is not None:
        box.setCurrentIndex(box.findData(selected))
    return box


class KeyboardDialog(QDialog):
    """Enter accepts (when valid) from any field; arrows in the typing field move the list below it."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.layout_ = QVBoxLayout(self)
        self._list: QListWidget | None = None

    def steer(self, field: QLineEdit, target: QListWidget) -> None:
        """Up/Down typed in `field` move the current row of `target`, so focus can stay where one types."""
        self._list = target
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and self._list is not None:
            assert isinstance(event, QKeyEvent)
            if event.key() in NAVIGATION_KEYS:
                copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
                QCoreApplication.sendEvent(self._list, copy)
                return True
            if self.handle_field_key(event):
                return True
        return super().eventFilter(watched, event)

    def handle_field_key(self, event: QKeyEvent) -> bool:
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.try_accept()
            return
        super().keyPressEvent(event)

    def try_accept(self) -> None:
        problem = self.problem()
        if problem:
            self.show_error(problem)
        else:
            self.accept()

    def problem(self) -> str | None:
        return None

    def show_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))


class EscalateDialog(KeyboardDialog):
    def __init__(self, item_label: str, parent: QWidget | None = None) -> None:
        super().__init__("Escalate", parent)
        self.targets = QListWidget()
        for number, (target, title) in enumerate(ESCALATION_TITLES.items(), start=1):
            entry = QListWidgetItem(f"{number}  {title}")
            entry.setData(CODE_ROLE, target)
            self.targets.addItem(entry)
        self.targets.setCurrentRow(0)
        self.targets.setMaximumHeight(self.targets.sizeHintForRow(0) * 4 + 8)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("What should they look at? (optional, goes with the escalation)")
        self.comment.setMaxLength(1500)
        self.steer(self.comment, self.targets)
        self.layout_.addWidget(hint(f"Escalate {item_label} to:"))
        self.layout_.addWidget(self.targets)
        self.layout_.addWidget(self.comment)
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(hint("↑/↓ or 1–4 choose · type a comment · Enter escalates · Esc cancels"))
        self.comment.setFocus()

    def handle_field_key(self, event: QKeyEvent) -> bool:
        # Digits pick a target only while the comment is empty: a comment may well contain numbers.
        if not self.comment.text() and Qt.Key.Key_1 <= event.key() <= Qt.Key.Key_4 and not event.modifiers():
            self.targets.setCurrentRow(event.key() - Qt.Key.Key_1)
            return True
        return False

    @property
    def target(self) -> EscalationTarget:
        current = self.targets.currentItem()
        return EscalationTarget(current.data(CODE_ROLE)) if current else EscalationTarget.LEAD


class GeoRestrictDialog(KeyboardDialog):
    def __init__(
        self, kind: ItemKind, action: Action, reason: PolicyReason | None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Restrict in countries", parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter countries (code or name)")
        self.countries = QListWidget()
        for code in sorted(TERRITORIES, key=lambda c: COUNTRY_NAMES.get(c, c)):
            entry = QListWidgetItem(f"{code}  {COUNTRY_NAMES.get(code, code)}")
            entry.setData(CODE_ROLE, code)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.countries.addItem(entry)
        self.countries.setCurrentRow(0)
        self.countries.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.countries.setMinimumHeight(240)
        self.action_box = QComboBox()
        if kind is ItemKind.POST:
            self.action_box.addItem("Restrict the post", Action.RESTRICT_POST)
        self.action_box.addItem("Restrict the whole channel", Action.RESTRICT_CHANNEL)
        self.action_box.setCurrentIndex(max(0, self.action_box.findData(action)))
        self.reason = reason_box(reason)
        self.chosen_label = hint("No country chosen yet")
        row = QHBoxLayout()
        row.addWidget(self.action_box, 1)
        row.addWidget(self.reason, 1)
        self.steer(self.filter, self.countries)
        self.filter.textChanged.connect(self._filter)
        self.countries.itemChanged.connect(lambda _item: self._show_chosen())
        self.layout_.addWidget(self.filter)
        self.layout_.addWidget(self.countries)
        self.layout_.addWidget(self.chosen_label)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(hint("Type to filter · ↑/↓ move · Space ticks a country · Tab: action, reason · Enter"))
        self.filter.setFocus()

    def handle_field_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            entry = self.countries.currentItem()
            if entry is not None and not entry.isHidden():
                ticked = entry.checkState() == Qt.CheckState.Checked
                entry.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
            return True
        return False

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        first_visible = -1
        for row in range(self.countries.count()):
            entry = self.countries.item(row)
            code = str(entry.data(CODE_ROLE))
            shown = not needle or code.lower().startswith(needle) or needle in COUNTRY_NAMES.get(code, "").lower()
            entry.setHidden(not shown)
            if shown and first_visible < 0:
                first_visible = row
        if first_visible >= 0:
            self.countries.setCurrentRow(first_visible)

    def _show_chosen(self) -> None:
        codes = self.territories
        self.chosen_label.setText(f"Restrict in: {', '.join(codes)}" if codes else "No country chosen yet")

    @property
    def territories(self) -> list[str]:
        rows = (self.countries.item(row) for row in range(self.countries.count()))
        return sorted(str(e.data(CODE_ROLE)) for e in rows if e.checkState() == Qt.CheckState.Checked)

    @property
    def action(self) -> Action:
        return Action(self.action_box.currentData())

    @property
    def chosen_reason(self) -> PolicyReason:
        return PolicyReason(self.reason.currentData())

    def problem(self) -> str | None:
        return None if self.territories else "Tick at least one country (Space)."


class BanDialog(KeyboardDialog):
    def __init__(self, channel_label: str, reason: PolicyReason | None, parent: QWidget | None = None) -> None:
        super().__init__("Ban channel", parent)
        self.scopes = QListWidget()
        for number, (scope, title) in enumerate(BAN_SCOPE_TITLES.items(), start=1):
            entry = QListWidgetItem(f"{number}  {title}")
            entry.setData(CODE_ROLE, scope)
            self.scopes.addItem(entry)
        self.scopes.setCurrentRow(0)
        self.scopes.setMaximumHeight(self.scopes.sizeHintForRow(0) * 2 + 8)
        self.reason = reason_box(reason)
        self.layout_.addWidget(hint(f"Ban {channel_label}:"))
        self.layout_.addWidget(self.scopes)
        self.layout_.addWidget(self.reason)
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(hint("↑/↓ or 1–2 choose the scope · Tab: reason · Enter bans · Esc cancels"))
        self.scopes.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_1, Qt.Key.Key_2) and not event.modifiers():
            self.scopes.setCurrentRow(event.key() - Qt.Key.Key_1)
            return
        super().keyPressEvent(event)

    @property
    def scope(self) -> BanScope:
        current = self.scopes.currentItem()
        return BanScope(current.data(CODE_ROLE)) if current else BanScope.CHANNEL

    @property
    def chosen_reason(self) -> PolicyReason:
        return PolicyReason(self.reason.currentData())


class TextDialog(KeyboardDialog):
    """One line of text (a note on the item, the reason for a revert), Enter to confirm."""

    def __init__(
        self, title: str, prompt: str, placeholder: str, parent: QWidget | None = None, enter: str = "saves"
    ) -> None:
        super().__init__(title, parent)
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(placeholder)
        self.text_edit.setMaxLength(2000)
        self.layout_.addWidget(hint(prompt))
        self.layout_.addWidget(self.text_edit)
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(hint(f"Enter {enter} · Esc cancels"))
        self.text_edit.setFocus()

    @property
    def text(self) -> str:
        return self.text_edit.text().strip()

    def problem(self) -> str | None:
        return None if self.text else "Write something first."


class RevertDialog(TextDialog):
    """Choose one of the decisions this client sent, say why, Enter reverts it (leads; the server checks).

    Enter does not close the dialog: it emits `submitted`, and the caller closes it once the server agreed, or shows
    the server's refusal (a 403 names the permission) in it.
    """

    submitted = Signal(object, str)  # decision id (int), note

    def __init__(self, decisions: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(
            "Revert a sent decision",
            "Decisions you sent (newest first). Reverting puts the item back in its queue and is audited.",
            "Why is it reverted? (required)",
            parent,
            enter="reverts the chosen decision · ↑/↓ choose",
        )
        self.decisions = QListWidget()
        for decision_id, label in decisions:
            entry = QListWidgetItem(label)
            entry.setData(CODE_ROLE, decision_id)
            self.decisions.addItem(entry)
        self.decisions.setCurrentRow(0)
        self.decisions.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.layout_.insertWidget(1, self.decisions)
        self.steer(self.text_edit, self.decisions)
        self.busy = False

    @property
    def decision_id(self) -> int | None:
        current = self.decisions.currentItem()
        return int(current.data(CODE_ROLE)) if current else None

    def problem(self) -> str | None:
        if self.decision_id is None:
            return "No sent decision to revert."
        return super().problem()

    def try_accept(self) -> None:
        problem = self.problem()
        if problem:
            self.show_error(problem)
        elif not self.busy and self.decision_id is not None:
            self.busy = True
            self.show_error(None)
            self.submitted.emit(self.decision_id, self.text)

    def failed(self, message: str) -> None:
        self.busy = False
        self.show_error(message)

"""The queue's decision keys on the review screen: 1–9, each an action and a policy reason, as buttons that run the
same commands as the keys. Slots that do not fit the shown item (remove a post, for a channel) are greyed out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QToolButton, QWidget

from moderator_app.core.policy import Action
from moderator_app.ui.commands import CommandRegistry
from moderator_app.workflow.decisions import SLOTS, DecisionChoice

SLOT_COMMAND = "decide.slot{}"
ACTION_COLORS = {
    Action.NO_VIOLATION: "#2e7d32",
    Action.REMOVE_POST: "#ef6c00",
    Action.RESTRICT_POST: "#8d6e63",
    Action.LABEL_SENSITIVE: "#5d4037",
    Action.BAN_CHANNEL: "#c62828",
    Action.RESTRICT_CHANNEL: "#6d4c41",
    Action.ESCALATE: "#6a1b9a",
}
COLUMNS = 5


class DecisionBar(QWidget):
    def __init__(self, commands: CommandRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[int, QToolButton] = {}
        self.title = QLabel("Decision keys")
        self.title.setStyleSheet("color: #555; font-weight: 600;")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(4)
        for slot in SLOTS:
            button = QToolButton()
            button.setDefaultAction(commands.action(SLOT_COMMAND.format(slot)))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must peek, never press a focused button
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumHeight(30)
            self.buttons[slot] = button
            index = slot - 1
            grid.addWidget(button, index // COLUMNS, index % COLUMNS)
        self._shown: dict[int, DecisionChoice] | None = None

    def show_choices(self, choices: dict[int, DecisionChoice]) -> None:
        """Show a queue's keys (once per queue: restyling buttons costs more than a keypress may)."""
        if choices == self._shown:
            return
        self._shown = dict(choices)
        for slot, button in self.buttons.items():
            choice = choices.get(slot)
            button.setVisible(choice is not None)
            if choice is None:
                continue
            color = ACTION_COLORS.get(choice.action, "#455a64")
            button.setStyleSheet(
                f"QToolButton {{ background: {color}; color: white; padding: 3px 8px; border-radius: 3px;"
                " text-align: left; } QToolButton:disabled { background: #cfd8dc; color: #90a4ae; }"
            )

"""The QA sampling editor, keys only against a real server: a lead fixes a bad rate, adds an override, saves, and the
server holds exactly that; then edits and removes overrides. Moderators are not offered the command."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from moderator_app.core.models import SamplingConfig, SamplingRule
from moderator_app.core.policy import Action
from moderator_app.ui.qa.sampling_editor import COMMAND, SamplingDialog
from tests.ui.samples import save_screenshot
from tests.ui.team_host import CTRL, WAIT, open_window, press, runner, team_of, type_text

__all__ = ["open_window", "runner"]
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _open_editor(qtbot, window) -> SamplingDialog:
    press(qtbot, Qt.Key.Key_S, CTRL | SHIFT)
    qtbot.waitUntil(lambda: window.roles.sampling.dialog is not None, timeout=WAIT)
    dialog = window.roles.sampling.dialog
    qtbot.waitUntil(lambda: dialog.ready and QApplication.focusWidget() is dialog.default_edit, timeout=WAIT)
    return dialog


def _retype(qtbot, text: str) -> None:
    press(qtbot, Qt.Key.Key_A, CTRL)  # select what the field holds, so typing replaces it
    type_text(qtbot, text)


def _choose(qtbot, box, data: object) -> None:
    """Move a combo box to the entry holding data with the arrow keys (no popup, no mouse)."""
    target = box.findData(data)
    assert target >= 0
    while box.currentIndex() != target:
        press(qtbot, Qt.Key.Key_Down if box.currentIndex() < target else Qt.Key.Key_Up)


def test_a_lead_edits_the_sampling_rates_with_keys(qtbot, open_window, seeded_server) -> None:
    lead = team_of(seeded_server, "lena")
    lead.set_sampling(SamplingConfig(default_rate=0.05))
    lena = open_window(seeded_server, "lena")
    assert lena.commands.is_enabled(COMMAND) and lena.commands.key(COMMAND) == "Ctrl+Shift+S"
    assert "QA sampling rates…" in lena.commands.action(COMMAND).text()
    dialog = _open_editor(qtbot, lena)
    assert dialog.default_edit.text() == "5" and dialog.table.rowCount() == 0

    _retype(qtbot, "150")
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert dialog.isVisible() and "from 0 to 100" in dialog.error_label.text()  # refused before anything is sent
    _retype(qtbot, "12.5")

    press(qtbot, Qt.Key.Key_Insert)
    assert QApplication.focusWidget() is dialog.queue_box
    queue_id = lead.api.queues()[0].id
    _choose(qtbot, dialog.queue_box, queue_id)
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.action_box
    _choose(qtbot, dialog.action_box, Action.REMOVE_POST)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)  # any reason
    assert QApplication.focusWidget() is dialog.rate_edit
    type_text(qtbot, "lots")
    press(qtbot, Qt.Key.Key_Return)
    assert "is not a number" in dialog.error_label.text() and dialog.table.rowCount() == 0
    _retype(qtbot, "100")
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.table.rowCount() == 1 and dialog.error_label.isHidden()
    assert dialog.table.item(0, 1).text() == "Remove post" and dialog.table.item(0, 3).text() == "100 %"
    assert QApplication.focusWidget() is dialog.table
    # An override that narrows nothing is the default rate's job.
    press(qtbot, Qt.Key.Key_Insert)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "50")
    press(qtbot, Qt.Key.Key_Return)
    assert "needs a queue, an action or a reason" in dialog.error_label.text() and dialog.table.rowCount() == 1
    save_screenshot(dialog, "qa_sampling_editor")

    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: lena.roles.sampling.dialog is None, timeout=WAIT)  # saved and closed
    expected = SamplingConfig(
        default_rate=0.125, rules=[SamplingRule(queue_id=queue_id, action=Action.REMOVE_POST, rate=1.0)]
    )
    assert lead.sampling() == expected
    assert "QA sampling saved" in lena.status.currentMessage()

    # Again: the override is listed; Return edits it (a new rate), Delete removes another one added meanwhile.
    dialog = _open_editor(qtbot, lena)
    assert dialog.table.rowCount() == 1 and dialog.default_edit.text() == "12.5"
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.table
    press(qtbot, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.queue_box and dialog.queue_box.currentData() == queue_id
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Tab)
    _retype(qtbot, "50")
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 3).text() == "50 %"
    press(qtbot, Qt.Key.Key_Insert)
    press(qtbot, Qt.Key.Key_Tab)
    _choose(qtbot, dialog.action_box, Action.BAN_CHANNEL)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "25")
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.table.rowCount() == 2 and dialog.table.currentRow() == 1
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_Delete)  # the queue's override goes; the ban-channel one stays
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "Ban channel"
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: lena.roles.sampling.dialog is None, timeout=WAIT)  # saved and closed
    assert lead.sampling() == SamplingConfig(
        default_rate=0.125, rules=[SamplingRule(action=Action.BAN_CHANNEL, rate=0.25)]
    )


def test_moderators_are_not_offered_the_sampling_editor(qtbot, open_window, seeded_server) -> None:
    alice = open_window(seeded_server, "alice")
    assert not alice.commands.is_enabled(COMMAND) and not alice.commands.is_listed(COMMAND)
    press(qtbot, Qt.Key.Key_S, CTRL | SHIFT)
    assert alice.roles.sampling.dialog is None

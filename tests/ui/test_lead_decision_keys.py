"""The lead edits a queue's decision keys from the dashboard (D), keys only, against a real server: a row per key,
a confirmation listing what changes, the save on the server, and Ctrl+Z putting the keys before back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from moderator_app.core.models import DecisionOption
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.ui.lead.dashboard import LeadDashboard
from moderator_app.ui.lead.decision_keys import DecisionKeysDialog
from moderator_app.workflow.lead import MoveKind, Reassigner
from tests.ui.samples import save_screenshot
from tests.ui.team_host import (
    ALT,
    CTRL,
    WAIT,
    activate,
    lead_dashboard,
    open_window,
    press,
    runner,
    signed_in,
    team_of,
    type_text,
)

__all__ = ["open_window", "runner"]


def _spam_on_dashboard(qtbot, open_window, server: EmbeddedServer) -> tuple[object, LeadDashboard, Reassigner]:
    """Lena's dashboard with the spam queue selected, moving with the arrow keys as a lead would."""
    window = open_window(server, "lena")
    dashboard, reassigner = lead_dashboard(qtbot, window)
    press(qtbot, Qt.Key.Key_Home, CTRL)
    for _ in range(dashboard.queue_table.rowCount()):
        queue = dashboard.selected_queue()
        if queue is not None and queue.key == "spam":
            break
        press(qtbot, Qt.Key.Key_Down)
    assert dashboard.selected_queue() is not None and dashboard.selected_queue().key == "spam"
    return window, dashboard, reassigner


def _open_editor(qtbot, dashboard: LeadDashboard) -> DecisionKeysDialog:
    press(qtbot, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: dashboard.keys.dialog is not None, timeout=WAIT)
    dialog = dashboard.keys.dialog
    assert dialog is not None
    activate(qtbot, dialog)
    return dialog


def _keys(option_list: list[DecisionOption]) -> list[tuple[int, Action, PolicyReason | None, str]]:
    return [(o.slot, o.action, o.reason, o.title) for o in option_list]


def test_lead_changes_key_3_confirms_and_undoes_it(qtbot, open_window, seeded_server) -> None:
    window, dashboard, reassigner = _spam_on_dashboard(qtbot, open_window, seeded_server)
    lena, alice = signed_in(seeded_server, "lena"), signed_in(seeded_server, "alice")
    spam_id = dashboard.selected_queue().queue_id
    before = lena.queue(spam_id)
    assert before.own_decision_set is False
    assert (before.decision_set[2].action, before.decision_set[2].reason) == (Action.LABEL_SENSITIVE, PolicyReason.SPAM)

    dialog = _open_editor(qtbot, dashboard)
    assert dialog.row(1).action_combo.findData(Action.ESCALATE) == -1  # escalate has its own key, never a slot
    press(qtbot, Qt.Key.Key_3, ALT)  # "&3": key 3's action
    assert QApplication.focusWidget() is dialog.row(3).action_combo
    type_text(qtbot, "Ban")
    assert dialog.row(3).action() is Action.BAN_CHANNEL
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.row(3).reason_combo
    type_text(qtbot, "Scam")
    assert dialog.row(3).title_edit.placeholderText() == "Ban channel · Scam or fraud"
    press(qtbot, Qt.Key.Key_4, ALT)
    assert not dialog.row(4).reason_combo.isEnabled()  # "keep" carries no reason
    save_screenshot(dialog, "lead_decision_keys")

    press(qtbot, Qt.Key.Key_Return)
    assert dialog.pages.currentIndex() == 1
    text = dialog.confirm_label.text()
    assert text.startswith("Spam: change 1 decision key?\nKey 3: Label sensitive · Spam → Ban channel · Scam or fraud")
    assert "Ctrl+Z on the dashboard" in text
    save_screenshot(dialog, "lead_decision_keys_confirm")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dashboard.keys.dialog is None and reassigner.last_move is not None, timeout=WAIT)
    assert reassigner.last_move.kind is MoveKind.DECISION_KEYS

    changed = lena.queue(spam_id)
    expected = [*_keys(before.decision_set)]
    expected[2] = (3, Action.BAN_CHANNEL, PolicyReason.SCAM_FRAUD, "Ban channel · Scam or fraud")
    assert _keys(changed.decision_set) == expected and changed.own_decision_set is True
    assert _keys(alice.queue(spam_id).decision_set) == expected  # a moderator opening the queue gets the new keys
    qtbot.waitUntil(dashboard.banner.isVisible, timeout=WAIT)
    assert dashboard.banner.text().startswith("Spam: 1 decision key changed. Ctrl+Z to undo (")
    entry = lena.audit(action="decision_set_updated", queue_id=spam_id).entries[0]
    assert entry.actor == "lena" and entry.details["operation_id"] == reassigner.last_move.operation_id

    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: dashboard.banner.text().startswith("Undone:"), timeout=WAIT)
    assert dashboard.banner.text() == "Undone: Spam has its earlier decision keys back."
    back = lena.queue(spam_id)
    assert back.decision_set == before.decision_set and back.own_decision_set is False
    assert [e.actor for e in lena.audit(action="decision_set_undo", queue_id=spam_id).entries] == ["lena"]


def test_lead_clears_a_key_goes_back_to_the_defaults_and_is_told_when_undo_is_refused(
    qtbot, open_window, seeded_server
) -> None:
    team = team_of(seeded_server, "ada")
    window, dashboard, reassigner = _spam_on_dashboard(qtbot, open_window, seeded_server)
    spam_id = dashboard.selected_queue().queue_id
    own = [
        DecisionOption(slot=1, action=Action.REMOVE_POST, reason=PolicyReason.SPAM),
        DecisionOption(slot=4, action=Action.NO_VIOLATION, title="Fine"),
    ]
    team.change_decision_set(spam_id, own)  # ada gave the queue keys of its own

    dialog = _open_editor(qtbot, dashboard)
    assert dialog.row(4).title_edit.text() == "Fine" and dialog.row(4).title_edit.isEnabled()
    press(qtbot, Qt.Key.Key_Return)  # nothing changed yet
    assert dialog.pages.currentIndex() == 0
    assert dialog.error_label.text() == "Nothing to save: the keys are as they were."
    press(qtbot, Qt.Key.Key_4, ALT)
    press(qtbot, Qt.Key.Key_C, ALT)  # clear key 4
    assert dialog.row(4).option() is None and not dialog.row(4).title_edit.isEnabled()
    press(qtbot, Qt.Key.Key_Return)
    assert "Key 4: Keep (no violation) (“Fine”) → no key" in dialog.confirm_label.text()
    press(qtbot, Qt.Key.Key_Escape)  # back to the form, on the key being edited
    assert dialog.pages.currentIndex() == 0 and QApplication.focusWidget() is dialog.row(4).action_combo
    press(qtbot, Qt.Key.Key_1, ALT)
    press(qtbot, Qt.Key.Key_C, ALT)
    press(qtbot, Qt.Key.Key_Return)  # every key cleared: that would silently mean "the defaults"
    assert dialog.error_label.text().startswith("Give the queue at least one key, or press Alt+D")
    press(qtbot, Qt.Key.Key_D, ALT)
    assert dialog.defaults_label.isVisible() and not dialog.grid_box.isEnabled()
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.confirm_label.text().startswith("Spam: back to the default decision keys? Its own keys are dropped:")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dashboard.keys.dialog is None and reassigner.last_move is not None, timeout=WAIT)
    assert team.api.queue(spam_id).own_decision_set is False
    qtbot.waitUntil(dashboard.banner.isVisible, timeout=WAIT)
    assert dashboard.banner.text().startswith("Spam: back to the default decision keys. Ctrl+Z to undo")

    # Someone else changes the keys meanwhile: the undo is refused, in the server's words, and changes nothing.
    team.change_decision_set(spam_id, own)
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(dashboard.error_label.isVisible, timeout=WAIT)
    assert dashboard.error_label.text() == (
        "The decision keys of queue 'Spam' were changed again since; change them back by hand."
    )
    assert [o.title for o in team.api.queue(spam_id).decision_set] == ["Remove post · Spam", "Fine"]

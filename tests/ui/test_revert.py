"""A decision already sent can be reverted from the client (Ctrl+Shift+Z): leads may, and the server says so to a
moderator who may not (its 403 message is shown, in the dialog)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import text

from moderator_app.ui.decision_dialogs import RevertDialog
from tests.ui.keys import (
    CTRL,
    SHIFT,
    WAIT,
    connect,
    make_window,
    open_queue_with_keys,
    press,
    runner,
    type_text,
    wait_for_dialog,
    wait_for_window,
)
from tests.ui.samples import save_screenshot
from tests.workflow.dataset import gather_in_queue

__all__ = ["make_window", "runner"]  # fixtures


def decide_one_and_wait_until_sent(qtbot, window) -> int:
    qtbot.waitUntil(lambda: window.session.can_decide, timeout=WAIT)
    item_id = window.session.current.id
    press(qtbot, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: window.session.status.sent_total == 1, timeout=WAIT)
    return item_id


def open_revert_dialog(qtbot) -> RevertDialog:
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    dialog = wait_for_dialog(qtbot)
    assert isinstance(dialog, RevertDialog)
    return dialog


def test_a_moderator_sees_the_servers_refusal(qtbot, make_window, seeded_server) -> None:
    window = make_window(connect(seeded_server, "alice"))
    open_queue_with_keys(qtbot, window, gather_in_queue(seeded_server.engine, "spam"))
    item_id = decide_one_and_wait_until_sent(qtbot, window)
    dialog = open_revert_dialog(qtbot)
    assert dialog.decisions.count() == 1 and f"Item {item_id}" in dialog.decisions.item(0).text()
    press(qtbot, Qt.Key.Key_Return)  # no reason given yet
    assert "Write something first" in dialog.error_label.text()
    type_text(qtbot, "wrong call")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.error_label.isVisible(), timeout=WAIT)
    message = dialog.error_label.text()
    assert message and "revert" in message.lower(), message  # the server's own words (403)
    save_screenshot(dialog, "revert_refused")
    press(qtbot, Qt.Key.Key_Escape)
    wait_for_window(qtbot, window)


def test_a_lead_reverts_a_sent_decision(qtbot, make_window, seeded_server) -> None:
    window = make_window(connect(seeded_server, "lena"))
    open_queue_with_keys(qtbot, window, gather_in_queue(seeded_server.engine, "spam"))
    item_id = decide_one_and_wait_until_sent(qtbot, window)
    open_revert_dialog(qtbot)
    type_text(qtbot, "decided too fast")
    press(qtbot, Qt.Key.Key_Return)
    wait_for_window(qtbot, window)
    with seeded_server.engine.connect() as db:
        status, reverted = db.execute(
            text("SELECT i.status, d.reverted_at FROM items i JOIN decisions d ON d.item_id = i.id WHERE i.id = :i"),
            {"i": item_id},
        ).one()
    assert status in ("pending", "claimed") and reverted is not None  # open again (and soon prefetched again)
    assert "is back in its queue" in window.status.currentMessage()

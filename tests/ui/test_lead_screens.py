"""The lead's screens driven by keys against a real server: the dashboard finds the queue most at risk, the
reassign dialog moves its 50 oldest items to bob (confirmed, undoable), and bob's next claims are those items.

Screenshots go to tests/_screenshots/ for a person to look at.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.deadlines import DeadlineState
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.tables import ChannelRow, ItemRow, QueueRow
from moderator_app.ui.lead.dashboard import BAR_COLUMN, EARLIEST_COLUMN, LeadDashboard
from moderator_app.ui.lead.reassign import ReassignDialog
from moderator_app.ui.lead.risk import BAR_ROLE
from moderator_app.ui.roles import LEAD, MODERATOR
from moderator_app.workflow.lead import LeadBoard, Reassigner
from tests.factories import add_item
from tests.ui.samples import save_screenshot
from tests.ui.team_host import ALT, CTRL, WAIT, activate, open_window, press, runner, signed_in, type_text

__all__ = ["open_window", "runner"]

EXTRA_ITEMS = 60


def _pile_up(server: EmbeddedServer, queue_key: str) -> tuple[int, list[int]]:
    """Overdue items arrive in one queue (an authority batch at night): it becomes the queue most at risk.
    Returns the queue id and its 50 oldest open items, oldest first."""
    now = datetime.now(UTC)
    with Session(server.engine) as session:
        queue_id = session.scalar(select(QueueRow.id).where(QueueRow.key == queue_key))
        channel_id = session.scalar(select(ChannelRow.id).order_by(ChannelRow.id).limit(1))
        assert queue_id is not None and channel_id is not None
        for n in range(EXTRA_ITEMS):
            deadline = now - timedelta(minutes=10 + n)
            add_item(
                session,
                queue_id,
                deadline,
                channel_id=channel_id,
                post_id=None,
                flagged_at=deadline - timedelta(hours=1),
            )
        session.commit()
        oldest = list(
            session.scalars(
                select(ItemRow.id)
                .where(ItemRow.queue_id == queue_id, ItemRow.status != "decided")
                .order_by(ItemRow.flagged_at, ItemRow.id)
                .limit(50)
            )
        )
    return queue_id, oldest


def _dashboard(window) -> tuple[LeadDashboard, LeadBoard, Reassigner]:
    parts = window.roles.parts
    return parts["dashboard"], parts["lead_board"], parts["reassigner"]


def test_lead_moves_the_50_oldest_items_of_the_queue_most_at_risk_to_bob(qtbot, open_window, seeded_server) -> None:
    queue_id, oldest = _pile_up(seeded_server, "hate")
    window = open_window(seeded_server, "lena")
    press(qtbot, Qt.Key.Key_2, CTRL)
    assert window.roles.current == LEAD
    dashboard, board, reassigner = _dashboard(window)
    qtbot.waitUntil(lambda: dashboard.queue_table.rowCount() > 0 and bool(board.moderators), timeout=WAIT)
    assert dashboard.moderator_table.rowCount() == len(board.moderators)
    qtbot.wait(200)  # let the charts lay out before the picture
    save_screenshot(window, "lead_dashboard")

    press(qtbot, Qt.Key.Key_M)
    selected = dashboard.selected_queue()
    assert selected is not None and selected.queue_id == queue_id
    assert selected.overdue >= EXTRA_ITEMS
    # At a glance: the headline names the worst queue in red, its row's bar counts its overdue items.
    assert dashboard.headline_state is DeadlineState.OVERDUE
    assert f"Most urgent: {selected.name}: {selected.overdue} overdue" in dashboard.headline.text()
    row = dashboard.queue_table.currentRow()
    assert dashboard.queue_table.item(row, BAR_COLUMN).data(BAR_ROLE)[0] == selected.overdue
    assert dashboard.queue_table.item(row, EARLIEST_COLUMN).text().startswith("overdue by")

    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dashboard.dialog is not None, timeout=WAIT)
    dialog: ReassignDialog = dashboard.dialog
    activate(qtbot, dialog)
    assert dialog.queue_combo.currentData() == queue_id and dialog.limit_spin.value() == 50
    press(qtbot, Qt.Key.Key_T, ALT)  # "Assign &to"
    assert QApplication.focusWidget() is dialog.assign_combo
    type_text(qtbot, "bob")
    assert dialog.assign_combo.currentData() == "bob"
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT)
    assert dialog.preview.count == 50 and dialog.preview.item_ids == oldest
    save_screenshot(dialog, "lead_reassign_dialog")

    press(qtbot, Qt.Key.Key_Return)  # the confirmation step, with the count
    assert dialog.pages.currentIndex() == 1
    assert dialog.confirm_label.text().startswith("50 items: assign them to bob?")
    save_screenshot(dialog, "lead_reassign_confirm")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reassigner.last is not None and dashboard.dialog is None, timeout=WAIT)
    assert reassigner.last.count == 50 and sorted(reassigner.last.item_ids) == sorted(oldest)
    qtbot.waitUntil(dashboard.banner.isVisible, timeout=WAIT)
    assert "Moved 50 items. Ctrl+Z to undo" in dashboard.banner.text()
    save_screenshot(window, "lead_dashboard_after_move")

    bob = signed_in(seeded_server, "bob")
    claimed = [entry.item.id for entry in bob.claim(queue_id, count=50).items]
    assert sorted(claimed) == sorted(oldest)
    audit = signed_in(seeded_server, "lena").audit(item_id=oldest[0], action="reassign").entries
    assert [entry.actor for entry in audit] == ["lena"]

    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_1, CTRL)  # back to the moderator's screen
    assert window.roles.current == MODERATOR and window.stack.currentIndex() == 0
    assert not board.polling


def test_lead_undoes_a_move_with_ctrl_z_and_polls_with_etags(qtbot, open_window, seeded_server) -> None:
    queue_id, oldest = _pile_up(seeded_server, "spam")
    window = open_window(seeded_server, "lena")
    press(qtbot, Qt.Key.Key_2, CTRL)
    dashboard, board, reassigner = _dashboard(window)
    qtbot.waitUntil(lambda: dashboard.queue_table.rowCount() > 0, timeout=WAIT)
    board.refresh()
    qtbot.waitUntil(lambda: board.polls >= 2, timeout=WAIT)
    assert board.not_modified >= 1  # nothing changed: the server answered 304 and the view stayed
    assert dashboard.updated_label.text().endswith("(no change)")

    press(qtbot, Qt.Key.Key_M)
    assert dashboard.selected_queue().queue_id == queue_id
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dashboard.dialog is not None, timeout=WAIT)
    dialog = dashboard.dialog
    activate(qtbot, dialog)
    press(qtbot, Qt.Key.Key_V, ALT)  # "Mo&ve to queue"
    type_text(qtbot, "esc")  # Escalations
    assert dialog.move_combo.currentText() == "Escalations"
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reassigner.last is not None and dashboard.dialog is None, timeout=WAIT)
    activate(qtbot, window)
    lena = signed_in(seeded_server, "lena")
    assert lena.item(oldest[0]).queue_id != queue_id
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: dashboard.banner.text().startswith("Undone: 50 items put back"), timeout=WAIT)
    assert all(lena.item(item_id).queue_id == queue_id for item_id in oldest[:5])


def test_a_moderator_sees_no_lead_screen(qtbot, open_window, seeded_server) -> None:
    window = open_window(seeded_server, "alice")
    assert not window.commands.is_enabled("role.lead")
    press(qtbot, Qt.Key.Key_2, CTRL)
    assert window.roles.current == MODERATOR and window.stack.currentIndex() == 0


def test_demo_mode_offers_to_sign_in_as_another_demo_user(qtbot, open_window, seeded_server) -> None:
    window = open_window(seeded_server, "alice")
    assert not window.commands.is_enabled("demo.switch_user")  # not a demo run
    window.roles.set_demo(True)
    chosen: list[str] = []
    window.roles.switch_user_requested.connect(chosen.append)
    press(qtbot, Qt.Key.Key_U, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.roles._demo_dialog
    assert dialog is not None
    activate(qtbot, dialog)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    assert chosen == ["demo-lead"]

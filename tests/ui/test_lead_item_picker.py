"""The Move work dialog's item picker, keys only, against a real server: the lead lists a queue's open items, checks
two of them, and exactly those two move (confirmed, audited). Esc leaves the dialog as it was; find and Ctrl+A work
on the items shown.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.tables import ItemRow, PostRow, at_risk_from
from moderator_app.ui.lead.item_picker import ItemPicker
from moderator_app.ui.lead.reassign import ReassignDialog
from moderator_app.workflow.lead import Reassigner
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
    type_text,
)
from tests.workflow.dataset import queue_id

__all__ = ["open_window", "runner"]


def _open_items(server: EmbeddedServer, queue_id: int, *, by_deadline: bool = False) -> list[int]:
    """The queue's open items, oldest flagged first (the dialog's default order) or earliest deadline first."""
    order = (ItemRow.deadline, ItemRow.id) if by_deadline else (ItemRow.flagged_at, ItemRow.id)
    with Session(server.engine) as session:
        query = select(ItemRow.id).where(ItemRow.queue_id == queue_id, ItemRow.status != "decided")
        return list(session.scalars(query.order_by(*order)))


def _due_first(server: EmbeddedServer, item_id: int, queue_id: int) -> None:
    """The item gets the queue's earliest deadline (an authority's notice on it): the two orders now differ."""
    with Session(server.engine) as session:
        earliest = session.scalar(select(func.min(ItemRow.deadline)).where(ItemRow.queue_id == queue_id))
        assert earliest is not None
        deadline = earliest - timedelta(minutes=1)
        row = session.get(ItemRow, item_id)
        assert row is not None
        session.execute(
            update(ItemRow)
            .where(ItemRow.id == item_id)
            .values(deadline=deadline, at_risk_at=at_risk_from(row.flagged_at, deadline))
        )
        session.commit()


def _listed_ids(picker: ItemPicker) -> list[int]:
    return [picker.table.item(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(picker.table.rowCount())]


def _post_texts(server: EmbeddedServer, item_ids: list[int]) -> list[str]:
    with Session(server.engine) as session:
        query = select(PostRow.text).join(ItemRow, ItemRow.post_id == PostRow.id).where(ItemRow.id.in_(item_ids))
        return [text for text in session.scalars(query) if text]


def _open_move_work(qtbot, open_window, server: EmbeddedServer) -> tuple[object, ReassignDialog, Reassigner]:
    window = open_window(server, "lena")
    dashboard, reassigner = lead_dashboard(qtbot, window)
    press(qtbot, Qt.Key.Key_A)  # move work by any filter
    qtbot.waitUntil(lambda: dashboard.dialog is not None, timeout=WAIT)
    dialog = dashboard.dialog
    activate(qtbot, dialog)
    return window, dialog, reassigner


def _open_picker(qtbot, dialog: ReassignDialog) -> ItemPicker:
    press(qtbot, Qt.Key.Key_P, ALT)  # "&Pick items…"
    qtbot.waitUntil(lambda: dialog.picker is not None and dialog.picker.isVisible(), timeout=WAIT)
    picker = dialog.picker
    qtbot.waitUntil(lambda: picker.page is not None and QApplication.focusWidget() is picker.table, timeout=WAIT)
    return picker


def _checked_rows(picker: ItemPicker) -> int:
    return len(picker.checked_ids())


def test_lead_picks_two_items_by_keyboard_and_exactly_those_move(qtbot, open_window, seeded_server) -> None:
    spam, escalations = queue_id(seeded_server.engine, "spam"), queue_id(seeded_server.engine, "escalations")
    bob = signed_in(seeded_server, "bob")
    held = bob.claim(spam, count=1).items[0].item.id  # the picker names who holds a claim
    _due_first(seeded_server, _open_items(seeded_server, spam)[-1], spam)
    listed = _open_items(seeded_server, spam)
    assert len(listed) >= 4 and held in listed
    window, dialog, reassigner = _open_move_work(qtbot, open_window, seeded_server)
    hints = " ".join(label.text() for label in dialog.findChildren(type(dialog.count_label)))
    assert "Alt+P: pick items from a list" in hints
    assert QApplication.focusWidget() is dialog.queue_combo
    type_text(qtbot, "Spam")
    assert dialog.queue_combo.currentData() == spam

    # Esc leaves everything as it was, whatever was checked, found or typed in the list.
    picker = _open_picker(qtbot, dialog)
    assert _listed_ids(picker) == listed and picker.order_combo.currentText() == "oldest flagged first"
    held_row = listed.index(held)
    assert picker.table.item(held_row, 6).text() == "bob"
    shown = " ".join(picker.table.item(r, c).text() for r in range(picker.table.rowCount()) for c in range(8))
    assert not any(text in shown for text in _post_texts(seeded_server, listed))  # no post text in the list
    press(qtbot, Qt.Key.Key_A, CTRL)
    assert _checked_rows(picker) == len(listed)
    press(qtbot, Qt.Key.Key_A, CTRL)  # again: all unchecked
    assert _checked_rows(picker) == 0
    type_text(qtbot, str(listed[-1]))  # typing finds by id
    assert QApplication.focusWidget() is picker.find_edit and picker.find_edit.text() == str(listed[-1])
    shown_rows = [row for row in range(picker.table.rowCount()) if not picker.table.isRowHidden(row)]
    assert listed.index(listed[-1]) in shown_rows and len(shown_rows) < len(listed)
    press(qtbot, Qt.Key.Key_Down)  # back into the list
    assert QApplication.focusWidget() is picker.table
    press(qtbot, Qt.Key.Key_A, CTRL)  # all shown: only the found ones
    assert _checked_rows(picker) == len(shown_rows)
    press(qtbot, Qt.Key.Key_R, ALT)  # "O&rder": the server lists them again, the checks stay
    press(qtbot, Qt.Key.Key_Up)
    assert picker.order_combo.currentText() == "earliest deadline first"
    by_deadline = _open_items(seeded_server, spam, by_deadline=True)
    assert by_deadline != listed  # the two orders differ in this queue, so the reload is seen
    qtbot.waitUntil(lambda: _listed_ids(picker) == by_deadline, timeout=WAIT)
    assert _checked_rows(picker) == len(shown_rows)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not picker.isVisible(), timeout=WAIT)
    assert dialog.isVisible() and dialog.items_edit.text() == ""
    activate(qtbot, dialog)  # the offscreen platform gives the keyboard back to no window by itself

    # Two items checked with Space, Return: their ids go into the dialog, which previews, confirms and moves them.
    picker = _open_picker(qtbot, dialog)
    assert picker.find_edit.text() == "" and _checked_rows(picker) == 0
    press(qtbot, Qt.Key.Key_Space)  # the first row (earliest deadline)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)
    chosen = [listed[0], listed[2]]
    assert picker.checked_ids() == chosen
    assert picker.status_label.text().startswith(f"{len(listed)} open items · 2 checked")
    save_screenshot(picker, "lead_item_picker")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not picker.isVisible(), timeout=WAIT)
    assert dialog.items_edit.text() == f"{chosen[0]}, {chosen[1]}"
    activate(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.assign_combo  # next: what to do with them
    save_screenshot(dialog, "lead_reassign_picked")
    picker = _open_picker(qtbot, dialog)  # opened again, the list checks the ids in the field
    assert picker.checked_ids() == chosen
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not picker.isVisible(), timeout=WAIT)
    activate(qtbot, dialog)
    assert dialog.items_edit.text() == f"{chosen[0]}, {chosen[1]}"
    press(qtbot, Qt.Key.Key_V, ALT)  # "Mo&ve to queue"
    type_text(qtbot, "esc")
    assert dialog.move_combo.currentData() == escalations
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT)
    assert dialog.preview.item_ids == chosen and dialog.preview.count == 2
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.pages.currentIndex() == 1
    assert dialog.confirm_label.text().startswith("2 items: move them to Escalations?")
    press(qtbot, Qt.Key.Key_Return)
    dashboard = window.roles.parts["dashboard"]
    qtbot.waitUntil(lambda: reassigner.last is not None and dashboard.dialog is None, timeout=WAIT)

    lena = signed_in(seeded_server, "lena")
    assert [lena.item(item_id).queue_id for item_id in chosen] == [escalations, escalations]
    assert set(_open_items(seeded_server, spam)) == set(listed) - set(chosen)  # nothing else moved
    moved = lena.audit(action="reassign", queue_id=escalations).entries
    assert sorted(entry.item_id for entry in moved) == sorted(chosen)

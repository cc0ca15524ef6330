"""The lead's other moves, keys only, against a real server: releasing stale claims (preview with count and holders,
confirmation, undo) and changing a queue's priority and service level (confirmation, audit, undo)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.tables import ItemRow
from moderator_app.ui.lead.dashboard import LeadDashboard
from moderator_app.ui.lead.queue_settings import QueueSettingsDialog
from moderator_app.ui.lead.release_stale import ReleaseStaleDialog
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
    type_text,
)
from tests.workflow.dataset import queue_id

__all__ = ["open_window", "runner"]


def _age_claims(server: EmbeddedServer, item_ids: list[int], minutes: int) -> None:
    """Claims taken `minutes` ago whose leases the holder's app kept renewing (a moderator who walked away)."""
    with Session(server.engine) as session:
        taken = datetime.now(UTC) - timedelta(minutes=minutes)
        session.execute(update(ItemRow).where(ItemRow.id.in_(item_ids)).values(claimed_at=taken))
        session.commit()


def _open_deadlines(server: EmbeddedServer, queue_id: int) -> dict[int, datetime]:
    with Session(server.engine) as session:
        rows = session.execute(
            select(ItemRow.id, ItemRow.deadline).where(ItemRow.queue_id == queue_id, ItemRow.status != "decided")
        )
        return {item_id: deadline for item_id, deadline in rows}


def _lead_dashboard(qtbot, open_window, server: EmbeddedServer) -> tuple[object, LeadDashboard, Reassigner]:
    window = open_window(server, "lena")
    return (window, *lead_dashboard(qtbot, window))


def test_lead_releases_stale_claims_after_a_preview_and_undoes_it(qtbot, open_window, seeded_server) -> None:
    spam = queue_id(seeded_server.engine, "spam")
    alice, bob = signed_in(seeded_server, "alice"), signed_in(seeded_server, "bob")
    stale = [entry.item.id for entry in alice.claim(spam, count=3).items]
    fresh = [entry.item.id for entry in bob.claim(spam, count=1).items]
    assert len(stale) == 3 and len(fresh) == 1
    _age_claims(seeded_server, stale, 30)
    window, dashboard, reassigner = _lead_dashboard(qtbot, open_window, seeded_server)

    press(qtbot, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: dashboard.stale_dialog is not None, timeout=WAIT)
    dialog: ReleaseStaleDialog = dashboard.stale_dialog
    activate(qtbot, dialog)
    press(qtbot, Qt.Key.Key_Q, ALT)  # "&Queue": the selected queue is preset; any queue instead
    assert QApplication.focusWidget() is dialog.queue_combo
    type_text(qtbot, "any")
    assert dialog.queue_combo.currentData() is None
    press(qtbot, Qt.Key.Key_O, ALT)  # "Claims &older than"
    assert QApplication.focusWidget() is dialog.older_spin
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "60")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT)
    assert dialog.preview.count == 0
    press(qtbot, Qt.Key.Key_Return)  # nothing that old: no confirmation
    assert dialog.pages.currentIndex() == 0 and "nothing to release" in dialog.error_label.text()

    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "20")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT)
    assert (dialog.preview.count, dialog.preview.holders) == (3, {"alice": 3})
    assert sorted(dialog.preview.item_ids) == sorted(stale)
    assert dialog.count_label.text().startswith("3 claims would end · held by alice (3)")
    save_screenshot(dialog, "lead_release_stale_dialog")
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.pages.currentIndex() == 1
    assert dialog.confirm_label.text().startswith("End 3 claims older than 20 min in any queue?")
    save_screenshot(dialog, "lead_release_stale_confirm")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dashboard.stale_dialog is None and reassigner.last_move is not None, timeout=WAIT)
    assert reassigner.last_move.kind is MoveKind.RELEASE_STALE
    qtbot.waitUntil(dashboard.banner.isVisible, timeout=WAIT)
    assert dashboard.banner.text().startswith("Released 3 stale claims. Ctrl+Z to undo")

    lena = signed_in(seeded_server, "lena")
    assert [lena.item(i).status.value for i in stale] == ["pending"] * 3
    assert lena.item(fresh[0]).status.value == "claimed"  # bob's claim was not stale
    summary = lena.audit(action="release_stale_operation").entries
    assert [e.actor for e in summary] == ["lena"] and summary[0].details["count"] == 3

    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: dashboard.banner.text().startswith("Undone: 3 items put back"), timeout=WAIT)
    assert [lena.item(i).status.value for i in stale] == ["claimed"] * 3
    assert alice.renew(stale[0]).item_id == stale[0]  # alice holds them again


def test_lead_changes_a_queue_service_level_and_undoes_it(qtbot, open_window, seeded_server) -> None:
    window, dashboard, reassigner = _lead_dashboard(qtbot, open_window, seeded_server)
    queue = dashboard.selected_queue()
    assert queue is not None
    lena = signed_in(seeded_server, "lena")
    before = _open_deadlines(seeded_server, queue.queue_id)
    assert before

    press(qtbot, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: dashboard.settings_dialog is not None, timeout=WAIT)
    dialog: QueueSettingsDialog = dashboard.settings_dialog
    activate(qtbot, dialog)
    press(qtbot, Qt.Key.Key_P, ALT)  # "&Priority"
    assert QApplication.focusWidget() is dialog.priority_spin
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "77")
    press(qtbot, Qt.Key.Key_S, ALT)  # "&Service level"
    assert QApplication.focusWidget() is dialog.sla_spin
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "30")
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.pages.currentIndex() == 1
    open_items = queue.pending + queue.claimed
    expected = f"{queue.name}: priority {queue.priority} → 77, service level "
    assert dialog.confirm_label.text().startswith(expected)
    assert f"{open_items} open items get new deadlines" in dialog.confirm_label.text()
    save_screenshot(dialog, "lead_queue_settings_confirm")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dashboard.settings_dialog is None and reassigner.last_move is not None, timeout=WAIT)
    assert _open_deadlines(seeded_server, queue.queue_id) != before
    changed = lena.queue(queue.queue_id)
    assert (changed.priority, changed.sla_seconds) == (77, 1800)
    qtbot.waitUntil(dashboard.banner.isVisible, timeout=WAIT)
    assert dashboard.banner.text().startswith(f"{queue.name}: priority 77, service level 30 min")
    assert "Ctrl+Z to undo" in dashboard.banner.text()
    entry = lena.audit(action="queue_updated", queue_id=queue.queue_id).entries[0]
    assert entry.actor == "lena" and entry.details["after"]["sla_seconds"] == 1800
    assert entry.details["items_rescheduled"] == open_items

    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: dashboard.banner.text().startswith("Undone:"), timeout=WAIT)
    assert f"{queue.name} is back to priority {queue.priority}" in dashboard.banner.text()
    back = lena.queue(queue.queue_id)
    assert (back.priority, back.sla_seconds) == (queue.priority, queue.sla_seconds)
    assert _open_deadlines(seeded_server, queue.queue_id) == before
    assert [e.actor for e in lena.audit(action="queue_update_undo", queue_id=queue.queue_id).entries] == ["lena"]

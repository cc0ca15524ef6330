"""The audit log viewer pages through 100,000+ entries with filters, loading pages on demand as keys scroll it, with
the UI responsive throughout; CSV export runs in the background with a progress dialog.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.tables import AuditRow
from moderator_app.ui.qa.audit_view import AuditViewer
from moderator_app.workflow.audit_model import PAGE_SIZE
from tests.factories import AUDIT_ROWS, add_audit_rows
from tests.ui.samples import save_screenshot
from tests.ui.team_host import ALT, CTRL, WAIT, activate, open_window, press, runner, type_text

__all__ = ["open_window", "runner"]

ROWS = AUDIT_ROWS


def _bulk_insert(server: EmbeddedServer) -> int:
    """100,000 audit rows over the last 28 hours; returns how many are bot3's claims (one in 35)."""
    add_audit_rows(server.engine, datetime.now(UTC) - timedelta(seconds=ROWS + 1000))
    with Session(server.engine) as session:
        query = select(func.count()).where(AuditRow.actor_name == "bot3", AuditRow.action == "claim")
        return int(session.scalar(query) or 0)


class Heartbeat:
    """Counts timer ticks on the UI thread: if the UI stalled while pages load, the count would stand still."""

    def __init__(self) -> None:
        self.ticks = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.ticks += 1


def test_audit_viewer_pages_through_100000_entries_with_filters(qtbot, open_window, seeded_server, tmp_path) -> None:
    expected = _bulk_insert(seeded_server)
    assert expected > 2 * PAGE_SIZE
    window = open_window(seeded_server, "lena")
    press(qtbot, Qt.Key.Key_2, CTRL)
    press(qtbot, Qt.Key.Key_L, ALT)  # the "Audit &log" tab
    viewer: AuditViewer = window.roles.parts["lead_audit"]
    model = viewer.model
    qtbot.waitUntil(lambda: model.rowCount() == PAGE_SIZE, timeout=WAIT)
    assert not model.exhausted and model.pages_fetched == 1  # lazy: one page of 100,000+

    # Unfiltered: Ctrl+End and PageDown pull more pages as the view reaches the end.
    heartbeat = Heartbeat()
    for _ in range(3):
        before = model.rowCount()
        press(qtbot, Qt.Key.Key_End, CTRL)
        qtbot.waitUntil(lambda before=before: model.rowCount() > before and not model.loading, timeout=WAIT)
    press(qtbot, Qt.Key.Key_PageDown)
    assert PAGE_SIZE * 3 < model.rowCount() < ROWS  # only what was scrolled to is held
    assert heartbeat.ticks > 0

    # Filters: actor and action, Return applies; scroll to the very end with keys.
    press(qtbot, Qt.Key.Key_A, ALT)
    assert QApplication.focusWidget() is viewer.actor_edit
    type_text(qtbot, "bot3")
    press(qtbot, Qt.Key.Key_C, ALT)
    type_text(qtbot, "claim")
    press(qtbot, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is viewer.table
    qtbot.waitUntil(lambda: model.rowCount() > 0 and not model.loading, timeout=WAIT)
    assert model.rowCount() == PAGE_SIZE
    ticks_before = heartbeat.ticks
    while not model.exhausted:
        before = model.rowCount()
        press(qtbot, Qt.Key.Key_End, CTRL)
        qtbot.waitUntil(lambda before=before: model.rowCount() > before or model.exhausted, timeout=WAIT)
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT)
    assert model.rowCount() == expected
    assert heartbeat.ticks > ticks_before  # the UI kept running while the pages came in
    entries = [model.entry(row) for row in range(model.rowCount())]
    assert all(e.actor == "bot3" and e.action == "claim" for e in entries)
    ids = [e.id for e in entries]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)  # newest first, no duplicates
    press(qtbot, Qt.Key.Key_End, CTRL)  # the last page came in below the cursor: one more press reaches the end
    assert viewer.table.currentIndex().row() == model.rowCount() - 1
    save_screenshot(window, "audit_viewer")

    # Export what the filters select: pages fetched in the background, a progress dialog, a CSV file.
    target = tmp_path / "audit.csv"
    viewer.ask_path = lambda _suggested: str(target)
    press(qtbot, Qt.Key.Key_E, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(viewer.banner.isVisible, timeout=WAIT)
    assert viewer.progress is None
    with target.open(encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert len(exported) == expected
    assert [int(row["id"]) for row in exported] == ids

    # A time range on top: Alt+F ticks "From" (a day ago), Return applies; every entry is inside the range.
    activate(qtbot, window)  # the progress dialog had the keys
    viewer.table.setFocus()
    press(qtbot, Qt.Key.Key_F, ALT)
    qtbot.waitUntil(viewer.from_check.isChecked, timeout=WAIT)  # a mnemonic clicks after a short animation
    press(qtbot, Qt.Key.Key_Return)
    start = viewer.model.query.start
    assert start is not None
    with Session(seeded_server.engine) as session:
        in_range = session.scalar(
            select(func.count()).where(AuditRow.actor_name == "bot3", AuditRow.action == "claim", AuditRow.at >= start)
        )
    assert 0 < in_range < expected
    while not model.exhausted or model.loading:
        press(qtbot, Qt.Key.Key_End, CTRL)
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT)
    assert model.rowCount() == in_range
    assert all(model.entry(row).at >= start for row in range(model.rowCount()))
    heartbeat.timer.stop()

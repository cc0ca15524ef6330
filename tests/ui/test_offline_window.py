"""The window during an outage: OFFLINE is shown plainly, the moderator keeps deciding what is prepared, and the
bar goes away once everything is sent to the server that came back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.keys import WAIT, connect, make_window, open_queue_with_keys, press, runner
from tests.ui.samples import save_screenshot
from tests.workflow.dataset import decision_counts, gather_in_queue

__all__ = ["make_window", "runner"]  # fixtures


def test_offline_is_shown_and_work_goes_on(qtbot, make_window, seeded_server, seeded_db, server_factory) -> None:
    window = make_window(connect(seeded_server, "alice"), prefetch=3, probe_interval_ms=150, maintenance_ms=200)
    open_queue_with_keys(qtbot, window, gather_in_queue(seeded_server.engine, "spam"))
    session = window.session
    qtbot.waitUntil(lambda: session.prepared_count == 3, timeout=WAIT)
    port = seeded_server.port
    seeded_server.stop()
    decided = []
    for _ in range(3):
        qtbot.waitUntil(lambda: session.can_decide, timeout=WAIT)
        decided.append(session.current.id)
        press(qtbot, Qt.Key.Key_K)
    bar = window.workflow_commands.offline_bar
    qtbot.waitUntil(lambda: bar.isVisible() and "3 decisions wait in the outbox" in bar.label.text(), timeout=WAIT)
    assert bar.label.text().startswith("OFFLINE")
    assert window.status.offline_label.isVisible()
    assert session.can_decide or session.current is not None  # the fourth prepared item is on screen
    save_screenshot(window, "review_offline")

    server_factory(db_path=seeded_db, port=port)
    qtbot.waitUntil(lambda: not bar.isVisible() and session.status.pending == 0, timeout=WAIT)
    assert not window.status.offline_label.isVisible()
    assert decision_counts(seeded_server.engine, "alice") == dict.fromkeys(decided, 1)

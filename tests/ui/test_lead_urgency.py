"""The dashboard names the queue that is most urgent once priority counts, says why, and M selects that queue: a
high-priority queue with fewer overdue items comes before a low-priority one with the most overdue items of all
(keys only, against a real server; the rule itself: tests/core/test_urgency.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.deadlines import DeadlineState
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.tables import ChannelRow
from moderator_app.ui.lead.dashboard import LeadDashboard
from moderator_app.ui.roles import LEAD
from moderator_app.workflow.lead import LeadBoard
from tests.factories import add_item, add_queue
from tests.ui.samples import save_screenshot
from tests.ui.team_host import CTRL, WAIT, open_window, press, runner, team_of

__all__ = ["open_window", "runner"]

PRIORITY_COLUMN = 2


def _add_overdue_queue(server: EmbeddedServer, key: str, priority: int, overdue: int) -> int:
    now = datetime.now(UTC)
    with Session(server.engine) as session:
        queue_id = add_queue(session, key, priority=priority, sla_hours=1)
        channel_id = session.scalar(select(ChannelRow.id).order_by(ChannelRow.id).limit(1))
        assert channel_id is not None
        for n in range(overdue):
            deadline = now - timedelta(minutes=10 + n)
            add_item(session, queue_id, deadline, channel_id=channel_id, post_id=None)
        session.commit()
    return queue_id


def test_the_headline_and_m_pick_the_priority_weighted_queue(qtbot, open_window, seeded_server) -> None:
    # Sized from the dataset so the outcome does not hang on its figures: the high-priority queue gets enough overdue
    # items to beat any demo queue even if every demo queue counted as high, yet fewer than the low-priority one,
    # which gets the most overdue items of all.
    before = team_of(seeded_server, "lena").queue_stats().value
    assert before is not None
    most_overdue = max(q.overdue for q in before.queues)
    strongest = max(3 * (q.overdue + 0.5 * q.at_risk) for q in before.queues)
    high_count = int(strongest // 3) + 2
    low_count = max(high_count + 3, most_overdue + 1)
    urgent = _add_overdue_queue(seeded_server, "hotline_notices", 1000, high_count)
    bulk = _add_overdue_queue(seeded_server, "bulk_promotions", -1000, low_count)

    window = open_window(seeded_server, "lena")
    press(qtbot, Qt.Key.Key_2, CTRL)
    assert window.roles.current == LEAD
    dashboard: LeadDashboard = window.roles.parts["dashboard"]
    board: LeadBoard = window.roles.parts["lead_board"]
    qtbot.waitUntil(lambda: dashboard.queue_table.rowCount() == len(before.queues) + 2, timeout=WAIT)
    figures = {q.queue_id: q for q in board.stats.queues}
    assert figures[urgent].overdue == high_count < figures[bulk].overdue == low_count
    assert low_count == max(q.overdue for q in board.stats.queues)  # the plain count would pick the bulk queue

    assert dashboard.headline_state is DeadlineState.OVERDUE
    text = dashboard.headline.text()
    assert f"Most urgent: Hotline Notices: {high_count} overdue, priority high;" in text, text
    rows = {dashboard.queue_table.item(row, 0).text(): row for row in range(dashboard.queue_table.rowCount())}
    assert dashboard.queue_table.item(rows["Hotline Notices"], PRIORITY_COLUMN).text() == "1000 · high"
    assert dashboard.queue_table.item(rows["Bulk Promotions"], PRIORITY_COLUMN).text() == "-1000 · low"

    press(qtbot, Qt.Key.Key_End, CTRL)  # to the last row (the lowest priority), so M has to move the selection
    assert dashboard.selected_queue().queue_id == bulk
    press(qtbot, Qt.Key.Key_M)
    selected = dashboard.selected_queue()
    assert selected is not None and selected.queue_id == urgent
    assert dashboard.queue_table.currentRow() == rows["Hotline Notices"]
    qtbot.wait(200)  # let the charts lay out before the picture
    save_screenshot(window, "lead_dashboard_urgency")

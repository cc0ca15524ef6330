"""Overdue and at-risk marks where items appear outside the lead's screens: the queue list and the review header;
and the dashboard's headline and row bars (no server: hand-made figures)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from moderator_app.core.deadlines import DeadlineState
from moderator_app.core.models import Queue, QueueStats, TeamQueueStats
from moderator_app.core.policy import PolicyReason
from moderator_app.ui.lead.risk import bar_counts, bar_text, headline, oldest_state
from moderator_app.ui.queue_list import AT_RISK_COLOR, AT_RISK_COLUMN, QueueListView
from moderator_app.ui.review_panes import ChannelHeader
from tests.ui import samples

NOW = datetime.now(UTC)


def _queue(queue_id: int, *, overdue: int, at_risk: int) -> Queue:
    return Queue(
        id=queue_id, key=f"q{queue_id}", name=f"Queue {queue_id}", description="", default_reason=PolicyReason.SPAM,
        priority=0, sla_seconds=3600, pending=5, claimed=0, overdue=overdue, oldest_flagged_at=NOW,
        next_deadline=NOW + timedelta(minutes=5), at_risk=at_risk,
    )  # fmt: skip


def test_the_queue_list_marks_items_at_risk_in_amber(qtbot) -> None:
    view = QueueListView()
    qtbot.addWidget(view)
    view.set_queues([_queue(1, overdue=0, at_risk=2), _queue(2, overdue=1, at_risk=0)])
    model = view.model
    risky, calm = model.index(0, AT_RISK_COLUMN), model.index(1, AT_RISK_COLUMN)
    assert model.headerData(AT_RISK_COLUMN, Qt.Orientation.Horizontal) == "At risk"
    assert (model.data(risky), model.data(calm)) == ("2", "0")
    assert model.data(risky, Qt.ItemDataRole.ForegroundRole).color() == AT_RISK_COLOR
    assert model.data(risky, Qt.ItemDataRole.FontRole).bold()
    assert model.data(calm, Qt.ItemDataRole.BackgroundRole) is None


def test_the_review_header_says_at_risk_and_keeps_it_current(qtbot) -> None:
    header = ChannelHeader()
    qtbot.addWidget(header)
    base = samples.item(101)
    flagged = NOW - timedelta(hours=4, minutes=30)
    on_time = base.model_copy(update={"flagged_at": flagged, "deadline": NOW + timedelta(hours=2)})
    header.show_item(on_time)
    assert header.deadline_label.text().startswith("due in ")
    # The server said "not at risk" when the item was fetched; a fifth of 5 h is 1 h, and 30 min are left now.
    risky = base.model_copy(update={"flagged_at": flagged, "deadline": NOW + timedelta(minutes=30), "at_risk": False})
    header.show_deadline(risky)
    assert header.deadline_label.text().startswith("AT RISK · due in ")
    assert "ffe0b2" in header.deadline_label.styleSheet()
    late = base.model_copy(update={"flagged_at": flagged, "deadline": NOW - timedelta(minutes=3)})
    header.show_deadline(late)
    assert header.deadline_label.text().startswith("OVERDUE BY ")
    samples.save_screenshot(header, "review_header_overdue")


def _stats(*queues: QueueStats) -> TeamQueueStats:
    return TeamQueueStats(hours=12, bucket_seconds=3600, queues=list(queues))


def _figures(queue_id: int, *, overdue: int = 0, at_risk: int = 0, pending: int = 10) -> QueueStats:
    return QueueStats(
        queue_id=queue_id, key=f"q{queue_id}", name=f"Queue {queue_id}", priority=0, sla_seconds=3600,
        pending=pending, claimed=0, overdue=overdue, at_risk=at_risk, oldest_flagged_at=NOW - timedelta(minutes=55),
        oldest_deadline=NOW + timedelta(minutes=5), next_deadline=NOW + timedelta(minutes=5), inflow_last_hour=0,
        outflow_last_hour=0, series=[],
    )  # fmt: skip


def test_the_dashboard_headline_names_the_worst_queue_and_its_colour() -> None:
    text, state = headline(_stats(_figures(1, at_risk=3), _figures(2, overdue=4, at_risk=1)), NOW)
    assert state is DeadlineState.OVERDUE
    assert text.startswith(
        "4 items overdue in 1 queue, 4 more at risk. Most urgent: Queue 2: 4 overdue, 1 at risk, priority medium;"
    )
    text, state = headline(_stats(_figures(1, at_risk=3), _figures(2)), NOW)
    assert state is DeadlineState.AT_RISK and text.startswith("3 items at risk")
    assert "Most urgent: Queue 1: 3 at risk, priority medium" in text
    text, state = headline(_stats(_figures(1), _figures(2, pending=0)), NOW)
    assert state is DeadlineState.ON_TIME and text.startswith("All 10 open items are on time")
    assert headline(_stats(_figures(1, pending=0)), NOW)[1] is DeadlineState.ON_TIME


def test_a_queue_row_counts_its_open_items_by_deadline_state() -> None:
    queue = _figures(1, overdue=2, at_risk=3, pending=10)
    assert bar_counts(queue) == (2, 3, 5)
    assert bar_text(queue) == "2 overdue · 3 at risk"
    assert bar_text(_figures(2)) == "all on time" and bar_text(_figures(3, pending=0)) == "empty"
    # The oldest item: flagged 55 min ago, due in 5 min on a one-hour level: in its last fifth.
    assert oldest_state(queue, NOW) == ("due in 5 min", DeadlineState.AT_RISK)

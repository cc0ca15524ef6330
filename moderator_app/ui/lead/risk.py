"""How the lead sees deadlines at a glance: one headline over all queues, and per queue a bar of its open items,
overdue (red), at risk (amber) and on time (green), as long as the queue's backlog against the largest one.

Colour is never the only signal: the bar carries its counts as text, and the headline names the most urgent queue
and why in words.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from moderator_app.core.deadlines import DeadlineState, deadline_state
from moderator_app.core.models import QueueStats, TeamQueueStats
from moderator_app.core.urgency import most_urgent
from moderator_app.ui.text import age_text, deadline_text, duration_text

OVERDUE_BAR = QColor("#d32f2f")
AT_RISK_BAR = QColor("#f9a825")
ON_TIME_BAR = QColor("#81c784")
OVERDUE_TEXT = QColor("#b71c1c")
AT_RISK_TEXT = QColor("#8d5300")
BAR_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # (overdue, at risk, on time, largest open count of any queue)
BAR_SHARE = 0.45  # of the cell's width; the counts are written beside the bar

HEADLINE_STYLES = {
    DeadlineState.OVERDUE: "background: #c62828; color: white;",
    DeadlineState.AT_RISK: "background: #ffb300; color: #222;",
    DeadlineState.ON_TIME: "background: #2e7d32; color: white;",
}
HEADLINE_BASE = " font-size: 15px; font-weight: 700; padding: 8px 10px; border-radius: 3px;"


def bar_counts(queue: QueueStats) -> tuple[int, int, int]:
    open_items = queue.pending + queue.claimed
    on_time = max(0, open_items - queue.overdue - queue.at_risk)
    return queue.overdue, queue.at_risk, on_time


def bar_text(queue: QueueStats) -> str:
    overdue, at_risk, on_time = bar_counts(queue)
    if overdue + at_risk + on_time == 0:
        return "empty"
    parts = [f"{overdue} overdue"] if overdue else []
    parts += [f"{at_risk} at risk"] if at_risk else []
    return " · ".join(parts) if parts else "all on time"


def oldest_state(queue: QueueStats, now: datetime) -> tuple[str, DeadlineState | None]:
    """The oldest open item against its own deadline: ("overdue by 2 h", OVERDUE) or ("—", None)."""
    if queue.oldest_flagged_at is None or queue.oldest_deadline is None:
        return "—", None
    text, _late = deadline_text(queue.oldest_deadline, now)
    return text, deadline_state(queue.oldest_flagged_at, queue.oldest_deadline, now)


def headline(stats: TeamQueueStats, now: datetime) -> tuple[str, DeadlineState]:
    """One sentence for the top of the dashboard, and the state that colours it. The queue it names is the one M
    selects: late work weighted by the queue's priority (core/urgency.py), and the sentence says why."""
    overdue = sum(q.overdue for q in stats.queues)
    at_risk = sum(q.at_risk for q in stats.queues)
    late_queues = sum(1 for q in stats.queues if q.overdue)
    open_items = sum(q.pending + q.claimed for q in stats.queues)
    urgent = most_urgent(stats.queues)
    if urgent is None:
        return "No open items: every queue is empty.", DeadlineState.ON_TIME
    worst = urgent.queue
    level = duration_text(timedelta(seconds=worst.sla_seconds))
    oldest = age_text(worst.oldest_flagged_at, now)
    detail = f"Most urgent: {urgent.reason}; oldest waiting {oldest} against a {level} level. M selects it."
    if overdue:
        queues = "1 queue" if late_queues == 1 else f"{late_queues} queues"
        more = f", {at_risk} more at risk" if at_risk else ""
        return f"{overdue} items overdue in {queues}{more}. {detail}", DeadlineState.OVERDUE
    if at_risk:
        return f"{at_risk} items at risk: less than a fifth of their time left. {detail}", DeadlineState.AT_RISK
    return f"All {open_items} open items are on time. Next deadline: {worst.name}.", DeadlineState.ON_TIME


AnyIndex = QModelIndex | QPersistentModelIndex


class RiskBarDelegate(QStyledItemDelegate):
    """Paints BAR_ROLE as a stacked bar with its counts beside it; the selection stays visible underneath."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        counts = index.data(BAR_ROLE)
        if not counts:
            super().paint(painter, option, index)
            return
        overdue, at_risk, on_time, largest = counts
        style = option.widget.style() if option.widget is not None else None
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget)
        rect: QRect = option.rect.adjusted(6, 7, -6, -7)
        bar_width = int(rect.width() * BAR_SHARE)
        total = overdue + at_risk + on_time
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#eceff1"))
        painter.drawRect(QRect(rect.left(), rect.top(), bar_width, rect.height()))
        x = rect.left()
        for count, color in ((overdue, OVERDUE_BAR), (at_risk, AT_RISK_BAR), (on_time, ON_TIME_BAR)):
            width = round(bar_width * count / max(largest, 1))
            if count and width < 2:
                width = 2  # one overdue item in a big queue must still show
            painter.setBrush(color)
            painter.drawRect(QRect(x, rect.top(), width, rect.height()))
            x += width
        # On the focused table's (blue) selection the text is white; elsewhere it keeps its risk colour, which
        # reads on the white rows and on the grey of a table without focus.
        highlighted = bool(option.state & QStyle.StateFlag.State_Selected) and bool(
            option.state & QStyle.StateFlag.State_Active
        )
        if highlighted:
            text_color = option.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
        else:
            text_color = OVERDUE_TEXT if overdue else AT_RISK_TEXT if at_risk else QColor("#222")
        painter.setPen(text_color)
        font = painter.font()
        font.setBold(bool(overdue or at_risk))
        painter.setFont(font)
        text_rect = QRect(rect.left() + bar_width + 8, option.rect.top(), rect.width() - bar_width - 8,
                          option.rect.height())  # fmt: skip
        label = str(index.data(Qt.ItemDataRole.DisplayRole) or "") if total else "empty"
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), label)
        painter.restore()

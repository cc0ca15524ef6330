"""The parts of the review screen around the media: the channel header on top and the context panes beside.

Everything from the server is shown as plain text: no HTML, links inert. The context panes sit in a vertical
splitter whose sizes the screen remembers between runs (layout only, never content).
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from moderator_app.core.deadlines import DeadlineState, deadline_state
from moderator_app.core.models import Channel, Item, ItemKind
from moderator_app.media.prepare import PreparedMedia
from moderator_app.ui.channel_grid import ChannelGrid
from moderator_app.ui.panes.common import group_box, plain_label
from moderator_app.ui.panes.history import HistoryPane, channel_decision_summary
from moderator_app.ui.panes.posts import PostsPane
from moderator_app.ui.panes.reports import make_reports_tree, show_reports
from moderator_app.ui.panes.signals import make_signals_tree, show_signals
from moderator_app.ui.text import count_text, deadline_text, local_time_text, one_line

__all__ = ["ChannelHeader", "DetailsPane", "plain_label"]

OVERDUE_STYLE = "color: #c62828; font-weight: 700;"
AT_RISK_STYLE = "color: #8d5300; background: #ffe0b2; font-weight: 700; padding: 2px 4px;"
DUE_STYLE = "color: #2e7d32; font-weight: 600;"
POSTS_AROUND_TITLE = "Posts around it"
DEADLINE_STYLES = {
    DeadlineState.OVERDUE: OVERDUE_STYLE,
    DeadlineState.AT_RISK: AT_RISK_STYLE,
    DeadlineState.ON_TIME: DUE_STYLE,
}


def set_style(widget: QWidget, style: str) -> None:
    """Set a style sheet only when it changes: each call restyles the widget, several ms per item otherwise."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)


class ChannelHeader(QFrame):
    """Who posted: title, @handle, subscribers, created, verified, strikes, earlier decisions; the deadline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_label = plain_label(style="font-weight: 700; color: white; background: #455a64; padding: 2px 6px;")
        self.title_label = plain_label(style="font-size: 16px; font-weight: 700;")
        self.handle_label = plain_label(style="color: #555;")
        self.facts_label = plain_label(style="color: #333;")
        self.decisions_label = plain_label(style="color: #333;")
        self.deadline_label = plain_label()
        self.deadline_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        names = QVBoxLayout()
        names.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.kind_label)
        top.addWidget(self.title_label)
        top.addWidget(self.handle_label)
        top.addStretch(1)
        names.addLayout(top)
        names.addWidget(self.facts_label)
        names.addWidget(self.decisions_label)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(names, 1)
        layout.addWidget(self.deadline_label)

    def show_item(self, item: Item, decided_at: datetime | None = None) -> None:
        channel: Channel = item.channel
        self.kind_label.setText("CHANNEL" if item.kind is ItemKind.CHANNEL else "POST")
        self.title_label.setText(one_line(channel.title, 80))
        self.handle_label.setText(f"@{channel.handle}")
        verified = "verified ✓" if channel.verified else "not verified"
        strikes = f"{channel.strikes} strike" + ("" if channel.strikes == 1 else "s")
        self.facts_label.setText(
            f"{count_text(channel.subscribers)} subscribers · created {local_time_text(channel.created_at)[:10]}"
            f" · {verified} · {strikes} · language {channel.language or '?'}"
        )
        set_style(self.facts_label, "color: #8a3b00;" if channel.strikes else "color: #333;")
        summary = channel_decision_summary(item)
        self.decisions_label.setText(summary)
        set_style(self.decisions_label, "color: #8a3b00;" if summary.startswith("Earlier") else "color: #555;")
        self.show_deadline(item, decided_at)

    def show_deadline(self, item: Item, decided_at: datetime | None = None) -> None:
        """The deadline from now; with decided_at (a QA blind review), as it stood when the item was decided: the
        reviewer judges the moderator's situation, and how late it is now says nothing about it."""
        # The state is worked out here, not taken from item.at_risk: a prefetched item crosses into "at risk" (the
        # last fifth of its service level) while it waits or sits on screen, and the screen ticks.
        now = decided_at or datetime.now(UTC)
        text, _late = deadline_text(item.deadline, now)
        state = deadline_state(item.flagged_at, item.deadline, now)
        if decided_at is not None:
            text = f"was {text} when decided"  # past, so no capitals: the colour still says overdue
        elif state is DeadlineState.OVERDUE:
            text = text.upper()
        if state is DeadlineState.AT_RISK:
            text = f"AT RISK · {text}"
        self.deadline_label.setText(f"{text}\nitem #{item.id}")
        set_style(self.deadline_label, DEADLINE_STYLES[state])


class DetailsPane(QSplitter):
    """Why the item is here and what is known: posts around it, reports, signals, history and notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.posts = PostsPane()
        self.channel_grid = ChannelGrid()
        # One box for the item's surroundings: the timeline around a post, or a channel's recent posts. Switching
        # pages keeps every pane where it was (no re-layout between posts and channels).
        self.context_pages = QStackedWidget()
        self.context_pages.addWidget(self.posts)
        self.context_pages.addWidget(self.channel_grid)
        self.reports: QTreeWidget = make_reports_tree()
        self.signals: QTreeWidget = make_signals_tree()
        self.history = HistoryPane()
        self.context_box: QGroupBox = group_box(POSTS_AROUND_TITLE, self.context_pages)
        self.reports_box = group_box("Reports", self.reports)
        self.signals_box = group_box("Signals", self.signals)
        self.history_box = group_box("History and notes", self.history)
        for box, stretch in (
            (self.reports_box, 3),
            (self.signals_box, 2),
            (self.context_box, 3),
            (self.history_box, 3),
        ):
            self.addWidget(box)
            self.setStretchFactor(self.indexOf(box), stretch)
        self.setChildrenCollapsible(False)

    def show_item(self, item: Item, thumbnails: dict[int, PreparedMedia] | None = None) -> None:
        show_reports(self.reports, item.reports)
        self.reports_box.setTitle(f"Reports ({len(item.reports)})")
        show_signals(self.signals, item.signals)
        self.signals_box.setTitle(f"Signals ({len(item.signals)})")
        if item.kind is ItemKind.CHANNEL:
            self.channel_grid.show_posts(list(item.context_posts), thumbnails or {})
            self.context_pages.setCurrentWidget(self.channel_grid)
            self.context_box.setTitle(f"Recent posts of the channel ({len(item.context_posts)})")
        else:
            self.posts.show_item(item, thumbnails or {})
            self.context_pages.setCurrentWidget(self.posts)
            self.context_box.setTitle(POSTS_AROUND_TITLE)
        self.history.show_item(item)
        self.history_box.setTitle(f"History and notes ({len(item.history)})")

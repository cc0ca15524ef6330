"""The parts of the review screen. Everything from the server is shown as plain text: no HTML, links inert."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moderator_app.core.models import Channel, HistoryEntry, Item, ItemKind, Post, Report, Signal, SignalKind
from moderator_app.ui.text import count_text, deadline_text, label_text, local_time_text, one_line

OVERDUE_STYLE = "color: #c62828; font-weight: 700;"
DUE_STYLE = "color: #2e7d32; font-weight: 600;"


def plain_label(text: str = "", style: str = "") -> QLabel:
    """A label that never interprets markup (channel titles and comments are written by anyone)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


class ChannelHeader(QFrame):
    """Who posted: title, @handle, subscribers, created, verified, strikes; and the item's deadline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_label = plain_label(style="font-weight: 700; color: white; background: #455a64; padding: 2px 6px;")
        self.title_label = plain_label(style="font-size: 16px; font-weight: 700;")
        self.handle_label = plain_label(style="color: #555;")
        self.facts_label = plain_label(style="color: #333;")
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

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(names, 1)
        layout.addWidget(self.deadline_label)

    def show_item(self, item: Item) -> None:
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
        if channel.strikes:
            self.facts_label.setStyleSheet("color: #8a3b00;")
        else:
            self.facts_label.setStyleSheet("color: #333;")
        self.show_deadline(item)

    def show_deadline(self, item: Item) -> None:
        text, overdue = deadline_text(item.deadline)
        self.deadline_label.setText(f"{text.upper() if overdue else text}\nitem #{item.id}")
        self.deadline_label.setStyleSheet(OVERDUE_STYLE if overdue else DUE_STYLE)


class PostText(QPlainTextEdit):
    """The flagged post's text, or a channel's description: plain, read-only, never a link."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # Focus stays with the screen so single-letter decision keys always reach it; the mouse can still select.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMaximumHeight(130)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)  # the text under review deserves more than list-row size
        self.setFont(font)

    def show_item(self, item: Item) -> None:
        if item.post is not None:
            post: Post = item.post
            meta = f"Posted {local_time_text(post.posted_at)} · {count_text(post.views)} views"
            if post.forwarded_from:
                meta += f" · forwarded from {post.forwarded_from}"
            self.setPlainText(f"{post.text}\n\n— {meta}")
        else:
            description = item.channel.description or "(no channel description)"
            self.setPlainText(f"Channel description:\n{description}")


def _tree(headers: list[str], stretch_column: int) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
    tree.setWordWrap(False)
    header = tree.header()
    header.setStretchLastSection(False)
    for column in range(len(headers)):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch_column else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    return tree


def _group(title: str, content: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(content)
    return box


class DetailsPane(QWidget):
    """Why the item is here and what is known: reports, signals, posts around it, history."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reports = _tree(["Source", "Reason", "Country", "When", "Comment"], 4)
        self.signals = _tree(["Signal", "Label", "Score", "Detail"], 3)
        self.context = _tree(["When", "Post", "Media"], 1)
        self.history = _tree(["When", "What", "By", "Note"], 3)
        self.reports_box = _group("Reports", self.reports)
        self.signals_box = _group("Signals", self.signals)
        self.context_box = _group("Posts around it", self.context)
        self.history_box = _group("History", self.history)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box, stretch in (
            (self.reports_box, 3),
            (self.signals_box, 2),
            (self.context_box, 3),
            (self.history_box, 2),
        ):
            layout.addWidget(box, stretch)

    def show_item(self, item: Item) -> None:
        self._fill(self.reports, [_report_row(r) for r in item.reports])
        self.reports_box.setTitle(f"Reports ({len(item.reports)})")
        self._fill(self.signals, [_signal_row(s) for s in item.signals])
        self.signals_box.setTitle(f"Signals ({len(item.signals)})")
        self._fill(self.context, [_post_row(p, item) for p in _posts_around(item)])
        self.context_box.setTitle("Recent posts" if item.kind is ItemKind.CHANNEL else "Posts around it")
        self._fill(self.history, [_history_row(h) for h in item.history[:10]])
        self.history_box.setTitle(f"History ({len(item.history)})")

    @staticmethod
    def _fill(tree: QTreeWidget, rows: list[list[str]]) -> None:
        tree.clear()
        if not rows:
            tree.addTopLevelItem(QTreeWidgetItem(["(none)"]))
            return
        entries = []
        for row in rows:
            entry = QTreeWidgetItem(row)
            for column, value in enumerate(row):
                entry.setToolTip(column, value)  # cells are cut to fit; the tooltip has the whole text
            entries.append(entry)
        tree.addTopLevelItems(entries)


def _posts_around(item: Item, limit: int = 8) -> list[Post]:
    """The context in time order with the flagged post itself in its place, so the moderator sees where it sits."""
    posts = list(item.context_posts)
    if item.post is not None and all(p.id != item.post.id for p in posts):
        posts.append(item.post)
    posts.sort(key=lambda p: (p.posted_at, p.id))
    if item.post is None or len(posts) <= limit:
        return posts[-limit:]
    # Keep the flagged post in view: a window of `limit` posts around it.
    index = next(i for i, p in enumerate(posts) if p.id == item.post.id)
    start = max(0, min(index - limit // 2, len(posts) - limit))
    return posts[start : start + limit]


def _report_row(report: Report) -> list[str]:
    return [
        label_text(report.source.value),
        label_text(report.reason.value),
        report.country,
        local_time_text(report.created_at),
        one_line(report.comment, 300),
    ]


def _signal_row(signal: Signal) -> list[str]:
    kind = "Classifier" if signal.kind is SignalKind.CLASSIFIER else "Hash match"
    score = f"{signal.score:.2f}" if signal.score is not None else "match"
    return [kind, signal.label, score, one_line(signal.detail, 120)]


def _post_row(post: Post, item: Item) -> list[str]:
    flagged = item.post is not None and post.id == item.post.id
    text = ("▶ FLAGGED: " if flagged else "") + one_line(post.text, 300)
    return [local_time_text(post.posted_at), text, str(len(post.media)) if post.media else ""]


def _history_row(entry: HistoryEntry) -> list[str]:
    what = label_text(entry.kind)
    if entry.action is not None:
        what += f": {label_text(entry.action.value)}"
    if entry.reason is not None:
        what += f" ({label_text(entry.reason.value)})"
    return [local_time_text(entry.at), what, entry.actor, one_line(entry.note, 160)]

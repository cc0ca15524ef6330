"""The posts around a flagged post (its place in the channel's timeline), each with a covered thumbnail of its
first media. (A flagged channel's recent posts are a grid of cards in the same place: ui/channel_grid.py.)"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from moderator_app.core.models import Item, Post
from moderator_app.media.prepare import PreparedMedia
from moderator_app.ui.panes.common import blank_icon, covered_icon, make_tree, row_item
from moderator_app.ui.text import SHORT_TIME_SAMPLE, count_text, local_time_text, one_line, short_time_text

THUMB_SIZE = QSize(48, 36)
FLAGGED_BACKGROUND = QColor("#fff3e0")


def posts_around(item: Item, limit: int = 8) -> list[Post]:
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


def post_row(post: Post, item: Item) -> list[str]:
    flagged = item.post is not None and post.id == item.post.id
    text = ("▶ FLAGGED: " if flagged else "") + one_line(post.text, 300)
    media = f"{len(post.media)}" if post.media else ""
    return [short_time_text(post.posted_at), text, media, count_text(post.views)]


class PostsPane(QWidget):
    """The timeline around the flagged post."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Every row has a thumbnail (a flat tile for posts without media), so all rows are one height and the view
        # measures one row, not each of them again for every item shown.
        self.list: QTreeWidget = make_tree(
            ["When", "Post", "Media", "Views"],
            {0: SHORT_TIME_SAMPLE, 2: "99", 3: "12.3M"},
            icon_width=THUMB_SIZE.width() + 4,
        )
        self.list.setIconSize(THUMB_SIZE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)

    def show_item(self, item: Item, thumbnails: dict[int, PreparedMedia]) -> None:
        self.list.clear()
        flagged_entry: QTreeWidgetItem | None = None
        for post in posts_around(item):
            entry = row_item(post_row(post, item), {0: local_time_text(post.posted_at)})
            thumb = thumbnails.get(post.media[0].id) if post.media else None
            entry.setIcon(0, covered_icon(thumb.covered) if thumb is not None else blank_icon(THUMB_SIZE))
            flagged = item.post is not None and post.id == item.post.id
            if flagged:
                bold = QFont(entry.font(1))
                bold.setBold(True)
                for column in range(4):
                    entry.setBackground(column, QBrush(FLAGGED_BACKGROUND))
                    entry.setFont(column, bold)
            self.list.addTopLevelItem(entry)
            if flagged:
                flagged_entry = entry
        if flagged_entry is not None:
            # Keep the flagged post in view however small the pane is.
            self.list.scrollToItem(flagged_entry, QTreeWidget.ScrollHint.PositionAtCenter)

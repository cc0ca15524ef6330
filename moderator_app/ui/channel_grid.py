"""A flagged channel's recent posts as a grid of cards: covered thumbnail, date, views and the start of the text.
It takes the place of a post's "Posts around it" on the review screen.

Thumbnails are covered-only images (they have no original at all), so the grid can never show unblurred pixels;
the media themselves are revealed one at a time in the media view. Texts are plain item text (no markup).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from moderator_app.core.models import Post
from moderator_app.media.prepare import PreparedMedia
from moderator_app.ui.panes.common import blank_icon, covered_icon
from moderator_app.ui.text import count_text, local_time_text, one_line, short_time_text

ICON_SIZE = QSize(80, 60)
# A card: thumbnail on the left, three short lines on the right. Two cards side by side fit the context column at
# its first-run width; a wider column shows more.
CELL_SIZE = QSize(216, 70)


def card_text(post: Post) -> str:
    """Three short lines that fit the card; how many media the post has is in the tooltip (card_tip)."""
    return f"{short_time_text(post.posted_at)}\n{count_text(post.views)} views\n{one_line(post.text, 20)}"


def card_tip(post: Post) -> str:
    media = f"{len(post.media)} media · " if post.media else ""
    return f"{media}{local_time_text(post.posted_at)}\n{post.text[:1000]}"


class ChannelGrid(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # List mode puts the text beside the icon; flowing left to right with wrapping makes it a grid of cards.
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setIconSize(ICON_SIZE)
        self.setGridSize(CELL_SIZE)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setStyleSheet("QListWidget { background: #fafafa; }")

    def show_posts(self, posts: list[Post], thumbnails: dict[int, PreparedMedia]) -> None:
        """Newest first, as a channel page reads."""
        self.clear()
        for post in sorted(posts, key=lambda p: (p.posted_at, p.id), reverse=True):
            thumb = thumbnails.get(post.media[0].id) if post.media else None
            icon = covered_icon(thumb.covered) if thumb is not None else blank_icon(ICON_SIZE)
            entry = QListWidgetItem(icon, card_text(post))
            entry.setToolTip(card_tip(post))
            self.addItem(entry)

"""The review screen: the claimed item with its context, covered media, and the one-key decision buttons.

It only displays; the main window feeds it items from the ReviewSession and owns the commands. Focus rests on the
screen itself, so single-letter keys reach the window's shortcuts, and Space (peek) reaches keyPressEvent here.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from moderator_app.core.foreground import GATE
from moderator_app.ui.channel_grid import ChannelGrid
from moderator_app.ui.commands import CommandRegistry
from moderator_app.ui.layout_state import remember_splitter
from moderator_app.ui.media_view import MediaView
from moderator_app.ui.post_text import PostText
from moderator_app.ui.reveal_keys import claims_shortcut, handle_reveal_key
from moderator_app.ui.review_panes import ChannelHeader, DetailsPane
from moderator_app.workflow.items import ReviewItem

BUTTON_COLORS = {
    "decide.keep": "#2e7d32",
    "decide.remove_post": "#ef6c00",
    "decide.ban_channel": "#c62828",
    "decide.escalate": "#6a1b9a",
    "review.skip": "#546e7a",
}
NO_ITEM = -1  # item_painted's argument when the screen shows "no more items"


class ReviewScreen(QWidget):
    item_painted = Signal(object)  # int: the item id (or NO_ITEM) once it has actually been painted
    peek_changed = Signal(bool)

    def __init__(self, commands: CommandRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._review_item: ReviewItem | None = None
        self._paint_pending: int | None = None
        self._peeking = False

        self.header = ChannelHeader()
        self.post_text = PostText()
        self.media_view = MediaView()
        self.details = DetailsPane()

        # A flagged channel's recent posts, as a grid of cards, take the place of a post's "Posts around it".
        self.channel_grid: ChannelGrid = self.details.channel_grid

        # Resizable panes; their sizes (layout only, never content) are remembered between runs. The same panes
        # show for posts and channels alike, so moving from one kind of item to the other re-lays nothing out.
        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.addWidget(self.post_text)
        self.left_splitter.addWidget(self.media_view)
        self.left_splitter.setStretchFactor(0, 1)
        self.left_splitter.setStretchFactor(1, 4)
        self.left_splitter.setChildrenCollapsible(False)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.left_splitter)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.main_splitter = splitter
        # First-run proportions: the text a few lines tall, the media the rest; saved sizes replace them.
        self.left_splitter.setSizes([100, 520])
        splitter.setSizes([760, 500])
        remember_splitter(splitter, "review/main")
        remember_splitter(self.left_splitter, "review/left")
        remember_splitter(self.details, "review/context")
        self.details.history.editing_finished.connect(self.setFocus)

        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Note for the next decision (optional) · Tab to type, Enter or Esc to leave")
        self.note_edit.setMaxLength(2000)
        self.note_edit.installEventFilter(self)

        self.buttons: dict[str, QToolButton] = {}
        button_row = QHBoxLayout()
        for name, color in BUTTON_COLORS.items():
            button = QToolButton()
            button.setDefaultAction(commands.action(name))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must peek, never press a focused button
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(38)
            button.setStyleSheet(
                f"QToolButton {{ background: {color}; color: white; font-weight: 600; padding: 4px 14px;"
                " border-radius: 4px; }"
                " QToolButton:disabled { background: #bdbdbd; color: #eeeeee; }"
            )
            button_row.addWidget(button)
            self.buttons[name] = button
        button_row.addStretch(1)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.header)
        content_layout.addWidget(splitter, 1)
        content_layout.addWidget(self.note_edit)
        content_layout.addLayout(button_row)

        self.message_label = QLabel()
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setStyleSheet("font-size: 18px; color: #444;")
        back = QToolButton()
        back.setDefaultAction(commands.action("review.back"))
        back.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        message = QWidget()
        message_layout = QVBoxLayout(message)
        message_layout.addStretch(1)
        message_layout.addWidget(self.message_label)
        message_layout.addWidget(back, 0, Qt.AlignmentFlag.AlignHCenter)
        message_layout.addStretch(1)

        self.pages = QStackedWidget()
        self.pages.addWidget(content)
        self.pages.addWidget(message)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        # Deadlines move while an item is open: "due in 3 min" must turn red without a new item.
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()

    @property
    def review_item(self) -> ReviewItem | None:
        return self._review_item

    @property
    def showing_message(self) -> bool:
        return self.pages.currentIndex() == 1

    def note(self) -> str:
        return self.note_edit.text().strip()

    def clear_note(self) -> None:
        self.note_edit.clear()

    def show_item(self, review_item: ReviewItem | None, loading: bool = False) -> None:
        self._set_peek(False)
        self._review_item = review_item
        if review_item is None:
            self.media_view.clear()
            self.post_text.clear_item()
            self.message_label.setText(
                "Loading the next item…" if loading else "No more items in this queue.\nPress Esc to go back."
            )
            self.pages.setCurrentIndex(1)
            self._paint_pending = None if loading else NO_ITEM
        else:
            item = review_item.item
            self.header.show_item(item)
            self.post_text.show_item(item)
            self.media_view.set_media(review_item.media, review_item.thumbnails)
            # A text-only post gives the text the room: an empty dark box would only squeeze what is to be read.
            # (Switching costs a re-layout of this column, about a ms; worth it for the reading.)
            self.media_view.setVisible(bool(review_item.media))
            self.details.show_item(item, review_item.thumbnails)
            self.pages.setCurrentIndex(0)
            self._paint_pending = item.id
        if review_item is None or self.header.isHidden():
            self.update()
        else:
            # Each widget that changed has scheduled its own repaint; repainting the rest (buttons, note field,
            # frames) would only cost time. The header changes with every item (its number), so marking it here
            # makes this screen's paintEvent run in the same paint pass, which reports the item painted.
            self.update(QRect(self.header.mapTo(self, QPoint(0, 0)), self.header.size()))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._paint_pending is not None:
            painted, self._paint_pending = self._paint_pending, None
            # Report after this paint pass has finished, so timing covers the whole screen, media included.
            QTimer.singleShot(0, lambda: self._painted(painted))

    def _painted(self, item_id: int) -> None:
        GATE.release()  # the review loop held background picture work back until now (see core.foreground)
        self.item_painted.emit(item_id)

    # --- held reveal keys (see reveal_keys): Space peeks, Alt reveals a region, arrows pan a zoom -------------

    def has_item(self) -> bool:
        return self._review_item is not None

    def event(self, event: QEvent) -> bool:
        if claims_shortcut(self, event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if handle_reveal_key(self, event, pressed=True):
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if handle_reveal_key(self, event, pressed=False):
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # The release would go elsewhere: never leave a held reveal showing.
        self.set_peek(False)
        self.media_view.release_held()
        super().focusOutEvent(event)

    def hideEvent(self, event: QEvent) -> None:
        self.set_peek(False)
        self.media_view.cover()
        self.post_text.cover()
        super().hideEvent(event)  # type: ignore[arg-type]

    def set_peek(self, revealed: bool) -> None:
        self.post_text.set_peeking(revealed)
        if revealed != self._peeking:
            self._peeking = revealed
            self.media_view.set_revealed(revealed)
            self.peek_changed.emit(revealed)

    _set_peek = set_peek  # the name callers used before

    # --- the note field lets letters through as text; Enter or Esc hands the keys back to the screen -------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # keep Esc from going "back to queues" while typing
                    return True
                self.setFocus()
                return True
        return super().eventFilter(watched, event)

    def _tick(self) -> None:
        if self._review_item is not None:
            self.header.show_deadline(self._review_item.item)

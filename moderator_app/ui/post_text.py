"""The flagged post's text (or a channel's description): plain text, inert links, optionally masked.

- Plain text only: the text goes in with setPlainText (never setHtml), so `<img src=http://...>` is a string of
  characters; rich-text pasting is off and loadResource answers nothing, so nothing could ever be fetched.
- Links and @mentions are coloured and underlined by a syntax highlighter, so the moderator sees them, and they stay
  inert: there are no anchors to click, nothing opens a browser or the network; they can be selected and copied.
- Right-to-left scripts: every paragraph takes its direction (and its alignment) from its first strong character
  (Qt's bidi layout), so an Arabic post reads right to left, right-aligned, next to an English meta line. (A
  QTextEdit, not a QPlainTextEdit: the plain-text layout aligns every paragraph to the document's direction.)
- Emoji come from a colour emoji font (ui.emoji); where the computer has none, the meta line says so, so an empty
  box is never mistaken for nothing.
- Long texts scroll (mouse wheel, or Shift+PgUp / Shift+PgDown from the review screen).
- Sensitive queues: the text itself is masked until revealed (held Space, or T to toggle), and masked again on
  every navigation, after the reveal timeout and after idle. While masked, the real text is not in the widget at
  all (nothing to select, copy or read out).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QTextEdit, QWidget

from moderator_app.core.models import Item, Post, Queue
from moderator_app.ui.emoji import emoji_note, ensure_emoji_fonts
from moderator_app.ui.text import count_text, local_time_text

__all__ = ["LINK_PATTERN", "MASK_CHAR", "InertLinkHighlighter", "PostText", "is_sensitive_queue", "mask_text"]

#: URLs with a scheme, www. addresses, bare domains with a path (t.me/x), and @mentions.
LINK_PATTERN = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://[^\s<>\"']+)"
    r"|(?:\bwww\.[^\s<>\"']+)"
    r"|(?:\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/[^\s<>\"']*)"
    r"|(?:(?<![\w@])@\w{2,})",
    re.IGNORECASE,
)
LINK_COLOR = QColor("#1565c0")
MASK_CHAR = "▒"
SENSITIVE_QUEUE_KEYS = frozenset({"child_safety"})


def is_sensitive_queue(queue: Queue | None) -> bool:
    """Queue.sensitive as the server sent it; a server that does not send the field yet: child safety is."""
    if queue is None:
        return False
    if "sensitive" in queue.model_fields_set:
        return bool(queue.sensitive)
    return queue.key in SENSITIVE_QUEUE_KEYS


def mask_text(text: str) -> str:
    """Every visible character as a mask block, spacing and line breaks kept: the shape, none of the content."""
    return "".join(ch if ch.isspace() else MASK_CHAR for ch in text)


class InertLinkHighlighter(QSyntaxHighlighter):
    """Colours links and mentions like links; they are formatting only, never anchors."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._format = QTextCharFormat()
        self._format.setForeground(LINK_COLOR)
        self._format.setFontUnderline(True)
        self.enabled = True

    def highlightBlock(self, text: str) -> None:
        if not self.enabled:
            return
        for match in LINK_PATTERN.finditer(text):
            # Qt counts UTF-16 units; an emoji outside the BMP before a link is one Python character but two units.
            start = utf16_length(text[: match.start()])
            self.setFormat(start, utf16_length(match.group()), self._format)


def utf16_length(text: str) -> int:
    """The length of text in UTF-16 code units (Qt's string positions)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class PostText(QTextEdit):
    """Read-only and focus-free (single-letter keys must reach the review screen); selectable with the mouse."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setUndoRedoEnabled(False)
        self.setToolTip("Links are shown, never opened: select and copy one to look at it elsewhere.")
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)  # the text under review deserves more than list-row size
        self.setFont(font)
        self.highlighter = InertLinkHighlighter(self.document())
        ensure_emoji_fonts()
        self._body = ""
        self._meta = ""
        self._sensitive = False
        self._toggled = False
        self._peeking = False

    # --- state ----------------------------------------------------------------------------------------------

    @property
    def sensitive(self) -> bool:
        return self._sensitive

    @property
    def masked(self) -> bool:
        return self._sensitive and not (self._toggled or self._peeking)

    def set_sensitive(self, sensitive: bool) -> None:
        """The queue's setting; applies from the next item on (and masks the current one at once if turned on)."""
        if sensitive != self._sensitive:
            self._sensitive = sensitive
            self._render()

    # --- showing --------------------------------------------------------------------------------------------

    def show_item(self, item: Item) -> None:
        self._toggled = self._peeking = False  # every item starts masked in a sensitive queue
        if item.post is not None:
            post: Post = item.post
            meta = f"Posted {local_time_text(post.posted_at)} · {count_text(post.views)} views"
            if post.forwarded_from:
                meta += f" · forwarded from {post.forwarded_from}"
            self._body, self._meta = post.text, f"— {meta}"
        else:
            self._body = item.channel.description or "(no channel description)"
            self._meta = "— channel description"
        self._render()

    def clear_item(self) -> None:
        self._body = self._meta = ""
        self._toggled = self._peeking = False
        self._render()

    def loadResource(self, kind: int, name: QUrl) -> Any:
        """Never load anything (images, style sheets): the text is plain, so this is only a second lock."""
        return None

    def visible_text(self) -> str:
        return self.toPlainText()

    # --- reveal ---------------------------------------------------------------------------------------------

    def toggle_reveal(self) -> bool:
        """T: show or mask the text again (only meaningful in sensitive queues)."""
        if not self._sensitive:
            return False
        self._toggled = not self._toggled
        self._render()
        return True

    def set_peeking(self, peeking: bool) -> None:
        """Held Space shows the text too, like the media."""
        if peeking != self._peeking:
            self._peeking = peeking
            if self._sensitive:
                self._render()

    def cover(self) -> None:
        """Mask again (navigation, reveal timeout, idle, panic)."""
        if self._toggled or self._peeking:
            self._toggled = self._peeking = False
            self._render()

    def page(self, direction: int) -> None:
        """Scroll a page down (1) or up (-1)."""
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + direction * bar.pageStep())

    # --- internals ------------------------------------------------------------------------------------------

    def _render(self) -> None:
        if not self._body and not self._meta:
            self.setPlainText("")
            return
        if self.masked:
            self.highlighter.enabled = False
            notice = "Text hidden: this queue is marked sensitive. Hold Space to read it, or press T to show it."
            self.setPlainText(f"{notice}\n\n{mask_text(self._body)}\n\n{self._meta}")
        else:
            self.highlighter.enabled = True
            note = emoji_note(self._body)
            meta = f"{self._meta} · {note}" if note else self._meta
            self.setPlainText(f"{self._body}\n\n{meta}")
        self.verticalScrollBar().setValue(0)

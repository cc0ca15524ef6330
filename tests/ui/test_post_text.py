"""Post text: plain, inert links, no network, right-to-left and emoji, long texts, masking in sensitive queues."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import QApplication

from moderator_app.core.models import Queue
from moderator_app.core.policy import PolicyReason
from moderator_app.ui import emoji
from moderator_app.ui.post_text import LINK_PATTERN, MASK_CHAR, is_sensitive_queue, mask_text
from tests.ui import media_samples as ms
from tests.ui.review_host import ScreenHost, open_host
from tests.ui.samples import NOW, save_screenshot


@pytest.fixture
def host(qtbot, tmp_path) -> ScreenHost:
    return open_host(qtbot, tmp_path)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local server socket that records whether anybody connects to it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


def connections(sock: socket.socket) -> int:
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def queue(key: str, sensitive: bool | None = None) -> Queue:
    values: dict[str, object] = {
        "id": 3, "key": key, "name": key.replace("_", " ").title(), "description": "",
        "default_reason": PolicyReason.SPAM, "priority": 1, "sla_seconds": 3600, "pending": 1, "claimed": 0,
        "overdue": 0, "oldest_flagged_at": NOW, "next_deadline": NOW,
    }  # fmt: skip
    if sensitive is not None:  # a server that sends Queue.sensitive (older ones do not)
        values["sensitive"] = sensitive
    return Queue.model_validate(values)


def test_html_and_remote_images_are_text_and_nothing_is_fetched(qtbot, host, listener, monkeypatch) -> None:
    port = listener.getsockname()[1]
    opened: list[object] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    text = (
        f'<img src=http://127.0.0.1:{port}/x.png> <b>bold</b> <a href="http://127.0.0.1:{port}/a">click</a> '
        f"<style>@import url(http://127.0.0.1:{port}/s.css)</style> see https://127.0.0.1:{port}/p and @moon_signals"
    )
    host.show_item(ms.item_with_media(301, [], text=text))
    post_text = host.review.post_text
    assert post_text.toPlainText().startswith(f"<img src=http://127.0.0.1:{port}/x.png> <b>bold</b>")
    # Click on the link text: nothing opens.
    cursor = post_text.document().find("click")
    rect = post_text.cursorRect(cursor)
    qtbot.mouseClick(post_text.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        QApplication.processEvents()
    assert connections(listener) == 0
    assert opened == []
    assert post_text.isReadOnly() and not post_text.document().isEmpty()


def test_links_and_mentions_are_styled_but_inert(qtbot, host) -> None:
    host.show_item(
        ms.item_with_media(302, [], text="Join t.me/freecoins or www.scam.example and ask @moon_signals now")
    )
    post_text = host.review.post_text
    block = post_text.document().firstBlock()
    styled = {block.text()[f.start : f.start + f.length] for f in block.layout().formats() if f.format.fontUnderline()}
    assert styled == {"t.me/freecoins", "www.scam.example", "@moon_signals"}
    assert post_text.anchorAt(post_text.cursorRect(post_text.document().find("t.me")).center()) == ""
    assert [m.group() for m in LINK_PATTERN.finditer("mail a@b.example, see http://x.example/a?b=1.")] == [
        "http://x.example/a?b=1."
    ]
    save_screenshot(host, "review_text_links")


def test_links_after_emoji_are_styled_exactly(qtbot, host) -> None:
    """Qt counts UTF-16 units: an emoji outside the BMP before a link must not shift its underline."""
    host.show_item(ms.item_with_media(303, [], text="Tortilla 🥔🚀 http://promo.example/43FDDF then @chef_demo"))
    block = host.review.post_text.document().firstBlock()
    units = block.text().encode("utf-16-le")
    styled = {
        units[2 * f.start : 2 * (f.start + f.length)].decode("utf-16-le")
        for f in block.layout().formats()
        if f.format.fontUnderline()
    }
    assert styled == {"http://promo.example/43FDDF", "@chef_demo"}


def test_right_to_left_and_emoji_text_lays_out(qtbot, host) -> None:
    arabic = "هذا منشور تجريبي للمراجعة مع رابط"
    text = f"{arabic}\nשלום עולם\nEmoji: 🚀🔥👍🏽 and a family 👨‍👩‍👧 in one line"
    host.show_item(ms.item_with_media(303, [], text=text))
    document = host.review.post_text.document()
    blocks = [document.findBlockByNumber(i) for i in range(3)]
    assert [b.text() for b in blocks] == text.split("\n")
    assert blocks[0].textDirection() == Qt.LayoutDirection.RightToLeft
    assert blocks[1].textDirection() == Qt.LayoutDirection.RightToLeft
    assert blocks[2].textDirection() == Qt.LayoutDirection.LeftToRight
    # Laid out right to left: the first character of the Arabic line sits at the right edge.
    line = blocks[0].layout().lineAt(0)
    assert line.cursorToX(0)[0] > line.cursorToX(len(arabic))[0]
    # ... and aligned to the right edge, while the English line starts at the left.
    width = document.textWidth()
    assert line.naturalTextRect().right() > 0.9 * width
    assert blocks[2].layout().lineAt(0).naturalTextRect().left() < 0.1 * width
    assert "👨‍👩‍👧" in host.review.post_text.toPlainText()  # kept whole, not mangled (even without an emoji font)
    save_screenshot(host, "review_text_rtl_emoji")
    family = emoji.emoji_font_family()
    if family is None:  # no emoji font on this computer: the moderator is told, not left with empty boxes
        assert emoji.NOTE in host.review.post_text.toPlainText()
        return
    assert emoji.NOTE not in host.review.post_text.toPlainText()
    # Every emoji (the skin tone and the ZWJ family included) is a real glyph of the emoji font, none a box.
    layout = blocks[2].layout()
    lines = [layout.lineAt(i) for i in range(layout.lineCount())]
    runs = [run for line in lines for run in line.glyphRuns() if run.rawFont().familyName() == family]
    glyphs = [glyph for run in runs for glyph in run.glyphIndexes()]
    assert len(glyphs) == 4 and all(glyphs), glyphs  # 🚀 🔥 👍🏽 👨‍👩‍👧
    # ... and they are painted in colour: saturated pixels where the emoji are, on a black-on-white line.
    colours = emoji_area_saturation(host.review.post_text, blocks[2], "Emoji: ", "🚀🔥👍🏽")
    assert colours > 40, colours


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def emoji_area_saturation(post_text, block, before: str, emoji_text: str) -> int:
    """How many clearly coloured pixels the post text shows where emoji_text sits in block (after `before`)."""
    line = block.layout().lineAt(0)
    top = post_text.document().documentLayout().blockBoundingRect(block).top() + line.y()
    left = line.cursorToX(utf16(before))[0]
    right = line.cursorToX(utf16(before + emoji_text))[0]
    offset = post_text.document().documentLayout().blockBoundingRect(block).left()
    image = post_text.viewport().grab().toImage()
    area = image.copy(int(offset + left), int(top), max(1, int(right - left)), int(line.height()))
    count = 0
    for y in range(area.height()):
        for x in range(area.width()):
            colour = area.pixelColor(x, y)
            count += colour.hsvSaturation() > 100 and colour.value() > 80
    return count


def test_emoji_without_an_emoji_font_are_said_to_be_missing(qtbot, host, monkeypatch) -> None:
    monkeypatch.setattr(emoji, "emoji_font_family", lambda: None)
    host.show_item(ms.item_with_media(304, [], text="Fresh batch 🍁❄️ today, DM me"))
    assert emoji.NOTE in host.review.post_text.toPlainText()
    host.show_item(ms.item_with_media(305, [], text="Plain words ✓ and a heart ❤ only"))
    assert emoji.NOTE not in host.review.post_text.toPlainText()


def test_a_very_long_text_scrolls(qtbot, host) -> None:
    text = "\n".join(f"Line {i}: " + "long text " * 20 for i in range(400))
    host.show_item(ms.item_with_media(304, [(7501, ms.detailed_png(), "image/png")], text=text))
    bar = host.review.post_text.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    qtbot.keyClick(host.review, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ShiftModifier)
    assert bar.value() > 0
    qtbot.keyClick(host.review, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ShiftModifier)
    assert bar.value() == 0


def test_sensitive_queue_masks_the_text_until_revealed(qtbot, host) -> None:
    secret = "The words under review"
    host.show_item(ms.item_with_media(305, [], text=secret), queue=queue("child_safety"))
    post_text, screen = host.review.post_text, host.review
    assert post_text.masked and secret not in post_text.toPlainText()
    assert mask_text("ab c") == f"{MASK_CHAR * 2} {MASK_CHAR}" and MASK_CHAR * 5 in post_text.toPlainText()
    save_screenshot(host, "review_text_masked")
    qtbot.keyClick(screen, Qt.Key.Key_T)
    assert secret in post_text.toPlainText()
    qtbot.keyClick(screen, Qt.Key.Key_T)
    assert secret not in post_text.toPlainText()
    qtbot.keyPress(screen, Qt.Key.Key_Space)  # held Space shows it, like the media
    assert secret in post_text.toPlainText()
    qtbot.keyRelease(screen, Qt.Key.Key_Space)
    assert secret not in post_text.toPlainText()
    qtbot.keyClick(screen, Qt.Key.Key_T)
    host.show_item(ms.item_with_media(306, [], text=secret))  # the next item starts masked again
    assert post_text.masked
    host.show_item(ms.item_with_media(307, [], text=secret), queue=queue("spam"))
    assert not post_text.masked and secret in post_text.toPlainText()


def test_sensitive_comes_from_the_server_field_when_present() -> None:
    assert is_sensitive_queue(queue("child_safety"))
    assert not is_sensitive_queue(queue("spam"))
    assert is_sensitive_queue(queue("spam", sensitive=True))
    assert not is_sensitive_queue(queue("child_safety", sensitive=False))
    assert not is_sensitive_queue(None)


def test_text_mask_returns_after_the_reveal_timeout(qtbot, host) -> None:
    host.show_item(
        ms.item_with_media(308, [(7502, ms.detailed_png(), "image/png")], text="hidden"), queue("child_safety")
    )
    host.review.media_view.reveal.set_timeout_seconds(0.2)
    qtbot.keyClick(host.review, Qt.Key.Key_T)
    qtbot.keyClick(host.review, Qt.Key.Key_V)
    assert not host.review.post_text.masked
    qtbot.waitUntil(lambda: host.review.post_text.masked, timeout=2000)
    # Held Space with auto-repeat does not unmask again.
    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", True)
    QApplication.sendEvent(host.review, event)
    assert host.review.post_text.masked

"""The review screen with hand-made items: plain text only, covered media, peek, keys and their buttons."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from moderator_app.core.models import ItemKind
from moderator_app.ui.commands import DEFAULT_COMMANDS, CommandRegistry
from moderator_app.ui.keymap import load_keymap
from moderator_app.ui.review_screen import NO_ITEM, ReviewScreen
from tests.ui import samples


class Host(QWidget):
    """A window holding the screen, with every command recording its name."""

    def __init__(self) -> None:
        super().__init__()
        self.fired: list[str] = []
        names = [spec.name for spec in DEFAULT_COMMANDS]
        # The real default keymap, so the keys tested are the ones moderators get.
        self.commands = CommandRegistry(self, load_keymap(names).keymap)
        for name in names:
            self.commands.bind(name, lambda name=name: self.fired.append(name))
        self.screen = ReviewScreen(self.commands)
        self.commands.set_mode("review")
        layout = QVBoxLayout(self)
        layout.addWidget(self.screen)
        self.resize(1280, 760)


def _host(qtbot) -> Host:
    host = Host()
    qtbot.addWidget(host)
    host.show()
    # Window shortcuts fire only in the active window (as for a real user).
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow, timeout=3000)
    return host


def _saturation(image: QImage) -> int:
    """The largest colour saturation over a grid of sample points (0 for a grayscale image)."""
    top = 0
    for x in range(0, image.width(), max(1, image.width() // 20)):
        for y in range(0, image.height(), max(1, image.height() // 20)):
            top = max(top, QColor(image.pixel(x, y)).hsvSaturation())
    return top


def test_post_item_shows_everything_as_plain_text(qtbot) -> None:
    host = _host(qtbot)
    with qtbot.waitSignal(host.screen.item_painted, timeout=3000) as painted:
        host.screen.show_item(samples.review_item(101))
    assert painted.args == [101]
    screen = host.screen
    assert screen.header.title_label.text() == "<b>Crypto Moon Signals</b> 🚀"  # markup shown, not applied
    assert screen.header.title_label.textFormat() == Qt.TextFormat.PlainText
    assert "<b>wallet</b>" in screen.post_text.toPlainText()
    assert screen.details.reports.topLevelItemCount() == 3
    assert screen.details.reports.topLevelItem(0).text(0) == "Trusted flagger (1)"  # grouped by source
    assert screen.details.signals.topLevelItem(1).text(2).startswith("0.93")  # hash-list matches first
    # Due 2 h 5 min after the samples were made (minutes ago in a long run): "due in 2 h 4 min", later 1 h 5x min.
    assert re.match(r"due in (2 h( \d min)?|1 h [1-5]?\d min)\n", screen.header.deadline_label.text())
    assert screen.buttons["decide.remove_post"].isVisible()
    for label in screen.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText or not label.text(), label.text()
    samples.save_screenshot(host, "review_post_item_samples")


def test_media_is_covered_until_space_is_held(qtbot) -> None:
    host = _host(qtbot)
    host.screen.show_item(samples.review_item(101))
    view = host.screen.media_view
    assert view.media_count == 2
    assert _saturation(view.grab(view.media_rect()).toImage()) < 8  # grayscale: the yellow and red are gone
    host.screen.setFocus()
    qtbot.keyPress(host.screen, Qt.Key.Key_Space)
    assert view.revealed
    assert _saturation(view.grab(view.media_rect()).toImage()) > 100
    qtbot.keyRelease(host.screen, Qt.Key.Key_Space)
    assert not view.revealed
    # A new item always starts covered, even if the key was still down.
    qtbot.keyPress(host.screen, Qt.Key.Key_Space)
    host.screen.show_item(samples.review_item(102))
    assert not view.revealed


def test_channel_item_keeps_the_layout_and_overdue_is_red(qtbot) -> None:
    host = _host(qtbot)
    screen = host.screen
    with qtbot.waitSignal(screen.item_painted, timeout=3000):
        screen.show_item(samples.review_item(101))
    post_layout = [w.geometry() for w in (screen.post_text, screen.media_view, screen.details.context_box)]
    remove_at = screen.buttons["decide.remove_post"].geometry()
    with qtbot.waitSignal(screen.item_painted, timeout=3000):  # layout settles before the screenshot
        screen.show_item(samples.review_item(103, ItemKind.CHANNEL, overdue=True))
    # Nothing moves between a post and a channel: the channel's recent posts take the place of "Posts around it".
    assert [w.geometry() for w in (screen.post_text, screen.media_view, screen.details.context_box)] == post_layout
    assert screen.buttons["decide.remove_post"].geometry() == remove_at
    assert screen.details.context_box.title().startswith("Recent posts of the channel")
    assert screen.details.context_pages.currentWidget() is screen.channel_grid and screen.channel_grid.isVisible()
    assert screen.header.kind_label.text() == "CHANNEL"
    # The sample's clock is fixed at import; a long test run may add minutes.
    assert re.search(r"OVERDUE BY \d+ MIN", screen.header.deadline_label.text())
    assert "c62828" in screen.header.deadline_label.styleSheet()
    assert "— channel description" in screen.post_text.toPlainText()
    # The recent posts are a grid: at the first-run width, two cards side by side, not one card per row.
    grid = screen.channel_grid
    first, second = (grid.visualItemRect(grid.item(row)) for row in (0, 1))
    assert second.top() == first.top() and second.left() > first.right()
    samples.save_screenshot(host, "review_channel_item_samples")


def test_letters_typed_in_the_note_do_not_decide(qtbot) -> None:
    host = _host(qtbot)
    host.screen.show_item(samples.review_item(101))
    host.screen.setFocus()
    qtbot.keyClick(host.screen, Qt.Key.Key_K)
    assert host.fired == ["decide.keep"]
    host.screen.note_edit.setFocus()
    qtbot.keyClicks(host.screen.note_edit, "kbres")
    qtbot.keyClick(host.screen.note_edit, Qt.Key.Key_Escape)  # leaves the field, does not go back to the queues
    assert host.screen.note_edit.text() == "kbres"
    assert host.fired == ["decide.keep"]
    assert host.screen.hasFocus()
    qtbot.keyClick(host.screen, Qt.Key.Key_E)
    assert host.fired == ["decide.keep", "decide.escalate"]


def test_empty_queue_message_and_way_back(qtbot) -> None:
    host = _host(qtbot)
    with qtbot.waitSignal(host.screen.item_painted, timeout=3000) as painted:
        host.screen.show_item(None, loading=False)
    assert painted.args == [NO_ITEM]
    assert "No more items in this queue" in host.screen.message_label.text()
    host.screen.setFocus()
    qtbot.keyClick(host.screen, Qt.Key.Key_Escape)
    assert host.fired == ["review.back"]

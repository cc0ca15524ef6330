"""Reveal controls on the real review screen, driven by keys and the pointer, measured on what is painted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from moderator_app.core.models import ItemKind
from moderator_app.media.reveal import RevealMode
from moderator_app.ui import media_paint
from tests.media import imaging
from tests.ui import media_samples as ms
from tests.ui.review_host import ScreenHost, open_host
from tests.ui.samples import save_screenshot


@pytest.fixture
def host(qtbot, tmp_path) -> ScreenHost:
    return open_host(qtbot, tmp_path)


def press(qtbot, host: ScreenHost, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget() or host.review, key, modifier)


def media_area(host: ScreenHost) -> QRect:
    """The top part of the selected media's rectangle (the caption sits at the bottom)."""
    main = host.review.media_view.media_rect()
    return QRect(main.x(), main.y(), main.width(), main.height() * 2 // 3)


def show_single(qtbot, host: ScreenHost, item_id: int = 201) -> None:
    host.show_item(ms.item_with_media(item_id, [(7001, ms.detailed_png(), "image/png")]))
    qtbot.waitUntil(lambda: host.review.media_view.isVisible(), timeout=3000)


def test_covered_paint_loses_detail_and_revealed_paint_is_the_original(qtbot, host) -> None:
    show_single(qtbot, host)
    view = host.review.media_view
    area = media_area(host)
    covered = ms.grab_media(view, area)
    assert ms.saturation(covered) < 8  # grayscale by default
    press(qtbot, host, Qt.Key.Key_V)
    assert view.revealed
    revealed = ms.grab_media(view, area)
    assert ms.saturation(revealed) > 100
    drop = 1 - imaging.laplacian_variance(covered) / imaging.laplacian_variance(revealed)
    assert drop >= 0.90, f"the covered paint kept {100 * (1 - drop):.0f}% of the detail"
    # Revealed, the view paints the original itself: compare with the original drawn into the same rectangle.
    reference = ms.paint_reference(view.media(0).original, view.media_rect(), view.size()).copy(area)
    assert ms.mean_abs_difference(revealed, reference) < 2.0
    save_screenshot(host, "review_revealed")
    press(qtbot, host, Qt.Key.Key_V)
    assert not view.revealed


def test_space_peeks_while_held_and_ignores_auto_repeat(qtbot, host) -> None:
    show_single(qtbot, host)
    view, screen = host.review.media_view, host.review
    qtbot.keyPress(screen, Qt.Key.Key_Space)
    assert view.reveal.view_for(0).mode is RevealMode.PEEK
    # A release from auto-repeat is not a release: the key is still held.
    repeat = QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", True)
    QApplication.sendEvent(screen, repeat)
    assert view.revealed
    qtbot.keyRelease(screen, Qt.Key.Key_Space)
    assert not view.revealed
    # After the timeout covered everything, auto-repeat presses of a key still held do not reveal again.
    view.reveal.set_timeout_seconds(0.15)
    qtbot.keyPress(screen, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not view.revealed, timeout=2000)
    again = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", True)
    QApplication.sendEvent(screen, again)
    assert not view.revealed
    qtbot.keyRelease(screen, Qt.Key.Key_Space)


def test_every_new_item_starts_covered_and_reveal_resets_on_navigation_and_timeout(qtbot, host) -> None:
    show_single(qtbot, host, 201)
    view = host.review.media_view
    press(qtbot, host, Qt.Key.Key_V)
    press(qtbot, host, Qt.Key.Key_Plus)
    assert view.revealed and view.zoomed
    show_single(qtbot, host, 202)
    assert not view.revealed and not view.zoomed
    assert ms.saturation(ms.grab_media(view, media_area(host))) < 8
    view.reveal.set_timeout_seconds(0.2)
    press(qtbot, host, Qt.Key.Key_V)
    assert view.revealed
    with qtbot.waitSignal(view.reveal.timed_out, timeout=2000):
        pass
    assert not view.revealed
    assert ms.saturation(ms.grab_media(view, media_area(host))) < 8


def test_region_reveal_unblurs_only_a_circle_around_the_pointer(qtbot, host) -> None:
    show_single(qtbot, host)
    view, screen = host.review.media_view, host.review
    main = view.media_rect()
    # The detailed picture has stripes top right and text at the bottom: point at the stripes.
    pointer = QPoint(main.center().x() + main.width() // 8, main.y() + main.height() // 4)
    qtbot.mouseMove(view, pointer)
    qtbot.waitUntil(lambda: view._pointer is not None, timeout=2000)
    assert not view.revealed  # moving the pointer alone reveals nothing
    qtbot.keyPress(screen, Qt.Key.Key_Alt, Qt.KeyboardModifier.AltModifier)
    shown = view.reveal.view_for(0)
    assert shown.mode is RevealMode.REGION and shown.region_center == QPointF(pointer)
    radius = int(shown.region_radius)
    lens = QRect(pointer.x() - radius // 2, pointer.y() - radius // 2, radius, radius)
    far = QRect(main.x() + 4, main.y() + main.height() // 2, radius, radius)  # well outside the circle
    image = ms.grab_media(view)
    assert imaging.laplacian_variance(image.copy(lens)) > 10 * imaging.laplacian_variance(image.copy(far))
    assert ms.saturation(image.copy(lens)) > 30 and ms.saturation(image.copy(far)) < 8
    save_screenshot(host, "review_region_reveal")
    qtbot.keyRelease(screen, Qt.Key.Key_Alt)
    assert not view.revealed


def test_album_media_are_revealed_one_at_a_time(qtbot, host) -> None:
    files = [(7101 + i, ms.detailed_png(640 + 40 * i, 480), "image/png") for i in range(3)]
    host.show_item(ms.item_with_media(203, files))
    view = host.review.media_view
    assert view.media_count == 3
    press(qtbot, host, Qt.Key.Key_BracketRight)
    assert view.selected_index == 1
    press(qtbot, host, Qt.Key.Key_V)
    assert view.reveal.view_for(1).revealed
    assert not view.reveal.view_for(0).revealed and not view.reveal.view_for(2).revealed
    press(qtbot, host, Qt.Key.Key_BracketRight)  # moving on covers the one revealed
    assert view.selected_index == 2 and not view.revealed
    press(qtbot, host, Qt.Key.Key_BracketLeft)
    press(qtbot, host, Qt.Key.Key_BracketLeft)
    assert view.selected_index == 0
    # The strip shows covered thumbnails only, even while the selected media is revealed.
    press(qtbot, host, Qt.Key.Key_V)
    image = ms.grab_media(view)
    for cell in media_paint.layout_media(view.rect(), 3).strip:
        inside = cell.adjusted(6, 20, -6, -6)  # inside the selection frame, below the number plate
        assert ms.saturation(image.copy(inside)) < 8
    press(qtbot, host, Qt.Key.Key_V)


def test_zoom_pans_and_decodes_the_full_resolution_only_while_revealed(qtbot, host) -> None:
    host.show_item(ms.item_with_media(204, [(7201, ms.detailed_jpeg(4000, 3000), "image/jpeg")]))
    view = host.review.media_view
    prepared = view.media(0)
    assert prepared.source is not None and prepared.original.width() <= 960
    press(qtbot, host, Qt.Key.Key_Plus)  # covered: zoom does nothing
    assert not view.zoomed and view.full_resolution is None
    press(qtbot, host, Qt.Key.Key_V)
    for _ in range(4):
        press(qtbot, host, Qt.Key.Key_Plus)
    assert view.reveal.zoom == pytest.approx(4.0)
    qtbot.waitUntil(lambda: view.full_resolution is not None, timeout=10_000)
    assert view.full_resolution.width() > prepared.original.width() * 2
    before = view.reveal.pan_offset
    press(qtbot, host, Qt.Key.Key_Right)
    press(qtbot, host, Qt.Key.Key_Down)
    after = view.reveal.pan_offset
    assert after.x() < before.x() and after.y() < before.y()
    press(qtbot, host, Qt.Key.Key_0)
    assert not view.zoomed and view.full_resolution is None  # zoom reset: the big decode is dropped
    press(qtbot, host, Qt.Key.Key_Plus)
    press(qtbot, host, Qt.Key.Key_Plus)
    press(qtbot, host, Qt.Key.Key_V)  # covered again
    assert not view.revealed and not view.zoomed and view.full_resolution is None


@pytest.mark.parametrize(
    ("name", "data", "mime", "reason"),
    [
        ("bomb", imaging.png_bomb(30000, 30000), "image/png", "the image is too large (30000 × 30000 pixels"),
        ("truncated", None, "image/jpeg", "the file is truncated"),
        ("lying", "png", "image/jpeg", "the file says it is JPEG but it is PNG"),
    ],
)
def test_bad_files_show_a_placeholder_with_the_reason(qtbot, host, name, data, mime, reason) -> None:
    if data is None:
        whole = ms.detailed_jpeg(800, 600)
        data = whole[: len(whole) // 2]
    elif data == "png":
        data = ms.detailed_png()
    host.show_item(ms.item_with_media(205, [(7301, data, mime)]))
    view = host.review.media_view
    prepared = view.media(0)
    assert prepared.error is not None and prepared.error.startswith(reason)
    assert prepared.original is None and not prepared.revealable
    press(qtbot, host, Qt.Key.Key_V)
    assert not view.revealed  # nothing to reveal
    assert imaging.mean_luma(ms.grab_media(view, media_area(host))) < 80  # the dark placeholder, not a picture
    save_screenshot(host, f"review_placeholder_{name}")


def test_channel_item_shows_its_recent_posts_as_a_grid(qtbot, host) -> None:
    host.show_item(ms.item_with_media(206, [(7401, ms.detailed_png(), "image/png")], kind=ItemKind.CHANNEL))
    screen = host.review
    assert screen.channel_grid.isVisible() and screen.channel_grid.count() == 3
    assert screen.details.context_box.title() == "Recent posts of the channel (3)"
    save_screenshot(host, "review_channel_item")
    assert not screen.channel_grid.item(0).icon().isNull() or not screen.channel_grid.item(1).icon().isNull()
    host.show_item(ms.item_with_media(207, [(7402, ms.detailed_png(), "image/png")]))
    assert not screen.channel_grid.isVisible() and screen.details.posts.isVisible()
    assert screen.details.context_box.title() == "Posts around it"

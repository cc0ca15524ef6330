"""RevealController: covered by default, deliberate reveals only, one media at a time, re-covered on its own."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPointF
from pytestqt.qtbot import QtBot

from moderator_app.media.reveal import COVERED_VIEW, MAX_ZOOM, RevealMode
from moderator_app.workflow.reveal import RevealController


@pytest.fixture
def controller(qapp: object) -> Iterator[RevealController]:
    reveal = RevealController(timeout_seconds=60)
    reveal.reset(3)
    yield reveal
    reveal.deleteLater()


def modes(reveal: RevealController) -> list[RevealMode]:
    return [reveal.view_for(i).mode for i in range(reveal.media_count)]


def changes(reveal: RevealController) -> list[int]:
    seen: list[int] = []
    reveal.changed.connect(lambda: seen.append(1))
    return seen


def test_everything_starts_covered(controller: RevealController) -> None:
    assert not controller.revealed
    assert modes(controller) == [RevealMode.COVERED] * 3
    assert controller.view_for(0) == COVERED_VIEW


def test_peek_reveals_while_the_key_is_held(controller: RevealController) -> None:
    seen = changes(controller)
    assert controller.peek_pressed()
    assert not controller.peek_pressed()  # auto-repeat or a second press changes nothing
    assert controller.revealed and controller.view_for(0).mode is RevealMode.PEEK
    assert controller.peek_released()
    assert not controller.revealed and modes(controller) == [RevealMode.COVERED] * 3
    assert len(seen) == 2


def test_toggle_reveals_until_toggled_back(controller: RevealController) -> None:
    controller.toggle()
    assert controller.view_for(0).mode is RevealMode.TOGGLED
    controller.peek_pressed()
    controller.peek_released()
    assert controller.view_for(0).mode is RevealMode.TOGGLED  # releasing a peek does not undo a toggle
    controller.toggle()
    assert not controller.revealed


def test_region_follows_the_pointer_while_the_modifier_is_held(controller: RevealController) -> None:
    assert not controller.region_move(QPointF(5, 5))  # no region without its start
    assert not controller.revealed
    controller.region_start(QPointF(10, 20))
    view = controller.view_for(0)
    assert view.mode is RevealMode.REGION and view.region_center == QPointF(10, 20)
    assert view.region_radius == controller.region_radius
    controller.region_move(QPointF(30, 40))
    assert controller.view_for(0).region_center == QPointF(30, 40)
    controller.region_end()
    assert not controller.revealed and controller.view_for(0) == COVERED_VIEW


def test_revealing_one_media_of_an_album_never_reveals_the_others(controller: RevealController) -> None:
    controller.select_media(1)
    controller.toggle()
    assert modes(controller) == [RevealMode.COVERED, RevealMode.TOGGLED, RevealMode.COVERED]
    controller.select_media(2)  # selecting another media covers the first again
    assert modes(controller) == [RevealMode.COVERED] * 3
    controller.peek_pressed()
    assert modes(controller) == [RevealMode.COVERED, RevealMode.COVERED, RevealMode.PEEK]
    with pytest.raises(IndexError):
        controller.select_media(3)


def test_navigation_covers_everything(controller: RevealController) -> None:
    controller.select_media(1)
    controller.toggle()
    controller.zoom_in()
    seen = changes(controller)
    controller.reset(2)
    assert not controller.revealed and controller.selected_index == 0 and controller.zoom == 1.0
    assert controller.media_count == 2 and modes(controller) == [RevealMode.COVERED] * 2
    assert len(seen) == 1
    controller.region_start(QPointF(1, 1))
    controller.reset()
    assert not controller.revealed and controller.media_count == 2


def test_media_that_cannot_be_revealed_stays_covered(controller: RevealController) -> None:
    controller.reset(2, revealable=[False, True])
    assert not controller.toggle() and not controller.peek_pressed() and not controller.region_start(QPointF())
    assert not controller.revealed
    controller.select_media(1)
    assert controller.toggle() and controller.revealed
    controller.reset(0)
    assert not controller.peek_pressed() and not controller.revealed
    with pytest.raises(ValueError):
        controller.reset(2, revealable=[True])


def test_timeout_covers_everything(qtbot: QtBot) -> None:
    reveal = RevealController(timeout_seconds=0.05)
    reveal.reset(2)
    reveal.select_media(1)
    with qtbot.waitSignal(reveal.timed_out, timeout=2000):
        reveal.toggle()
        assert reveal.revealed
    assert not reveal.revealed and modes(reveal) == [RevealMode.COVERED] * 2
    # A held peek times out too; releasing the key later changes nothing.
    with qtbot.waitSignal(reveal.timed_out, timeout=2000):
        reveal.peek_pressed()
    assert not reveal.peek_released()
    # Nothing revealed, nothing to time out.
    with qtbot.assertNotEmitted(reveal.timed_out, wait=150):
        reveal.peek_pressed()
        reveal.peek_released()


def test_timeout_counts_from_the_start_of_the_reveal(qtbot: QtBot) -> None:
    reveal = RevealController(timeout_seconds=0.25)
    reveal.reset(1)
    reveal.toggle()
    reveal.zoom_in()
    start = time.monotonic()
    while time.monotonic() - start < 0.75:  # busy zooming and panning does not extend the reveal
        reveal.pan(3, 3)
        reveal.region_move(QPointF(4, 4))
        qtbot.wait(25)
    assert not reveal.revealed and reveal.zoom == 1.0


def test_timeout_is_configurable(controller: RevealController) -> None:
    assert RevealController().timeout_seconds == 10.0
    controller.set_timeout_seconds(2.5)
    assert controller.timeout_seconds == 2.5
    with pytest.raises(ValueError):
        controller.set_timeout_seconds(0)


def test_zoom_only_while_revealed_and_within_limits(controller: RevealController) -> None:
    assert not controller.zoom_in()
    assert controller.zoom == 1.0
    controller.region_start(QPointF(5, 5))
    assert not controller.zoom_in()  # a region reveal is not zoomed
    controller.region_end()
    controller.toggle()
    assert controller.zoom_in() and controller.zoom == pytest.approx(2**0.5)
    controller.zoom_in()
    assert controller.zoom == 2.0 and controller.view_for(0).zoom == 2.0
    for _ in range(10):
        controller.zoom_in()
    assert controller.zoom == MAX_ZOOM and not controller.zoom_in()
    assert controller.zoom_out() and controller.zoom < MAX_ZOOM
    assert controller.reset_zoom() and controller.zoom == 1.0
    assert not controller.zoom_out()


def test_pan_moves_the_zoomed_image_and_scales_with_zoom(controller: RevealController) -> None:
    controller.peek_pressed()
    assert not controller.pan(10, 0)  # nothing to pan at 1x
    controller.zoom_in()
    controller.zoom_in()  # 2x
    assert controller.pan(10, -4)
    assert controller.view_for(0).pan == QPointF(10, -4)
    controller.pan(1000, 0, limit=QPointF(320, 240))
    assert controller.pan_offset == QPointF(320, -4)
    controller.zoom_in()
    controller.zoom_in()  # 4x: the point at the centre stays at the centre
    assert controller.pan_offset == QPointF(640, -8)
    controller.reset_zoom()
    assert controller.pan_offset == QPointF(0, 0)
    controller.zoom_in()
    controller.pan(5, 5)
    controller.peek_released()  # covered again: zoom and pan forgotten
    assert controller.zoom == 1.0 and controller.pan_offset == QPointF(0, 0)
    controller.peek_pressed()
    assert controller.view_for(0).zoom == 1.0


def test_cover_keeps_the_selection(controller: RevealController) -> None:
    controller.select_media(2)
    controller.toggle()
    assert controller.cover()
    assert not controller.revealed and controller.selected_index == 2
    assert not controller.cover()

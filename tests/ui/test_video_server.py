"""A demo video end to end, keys only: served by the real server, its poster covered while the item was prepared,
still until revealed, muted when it plays, paused and sought with keys, stopped and covered again on navigation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from sqlalchemy import Engine, text

from moderator_app.ui.video import unavailable_reason
from tests.media import imaging
from tests.ui import media_samples as ms
from tests.ui.keys import WAIT, connect, make_window, open_queue_with_keys, press, runner
from tests.ui.samples import save_screenshot

__all__ = ["make_window", "runner"]  # fixtures

pytestmark = [
    pytest.mark.skipif(unavailable_reason() is not None, reason="QtMultimedia is not available here"),
    pytest.mark.qt_log_ignore("No RHI backend"),  # the software frame conversion says so
]


def first_video_item(engine: Engine) -> tuple[int, int]:
    """(item id, queue id) of an open item whose post is a demo video, made the earliest due of all items."""
    with engine.begin() as db:
        item_id, queue_id = db.execute(
            text(
                "SELECT i.id, i.queue_id FROM items i JOIN media m ON m.post_id = i.post_id "
                "WHERE m.kind = 'video' AND i.status = 'pending' ORDER BY i.id"
            )
        ).first()
        first = datetime.fromisoformat(str(db.execute(text("SELECT MIN(deadline) FROM items")).scalar_one()))
        earlier = (first - timedelta(hours=1)).isoformat(sep=" ")
        db.execute(text("UPDATE items SET deadline = :d WHERE id = :i"), {"d": earlier, "i": item_id})
    return item_id, queue_id


def shown_media(view) -> QImage:
    return ms.grab_media(view, view.media_rect().adjusted(0, 0, 0, -40))  # above the caption line


def test_a_demo_video_by_keys(qtbot, make_window, seeded_server) -> None:
    item_id, queue_id = first_video_item(seeded_server.engine)
    window = make_window(connect(seeded_server, "alice"))
    open_queue_with_keys(qtbot, window, queue_id)
    session, screen = window.session, window.review
    qtbot.waitUntil(lambda: session.current is not None and screen.review_item is session.current, timeout=WAIT)
    assert session.current.id == item_id
    view = screen.media_view
    prepared = view.media(0)
    # The poster was decoded and covered on a worker while the item was prepared: no placeholder, no waiting.
    assert prepared.is_video and prepared.ok and prepared.original is not None
    video = view.video()
    assert video is not None
    qtbot.waitUntil(lambda: video.duration_ms > 0, timeout=WAIT)  # the player read the file from memory
    covered = shown_media(view)
    assert ms.saturation(covered) < 8 and not view.revealed
    assert video.muted and not video.playing and video.position_ms == 0
    save_screenshot(window, "review_video_server_covered")

    press(qtbot, Qt.Key.Key_P)  # covered: play does nothing
    qtbot.wait(300)
    assert not video.playing and video.position_ms == 0

    press(qtbot, Qt.Key.Key_V)
    assert view.revealed
    revealed = shown_media(view)
    assert ms.saturation(revealed) > 100
    assert imaging.laplacian_variance(revealed) > 10 * imaging.laplacian_variance(covered)

    press(qtbot, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: video.playing and video.position_ms > 800, timeout=WAIT)
    assert video.muted  # sound stays off until the moderator turns it on (M)
    frame = video.current_image()
    assert not frame.isNull() and frame.size() == prepared.original.size()
    save_screenshot(window, "review_video_server")

    press(qtbot, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: not video.playing, timeout=WAIT)
    paused_at = video.position_ms
    assert paused_at > 800
    press(qtbot, Qt.Key.Key_Comma)  # back 5 s: to the start
    qtbot.waitUntil(lambda: video.position_ms == 0, timeout=WAIT)
    press(qtbot, Qt.Key.Key_Period)  # forward 5 s: as far as the video goes
    qtbot.waitUntil(lambda: video.position_ms >= min(5000, video.duration_ms) - 100, timeout=WAIT)
    assert not video.playing
    press(qtbot, Qt.Key.Key_Comma)
    qtbot.waitUntil(lambda: video.position_ms == 0, timeout=WAIT)
    press(qtbot, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: video.playing, timeout=WAIT)

    shown = session.current
    press(qtbot, Qt.Key.Key_S)  # the next item: the player stops and goes, everything is covered again
    qtbot.waitUntil(lambda: session.current is not shown and screen.review_item is session.current, timeout=WAIT)
    assert not view.revealed
    qtbot.waitUntil(lambda: not shiboken6.isValid(video), timeout=WAIT)
    if view.media_count:
        assert ms.saturation(shown_media(view)) < 8

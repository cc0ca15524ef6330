"""Video in the media view: a covered poster frame, playback only while revealed, muted by default, keys for play,
pause and seek. The video is made in memory by QtMultimedia's own recorder."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt

from moderator_app.media.prepare import PreparedMedia, placeholder_image
from moderator_app.ui.video import unavailable_reason
from tests.media import imaging
from tests.ui import media_samples as ms
from tests.ui.review_host import ScreenHost, open_host
from tests.ui.samples import review_item, save_screenshot
from tests.ui.video_samples import make_video

pytestmark = [
    pytest.mark.skipif(unavailable_reason() is not None, reason="QtMultimedia is not available here"),
    # The recorder and the software frame conversion say what they fall back to; harmless here.
    pytest.mark.qt_log_ignore("Invalid frameRate", "No RHI backend"),
]


@pytest.fixture(scope="module")
def video_bytes(qapp) -> bytes:
    data = make_video()
    if data is None:
        pytest.skip("QtMultimedia cannot encode a test video here")
    return data


def video_item(data: bytes, item_id: int = 501):
    made = review_item(item_id)
    made.media = [
        PreparedMedia(
            media_id=8001,
            covered=placeholder_image("preparing a covered preview…", QSize(960, 720), title="Video"),
            original=None,
            error=None,
            width=320,
            height=240,
            mime_type="video/mp4",
            video=data,
        )
    ]
    made.thumbnails = {}
    return made


@pytest.fixture
def host(qtbot, tmp_path) -> ScreenHost:
    return open_host(qtbot, tmp_path)


@pytest.mark.qt_log_ignore("PulseAudio", "pa_context", "No RHI backend", "Invalid frameRate")  # no sound device
def test_video_shows_a_covered_poster_and_plays_only_while_revealed(qtbot, host, video_bytes) -> None:
    host.show_item(video_item(video_bytes))
    view = host.review.media_view
    prepared = view.media(0)
    qtbot.waitUntil(lambda: prepared.original is not None, timeout=5000)  # the poster frame, covered on a worker
    area = ms.grab_media(view).copy(view.media_rect().adjusted(0, 0, 0, -40))
    assert ms.saturation(area) < 8
    video = view.video()
    assert video is not None and video.muted and not video.playing
    qtbot.keyClick(host.review, Qt.Key.Key_P)  # covered: play does nothing
    qtbot.wait(200)
    assert not video.playing
    qtbot.keyClick(host.review, Qt.Key.Key_V)
    revealed = ms.grab_media(view).copy(view.media_rect().adjusted(0, 0, 0, -40))
    assert ms.saturation(revealed) > 100
    assert imaging.laplacian_variance(revealed) > 10 * imaging.laplacian_variance(area)
    qtbot.keyClick(host.review, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: video.playing, timeout=3000)
    assert video.muted  # sound stays off until the moderator turns it on
    qtbot.waitUntil(lambda: video.position_ms > 300, timeout=5000)
    save_screenshot(host, "review_video_playing")
    qtbot.keyClick(host.review, Qt.Key.Key_Comma)
    qtbot.waitUntil(lambda: video.position_ms < 300, timeout=3000)
    qtbot.keyClick(host.review, Qt.Key.Key_M)
    assert not video.muted
    qtbot.keyClick(host.review, Qt.Key.Key_V)  # covered again: playback stops at once
    assert not video.playing
    after = ms.grab_media(view).copy(view.media_rect().adjusted(0, 0, 0, -40))
    assert ms.saturation(after) < 8


def test_the_next_item_stops_the_video(qtbot, host, video_bytes) -> None:
    host.show_item(video_item(video_bytes, 502))
    view = host.review.media_view
    qtbot.waitUntil(lambda: view.media(0).original is not None, timeout=5000)
    qtbot.keyClick(host.review, Qt.Key.Key_V)
    qtbot.keyClick(host.review, Qt.Key.Key_P)
    video = view.video()
    qtbot.waitUntil(lambda: video.playing, timeout=3000)
    host.show_item(review_item(503))
    assert view.video() is None and not view.revealed

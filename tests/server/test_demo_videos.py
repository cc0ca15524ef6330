"""The demo's generated videos: where they go, small and short, deterministic, playable by QtMultimedia from memory,
and served by the media endpoint with their own type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl
from PySide6.QtGui import QImage
from sqlalchemy import text

from moderator_app.client.api import ApiClient
from moderator_app.core.models import ItemKind, ItemStatus, MediaKind
from moderator_app.media.video_formats import AVI, first_avi_frame, sniff_video
from moderator_app.server.demo.avi import MIME_TYPE
from moderator_app.server.demo.catalogue import Area
from moderator_app.server.demo.plan import build_plan
from moderator_app.server.demo.video_plan import VIDEO_AREAS
from moderator_app.server.demo.videos import VideoSpec, render_video
from moderator_app.ui.video import multimedia
from tests.server.test_demo_images import blurred, detail

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
MAX_VIDEO_BYTES = 350_000
pytestmark = pytest.mark.qt_log_ignore("No RHI backend")  # the software frame conversion says so


@pytest.mark.parametrize("scale", ["small", "full"])
def test_each_area_gets_one_video_on_an_open_post_without_pictures(scale: str) -> None:
    plan = build_plan(20261130, scale, NOW)
    carriers = [(index, post) for index, post in enumerate(plan.posts) if post.videos]
    assert sorted(v for _, post in carriers for v in post.videos) == list(range(len(plan.videos)))
    areas = set()
    for index, post in carriers:
        assert not post.images and len(post.videos) == 1
        items = [item for item in plan.items if item.post == index]
        assert [(i.kind, i.status) for i in items] == [(ItemKind.POST, ItemStatus.PENDING)]
        areas.add(plan.channels[post.channel].spec.area)
    assert areas == set(VIDEO_AREAS) and Area.CHILD not in areas
    assert all(2000 <= spec.duration_ms <= 5000 for spec in plan.videos)
    assert build_plan(20261130, scale, NOW).videos == plan.videos


@pytest.fixture(scope="module")
def rendered(qapp: Any) -> list[tuple[VideoSpec, bytes]]:
    specs = build_plan(20261130, "small", NOW).videos
    return [(spec, render_video(spec).data) for spec in specs]


def test_videos_are_small_deterministic_and_full_of_detail(rendered: list[tuple[VideoSpec, bytes]]) -> None:
    styles = set()
    for spec, data in rendered:
        assert len(data) < MAX_VIDEO_BYTES, (spec, len(data))
        assert render_video(spec).data == data  # same spec, same bytes
        assert sniff_video(data) == AVI and data.count(b"00dc") >= spec.frames  # one chunk (and index entry) each
        frame = QImage.fromData(first_avi_frame(data) or b"", "JPG")
        assert (frame.width(), frame.height()) == (spec.width, spec.height)
        sharp, _ = detail(frame)
        soft, _ = detail(blurred(frame))
        assert sharp > 4 and soft < sharp * 0.5, (spec, sharp, soft)
        styles.add(spec.style)
    assert styles == {"clip", "screen"}


def test_qt_multimedia_plays_them_from_memory(qtbot, rendered: list[tuple[VideoSpec, bytes]]) -> None:
    mm = multimedia()  # as the client loads it, with the backend's notes about optional libraries filtered
    if mm is None:
        pytest.skip("QtMultimedia is not available here")
    for spec, data in rendered[:2]:
        player = mm.QMediaPlayer()
        sink = mm.QVideoSink()
        player.setVideoSink(sink)
        buffer = QBuffer(player)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        frames: list[QImage] = []
        sink.videoFrameChanged.connect(lambda frame, seen=frames: seen.append(frame.toImage()))
        errors: list[str] = []
        player.errorOccurred.connect(lambda _error, message, found=errors: found.append(message))
        player.setSourceDevice(buffer, QUrl("memory:demo-video"))
        player.play()
        qtbot.waitUntil(lambda p=player, e=errors: p.position() >= 1000 or bool(e), timeout=10_000)
        assert not errors
        assert abs(player.duration() - spec.duration_ms) <= 150
        player.stop()
        assert len(frames) >= 5 and frames[0].size().width() == spec.width
        assert frames[0] != frames[-1]  # things move
        player.setSource(QUrl())


def test_the_media_endpoint_serves_a_video_with_its_type(seeded_server) -> None:
    with seeded_server.engine.connect() as db:
        media_id, item_id, blob = db.execute(
            text(
                "SELECT m.id, i.id, b.data FROM media m JOIN media_blobs b ON b.media_id = m.id "
                "JOIN items i ON i.post_id = m.post_id WHERE m.kind = 'video' AND i.status = 'pending' ORDER BY m.id"
            )
        ).first()
    api = ApiClient(seeded_server.url)
    api.login("alice", "pw-alice")
    (ref,) = api.item(item_id).post.media
    assert (ref.id, ref.kind, ref.mime_type, ref.size_bytes) == (media_id, MediaKind.VIDEO, MIME_TYPE, len(blob))
    downloaded = api.media(media_id)
    assert (downloaded.data, downloaded.mime_type) == (blob, MIME_TYPE)
    assert (downloaded.width, downloaded.height) == (ref.width, ref.height) != (0, 0)
    response = requests.get(
        f"{seeded_server.url}/api/v1/media/{media_id}", headers={"Authorization": f"Bearer {api.token}"}, timeout=10
    )
    assert response.headers["Content-Type"] == MIME_TYPE and response.headers["Cache-Control"] == "no-store"
    assert requests.get(f"{seeded_server.url}/api/v1/media/{media_id}", timeout=10).status_code == 401
    assert api.duplicates(item_id) == []  # grouped by picture only: a video item has no near-duplicates

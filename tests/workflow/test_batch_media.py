"""The pictures of a batch confirmation: held items reuse what is prepared, the others are downloaded and covered
at preview size outside the review caches, videos become their covered poster, and bad media a placeholder."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from moderator_app.core.models import Item, MediaKind, MediaRef
from moderator_app.server.demo.avi import MIME_TYPE, mjpeg_avi
from moderator_app.workflow.batch_media import PREVIEW_SIZE, ROW_THUMBNAIL, batch_entries, held_entries
from moderator_app.workflow.items import MEDIA_CACHE, clear_media_caches
from tests.media import imaging
from tests.ui import media_samples as ms
from tests.ui import samples


def item_with(item_id: int, refs: list[MediaRef]) -> Item:
    base = samples.item(item_id)
    post = samples.post(600 + item_id, f"text of {item_id}", 5, refs)
    return base.model_copy(update={"post": post})


def test_held_items_use_their_prepared_media_without_a_download(qapp: QApplication) -> None:
    held = ms.item_with_media(71, [(9101, ms.detailed_png(), "image/png")])
    api = ms.FakeApi({})
    (entry,) = batch_entries(api, [held.item], [held])  # type: ignore[arg-type]
    assert entry.media == held.media and api.requests == []
    assert [e.media for e in held_entries([held.item], [held])] == [held.media]


def test_other_items_are_covered_at_preview_size_and_kept_out_of_the_caches(qapp: QApplication) -> None:
    clear_media_caches()
    frame = imaging.encode(imaging.detailed_image(320, 240), "JPEG", 85)
    video = mjpeg_avi([frame, frame], 320, 240, 10)
    refs = [
        ms.ref(9201, "image/jpeg"),
        ms.ref(9202, MIME_TYPE, MediaKind.VIDEO, size=len(video)),
        ms.ref(9203, "image/png"),
    ]
    api = ms.FakeApi(
        {
            9201: (ms.detailed_jpeg(1600, 1200), "image/jpeg"),
            9202: (video, MIME_TYPE),
            9203: (b"not a png", "image/png"),
        }
    )
    (entry,) = batch_entries(api, [item_with(72, refs)], [])  # type: ignore[arg-type]  # a fake API
    picture, poster, broken = entry.media
    assert sorted(api.requests) == [9201, 9202, 9203]
    assert picture.ok and picture.original is not None and picture.source is None
    assert picture.original.size() == QSize(640, 480) == PREVIEW_SIZE  # preview size, not the display size
    assert imaging.is_gray(picture.covered)
    assert poster.ok and poster.video is None and poster.original is not None  # a poster: nothing to play
    assert imaging.is_gray(poster.covered) and poster.revealable
    assert not broken.ok and not broken.revealable
    assert all(MEDIA_CACHE.get(media_id) is None for media_id in (9201, 9202, 9203))
    # Row thumbnails come from the covered images only, made here on the worker.
    assert len(entry.thumbnails) == 3
    assert all(t.width() <= ROW_THUMBNAIL.width() and t.height() <= ROW_THUMBNAIL.height() for t in entry.thumbnails)
    assert all(imaging.is_gray(t) for t in entry.thumbnails[:2])


def test_a_video_without_a_readable_first_frame_says_so(qapp: QApplication) -> None:
    clear_media_caches()
    mp4 = b"\x00\x00\x00\x18ftypisom" + b"\x00" * 64
    refs = [
        ms.ref(9301, "video/mp4", MediaKind.VIDEO, size=len(mp4)),
        ms.ref(9302, "video/mp4", MediaKind.VIDEO, 10**9),
    ]
    api = ms.FakeApi({9301: (mp4, "video/mp4")})
    (entry,) = batch_entries(api, [item_with(73, refs)], [])  # type: ignore[arg-type]  # a fake API
    waiting, huge = entry.media
    assert waiting.video is None and waiting.original is None and not waiting.revealable
    assert huge.error is not None and "too large" in huge.error
    assert api.requests == [9301]  # the huge one is not downloaded for a preview

"""The pictures a batch confirmation shows: every item's media, covered, so the moderator confirms what they saw.

Near-duplicates are grouped by a perceptual hash, and a hash cannot read: the same template picture with another
caption (a scam, and the warning against it) groups as a duplicate. So the batch dialog shows each item's media and
text before one key decides them all. Items this session holds are prepared already; the others are downloaded and
covered here on a worker, at preview size, in memory only and outside the review caches (a preview must never be
handed to the review screen as the display-size picture). Videos are shown by their covered poster: no player.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from moderator_app.client.api import ApiClient
from moderator_app.core.models import Item, MediaKind, MediaRef
from moderator_app.media.prepare import PreparedMedia, placeholder_image, prepare_media, thumbnail_of
from moderator_app.media.video import prepare_video
from moderator_app.workflow.items import (
    MEDIA_CACHE,
    MediaSettings,
    ReviewItem,
    covering,
    download_media,
    media_placeholder,
    media_refs,
    media_settings,
)

PREVIEW_SIZE = QSize(640, 480)
ROW_THUMBNAIL = QSize(96, 72)
MAX_ROW_THUMBNAILS = 3
MAX_PREVIEW_VIDEO_BYTES = 8 * 1024 * 1024  # larger videos are not downloaded just for a poster


@dataclass(frozen=True)
class BatchEntry:
    """One item of a batch with its media: covered by default, the original only for a deliberate reveal.
    thumbnails: the first media, covered only, at row size (made on the worker for a long list)."""

    item: Item
    media: list[PreparedMedia]
    thumbnails: list[QImage]

    @classmethod
    def of(cls, item: Item, media: list[PreparedMedia]) -> BatchEntry:
        shown = [poster_only(m) for m in media]
        return cls(item, shown, [thumbnail_of(m, ROW_THUMBNAIL).covered for m in shown[:MAX_ROW_THUMBNAILS]])


def poster_only(media: PreparedMedia) -> PreparedMedia:
    """A video as its covered poster (nothing to play); a picture as it is."""
    if media.video is None:
        return media
    if media.original is None:
        covered = placeholder_image("no preview here; open the item to see it", media.covered.size(), title="Video")
        return replace(media, video=None, covered=covered)
    return replace(media, video=None)


def held_entries(items: list[Item], held: list[ReviewItem]) -> list[BatchEntry]:
    """Entries for items this session holds (no network): their prepared media."""
    prepared = {review_item.id: review_item.media for review_item in held}
    return [BatchEntry.of(item, prepared.get(item.id, [])) for item in items]


def batch_entries(
    api: ApiClient, items: list[Item], held: list[ReviewItem], settings: MediaSettings | None = None
) -> list[BatchEntry]:
    """Blocking (a worker): every item's media covered, from the session's prepared items, the media cache, or a
    download. Never raises for bad or missing media: a placeholder says why."""
    settings = settings or media_settings()
    prepared = {review_item.id: review_item.media for review_item in held}
    entries: list[BatchEntry] = []
    for item in items:
        media = prepared.get(item.id)
        if media is None:
            media = [MEDIA_CACHE.get(ref.id) or _preview(api, ref, settings) for ref in media_refs(item)]
        entries.append(BatchEntry.of(item, media))
    return entries


def _preview(api: ApiClient, ref: MediaRef, settings: MediaSettings) -> PreparedMedia:
    video = ref.kind is MediaKind.VIDEO
    if video and ref.size_bytes > MAX_PREVIEW_VIDEO_BYTES:
        return media_placeholder(ref, "too large to preview here; open the item to see it", PREVIEW_SIZE)
    data = download_media(api, ref, PREVIEW_SIZE, max_bytes=MAX_PREVIEW_VIDEO_BYTES if video else None)
    if isinstance(data, PreparedMedia):
        return data
    if video:
        return prepare_video(ref.id, data.data, display_size=PREVIEW_SIZE, **covering(settings, ref, data))
    return prepare_media(
        ref.id, data.data, display_size=PREVIEW_SIZE, keep_source=False, **covering(settings, ref, data)
    )

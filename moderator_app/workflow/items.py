"""A claimed item made ready for the screen: its media downloaded and covered (blurred, grayscale) in memory.

prepare_review_item runs on a worker thread (blocking HTTP and image work, QImage only), so when the moderator
reaches the item nothing is left to wait for: the item's own media at display size, and small covered thumbnails
of the posts around it (or of a flagged channel's recent posts). Everything stays in memory: prepared media in
byte-bounded MediaCaches, never a file.

How media is covered (blur strength, grayscale) follows the wellness settings: the UI calls set_media_settings()
when they load or change, and items prepared from then on use them.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypedDict

from PySide6.QtCore import QSize

from moderator_app.client.api import ApiClient, MediaBytes
from moderator_app.client.errors import ApiError
from moderator_app.core.foreground import GATE
from moderator_app.core.models import Claim, ClaimedItem, DecisionRequest, Item, ItemKind, MediaKind, MediaRef, Queue
from moderator_app.core.policy import Action, EscalationTarget, PolicyReason
from moderator_app.media.blur import BlurStrength
from moderator_app.media.cache import MediaCache
from moderator_app.media.decode import DecodeLimits
from moderator_app.media.prepare import PreparedMedia, placeholder_image, prepare_media, thumbnail_of
from moderator_app.media.video import prepare_video

log = logging.getLogger(__name__)

#: Downloads (and the preparing that follows each) of the items being prepared, side by side; shared by every
#: item in preparation so the server sees a bounded number of requests at once.
_DOWNLOADS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="media-download")

MAX_MEDIA_PER_ITEM = 6  # a flagged channel's recent posts can carry many files; the screen shows a handful
MAX_THUMBNAIL_POSTS = 12  # context posts that get a thumbnail of their first media
THUMBNAIL_SIZE = QSize(160, 120)
MAX_VIDEO_BYTES = 50 * 1024 * 1024
POST_ONLY_ACTIONS = frozenset({Action.REMOVE_POST, Action.RESTRICT_POST, Action.LABEL_SENSITIVE})


@dataclass(frozen=True)
class MediaSettings:
    """How prepared media is covered; from the wellness settings."""

    grayscale: bool = True
    strength: BlurStrength = BlurStrength.STRONG
    limits: DecodeLimits = field(default_factory=DecodeLimits)


_settings_lock = threading.Lock()
_settings = MediaSettings()
#: Prepared media by id: the same file in several items (a channel's posts, a reposted picture) is prepared once.
#: Reuse happens within a few items of each other (the items in flight hold their own media besides), so a small
#: budget keeps the hits; a larger one only kept more pixels resident over a session.
MEDIA_CACHE = MediaCache(56 * 1024 * 1024)
THUMBNAIL_CACHE = MediaCache(8 * 1024 * 1024)


def media_settings() -> MediaSettings:
    with _settings_lock:
        return _settings


def set_media_settings(settings: MediaSettings) -> bool:
    """Use these settings for media prepared from now on; True when they changed (caches are emptied then, so
    nothing covered the old way is handed out again)."""
    global _settings
    with _settings_lock:
        if settings == _settings:
            return False
        _settings = settings
    clear_media_caches()
    return True


def clear_media_caches() -> None:
    """Forget every prepared picture (sign-out, quit, settings change)."""
    MEDIA_CACHE.clear()
    THUMBNAIL_CACHE.clear()


@dataclass
class ReviewItem:
    """An item the moderator holds a claim on, with its media prepared. claim changes when the lease is renewed.

    thumbnails: small covered-only images by media id, for the album strip and the context posts.
    """

    item: Item
    claim: Claim
    media: list[PreparedMedia]
    thumbnails: dict[int, PreparedMedia] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.item.id


def media_refs(item: Item) -> list[MediaRef]:
    """The media to show: the flagged post's files, or for a channel the files of its recent posts."""
    if item.kind is ItemKind.POST and item.post is not None:
        refs = list(item.post.media)
    else:
        refs = [ref for post in item.context_posts for ref in post.media]
    return refs[:MAX_MEDIA_PER_ITEM]


def thumbnail_refs(item: Item) -> list[MediaRef]:
    """The first media of each post shown in the context (newest posts first when there are too many)."""
    posts = list(item.context_posts)
    if item.post is not None and all(p.id != item.post.id for p in posts):
        posts.append(item.post)
    posts.sort(key=lambda p: (p.posted_at, p.id), reverse=True)
    return [post.media[0] for post in posts if post.media][:MAX_THUMBNAIL_POSTS]


def prepare_review_item(
    api: ApiClient,
    claimed: ClaimedItem,
    display_size: QSize,
    settings: MediaSettings | None = None,
    *,
    cover_size: QSize | None = None,
) -> ReviewItem:
    """Blocking: download and cover every media file of a claimed item. Never raises for bad or missing media.

    cover_size: the size the screen paints covered media at (see prepare_media); None: the display size.
    """
    settings = settings or media_settings()
    refs = media_refs(claimed.item)
    # With network latency the downloads dominate: an item's files are fetched side by side, not one by one.
    jobs = [_DOWNLOADS.submit(_prepare_one, api, ref, display_size, settings, cover_size) for ref in refs]
    thumbnail_jobs: dict[int, Future[PreparedMedia]] = {}
    for ref in thumbnail_refs(claimed.item):
        if ref.id not in thumbnail_jobs and all(ref.id != shown.id for shown in refs):
            thumbnail_jobs[ref.id] = _DOWNLOADS.submit(_thumbnail, api, ref, settings)
    prepared = [job.result() for job in jobs]
    thumbnails: dict[int, PreparedMedia] = {}
    for media in prepared:
        GATE.wait_turn()  # scaling holds the interpreter: not while the screen shows the next item
        thumbnails[media.media_id] = thumbnail_of(media, THUMBNAIL_SIZE)
    for ref_id, job in thumbnail_jobs.items():
        thumbnails[ref_id] = job.result()
    return ReviewItem(item=claimed.item, claim=claimed.claim, media=prepared, thumbnails=thumbnails)


def download_media(
    api: ApiClient, ref: MediaRef, fallback_size: QSize, max_bytes: int | None = None
) -> MediaBytes | PreparedMedia:
    """The media's bytes, or a placeholder (at fallback_size) that says why they could not be had."""
    GATE.wait_turn()  # the HTTP client's Python work too: not while the screen shows the next item
    try:
        return api.media(ref.id) if max_bytes is None else api.media(ref.id, max_bytes=max_bytes)
    except ApiError as error:
        log.info("%s %s could not be downloaded: %s", ref.kind.value, ref.id, error.code)
        return media_placeholder(ref, str(error), fallback_size)


class Covering(TypedDict):
    declared_mime: str | None
    grayscale: bool
    strength: BlurStrength | float
    limits: DecodeLimits


def covering(settings: MediaSettings, ref: MediaRef, data: MediaBytes) -> Covering:
    """What every preparation needs besides the bytes and sizes: the declared type and how to cover."""
    return Covering(
        declared_mime=data.mime_type or ref.mime_type,
        grayscale=settings.grayscale,
        strength=settings.strength,
        limits=settings.limits,
    )


def _prepare_one(
    api: ApiClient, ref: MediaRef, display_size: QSize, settings: MediaSettings, cover_size: QSize | None = None
) -> PreparedMedia:
    cached = MEDIA_CACHE.get(ref.id)
    if cached is not None:
        return cached
    if ref.kind is MediaKind.VIDEO:
        return _prepare_video(api, ref, display_size, settings)
    data = download_media(api, ref, display_size)
    if isinstance(data, PreparedMedia):
        return data
    media = prepare_media(
        ref.id, data.data, display_size=display_size, cover_size=cover_size, **covering(settings, ref, data)
    )
    MEDIA_CACHE.put(media)
    return media


def _prepare_video(api: ApiClient, ref: MediaRef, display_size: QSize, settings: MediaSettings) -> PreparedMedia:
    """A video's bytes in memory, its container checked; its poster covered here when the first frame can be read
    without a player (Motion-JPEG), else when it is first shown (QtMultimedia decodes on its own threads)."""
    if ref.size_bytes > MAX_VIDEO_BYTES:
        return media_placeholder(ref, f"the video is too large ({ref.size_bytes // (1024 * 1024)} MB)", display_size)
    data = download_media(api, ref, display_size, max_bytes=MAX_VIDEO_BYTES)
    if isinstance(data, PreparedMedia):
        return data
    media = prepare_video(
        ref.id,
        data.data,
        display_size=display_size,
        width=ref.width,
        height=ref.height,
        **covering(settings, ref, data),
    )
    MEDIA_CACHE.put(media)
    return media


def _thumbnail(api: ApiClient, ref: MediaRef, settings: MediaSettings) -> PreparedMedia:
    cached = THUMBNAIL_CACHE.get(ref.id)
    if cached is not None:
        return cached
    if ref.kind is MediaKind.VIDEO:
        return media_placeholder(ref, "video", THUMBNAIL_SIZE)
    data = download_media(api, ref, THUMBNAIL_SIZE)
    if isinstance(data, PreparedMedia):
        return data
    media = prepare_media(
        ref.id, data.data, display_size=THUMBNAIL_SIZE, keep_source=False, **covering(settings, ref, data)
    )
    GATE.wait_turn()
    thumbnail = thumbnail_of(media, THUMBNAIL_SIZE)  # drops the original: a thumbnail is never revealed
    THUMBNAIL_CACHE.put(thumbnail)
    return thumbnail


def media_placeholder(ref: MediaRef, reason: str, display_size: QSize) -> PreparedMedia:
    title = "Video not shown" if ref.kind is MediaKind.VIDEO else "Image not shown"
    image = placeholder_image(reason, display_size, title=title)
    return PreparedMedia(
        media_id=ref.id, covered=image, original=None, error=reason, width=ref.width, height=ref.height
    )


def default_reason(item: Item, queue: Queue | None) -> PolicyReason | None:
    """The reason most reporters gave (ties: the one reported first), else the queue's default."""
    if item.reports:
        counts = Counter(report.reason for report in sorted(item.reports, key=lambda r: r.created_at))
        return counts.most_common(1)[0][0]
    return queue.default_reason if queue is not None else None


def build_request(
    item: Item,
    queue: Queue | None,
    action: Action,
    reason: PolicyReason | None = None,
    note: str = "",
    escalation_target: EscalationTarget | None = None,
    territorial_scope: list[str] | None = None,
) -> DecisionRequest:
    """A decision with the defaults a one-key decision needs. Raises ValueError when the policy forbids it."""
    if item.kind is ItemKind.CHANNEL and action in POST_ONLY_ACTIONS:
        raise ValueError(f"{action.value} applies to posts; this item is a channel")
    if action is Action.ESCALATE and escalation_target is None:
        escalation_target = EscalationTarget.LEAD
    request = DecisionRequest(
        action=action,
        reason=reason or default_reason(item, queue),
        note=note.strip(),
        territorial_scope=territorial_scope,
        escalation_target=escalation_target,
    )
    problems = request.problems()
    if problems:
        raise ValueError("; ".join(problems))
    return request

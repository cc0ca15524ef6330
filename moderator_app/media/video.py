"""A video's bytes made ready for the review screen, on a worker thread: the container checked, and, when the first
frame can be read without a player (Motion-JPEG in AVI), the poster decoded and covered right away.

The bytes stay in memory (PreparedMedia.video) and are played from there when the moderator reveals the video; they
are never written to a file. A video whose poster needs the player starts with a placeholder, and the media view
covers the player's first frame on a worker (ui.media_video).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize

from moderator_app.media.blur import BlurStrength, blur, flatten
from moderator_app.media.decode import DecodeLimits, MediaDecodeError, decode_media
from moderator_app.media.prepare import PreparedMedia, placeholder_image
from moderator_app.media.video_formats import first_avi_frame, sniff_video, video_mime_mismatch

log = logging.getLogger(__name__)

WAITING_FOR_POSTER = "preparing a covered preview…"


def prepare_video(
    media_id: int,
    data: bytes,
    *,
    declared_mime: str | None,
    display_size: QSize,
    grayscale: bool = True,
    strength: BlurStrength | float = BlurStrength.STRONG,
    limits: DecodeLimits = DecodeLimits(),
    width: int = 0,
    height: int = 0,
) -> PreparedMedia:
    """Check the container and cover the poster when it can be read here. Never raises for bad media: a refused
    video comes back with .error set and no bytes to play. width, height: the size the server declared."""
    fmt = sniff_video(data) if data else None
    reason = "the file is not a video in a supported format" if fmt is None else video_mime_mismatch(declared_mime, fmt)
    if reason is not None:
        log.info("video %s not shown: %s", media_id, reason)
        return PreparedMedia(
            media_id=media_id,
            covered=placeholder_image(reason, display_size, title="Video not shown"),
            original=None,
            error=reason,
            width=0,
            height=0,
        )
    covered = placeholder_image(WAITING_FOR_POSTER, display_size, title="Video")
    original = None
    frame = first_avi_frame(data)
    if frame is not None:
        try:
            poster = decode_media(frame, declared_mime="image/jpeg", target_size=display_size, limits=limits)
        except MediaDecodeError as exc:
            log.info("video %s: no poster from its first frame (%s); the player will make one", media_id, exc.reason)
        else:
            original = flatten(poster.image)
            covered = blur(original, strength, grayscale=grayscale)
            width, height = width or poster.source_size.width(), height or poster.source_size.height()
    return PreparedMedia(
        media_id=media_id,
        covered=covered,
        original=original,
        error=None,
        width=width,
        height=height,
        format=fmt,
        mime_type=declared_mime,
        video=data,
    )

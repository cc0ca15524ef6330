"""Turn downloaded media bytes into what the review screen paints: a covered (blurred, grayscale) image and the
display-size original kept in memory for a deliberate reveal. Runs on worker threads; QtGui only, no disk.

Covered is the default view whatever labels the media has (an image nobody labelled can be the worst one), so bad
media never raises here: the moderator gets a placeholder that says why the picture is not shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

from moderator_app.core.foreground import GATE
from moderator_app.media.blur import BlurStrength, blur, flatten
from moderator_app.media.cache import MediaCache
from moderator_app.media.decode import DecodeLimits, MediaDecodeError, decode_media, fit_size

__all__ = [
    "MAX_KEPT_SOURCE_BYTES",
    "MediaCache",
    "PreparedMedia",
    "cover_again",
    "placeholder_image",
    "prepare_media",
    "thumbnail_of",
]

log = logging.getLogger(__name__)

PLACEHOLDER_SIZE = QSize(640, 360)
_PLACEHOLDER_BACKGROUND = QColor(32, 33, 36)
_PLACEHOLDER_BORDER = QColor(70, 72, 78)
_PLACEHOLDER_TEXT = QColor(210, 212, 216)
#: The downloaded file is kept (in memory only) for a later full-resolution zoom when the display decode dropped
#: pixels and the file is no larger than this; bigger files zoom on the display-size original.
MAX_KEPT_SOURCE_BYTES = 24 * 1024 * 1024


@dataclass
class PreparedMedia:
    """One media file ready to paint.

    covered: what is shown by default (blurred, grayscale unless asked otherwise), or the placeholder on error.
    original: the display-size colour decode for a reveal; None when the media could not be decoded.
    error: the reason the media is not shown (a short clause), None when it decoded.
    width, height: the picture's own size as its header declares it (0 when unknown); covered.size() is the
    display size.
    source: the downloaded bytes, kept in memory only when a full-resolution zoom could show more than original
    (see media.fullres); None otherwise. mime_type: what the server declared for them.
    video: a video's bytes (memory only; played from memory when revealed). Until its poster frame is decoded,
    covered is a placeholder and original is None.
    """

    media_id: int
    covered: QImage
    original: QImage | None
    error: str | None
    width: int
    height: int
    format: str | None = None
    source: bytes | None = field(default=None, repr=False)
    mime_type: str | None = None
    video: bytes | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def is_video(self) -> bool:
        return self.video is not None

    @property
    def revealable(self) -> bool:
        """True when there is something unblurred to show: a decoded picture, or a video to play."""
        has_original = self.original is not None and not self.original.isNull()
        return self.error is None and (has_original or self.video is not None)

    @property
    def nbytes(self) -> int:
        """Memory held by the pixels and kept bytes, for the cache's byte budget."""
        total = self.covered.sizeInBytes()
        original = self.original
        # Covered and original may share one buffer (strength 0 blurs nothing); count it once.
        if original is not None and not original.isNull() and original.cacheKey() != self.covered.cacheKey():
            total += original.sizeInBytes()
        return total + len(self.source or b"") + len(self.video or b"")


def placeholder_image(reason: str, size: QSize, *, title: str = "Image not shown") -> QImage:
    """A dark image saying "<title>: <reason>" ("Image not shown: ..."), for media we refuse or cannot decode."""
    if not size.isValid() or size.isEmpty():
        size = PLACEHOLDER_SIZE
    img = QImage(size, QImage.Format.Format_RGB32)
    img.fill(_PLACEHOLDER_BACKGROUND)
    painter = QPainter(img)
    painter.setPen(QPen(_PLACEHOLDER_BORDER, 2))
    painter.drawRect(img.rect().adjusted(1, 1, -2, -2))
    # Text needs the font database, which exists only once a QGuiApplication does; without one (a bare script)
    # the dark frame alone still never looks like a picture.
    if QGuiApplication.instance() is not None:
        font = QFont()
        font.setPixelSize(max(11, min(26, size.height() // 14, size.width() // 24)))
        painter.setFont(font)
        painter.setPen(_PLACEHOLDER_TEXT)
        margin = max(8, size.width() // 16)
        box = QRect(margin, margin, size.width() - 2 * margin, size.height() - 2 * margin)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(box, int(flags), f"{title}: {reason}" if title else reason)
    painter.end()
    return img


def prepare_media(
    media_id: int,
    data: bytes,
    *,
    declared_mime: str | None = None,
    display_size: QSize,
    grayscale: bool = True,
    strength: BlurStrength | float = BlurStrength.STRONG,
    limits: DecodeLimits = DecodeLimits(),
    keep_source: bool = True,
    cover_size: QSize | None = None,
) -> PreparedMedia:
    """Decode at display size (fit inside, never upscaled), keep that as the original, and cover it.

    Never raises for bad media: a placeholder with the reason drawn on it is returned with .error set. Nothing is
    written to disk. keep_source: keep the bytes in memory when a zoom could use more pixels than the display decode
    (files up to MAX_KEPT_SOURCE_BYTES). cover_size: make the covered picture fit inside this size (never larger
    than the original) when it is painted smaller than the display size: a blurred picture loses nothing, and the
    UI thread paints it without rescaling.
    """
    target = display_size if display_size.isValid() and not display_size.isEmpty() else None
    try:
        GATE.wait_turn()  # decoding and blurring hold the interpreter: not while the screen shows the next item
        decoded = decode_media(data, declared_mime=declared_mime, target_size=target, limits=limits)
        # Transparent pictures are flattened onto neutral grey: black-on-transparent would vanish on a dark theme.
        original = flatten(decoded.image)
        GATE.wait_turn()
        covered_size = fit_size(original.size(), cover_size) if cover_size is not None else None
        covered = blur(original, strength, grayscale=grayscale, size=covered_size)
    except MediaDecodeError as exc:
        log.info("media %s not shown: %s", media_id, exc.reason)
        return _failed(media_id, exc.reason, display_size)
    except Exception:
        # A bug or an unexpected Qt failure must still leave the moderator a covered screen, never a crash.
        log.exception("media %s could not be prepared", media_id)
        return _failed(media_id, "the image could not be prepared", display_size)
    shrunk = decoded.source_size.width() > original.width() or decoded.source_size.height() > original.height()
    kept = data if keep_source and shrunk and len(data) <= MAX_KEPT_SOURCE_BYTES else None
    return PreparedMedia(
        media_id=media_id,
        covered=covered,
        original=original,
        error=None,
        width=decoded.source_size.width(),
        height=decoded.source_size.height(),
        format=decoded.format,
        source=kept,
        mime_type=declared_mime,
    )


def cover_again(
    media: PreparedMedia, *, grayscale: bool = True, strength: BlurStrength | float = BlurStrength.STRONG
) -> PreparedMedia:
    """The same media covered with other settings (the moderator changed blur strength or grayscale): blurred
    again from the display-size original. Media without an original (placeholder, video without poster) is
    returned as it is."""
    original = media.original
    if original is None or original.isNull():
        return media
    return replace(media, covered=blur(original, strength, grayscale=grayscale))


def thumbnail_of(media: PreparedMedia, size: QSize) -> PreparedMedia:
    """A small covered-only copy (for strips and context lists): the covered image scaled to fit inside size, no
    original, no kept bytes, so a thumbnail can never show unblurred pixels."""
    covered = media.covered
    if not covered.isNull() and (covered.width() > size.width() or covered.height() > size.height()):
        covered = covered.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return PreparedMedia(
        media_id=media.media_id,
        covered=covered,
        original=None,
        error=media.error,
        width=media.width,
        height=media.height,
        format=media.format,
        mime_type=media.mime_type,
    )


def _failed(media_id: int, reason: str, display_size: QSize) -> PreparedMedia:
    return PreparedMedia(
        media_id=media_id,
        covered=placeholder_image(reason, display_size),
        original=None,
        error=reason,
        width=0,
        height=0,
    )

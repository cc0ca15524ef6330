"""Decode the whole original of a media, for when a moderator zooms into revealed media past its display size.

prepare_media keeps only a display-size original; a camera picture can hold ten times the pixels. Decoding it whole
costs time and memory (a 40-megapixel picture is 160 MB of pixels), so it is done only on demand, on a worker
thread, and kept in memory only as long as the reveal lasts. Same checks and limits as every other decode. QtGui
only, no disk.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from moderator_app.media.blur import flatten
from moderator_app.media.decode import DecodeLimits, decode_media

__all__ = ["decode_full_resolution"]


def decode_full_resolution(
    data: bytes,
    declared_mime: str | None = None,
    limits: DecodeLimits = DecodeLimits(),
    *,
    max_size: QSize | None = None,
) -> QImage:
    """The picture at its own size (or fit inside max_size, never upscaled), flattened like prepare_media's
    original so it can replace it pixel for pixel.

    Raises MediaDecodeError (.reason) when the bytes are refused; the caller keeps showing the display-size
    original then. max_size bounds memory: a sensible bound is the display size times the maximum zoom.
    """
    decoded = decode_media(data, declared_mime=declared_mime, target_size=max_size, limits=limits)
    # Transparent areas go onto the same neutral grey as the display-size original, or a zoom would change them.
    return flatten(decoded.image)

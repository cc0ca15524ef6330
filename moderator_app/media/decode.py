"""Decode untrusted image bytes into a QImage, safely and at the size it will be shown.

Flagged media is hostile input. Before any pixel is decoded we check the byte size, recognise the format from the
content (the declared type is only compared, never believed), check that the file is complete, and read the header
to refuse decompression bombs. Decoding then scales while it reads (JPEG decodes straight to a reduced size), which
is several times faster than decoding a camera picture whole. QtGui only, no QPixmap: safe on worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader

from moderator_app.media import formats

MIB = 1024 * 1024


@dataclass(frozen=True)
class DecodeLimits:
    """What we agree to open. max_pixels is width x height as declared by the header."""

    max_bytes: int = 50 * MIB
    max_pixels: int = 40_000_000
    allocation_limit_mb: int = 256


class MediaDecodeError(Exception):
    """The image cannot be shown. .reason is a short lower-case clause a moderator can read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DecodedImage:
    """A decoded picture with what the header told us about the file."""

    image: QImage
    format: str  # one of formats.JPEG/PNG/GIF/WEBP/BMP
    source_size: QSize  # as stored in the file, before scaling (after EXIF rotation)


_READER_ERRORS: dict[QImageReader.ImageReaderError, str] = {
    QImageReader.ImageReaderError.UnsupportedFormatError: "the image format is not supported",
    QImageReader.ImageReaderError.InvalidDataError: formats.DAMAGED,
    QImageReader.ImageReaderError.DeviceError: "the file could not be read",
}


@cache
def available_formats() -> frozenset[str]:
    """The supported formats this Qt installation can decode (WebP needs the imageformats plugin)."""
    known = {bytes(name.data()).decode("ascii").lower() for name in QImageReader.supportedImageFormats()}
    return frozenset(f for f in formats.FORMAT_NAMES if f in known)


def fit_size(source: QSize, bound: QSize | None) -> QSize:
    """The largest size with source's aspect ratio that fits inside bound; never larger than source."""
    if bound is None or not bound.isValid() or bound.isEmpty():
        return QSize(source)
    if source.width() <= bound.width() and source.height() <= bound.height():
        return QSize(source)
    scale = min(bound.width() / source.width(), bound.height() / source.height())
    width = min(bound.width(), max(1, round(source.width() * scale)))
    height = min(bound.height(), max(1, round(source.height() * scale)))
    return QSize(width, height)


def _format_mb(n: int) -> str:
    return f"{n / MIB:.0f} MB" if n >= 10 * MIB else f"{n / MIB:.1f} MB"


def _rotates(reader: QImageReader) -> bool:
    """True when the file's EXIF orientation turns the picture by 90 or 270 degrees."""
    rotate90 = QImageIOHandler.Transformation.TransformationRotate90
    return bool(reader.transformation() & rotate90)


def decode_media(
    data: bytes,
    *,
    declared_mime: str | None = None,
    target_size: QSize | None = None,
    limits: DecodeLimits = DecodeLimits(),
) -> DecodedImage:
    """Decode data, scaled to fit inside target_size (aspect kept, never upscaled). Raises MediaDecodeError."""
    if not data:
        raise MediaDecodeError("the file is empty")
    if len(data) > limits.max_bytes:
        raise MediaDecodeError(
            f"the file is too large ({_format_mb(len(data))}; the limit is {_format_mb(limits.max_bytes)})"
        )
    fmt = formats.sniff_format(data)
    if fmt is None:
        raise MediaDecodeError("the file is not an image in a supported format")
    mismatch = formats.mime_mismatch(declared_mime, fmt)
    if mismatch:
        raise MediaDecodeError(mismatch)
    if fmt not in available_formats():
        raise MediaDecodeError(f"{formats.FORMAT_NAMES[fmt]} images cannot be opened on this computer")

    # The structure walk comes first so that Qt's parsers never see a cut or mangled file (they print warnings
    # and, for JPEG, return a grey-padded picture as if nothing were wrong).
    problem = formats.structure_problem(fmt, data)
    if problem:
        raise MediaDecodeError(problem)

    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    try:
        return _read(buffer, fmt, formats.header_size(fmt, data), target_size, limits)
    finally:
        buffer.close()


def _read(
    buffer: QBuffer, fmt: str, declared: tuple[int, int] | None, target_size: QSize | None, limits: DecodeLimits
) -> DecodedImage:
    reader = QImageReader(buffer, fmt.encode("ascii"))
    # Use exactly the format we recognised: no fallback to other plugins guessing from content.
    reader.setAutoDetectImageFormat(False)
    reader.setDecideFormatFromContent(False)
    reader.setAllocationLimit(limits.allocation_limit_mb)
    reader.setAutoTransform(True)

    # The header alone gives the size; nothing is decompressed yet.
    stored = reader.size() if reader.canRead() else QSize()
    if not stored.isValid() or stored.isEmpty():
        raise MediaDecodeError("the image header is damaged")
    width, height = stored.width(), stored.height()
    if declared is not None and declared[0] * declared[1] > width * height:
        width, height = declared
    pixels = width * height
    if pixels > limits.max_pixels:
        raise MediaDecodeError(
            f"the image is too large ({width} × {height} pixels; the limit is {limits.max_pixels / 1e6:.0f} megapixels)"
        )
    rotated = _rotates(reader)
    shown = stored.transposed() if rotated else QSize(stored)
    wanted = fit_size(shown, target_size)
    if wanted != shown:
        # The reader scales before it applies the EXIF rotation, so ask in the file's own orientation.
        reader.setScaledSize(wanted.transposed() if rotated else wanted)

    image = reader.read()
    if image.isNull():
        # Deep images (16 bits a channel) can pass the pixel limit yet exceed the allocation limit; say so
        # rather than calling a valid file damaged.
        if pixels * 8 > limits.allocation_limit_mb * MIB:
            raise MediaDecodeError(f"the image is too large to open ({width} × {height} pixels)")
        raise MediaDecodeError(_READER_ERRORS.get(reader.error(), formats.DAMAGED))
    return DecodedImage(image=image, format=fmt, source_size=shown)


def decode_image(
    data: bytes,
    *,
    declared_mime: str | None = None,
    target_size: QSize | None = None,
    limits: DecodeLimits = DecodeLimits(),
) -> QImage:
    """Decode untrusted image bytes; see decode_media. Raises MediaDecodeError with a short human reason."""
    return decode_media(data, declared_mime=declared_mime, target_size=target_size, limits=limits).image

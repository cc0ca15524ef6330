"""Recognise image formats from their bytes and check that a file is complete before Qt decodes it.

Pure Python, no Qt. The server's declared type is never trusted: the format comes from the magic bytes, and only
the five formats we support are recognised, so Qt's rarer parsers (TGA, SVG, XPM, TIFF, ...) never see flagged media.
The structure walks exist because Qt's JPEG and BMP readers happily return a half-grey image for a truncated file
(libjpeg pads the missing data), which would look like a real picture to a moderator.
"""

from __future__ import annotations

import re

JPEG = "jpeg"
PNG = "png"
GIF = "gif"
WEBP = "webp"
BMP = "bmp"

#: Human names used in error sentences.
FORMAT_NAMES: dict[str, str] = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WebP", BMP: "BMP"}

#: Declared mime types we map to a format; anything else that is not generic is reported as it was declared.
_MIME_FORMATS: dict[str, str] = {
    "image/jpeg": JPEG,
    "image/jpg": JPEG,
    "image/pjpeg": JPEG,
    "image/png": PNG,
    "image/x-png": PNG,
    "image/apng": PNG,
    "image/gif": GIF,
    "image/webp": WEBP,
    "image/bmp": BMP,
    "image/x-bmp": BMP,
    "image/x-ms-bmp": BMP,
}

#: Declared types that say nothing about the format, so they cannot disagree with it.
_GENERIC_MIMES = frozenset({"", "application/octet-stream", "binary/octet-stream", "image/*"})

# In JPEG entropy-coded data a 0xFF byte is followed by 0x00 (stuffing) or a restart marker 0xD0..0xD7; fill bytes
# are further 0xFF. Anything else after 0xFF is the next real marker.
_JPEG_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")

TRUNCATED = "the file is truncated"
DAMAGED = "the file is damaged"


def sniff_format(data: bytes) -> str | None:
    """The format named by the file's magic bytes, or None when it is none of the supported ones."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[:2] == b"BM" and len(data) >= 26:
        return BMP
    return None


def normalize_mime(declared: str | None) -> str:
    """Lower-case the declared type and drop parameters such as '; charset=...'."""
    if not declared:
        return ""
    return declared.split(";", 1)[0].strip().lower()


def mime_mismatch(declared: str | None, fmt: str) -> str | None:
    """A sentence when the declared type names a different format than the bytes, else None."""
    mime = normalize_mime(declared)
    if mime in _GENERIC_MIMES:
        return None
    declared_fmt = _MIME_FORMATS.get(mime)
    if declared_fmt == fmt:
        return None
    said = FORMAT_NAMES[declared_fmt] if declared_fmt else mime
    return f"the file says it is {said} but it is {FORMAT_NAMES[fmt]}"


def header_size(fmt: str, data: bytes) -> tuple[int, int] | None:
    """Width and height as our own reading of the header declares them, where Qt may report something smaller.

    Qt's GIF reader reports the first frame's size but allocates the (logical screen) canvas, so a tiny GIF
    declaring a 7000 x 7000 screen would get past a check based on Qt's size alone. PNG and BMP are read here as
    a second opinion; JPEG and WebP sizes come from their decoders' own header parsing.
    """
    if fmt == GIF and len(data) >= 10:
        return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    if fmt == PNG and len(data) >= 24 and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if fmt == BMP and len(data) >= 26 and int.from_bytes(data[14:18], "little") >= 40:
        width = int.from_bytes(data[18:22], "little", signed=True)
        height = int.from_bytes(data[22:26], "little", signed=True)
        return abs(width), abs(height)
    return None


def structure_problem(fmt: str, data: bytes) -> str | None:
    """A short reason when the file is cut short or its layout is broken, None when it looks whole."""
    checks = {JPEG: _jpeg_problem, PNG: _png_problem, GIF: _gif_problem, WEBP: _webp_problem, BMP: _bmp_problem}
    return checks[fmt](data)


def _jpeg_problem(data: bytes) -> str | None:
    # Walk the marker segments from SOI to EOI; segment lengths let us skip an embedded EXIF thumbnail, whose own
    # EOI would otherwise make a truncated file look complete.
    n = len(data)
    pos = 2
    while True:
        if pos >= n:
            return TRUNCATED
        if data[pos] != 0xFF:
            return DAMAGED
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos >= n:
            return TRUNCATED
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return None
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # standalone markers carry no length
            continue
        if pos + 2 > n:
            return TRUNCATED
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2:
            return DAMAGED
        pos += length
        if marker == 0xDA:  # SOS: entropy-coded data runs until the next real marker
            if pos > n:
                return TRUNCATED
            # Fast path: 0xFF 0xD9 cannot occur inside entropy-coded data, so a file that ends with it after its
            # headers were walked ends with its EOI. Scanning megabytes of scan data costs milliseconds.
            if data.endswith(b"\xff\xd9"):
                return None
            found = _JPEG_NEXT_MARKER.search(data, pos)
            if found is None:
                return TRUNCATED
            pos = found.start()


def _png_problem(data: bytes) -> str | None:
    n = len(data)
    pos = 8
    first = True
    while True:
        if pos + 8 > n:
            return TRUNCATED
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if length > 0x7FFFFFFF or not kind.isalpha():
            return DAMAGED
        if first and kind != b"IHDR":
            return DAMAGED
        first = False
        end = pos + 12 + length
        if end > n:
            return TRUNCATED
        if kind == b"IEND":
            return None
        pos = end


def _skip_gif_sub_blocks(data: bytes, pos: int) -> int | None:
    """Position after a chain of GIF data sub-blocks, or None if the data ends first."""
    n = len(data)
    while pos < n:
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos if pos <= n else None
    return None


def _gif_problem(data: bytes) -> str | None:
    # Only the first frame is shown, so the file must hold that frame in full.
    n = len(data)
    if n < 13:
        return TRUNCATED
    flags = data[10]
    pos = 13
    if flags & 0x80:
        pos += 3 * (2 ** ((flags & 0x07) + 1))
    while True:
        if pos >= n:
            return TRUNCATED
        block = data[pos]
        if block == 0x21:  # extension: label, then sub-blocks
            after = _skip_gif_sub_blocks(data, pos + 2)
            if after is None:
                return TRUNCATED
            pos = after
        elif block == 0x2C:  # image descriptor
            if pos + 10 > n:
                return TRUNCATED
            local = data[pos + 9]
            pos += 10
            if local & 0x80:
                pos += 3 * (2 ** ((local & 0x07) + 1))
            if pos + 1 > n:
                return TRUNCATED
            after = _skip_gif_sub_blocks(data, pos + 1)  # after the LZW minimum code size byte
            return None if after is not None else TRUNCATED
        elif block == 0x3B:  # trailer before any image
            return "the file holds no picture"
        else:
            return DAMAGED


def _webp_problem(data: bytes) -> str | None:
    if len(data) < 16:
        return TRUNCATED
    riff_size = int.from_bytes(data[4:8], "little")
    if riff_size < 8:
        return DAMAGED
    return TRUNCATED if len(data) < 8 + riff_size else None


def _bmp_problem(data: bytes) -> str | None:
    n = len(data)
    file_size = int.from_bytes(data[2:6], "little")
    pixel_offset = int.from_bytes(data[10:14], "little")
    header_size = int.from_bytes(data[14:18], "little")
    if pixel_offset < 26 or pixel_offset > n:
        return TRUNCATED if pixel_offset > n else DAMAGED
    if header_size >= 40 and n >= 34:
        width = int.from_bytes(data[18:22], "little", signed=True)
        height = int.from_bytes(data[22:26], "little", signed=True)
        bits = int.from_bytes(data[28:30], "little")
        compression = int.from_bytes(data[30:34], "little")
        if compression in (0, 3, 6) and bits in (1, 4, 8, 16, 24, 32):
            # Uncompressed rows are padded to four bytes; the pixel array must be all there.
            row = ((bits * abs(width) + 31) // 32) * 4
            return TRUNCATED if n < pixel_offset + row * abs(height) else None
    # Compressed or old-style headers: trust the declared file size when the writer filled it in.
    return TRUNCATED if file_size > 0 and n < file_size else None

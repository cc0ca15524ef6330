"""Test helpers: generated detailed pictures and a Laplacian-variance sharpness measure, pure Qt + Python."""

from __future__ import annotations

import struct
import zlib
from itertools import islice
from operator import add, mul, sub

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter


def detailed_image(width: int, height: int) -> QImage:
    """Text, stripes, a checkerboard and a gradient: everything a strong blur must wipe out."""
    img = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(img)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0.0, QColor(30, 90, 200))
    gradient.setColorAt(1.0, QColor(230, 140, 40))
    painter.fillRect(img.rect(), gradient)
    # Checkerboard in the top-left quarter.
    cell = max(4, width // 100)
    for y in range(0, height // 2, cell):
        for x in range(0, width // 2, cell):
            if (x // cell + y // cell) % 2 == 0:
                painter.fillRect(QRect(x, y, cell, cell), Qt.GlobalColor.white)
    # Stripes in the top-right quarter.
    for x in range(width // 2, width, 6):
        painter.fillRect(QRect(x, 0, 3, height // 2), QColor(20, 20, 20))
    # Lines of text in the bottom half.
    font = QFont()
    font.setPixelSize(max(10, height // 30))
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    line = font.pixelSize() + 4
    for i, y in enumerate(range(height // 2 + line, height, line)):
        painter.drawText(8, y, f"Line {i}: the quick brown fox jumps over the lazy dog 0123456789 " * 4)
    painter.end()
    return img


def encode(img: QImage, fmt: str, quality: int = -1) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert img.save(buffer, fmt, quality), f"could not encode {fmt}"
    buffer.close()
    return bytes(array.data())


def gray_rows(img: QImage) -> list[bytes]:
    """The rows of a Grayscale8 copy, without the scan-line padding."""
    gray = img.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(gray.constBits())
    stride = gray.bytesPerLine()
    w = gray.width()
    return [data[y * stride : y * stride + w] for y in range(gray.height())]


def laplacian_variance(img: QImage, row_step: int = 1) -> float:
    """Variance of the 4-neighbour Laplacian of the luminance: high for sharp detail, near 0 when blurred.

    row_step > 1 samples every n-th row (an unbiased estimate) to keep big images fast in pure Python.
    """
    rows = gray_rows(img)
    count = 0
    total = 0
    total_sq = 0
    for y in range(1, len(rows) - 1, row_step):
        up, mid, down = rows[y - 1], rows[y], rows[y + 1]
        neighbours = map(
            add, map(add, islice(up, 1, len(up) - 1), islice(down, 1, len(down) - 1)), map(add, mid[:-2], mid[2:])
        )
        lap = list(map(sub, map(mul, islice(mid, 1, len(mid) - 1), [4] * (len(mid) - 2)), neighbours))
        count += len(lap)
        total += sum(lap)
        total_sq += sum(map(mul, lap, lap))
    mean = total / count
    return total_sq / count - mean * mean


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """One PNG chunk with a correct CRC."""
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def png_bomb(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header declares width x height RGB pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # One compressed row is enough for a valid stream layout; the size is what matters.
    idat = zlib.compress(b"\x00" + b"\x00" * 3 * min(width, 4096), 9)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def gif_bytes(width: int, height: int, pixels: list[int], palette: list[tuple[int, int, int]]) -> bytes:
    """A GIF89a with one frame, LZW-coded naively: a clear code before every pixel keeps codes 3 bits wide.

    palette must have 4 entries; pixels holds width*height indices 0..3.
    """
    assert len(palette) == 4 and len(pixels) == width * height
    clear, end = 4, 5
    codes: list[int] = []
    for index in pixels:
        codes += [clear, index]
    codes.append(end)
    bits = 0
    nbits = 0
    packed = bytearray()
    for code in codes:
        bits |= code << nbits
        nbits += 3
        while nbits >= 8:
            packed.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    if nbits:
        packed.append(bits & 0xFF)
    blocks = bytearray()
    for start in range(0, len(packed), 255):
        chunk = packed[start : start + 255]
        blocks += bytes([len(chunk)]) + chunk
    blocks += b"\x00"
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x81, 0, 0)  # global table of 4 colours
    table = b"".join(bytes(rgb) for rgb in palette)
    descriptor = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
    return header + table + descriptor + b"\x02" + bytes(blocks) + b"\x3b"


def with_app1(jpeg: bytes, payload: bytes) -> bytes:
    """jpeg with an APP1 segment holding payload inserted right after SOI."""
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def exif_orientation(value: int) -> bytes:
    """An APP1 Exif payload with only the Orientation tag (big-endian TIFF)."""
    ifd = struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, value, 0) + struct.pack(">I", 0)
    return b"Exif\x00\x00" + b"MM\x00\x2a" + struct.pack(">I", 8) + ifd


def pixel_rgb(img: QImage, x: int, y: int) -> tuple[int, int, int]:
    color = img.pixelColor(x, y)
    return color.red(), color.green(), color.blue()


def is_gray(img: QImage) -> bool:
    """True when every pixel has red == green == blue (checked on the raw RGB32 bytes)."""
    rgb = img.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(rgb.constBits())
    stride = rgb.bytesPerLine()
    for y in range(rgb.height()):
        row = data[y * stride : y * stride + 4 * rgb.width()]
        if row[0::4] != row[1::4] or row[1::4] != row[2::4]:
            return False
    return True


def mean_luma(img: QImage) -> float:
    rows = gray_rows(img)
    return sum(sum(r) for r in rows) / (img.width() * img.height())


def max_luma(img: QImage) -> int:
    return max(max(r) for r in gray_rows(img))

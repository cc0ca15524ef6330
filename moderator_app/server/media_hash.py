"""Perceptual difference hash (dHash) of an image, for grouping near-duplicate media.

The picture is reduced to 17x16 grey levels (area averaging) and each bit says whether a cell is brighter than its
right-hand neighbour (by more than a fifth of a grey level): 256 bits that survive re-encoding, recompression and
resizing (they follow the picture's gradients, not its bytes). Two media are near-duplicates when the Hamming
distance of their hashes is at most NEAR_DUPLICATE_DISTANCE.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QRgba64

__all__ = ["HEX_DIGITS", "NEAR_DUPLICATE_DISTANCE", "dhash", "dhash_image", "hamming", "is_near_duplicate"]

# Of 256 bits. Measured on the 312 pictures of the full demo (seed 20261130), hashing as below:
# - identical reposts (same bytes, the demo's 46 pairs of open media): 0.
# - copies, the same picture re-encoded or resized: JPEG quality 60 vs 95: median 2, p99 13, 99.4% <= 16 (one
#   low-contrast abstract at 30); resized to 90% (smooth, JPEG 80) vs the original: median 4, p99 15, max 22,
#   99.0% <= 16; JPEG 95 vs the original: max 16; halved: max 20, 99.0% <= 16.
# - different pictures (48,516 pairs, same-template pairs included): min 26, 0.1% below 33, 1% below 43, median
#   91; the closest same-template pairs: posters 26, abstract 26, screenshots 27.
# A batch decision over a different picture is the harm to avoid and a missed copy only costs one more review, so
# the threshold sits 10 bits under the closest different pair; the rare copy beyond it (a smooth low-contrast
# gradient, where neighbouring cells differ by about one grey level, heavily recompressed) is reviewed alone.
NEAR_DUPLICATE_DISTANCE = 16
HASH_WIDTH = 17  # 16 comparisons per row
HASH_HEIGHT = 16
HASH_BITS = (HASH_WIDTH - 1) * HASH_HEIGHT
HEX_DIGITS = HASH_BITS // 4
# A bit is set when the left cell is brighter by more than a fifth of a grey level (luma x1000 on 16-bit channels).
# The cells are averaged at 16 bits, so real steps of a gradient (about one level) register; the dead zone keeps
# equal cells (flat screenshot backgrounds, where JPEG noise moves the average by hundredths of a level) at 0 in
# every copy. Measured against the alternatives on the full demo: 8-bit averaging without a dead zone brought the
# closest different pictures to 23 bits and left ~3% of copies beyond 16; 16-bit without it up to 8% (flat areas);
# a wider dead zone (0.3-0.5 level) was no better.
_DEAD_ZONE = 257 * 1000 // 5
# Decoding at a reduced size first (JPEG scales while decoding) keeps a 12 MP picture cheap; the averaging to 17x16
# then happens from a picture that is still far larger than the hash.
_DECODE_EDGE = 256
_MAX_PIXELS = 80_000_000  # beyond this the header is refused before anything is decoded


def dhash(data: bytes) -> str | None:
    """The hash of encoded image bytes, or None when they are not a decodable image."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    if not buffer.open(QIODevice.OpenModeFlag.ReadOnly):
        return None
    reader = QImageReader(buffer)
    size = reader.size()
    if not size.isValid() or size.isEmpty() or size.width() * size.height() > _MAX_PIXELS:
        return None
    if max(size.width(), size.height()) > _DECODE_EDGE:
        reader.setScaledSize(size.scaled(QSize(_DECODE_EDGE, _DECODE_EDGE), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    buffer.close()
    if image.isNull():
        return None
    return dhash_image(image)


def dhash_image(image: QImage) -> str:
    """The hash of a decoded image (any format, any size)."""
    # Qt's smooth downscale averages every source pixel into its cell (an area average, not a point sample); in a
    # 16-bit-per-channel format the averages keep their fractions of a grey level.
    small = image.convertToFormat(QImage.Format.Format_RGBX64).scaled(
        HASH_WIDTH,
        HASH_HEIGHT,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    value = 0
    for y in range(HASH_HEIGHT):
        row = [_grey(small.pixelColor(x, y).rgba64()) for x in range(HASH_WIDTH)]
        for x in range(HASH_WIDTH - 1):
            value = (value << 1) | (row[x] > row[x + 1] + _DEAD_ZONE)
    return f"{value:0{HEX_DIGITS}x}"


def _grey(rgb: QRgba64) -> int:
    # ITU-R BT.601 luma in integers (x1000): the weights the eye gives red, green and blue.
    return 299 * rgb.red() + 587 * rgb.green() + 114 * rgb.blue()


def hamming(first: str, second: str) -> int:
    """How many of the bits differ."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def is_near_duplicate(first: str, second: str) -> bool:
    return hamming(first, second) <= NEAR_DUPLICATE_DISTANCE

"""The perceptual hash groups the same picture however it was re-encoded or resized, and only that picture."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

from moderator_app.server.demo.images import ImageSpec, render_images
from moderator_app.server.media_hash import NEAR_DUPLICATE_DISTANCE, dhash, hamming, is_near_duplicate

pytestmark = pytest.mark.usefixtures("qapp")  # QPainter on a QImage wants a GUI application for its fonts


def picture(seed: int, width: int = 640, height: int = 480) -> QImage:
    """A made-up picture: a diagonal gradient, a few filled shapes and a checkerboard, placed by the seed."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        gradient = QLinearGradient(QPointF(0, 0), QPointF(width, height))
        gradient.setColorAt(0, QColor.fromHsv((seed * 67) % 360, 160, 230))
        gradient.setColorAt(1, QColor.fromHsv((seed * 67 + 150) % 360, 200, 60))
        painter.fillRect(image.rect(), gradient)
        for n in range(5):
            x = ((seed * 131 + n * 97) % 9) / 10 * width
            y = ((seed * 71 + n * 53) % 9) / 10 * height
            painter.setBrush(QColor.fromHsv((seed * 29 + n * 61) % 360, 220, 40 + 40 * n))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(QRectF(x, y, width / 4, height / 3))
        for row in range(0, height // 4, 4):
            for col in range(0, width // 4, 4):
                if (row + col) % 8 == 0:
                    painter.fillRect(QRectF(width * 0.7 + col, height * 0.6 + row, 4, 4), Qt.GlobalColor.white)
    finally:
        painter.end()
    return image


def encode(image: QImage, fmt: str, quality: int = -1) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt, quality)
    buffer.close()
    return bytes(data.data())


def resized(image: QImage, factor: float) -> QImage:
    return image.scaled(
        round(image.width() * factor),
        round(image.height() * factor),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


def hash_of(data: bytes) -> str:
    value = dhash(data)
    assert value is not None
    return value


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_same_picture_re_encoded_or_resized_is_a_near_duplicate(seed: int) -> None:
    original = picture(seed)
    reference = hash_of(encode(original, "PNG"))
    variants = {
        "JPEG quality 95": encode(original, "JPEG", 95),
        "JPEG quality 60": encode(original, "JPEG", 60),
        "JPEG quality 35": encode(original, "JPEG", 35),
        "resized to 90%": encode(resized(original, 0.9), "JPEG", 80),
        "resized to 50%": encode(resized(original, 0.5), "PNG"),
        "resized to 120%": encode(resized(original, 1.2), "JPEG", 70),
    }
    for name, data in variants.items():
        distance = hamming(reference, hash_of(data))
        assert distance <= NEAR_DUPLICATE_DISTANCE, f"{name}: {distance} bits apart"
    low, high = hash_of(variants["JPEG quality 60"]), hash_of(variants["JPEG quality 95"])
    assert is_near_duplicate(low, high), hamming(low, high)


def test_different_pictures_are_not_near_duplicates() -> None:
    hashes = [hash_of(encode(picture(seed), "JPEG", 80)) for seed in (1, 2, 3)]
    mirrored = hash_of(encode(picture(1).flipped(Qt.Orientation.Horizontal), "JPEG", 80))
    for first, second in [(0, 1), (0, 2), (1, 2)]:
        assert not is_near_duplicate(hashes[first], hashes[second]), (first, second)
        assert hamming(hashes[first], hashes[second]) > NEAR_DUPLICATE_DISTANCE + 4  # with a margin
    # The same content flipped is another picture as far as the hash goes (each bit compares left with right).
    assert hamming(hashes[0], mirrored) > 2 * NEAR_DUPLICATE_DISTANCE


def _template(style: str, fmt: str, size: tuple[int, int], seed: int, caption: str) -> ImageSpec:
    return ImageSpec(style, size[0], size[1], fmt, seed, "template_demo", caption)


@pytest.mark.parametrize(
    ("style", "fmt", "size"),
    [("poster", "JPEG", (1280, 720)), ("screenshot", "PNG", (540, 960)), ("abstract", "JPEG", (800, 600))],
)
def test_demo_pictures_of_the_same_template_are_not_near_duplicates(
    style: str, fmt: str, size: tuple[int, int]
) -> None:
    """The demo draws each style from one layout (header, banner, QR block): the 8x8 hash mistook them for copies."""
    first, second, third = render_images(
        [
            _template(style, fmt, size, 4242, "Join now: free tokens for everyone"),
            _template(style, fmt, size, 777, "Join now: free tokens for everyone"),  # same words, other drawing
            _template(style, fmt, size, 9001, "Another caption entirely"),
        ]
    )
    hashes = [hash_of(image.data) for image in (first, second, third)]
    for a, b in [(0, 1), (0, 2), (1, 2)]:
        distance = hamming(hashes[a], hashes[b])
        assert distance > NEAR_DUPLICATE_DISTANCE + 4, f"{style} {a}/{b}: {distance} bits apart"
    # ... while a copy of one of them, recompressed and shrunk, still is one.
    decoded = QImage.fromData(first.data)
    for copy in (encode(decoded, "JPEG", 60), encode(resized(decoded, 0.9), "JPEG", 80)):
        assert is_near_duplicate(hashes[0], hash_of(copy)), hamming(hashes[0], hash_of(copy))


def test_hashes_are_sixty_four_hex_digits_and_undecodable_bytes_have_none() -> None:
    value = hash_of(encode(picture(4), "PNG"))
    assert len(value) == 64 and int(value, 16) >= 0 and value == value.lower()
    assert dhash(b"not an image at all") is None
    assert dhash(b"") is None
    assert hamming(value, value) == 0
    assert hamming("0" * 64, "f" * 64) == 256

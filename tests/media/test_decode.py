"""decode_image: formats from content, limits before decoding, and honest errors for bad files."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QImage, QImageWriter, QPainter

from moderator_app.media import formats
from moderator_app.media.decode import DecodeLimits, MediaDecodeError, available_formats, decode_image, decode_media
from tests.media import imaging

PALETTE = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]


def reason_of(data: bytes, **kwargs: object) -> str:
    with pytest.raises(MediaDecodeError) as caught:
        decode_image(data, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == caught.value.reason
    return caught.value.reason


# --- what decodes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("BMP", "image/bmp")])
def test_decodes_supported_formats_at_full_size(detailed_800: QImage, fmt: str, mime: str) -> None:
    data = imaging.encode(detailed_800, fmt)
    img = decode_image(data, declared_mime=mime)
    assert img.size() == QSize(800, 600)
    assert not img.isNull()


def test_decodes_webp_when_the_plugin_exists(detailed_800: QImage) -> None:
    if "webp" not in available_formats():
        pytest.skip("no WebP image plugin in this Qt")
    img = decode_image(imaging.encode(detailed_800, "WEBP"), declared_mime="image/webp")
    assert img.size() == QSize(800, 600)


def test_decodes_first_gif_frame_with_its_colours() -> None:
    pixels = [0, 1, 2, 3] * 4
    img = decode_image(imaging.gif_bytes(4, 4, pixels, PALETTE), declared_mime="image/gif")
    assert img.size() == QSize(4, 4)
    assert [imaging.pixel_rgb(img, x, 0) for x in range(4)] == PALETTE


@pytest.mark.parametrize("mime", [None, "", "application/octet-stream", "image/png; charset=binary", "IMAGE/PNG"])
def test_generic_or_matching_declared_types_are_accepted(png_800: bytes, mime: str | None) -> None:
    assert decode_image(png_800, declared_mime=mime).size() == QSize(800, 600)


def test_jpeg_with_trailing_bytes_after_its_end_still_decodes(jpeg_800: bytes) -> None:
    assert decode_image(jpeg_800 + b"camera trailer \x00\x01").size() == QSize(800, 600)


# --- scaling while decoding -----------------------------------------------------------------------------------


def test_scales_a_large_jpeg_to_fit_inside_the_target(jpeg_4000: bytes) -> None:
    decoded = decode_media(jpeg_4000, declared_mime="image/jpeg", target_size=QSize(1280, 960))
    assert decoded.image.size() == QSize(1280, 960)
    assert decoded.source_size == QSize(4000, 3000)
    assert decoded.format == formats.JPEG


@pytest.mark.parametrize(
    ("target", "expected"),
    [(QSize(400, 400), QSize(400, 300)), (QSize(1000, 150), QSize(200, 150)), (QSize(2000, 2000), QSize(800, 600))],
)
def test_keeps_aspect_and_never_upscales(png_800: bytes, target: QSize, expected: QSize) -> None:
    assert decode_image(png_800, target_size=target).size() == expected


def test_exif_rotation_is_applied_and_the_target_fits_the_turned_picture(qapp: object) -> None:
    wide = QImage(400, 200, QImage.Format.Format_RGB32)
    wide.fill(0xFF336699)
    rotated = imaging.with_app1(imaging.encode(wide, "JPEG", 90), imaging.exif_orientation(6))
    assert decode_image(rotated).size() == QSize(200, 400)
    decoded = decode_media(rotated, target_size=QSize(100, 100))
    assert decoded.image.size() == QSize(50, 100)
    assert decoded.source_size == QSize(200, 400)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_scaled_decode_averages_instead_of_skipping_pixels(qapp: object, fmt: str) -> None:
    # One-pixel black and white stripes: a nearest-neighbour shrink would give pure black or white columns.
    stripes = QImage(800, 600, QImage.Format.Format_RGB32)
    stripes.fill(Qt.GlobalColor.white)
    painter = QPainter(stripes)
    for x in range(0, 800, 2):
        painter.fillRect(QRect(x, 0, 1, 600), Qt.GlobalColor.black)
    painter.end()
    img = decode_image(imaging.encode(stripes, fmt, 95), target_size=QSize(300, 300))
    assert img.size() == QSize(300, 225)
    assert all(40 < img.pixelColor(x, 100).red() < 215 for x in range(0, 300, 7))


def test_progressive_jpeg_decodes_and_its_truncation_is_caught(detailed_800: QImage) -> None:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, b"jpeg")
    writer.setProgressiveScanWrite(True)
    assert writer.write(detailed_800)
    buffer.close()
    progressive = bytes(array.data())
    assert progressive.count(b"\xff\xda") > 1  # several scans
    assert decode_image(progressive).size() == QSize(800, 600)
    assert reason_of(progressive[: len(progressive) * 2 // 3]) == "the file is truncated"


# --- refused before decoding ----------------------------------------------------------------------------------


def test_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = imaging.png_bomb(30000, 30000)
    assert len(bomb) < 1000
    reason = reason_of(bomb, declared_mime="image/png")
    assert reason.startswith("the image is too large (30000 × 30000 pixels")


def test_gif_canvas_bomb_is_refused_although_its_frame_is_tiny() -> None:
    # Qt reports the 1x1 frame but would allocate the 7000x7000 logical screen.
    gif = imaging.gif_bytes(1, 1, [0], PALETTE)
    gif = gif[:6] + (7000).to_bytes(2, "little") * 2 + gif[10:]
    assert reason_of(gif).startswith("the image is too large (7000 × 7000 pixels")


def test_pixel_limit_applies_even_when_memory_would_allow_it(png_800: bytes) -> None:
    reason = reason_of(png_800, limits=DecodeLimits(max_pixels=100_000))
    assert "800 × 600" in reason


@pytest.mark.qt_log_ignore("allocation limit")
def test_allocation_limit_refusal_is_reported_as_too_large(png_800: bytes) -> None:
    reason = reason_of(png_800, limits=DecodeLimits(allocation_limit_mb=1))
    assert reason == "the image is too large to open (800 × 600 pixels)"


def test_byte_limit_is_checked_first(png_800: bytes) -> None:
    reason = reason_of(png_800, limits=DecodeLimits(max_bytes=1000))
    assert reason.startswith("the file is too large")


def test_png_declared_as_jpeg_is_refused(png_800: bytes) -> None:
    assert reason_of(png_800, declared_mime="image/jpeg") == "the file says it is JPEG but it is PNG"


def test_declared_non_image_type_is_named(png_800: bytes) -> None:
    assert reason_of(png_800, declared_mime="text/html") == "the file says it is text/html but it is PNG"


# --- broken files ---------------------------------------------------------------------------------------------


def test_truncated_jpeg_is_an_error_not_a_half_grey_picture(jpeg_800: bytes) -> None:
    assert reason_of(jpeg_800[: len(jpeg_800) // 2], declared_mime="image/jpeg") == "the file is truncated"


def test_truncated_jpeg_with_a_complete_thumbnail_inside_is_still_truncated(qapp: object, jpeg_800: bytes) -> None:
    # An EXIF thumbnail carries its own end marker; a naive "contains FFD9" check would pass the cut file.
    thumb = QImage(32, 24, QImage.Format.Format_RGB32)
    thumb.fill(0xFF808080)
    with_thumb = imaging.with_app1(jpeg_800, b"Exif\x00\x00" + imaging.encode(thumb, "JPEG"))
    assert decode_image(with_thumb).size() == QSize(800, 600)
    assert reason_of(with_thumb[: len(with_thumb) // 2]) == "the file is truncated"


@pytest.mark.parametrize("fmt", ["PNG", "BMP"])
def test_truncated_png_and_bmp_are_errors(detailed_800: QImage, fmt: str) -> None:
    data = imaging.encode(detailed_800, fmt)
    assert reason_of(data[: len(data) // 2]) == "the file is truncated"


def test_truncated_gif_is_an_error() -> None:
    data = imaging.gif_bytes(4, 4, [1] * 16, PALETTE)
    assert reason_of(data[:-6]) == "the file is truncated"


def test_random_bytes_are_not_an_image() -> None:
    noise = random.Random(7).randbytes(4096)
    assert reason_of(noise) == "the file is not an image in a supported format"


def test_random_bytes_behind_a_jpeg_signature_are_an_error() -> None:
    noise = b"\xff\xd8\xff" + random.Random(8).randbytes(4096)
    assert reason_of(noise, declared_mime="image/jpeg") in {"the file is truncated", "the file is damaged"}


@pytest.mark.qt_log_ignore(".*")
def test_png_with_corrupt_compressed_data_is_damaged(png_800: bytes) -> None:
    broken = bytearray(png_800)
    start = png_800.index(b"IDAT") + 4
    for i in range(start + 20, start + 220):
        broken[i] ^= 0x5A
    assert reason_of(bytes(broken)) == "the file is damaged"


def test_empty_file() -> None:
    assert reason_of(b"") == "the file is empty"


def test_unsupported_formats_are_not_handed_to_qt(qapp: object) -> None:
    # Qt could read XPM (text) or TIFF, but flagged media only gets the five parsers we support.
    tiny = QImage(2, 2, QImage.Format.Format_RGB32)
    tiny.fill(0xFF000000)
    assert reason_of(imaging.encode(tiny, "XPM")) == "the file is not an image in a supported format"

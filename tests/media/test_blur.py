"""blur and grayscale: real pixel blur of Gaussian quality, strong enough to make text unreadable."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from moderator_app.media.blur import BlurStrength, blur, blur_sigma, box_widths, flatten, grayscale
from moderator_app.media.decode import decode_image
from tests.media import imaging


def drop(before: float, after: float) -> float:
    return 1.0 - after / before


@pytest.mark.parametrize(("width", "height"), [(800, 600), (1280, 720)])
def test_strong_blur_wipes_out_fine_detail(qapp: object, width: int, height: int) -> None:
    img = imaging.detailed_image(width, height)
    blurred = blur(img)  # STRONG is the default
    assert blurred.size() == img.size()
    assert drop(imaging.laplacian_variance(img), imaging.laplacian_variance(blurred)) >= 0.90


def test_strong_blur_of_a_camera_sized_jpeg(jpeg_4000: bytes) -> None:
    img = decode_image(jpeg_4000)
    assert img.size() == QSize(4000, 3000)
    blurred = blur(img, BlurStrength.STRONG)
    assert blurred.size() == QSize(4000, 3000)
    before = imaging.laplacian_variance(img, row_step=16)
    after = imaging.laplacian_variance(blurred, row_step=16)
    assert drop(before, after) >= 0.90


@pytest.mark.parametrize("strength", list(BlurStrength))
def test_edge_spread_grows_with_strength(qapp: object, strength: BlurStrength) -> None:
    # A black/white edge blurred by a Gaussian rises from 10 % to 90 % over 2.56 sigma.
    img = QImage(800, 60, QImage.Format.Format_RGB32)
    img.fill(Qt.GlobalColor.black)
    painter = QPainter(img)
    painter.fillRect(QRect(400, 0, 400, 60), Qt.GlobalColor.white)
    painter.end()
    row = imaging.gray_rows(blur(img, strength))[30]
    ramp = sum(1 for v in row if 26 <= v <= 229)
    assert ramp == pytest.approx(2.563 * blur_sigma(img.size(), strength), rel=0.25)


def test_blur_profile_is_gaussian_with_the_requested_sigma(qapp: object) -> None:
    # A white square on black; the blurred intensity's spatial variance is the square's plus sigma squared.
    size, side, fraction = 400, 41, 0.05
    img = QImage(size, size, QImage.Format.Format_RGB32)
    img.fill(Qt.GlobalColor.black)
    start = (size - side) // 2
    painter = QPainter(img)
    painter.fillRect(QRect(start, start, side, side), Qt.GlobalColor.white)
    painter.end()
    sigma = blur_sigma(img.size(), fraction)
    rows = imaging.gray_rows(blur(img, fraction))
    total = sum(sum(r) for r in rows)
    cx = sum(x * v for r in rows for x, v in enumerate(r)) / total
    cy = sum(y * sum(r) for y, r in enumerate(rows)) / total
    var_x = sum((x - cx) ** 2 * v for r in rows for x, v in enumerate(r)) / total
    var_y = sum((y - cy) ** 2 * sum(r) for y, r in enumerate(rows)) / total
    expected = (side * side - 1) / 12 + sigma * sigma
    center = start + (side - 1) / 2
    assert abs(cx - center) < 0.25 and abs(cy - center) < 0.25  # no drift
    assert var_x == pytest.approx(expected, rel=0.2)
    assert var_y == pytest.approx(expected, rel=0.2)
    # Energy is kept: a blur spreads light, it does not remove it.
    assert total == pytest.approx(255 * side * side, rel=0.05)


def test_flat_image_stays_flat_up_to_the_edges() -> None:
    img = QImage(301, 207, QImage.Format.Format_RGB32)
    img.fill(QColor(90, 140, 200))
    blurred = blur(img)
    for x, y in [(0, 0), (300, 206), (150, 0), (0, 100), (150, 103)]:
        r, g, b = imaging.pixel_rgb(blurred, x, y)
        assert abs(r - 90) <= 2 and abs(g - 140) <= 2 and abs(b - 200) <= 2, (x, y)


@pytest.mark.parametrize("size", [QSize(1, 1), QSize(5, 3), QSize(333, 77), QSize(64, 2000)])
def test_odd_sizes_keep_their_size(size: QSize) -> None:
    img = QImage(size, QImage.Format.Format_RGB32)
    img.fill(0xFF446688)
    for strength in BlurStrength:
        assert blur(img, strength).size() == size


def test_transparent_image_keeps_alpha_when_blurred_in_colour(qapp: object) -> None:
    img = QImage(200, 100, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    painter = QPainter(img)
    painter.fillRect(QRect(0, 0, 100, 100), QColor(255, 0, 0))
    painter.end()
    blurred = blur(img)
    assert blurred.hasAlphaChannel()
    assert blurred.pixelColor(10, 50).alpha() > 200
    assert blurred.pixelColor(190, 50).alpha() < 50


def test_null_image_and_bad_strength() -> None:
    assert blur(QImage()).isNull()
    assert grayscale(QImage()).isNull()
    with pytest.raises(ValueError):
        blur(QImage(4, 4, QImage.Format.Format_RGB32), 2.0)


def test_zero_strength_changes_nothing(detailed_800: QImage) -> None:
    assert blur(detailed_800, 0.0) == detailed_800


@pytest.mark.parametrize("sigma", [0.8, 1.5, 2.0, 2.7, 3.3, 4.9, 7.5])
def test_box_widths_match_the_gaussian_variance(sigma: float) -> None:
    widths = box_widths(sigma)
    assert len(widths) == 3 and all(w % 2 == 1 for w in widths)
    variance = sum((w * w - 1) / 12 for w in widths)
    assert math.sqrt(variance) == pytest.approx(sigma, rel=0.15)


# --- grayscale ------------------------------------------------------------------------------------------------


def test_grayscale_has_no_colour_left(detailed_800: QImage) -> None:
    assert not imaging.is_gray(detailed_800)
    gray = grayscale(detailed_800)
    assert gray.size() == detailed_800.size()
    assert gray.format() == QImage.Format.Format_RGB32
    assert imaging.is_gray(gray)


def test_grayscale_is_a_luminance(qapp: object) -> None:
    img = QImage(3, 1, QImage.Format.Format_RGB32)
    for x, color in enumerate([QColor(0, 255, 0), QColor(255, 0, 0), QColor(0, 0, 255)]):
        img.setPixelColor(x, 0, color)
    levels = [imaging.pixel_rgb(grayscale(img), x, 0)[0] for x in range(3)]
    assert levels[0] > levels[1] > levels[2] > 0  # green looks brightest, blue darkest


def test_gray_blur_has_no_colour_and_is_blurred(detailed_800: QImage) -> None:
    covered = blur(detailed_800, grayscale=True)
    assert imaging.is_gray(covered)
    assert drop(imaging.laplacian_variance(detailed_800), imaging.laplacian_variance(covered)) >= 0.90


def test_transparency_is_flattened_onto_neutral_grey() -> None:
    img = QImage(4, 4, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    img.setPixelColor(0, 0, QColor(0, 0, 0))
    flat = flatten(img)
    assert flat.format() == QImage.Format.Format_RGB32
    assert imaging.pixel_rgb(flat, 3, 3) == (128, 128, 128)
    assert imaging.pixel_rgb(flat, 0, 0) == (0, 0, 0)
    assert imaging.pixel_rgb(grayscale(img), 3, 3) == (128, 128, 128)

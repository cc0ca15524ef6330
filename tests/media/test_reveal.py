"""paint_covered_media: covered by default, the original only for a deliberate reveal, zoom only while revealed."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from moderator_app.media.decode import MediaDecodeError
from moderator_app.media.fullres import decode_full_resolution
from moderator_app.media.prepare import PreparedMedia, prepare_media
from moderator_app.media.reveal import (
    MAX_ZOOM,
    RevealMode,
    RevealView,
    clamp_pan,
    fit_rect,
    needs_full_resolution,
    paint_covered_media,
    pan_limit,
    zoomed_rect,
)
from tests.media import imaging

DISPLAY = QSize(640, 480)
MARKER = QColor(255, 0, 255)  # the canvas colour: a pixel still this colour was not painted


@pytest.fixture(scope="module")
def prepared(png_800: bytes) -> PreparedMedia:
    media = prepare_media(1, png_800, declared_mime="image/png", display_size=DISPLAY)
    assert media.ok and media.original is not None
    return media


def paint(
    media: PreparedMedia,
    view: RevealView,
    canvas_size: QSize = DISPLAY,
    target: QRectF | None = None,
    full_resolution: QImage | None = None,
) -> QImage:
    canvas = QImage(canvas_size, QImage.Format.Format_RGB32)
    canvas.fill(MARKER)
    painter = QPainter(canvas)
    paint_covered_media(painter, target or QRectF(canvas.rect()), media, view, full_resolution=full_resolution)
    assert not painter.hasClipping(), "the painter's clip must be restored"
    painter.end()
    return canvas


def same_pixels(a: QImage, b: QImage) -> bool:
    return a.convertToFormat(QImage.Format.Format_RGB32) == b.convertToFormat(QImage.Format.Format_RGB32)


def marker_count(img: QImage, rect: QRectF, step: int = 4) -> int:
    marker = MARKER.rgb()
    return sum(
        1
        for y in range(int(rect.top()), int(rect.bottom()), step)
        for x in range(int(rect.left()), int(rect.right()), step)
        if img.pixel(x, y) == marker
    )


def test_covered_paints_the_blurred_image_and_loses_the_detail(prepared: PreparedMedia) -> None:
    covered = paint(prepared, RevealView())
    revealed = paint(prepared, RevealView(RevealMode.PEEK))
    assert same_pixels(covered, prepared.covered)
    assert imaging.is_gray(covered)
    assert imaging.laplacian_variance(covered) <= 0.1 * imaging.laplacian_variance(revealed)


@pytest.mark.parametrize("mode", [RevealMode.PEEK, RevealMode.TOGGLED])
def test_peek_and_toggle_paint_the_original(prepared: PreparedMedia, mode: RevealMode) -> None:
    assert prepared.original is not None
    shown = paint(prepared, RevealView(mode))
    assert same_pixels(shown, prepared.original)
    assert not imaging.is_gray(shown)


def test_region_reveals_only_inside_the_circle(prepared: PreparedMedia) -> None:
    assert prepared.original is not None
    center, radius = QPointF(300, 200), 100.0
    shown = paint(prepared, RevealView(RevealMode.REGION, region_center=center, region_radius=radius))
    inside = outside = 0
    for y in range(0, DISPLAY.height(), 5):
        for x in range(0, DISPLAY.width(), 5):
            distance = math.hypot(x + 0.5 - center.x(), y + 0.5 - center.y())
            if distance < radius - 2:  # the anti-aliased rim blends both
                assert shown.pixel(x, y) == prepared.original.pixel(x, y), (x, y)
                inside += 1
            elif distance > radius + 2:
                assert shown.pixel(x, y) == prepared.covered.pixel(x, y), (x, y)
                outside += 1
    assert inside > 1000 and outside > 8000
    # The detail came back inside the circle only.
    lens = shown.copy(250, 150, 100, 100)
    rest = shown.copy(0, 380, 640, 100)
    assert imaging.laplacian_variance(lens) > 10 * imaging.laplacian_variance(rest)


def test_region_without_a_centre_stays_covered(prepared: PreparedMedia) -> None:
    assert same_pixels(paint(prepared, RevealView(RevealMode.REGION)), prepared.covered)


def test_media_without_an_original_is_always_painted_covered(qapp: object) -> None:
    bad = prepare_media(2, b"not an image", display_size=DISPLAY)
    assert bad.original is None
    for mode in RevealMode:
        view = RevealView(mode, region_center=QPointF(320, 240), zoom=4)
        assert same_pixels(paint(bad, view), bad.covered), mode


def test_fit_rect_keeps_the_aspect_ratio_and_centres() -> None:
    assert fit_rect(QSize(800, 600), QRectF(10, 20, 400, 400)) == QRectF(10, 70, 400, 300)
    assert fit_rect(QSizeF(100, 200), QRectF(0, 0, 400, 100)) == QRectF(175, 0, 50, 100)
    assert fit_rect(QSize(100, 50), QRectF(0, 0, 1000, 1000), max_scale=2.0) == QRectF(400, 450, 200, 100)
    assert fit_rect(QSize(0, 0), QRectF(0, 0, 10, 10)).isEmpty()


def test_letterboxed_target_leaves_the_margins_unpainted(prepared: PreparedMedia) -> None:
    shown = paint(prepared, RevealView(RevealMode.PEEK), canvas_size=QSize(800, 480))
    assert marker_count(shown, QRectF(0, 0, 80, 480)) == marker_count(shown, QRectF(720, 0, 80, 480)) > 0
    assert marker_count(shown, QRectF(80, 0, 640, 480)) == 0
    assert prepared.original is not None
    assert same_pixels(shown.copy(80, 0, 640, 480), prepared.original)


def test_one_to_one_stays_pixel_exact_when_centring_falls_between_pixels(prepared: PreparedMedia) -> None:
    # 641 px wide: exact centring would put the image at x = 0.5 and resample every pixel of the original.
    shown = paint(prepared, RevealView(RevealMode.PEEK), canvas_size=QSize(641, 480))
    assert prepared.original is not None
    assert fit_rect(DISPLAY, QRectF(0, 0, 641, 480)).left() in (0.0, 1.0)
    left = int(fit_rect(DISPLAY, QRectF(0, 0, 641, 480)).left())
    assert same_pixels(shown.copy(left, 0, 640, 480), prepared.original)


def test_zoom_enlarges_around_the_centre_and_never_paints_outside_the_target(prepared: PreparedMedia) -> None:
    target = QRectF(80, 60, 640, 480)
    shown = paint(prepared, RevealView(RevealMode.PEEK, zoom=4), canvas_size=QSize(800, 600), target=target)
    assert marker_count(shown, target) == 0
    assert marker_count(shown, QRectF(0, 0, 800, 60)) > 0 and marker_count(shown, QRectF(0, 540, 800, 60)) > 0
    rect = zoomed_rect(DISPLAY, target, 4, QPointF())
    assert rect.size() == QSizeF(2560, 1920) and rect.center() == target.center()
    # Compare with the original's centre scaled 4x by Qt itself.
    assert prepared.original is not None
    centre = prepared.original.copy(300, 220, 40, 40).scaled(160, 160, mode=Qt.TransformationMode.SmoothTransformation)
    painted = shown.copy(80 + 320 - 80, 60 + 240 - 80, 160, 160)
    assert imaging.mean_luma(painted) == pytest.approx(imaging.mean_luma(centre), abs=6)


def test_zoom_and_pan_apply_only_while_revealed(prepared: PreparedMedia) -> None:
    zoomed = dict(zoom=4.0, pan=QPointF(100, 50))
    assert same_pixels(paint(prepared, RevealView(**zoomed)), prepared.covered)
    region = paint(prepared, RevealView(RevealMode.REGION, region_center=QPointF(100, 100), **zoomed))
    assert same_pixels(region, paint(prepared, RevealView(RevealMode.REGION, region_center=QPointF(100, 100))))
    assert not same_pixels(paint(prepared, RevealView(RevealMode.TOGGLED, **zoomed)), prepared.covered)


def test_pan_is_clamped_so_the_image_always_fills_the_target(prepared: PreparedMedia) -> None:
    target = QRectF(0, 0, 640, 480)
    assert pan_limit(DISPLAY, target, 1.0) == QPointF(0, 0)
    assert pan_limit(DISPLAY, target, 2.0) == QPointF(320, 240)
    assert clamp_pan(DISPLAY, target, 2.0, QPointF(10_000, -10_000)) == QPointF(320, -240)
    assert zoomed_rect(DISPLAY, target, 2.0, QPointF(10_000, -10_000)) == QRectF(0, -480, 1280, 960)
    far = paint(prepared, RevealView(RevealMode.PEEK, zoom=2, pan=QPointF(10_000, -10_000)))
    assert marker_count(far, target, step=2) == 0
    # Panned fully right and up: the original's bottom-left quarter fills the target.
    assert prepared.original is not None
    quarter = prepared.original.copy(0, 240, 320, 240).scaled(640, 480, mode=Qt.TransformationMode.SmoothTransformation)
    assert imaging.mean_luma(far) == pytest.approx(imaging.mean_luma(quarter), abs=4)


def test_reveal_view_clamps_zoom_and_copies_points() -> None:
    assert RevealView(zoom=20).zoom == MAX_ZOOM
    assert RevealView(zoom=0.2).zoom == 1.0
    assert RevealView(region_radius=-5).region_radius == 0.0
    with pytest.raises(ValueError):
        RevealView(zoom=math.nan)
    point = QPointF(1, 2)
    view = RevealView(RevealMode.REGION, region_center=point, pan=point)
    point.setX(99)
    assert view.region_center == QPointF(1, 2) and view.pan == QPointF(1, 2)
    assert hash(view) == hash(RevealView(RevealMode.REGION, region_center=QPointF(1, 2), pan=QPointF(1, 2)))
    assert view.shows_original and not view.revealed
    assert RevealView(RevealMode.PEEK).revealed and not RevealView().shows_original


def test_needs_full_resolution_only_when_zoom_outgrows_the_decoded_pixels(png_800: bytes) -> None:
    small = prepare_media(3, png_800, display_size=QSize(320, 240))  # the file has 800 x 600
    target = QRectF(0, 0, 320, 240)
    assert not needs_full_resolution(small, 1.0, target)
    assert needs_full_resolution(small, 1.5, target)
    assert needs_full_resolution(small, 1.0, QRectF(0, 0, 640, 480))  # a bigger screen area
    assert needs_full_resolution(small, 1.0, target, device_pixel_ratio=2.0)
    whole = prepare_media(4, png_800, display_size=QSize(1024, 768))  # decoded whole already
    assert not needs_full_resolution(whole, MAX_ZOOM, QRectF(0, 0, 1024, 768))
    bad = prepare_media(5, b"junk", display_size=DISPLAY)
    assert not needs_full_resolution(bad, MAX_ZOOM, target)


def test_decode_full_resolution_gives_the_whole_picture(png_800: bytes, detailed_800: QImage) -> None:
    full = decode_full_resolution(png_800, "image/png")
    assert full.size() == QSize(800, 600)
    assert full.format() == QImage.Format.Format_RGB32
    assert same_pixels(full, detailed_800)
    bounded = decode_full_resolution(png_800, max_size=QSize(400, 400))
    assert bounded.size() == QSize(400, 300)
    with pytest.raises(MediaDecodeError):
        decode_full_resolution(png_800, "image/jpeg")
    with pytest.raises(MediaDecodeError):
        decode_full_resolution(png_800[:500], "image/png")


def test_full_resolution_replaces_the_original_only_when_zoomed(png_800: bytes, detailed_800: QImage) -> None:
    small = prepare_media(6, png_800, display_size=QSize(320, 240))
    full = decode_full_resolution(png_800)
    target = QRectF(0, 0, 320, 240)
    plain = paint(small, RevealView(RevealMode.PEEK), QSize(320, 240), target, full_resolution=full)
    assert small.original is not None and same_pixels(plain, small.original)
    view = RevealView(RevealMode.PEEK, zoom=2.5)  # 800 x 600 on screen: full resolution 1:1
    sharp = paint(small, view, QSize(320, 240), target, full_resolution=full)
    soft = paint(small, view, QSize(320, 240), target)
    assert imaging.laplacian_variance(sharp) > 1.5 * imaging.laplacian_variance(soft)
    covered = paint(small, RevealView(zoom=2.5), QSize(320, 240), target, full_resolution=full)
    assert same_pixels(covered, small.covered)

"""Covered pictures made at the size the screen paints them: still blurred, the original untouched."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize

from moderator_app.media.blur import blur
from moderator_app.media.prepare import prepare_media
from moderator_app.media.reveal import fit_rect
from tests.media import imaging


def test_blur_can_make_its_result_at_another_size(qapp: object) -> None:
    img = imaging.detailed_image(960, 720)
    small = blur(img, size=QSize(752, 564))
    assert small.size() == QSize(752, 564)
    same = blur(img)
    assert same.size() == img.size()
    reference = imaging.laplacian_variance(img.scaled(QSize(752, 564)))
    assert imaging.laplacian_variance(small) <= 0.1 * reference


def test_prepare_media_covers_at_the_paint_size_and_keeps_the_display_size_original(qapp: object) -> None:
    data = imaging.encode(imaging.detailed_image(1600, 1200), "JPEG", 90)
    media = prepare_media(1, data, display_size=QSize(960, 720), cover_size=QSize(752, 513))
    assert media.ok and media.original is not None
    assert media.original.size() == QSize(960, 720)
    assert media.covered.size() == QSize(684, 513)
    # Painted into that area, the covered picture lands 1:1 (no rescaling on the UI thread).
    assert fit_rect(media.covered.size(), QRectF(0, 0, 752, 513)).size().toSize() == media.covered.size()


def test_a_paint_size_larger_than_the_display_size_never_enlarges(qapp: object) -> None:
    data = imaging.encode(imaging.detailed_image(800, 600), "PNG")
    media = prepare_media(2, data, display_size=QSize(960, 720), cover_size=QSize(1600, 1200))
    assert media.covered.size() == media.original.size() == QSize(800, 600)

"""The demo's generated pictures: fine detail that a blur removes, same spec -> same bytes, no lost None refs."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter

from moderator_app.server.demo import ensure_gui_application
from moderator_app.server.demo.images import ImageSpec, render_images


def detail(image: QImage) -> tuple[float, float]:
    """(mean, largest 1/64-tile mean) of the absolute difference between horizontally neighbouring pixels, 0..255.

    Qt does the arithmetic: the difference composition mode gives |a - b| per pixel, and a smooth downscale to 8x8
    averages it over tiles.
    """
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = rgb.width(), rgb.height()
    difference = rgb.copy(0, 0, width - 1, height)
    painter = QPainter(difference)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Difference)
    painter.drawImage(0, 0, rgb, 1, 0, width - 1, height)
    painter.end()
    tiles = difference.convertToFormat(QImage.Format.Format_Grayscale8).scaled(
        QSize(8, 8), Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    values = [tiles.pixelColor(x, y).red() for y in range(8) for x in range(8)]
    return sum(values) / len(values), max(values)


def blurred(image: QImage) -> QImage:
    """A crude but real blur: down to 1/8 and back up, smoothly."""
    w, h = image.width(), image.height()
    smooth, ignore = Qt.TransformationMode.SmoothTransformation, Qt.AspectRatioMode.IgnoreAspectRatio
    return image.scaled(max(1, w // 8), max(1, h // 8), ignore, smooth).scaled(w, h, ignore, smooth)


def test_a_blur_removes_the_detail(qapp: Any) -> None:
    specs = [
        ImageSpec(style, w, h, fmt, 3, "demo_handle", "Guaranteed 10x returns — Пора — استثمر الآن")
        for style, w, h, fmt in (
            ("poster", 800, 600, "JPEG"),
            ("poster", 480, 640, "JPEG"),
            ("screenshot", 540, 960, "PNG"),
            ("abstract", 640, 480, "JPEG"),
        )
    ]
    images = render_images(specs)
    assert [i.data for i in images] == [i.data for i in render_images(specs)]  # same spec, same bytes
    for image in images:
        decoded = QImage.fromData(image.data)
        sharp, _ = detail(decoded)
        soft, _ = detail(blurred(decoded))
        assert sharp > 4 and soft < sharp * 0.5, (sharp, soft)


def test_drawing_does_not_use_up_references_to_none(qapp: Any) -> None:
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None per void call (hence the pin below 6.12)."""
    before = sys.getrefcount(None)
    render_images([ImageSpec("screenshot", 640, 480, "PNG", n, "h", "c") for n in range(20)])
    assert sys.getrefcount(None) >= before - 5


def test_ensure_gui_application_reuses_the_running_application(qapp: Any) -> None:
    assert ensure_gui_application() is qapp

"""Run the picture pipeline once, on a tiny picture, on the UI thread before worker threads prepare media.

PySide6 creates some of its Python types (enums of the overloads QPainter, QImage and QImageReader pick) the first
time they are used, and two threads doing that at once can crash the process (a segmentation fault seen in the
kill test: two preparation threads in blur._pad, one of them inside enum creation). Preparation runs on several
threads at once from the first claimed item on, so every type it needs is made here first, on one thread.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QImage

from moderator_app.media.blur import BlurStrength, blur
from moderator_app.media.prepare import placeholder_image, prepare_media, thumbnail_of

__all__ = ["warm_up"]

_lock = threading.Lock()
_done = False


def _encoded(image: QImage, fmt: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, fmt)
    buffer.close()
    return bytes(data.data())


def warm_up() -> None:
    """Idempotent and cheap (a few ms, once per process)."""
    global _done
    with _lock:
        if _done:
            return
        opaque = QImage(24, 18, QImage.Format.Format_RGB32)
        opaque.fill(QColor(90, 120, 150))
        clear = QImage(24, 18, QImage.Format.Format_ARGB32)
        clear.fill(QColor(90, 120, 150, 100))
        for data in (_encoded(opaque, "JPEG"), _encoded(opaque, "PNG"), _encoded(clear, "PNG")):
            for grayscale in (True, False):
                media = prepare_media(0, data, display_size=QSize(16, 12), grayscale=grayscale, cover_size=QSize(8, 6))
                thumbnail_of(media, QSize(4, 3))
        for strength in (*BlurStrength, 0.0):
            blur(clear, strength)
        prepare_media(0, b"not a picture", display_size=QSize(16, 12))  # the placeholder path
        placeholder_image("warm-up", QSize(32, 18))
        _done = True

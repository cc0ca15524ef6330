"""Synthetic demo videos: a few seconds of moving shapes, gradients and text, as Motion-JPEG in AVI.

Drawn with QtGui like the demo pictures (see images.py) and stored the same way, so the client's video path (covered
poster, playback only while revealed, muted) can be shown and tested against the server. Each frame keeps fine
detail (a 2 px checkerboard, small print) that a blur must visibly remove. Nothing here depicts anything.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from random import Random

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QGuiApplication, QImage, QImageWriter, QLinearGradient, QPainter, QPen

from moderator_app.server.demo.avi import MIME_TYPE, mjpeg_avi
from moderator_app.server.demo.images import _drawable, _font, _patterned_patch, _small_print

JPEG_QUALITY = 50
BANNER = "SYNTHETIC DEMO VIDEO"


@dataclass(frozen=True, slots=True)
class VideoSpec:
    style: str  # "clip" (moving shapes on a gradient) or "screen" (a chat scrolling, like a screen recording)
    width: int
    height: int
    fps: int
    frames: int
    seed: int
    handle: str
    caption: str

    @property
    def duration_ms(self) -> int:
        return self.frames * 1000 // self.fps


@dataclass(frozen=True, slots=True)
class GeneratedVideo:
    data: bytes
    mime_type: str
    width: int
    height: int
    sha256: str


def _clock(spec: VideoSpec, index: int) -> str:
    tenths = index * 10 // spec.fps
    return f"{tenths // 600}:{tenths // 10 % 60:02d}.{tenths % 10}"


def _clip(painter: QPainter, spec: VideoSpec, index: int) -> None:
    w, h = spec.width, spec.height
    rng = Random(spec.seed)  # the same choices on every frame: only time moves things
    t = index / max(1, spec.frames - 1)
    first, second = rng.randrange(360), rng.randrange(360)
    shift = int(t * 90)
    gradient = QLinearGradient(0, 0, w, h)
    gradient.setColorAt(0.0, QColor.fromHsv((first + shift) % 360, 200, 210))
    gradient.setColorAt(1.0, QColor.fromHsv((second + shift) % 360, 210, 110))
    painter.fillRect(0, 0, w, h, gradient)
    side = min(w, h)
    _patterned_patch(painter, QRectF(w * 0.05, h * 0.18, side * 0.22, side * 0.22), rng)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 210))
    x = w * 0.12 + t * w * 0.76
    y = h * 0.5 + math.sin(t * 4 * math.pi) * h * 0.12
    painter.drawEllipse(QPointF(x, y), side * 0.08, side * 0.08)
    painter.save()
    painter.translate(w * 0.75, h * 0.32)
    painter.rotate(t * 270)
    painter.setBrush(QColor.fromHsv((first + 180) % 360, 230, 240))
    painter.drawRect(QRectF(-side * 0.09, -side * 0.09, side * 0.18, side * 0.18))
    painter.restore()
    painter.fillRect(QRectF(0, 0, w, h * 0.12), QColor(0, 0, 0, 140))
    painter.setPen(QColor(255, 255, 255))
    painter.setFont(_font(int(h * 0.06), bold=True))
    painter.drawText(QRectF(w * 0.03, 0, w * 0.94, h * 0.12), Qt.AlignmentFlag.AlignVCenter, "@" + spec.handle)
    caption = _drawable(spec.caption)
    _small_print(
        painter, QRectF(w * 0.05, h * 0.66, w * 0.9, h * 0.2), caption, QColor(255, 255, 255), max(11, int(h * 0.055))
    )


def _screen(painter: QPainter, spec: VideoSpec, index: int) -> None:
    w, h = spec.width, spec.height
    rng = Random(spec.seed)
    painter.fillRect(0, 0, w, h, QColor(24, 28, 36))
    accent = QColor.fromHsv(rng.randrange(360), 170, 190)
    font = _font(int(min(w, h) * 0.05))
    flags = int(Qt.TextFlag.TextWordWrap)
    # The conversation scrolls up steadily, like a screen recording of a chat; the caption is the first message.
    y = h * 0.15 - index * h * 0.02
    for number in range(12):
        mine = number % 2 == 1
        text = _drawable(spec.caption) if number == 0 else f"message {number} (synthetic)"
        bw = w * (0.6 + 0.3 * rng.random())
        bh = QFontMetricsF(font).boundingRect(QRectF(0, 0, bw - 16, h), flags, text).height() + 10
        if y > h * 0.9:
            break
        if y + bh > h * 0.12:
            x = w - bw - w * 0.04 if mine else w * 0.04
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent.lighter(150) if mine else QColor(60, 64, 72))
            painter.drawRoundedRect(QRectF(x, y, bw, bh), 8, 8)
            colour = QColor(20, 20, 20) if mine else QColor(225, 225, 225)
            _small_print(painter, QRectF(x + 8, y + 5, bw - 16, bh - 10), text, colour, font.pixelSize())
        y += bh + h * 0.03
    side = min(w, h)
    _patterned_patch(painter, QRectF(w - side * 0.26, h * 0.7, side * 0.2, side * 0.12), rng)
    bar = QRectF(0, 0, w, h * 0.12)
    painter.fillRect(bar, accent)
    painter.setPen(QColor(255, 255, 255))
    title = _font(int(h * 0.05), bold=True)
    painter.setFont(title)
    handle = QFontMetricsF(title).elidedText("@" + spec.handle, Qt.TextElideMode.ElideRight, w * 0.94)
    painter.drawText(bar.adjusted(w * 0.03, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, handle)


_STYLES = {"clip": _clip, "screen": _screen}


def _frame(spec: VideoSpec, index: int) -> bytes:
    image = QImage(spec.width, spec.height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        _STYLES[spec.style](painter, spec, index)
        w, h = spec.width, spec.height
        band = QRectF(0, h * 0.9, w, h * 0.1)
        painter.fillRect(band, QColor(0, 0, 0, 170))
        painter.setPen(QColor(255, 220, 0))
        painter.setFont(_font(int(min(h * 0.05, w * 0.05)), bold=True))
        painter.drawText(band.adjusted(w * 0.03, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, BANNER)
        # Time code and a progress line, so a moderator (and a test) can tell frames apart at a glance.
        painter.drawText(
            band.adjusted(0, 0, -w * 0.03, 0),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            _clock(spec, index),
        )
        painter.setPen(QPen(QColor(255, 220, 0), 2))
        painter.drawLine(QPointF(0, h - 1), QPointF(w * (index + 1) / spec.frames, h - 1))
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, b"jpeg")
    writer.setQuality(JPEG_QUALITY)
    writer.setOptimizedWrite(True)  # optimised Huffman tables: a tenth smaller, same pixels
    if not writer.write(image):
        raise RuntimeError(f"could not encode a demo video frame: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def render_video(spec: VideoSpec) -> GeneratedVideo:
    """Draw and encode one video (a QGuiApplication must exist). Same spec, same bytes on one machine."""
    if QGuiApplication.instance() is None:
        raise RuntimeError("call ensure_gui_application() on the main thread before rendering demo videos")
    frames = [_frame(spec, index) for index in range(spec.frames)]
    data = mjpeg_avi(frames, spec.width, spec.height, spec.fps)
    return GeneratedVideo(data, MIME_TYPE, spec.width, spec.height, hashlib.sha256(data).hexdigest())

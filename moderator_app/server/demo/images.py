"""Synthetic demo images drawn with QtGui only: gradients, shapes, checkerboards, stripes and readable text.

The fine detail (1-2 px checkerboards and stripes, small print) is there on purpose: a blur must visibly remove it,
which is what the client's wellness defaults are tested against. Nothing here depicts anything.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import unicodedata
from dataclasses import dataclass
from random import Random

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPen,
    QPolygonF,
)

BANNER = "SYNTHETIC DEMO IMAGE"
JPEG_QUALITY = 68
PNG_QUALITY = 80  # Qt maps this to a fast zlib level: flat screenshots still compress well
FONT_FAMILY = "DejaVu Sans"
MAX_FONT_PIXELS = 60

_app: QGuiApplication | None = None  # keeps the application we created alive


def ensure_gui_application() -> QGuiApplication:
    """Return the running QGuiApplication, creating an offscreen one if there is none (main thread only).

    Text rendering into a QImage needs a QGuiApplication (fonts). On a machine without a display and without a
    platform chosen, Qt would abort the process, so the offscreen platform is chosen then.
    """
    global _app
    existing = QGuiApplication.instance()
    if existing is not None:
        if not isinstance(existing, QGuiApplication):
            raise RuntimeError("a QCoreApplication exists; demo images need a QGuiApplication")
        return existing
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("ensure_gui_application() must be called from the main thread")
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if not os.environ.get("QT_QPA_PLATFORM") and not has_display and sys.platform not in ("win32", "darwin"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QGuiApplication([sys.argv[0] if sys.argv and sys.argv[0] else "moderator-app"])
    return _app


@dataclass(frozen=True, slots=True)
class ImageSpec:
    style: str  # "poster" (photo-like, JPEG), "screenshot" (flat UI, PNG), "abstract" (child-safety stand-ins)
    width: int
    height: int
    fmt: str  # "JPEG" or "PNG"
    seed: int
    handle: str
    caption: str


@dataclass(frozen=True, slots=True)
class GeneratedImage:
    data: bytes
    mime_type: str
    width: int
    height: int
    sha256: str


def _drawable(text: str) -> str:
    """Drop emoji and pictographs: the bundled fonts have no glyphs for them and would draw empty boxes."""
    return "".join(ch for ch in text if ord(ch) < 0x2100 and ch != "\ufe0f").strip()


def _font(pixels: int, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    # Qt draws glyphs of 64 px and more as outlines, and the first such drawing differs from later ones in a few
    # edge pixels; below that every glyph comes from the glyph cache and the bytes are the same every time.
    font.setPixelSize(min(MAX_FONT_PIXELS, max(8, pixels)))
    font.setBold(bold)
    return font


def _color(rng: Random, saturation: int = 180, value: int = 200, alpha: int = 255) -> QColor:
    return QColor.fromHsv(rng.randrange(360), saturation, value, alpha)


def _tile(pattern: str, ink: QColor, paper: QColor) -> QImage:
    """A tiny repeating tile: 2x2 px checkerboard cells, or 1 px stripes."""
    tile = QImage(4, 4, QImage.Format.Format_RGB32)
    tile.fill(paper)
    for y in range(4):
        for x in range(4):
            on = {
                "checker": (x // 2 + y // 2) % 2 == 0,
                "vstripes": x % 2 == 0,
                "hstripes": y % 2 == 0,
                "diagonal": (x + y) % 4 < 2,
            }[pattern]
            if on:
                tile.setPixelColor(x, y, ink)
    return tile


def _patterned_patch(painter: QPainter, rect: QRectF, rng: Random) -> None:
    pattern = rng.choice(("checker", "vstripes", "hstripes", "diagonal"))
    tile = _tile(pattern, QColor(20, 20, 20), QColor(240, 240, 240))
    painter.fillRect(rect, QBrush(tile))
    painter.setPen(QPen(QColor(255, 255, 255), 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)


def _rings(painter: QPainter, centre: QPointF, radius: float, colour: QColor) -> None:
    painter.setPen(QPen(colour, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    r = 3.0
    while r < radius:
        painter.drawEllipse(centre, r, r)
        r += 3.0


def _shapes(painter: QPainter, w: int, h: int, rng: Random, count: int) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    for _ in range(count):
        painter.setBrush(_color(rng, 160, 230, 150))
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        size = rng.uniform(0.08, 0.3) * min(w, h)
        kind = rng.randrange(3)
        if kind == 0:
            painter.drawEllipse(QPointF(x, y), size, size * rng.uniform(0.6, 1.0))
        elif kind == 1:
            painter.drawRect(QRectF(x - size, y - size / 2, size * 2, size))
        else:
            painter.drawPolygon(QPolygonF([QPointF(x, y - size), QPointF(x + size, y + size), QPointF(x - size, y)]))


def _banner(painter: QPainter, w: int, h: int) -> None:
    band = QRectF(0, h - h * 0.09, w, h * 0.09)
    painter.fillRect(band, QColor(0, 0, 0, 170))
    painter.setPen(QColor(255, 220, 0))
    painter.setFont(_font(int(min(h * 0.045, w * 0.05)), bold=True))
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, BANNER)


def _align(text: str) -> Qt.AlignmentFlag:
    """Right-align right-to-left text (Arabic, Hebrew): judged by its first strong character."""
    for ch in text:
        direction = unicodedata.bidirectional(ch)
        if direction in ("R", "AL"):
            return Qt.AlignmentFlag.AlignRight
        if direction == "L":
            break
    return Qt.AlignmentFlag.AlignLeft


def _small_print(painter: QPainter, rect: QRectF, text: str, colour: QColor, pixels: int) -> None:
    painter.setPen(colour)
    painter.setFont(_font(pixels))
    painter.drawText(rect, Qt.TextFlag.TextWordWrap | _align(text), text)


def _poster(painter: QPainter, spec: ImageSpec, rng: Random) -> None:
    w, h = spec.width, spec.height
    gradient = QLinearGradient(0, 0, w * rng.uniform(0.3, 1.0), h)
    gradient.setColorAt(0.0, _color(rng, 200, 120))
    gradient.setColorAt(0.5, _color(rng, 150, 200))
    gradient.setColorAt(1.0, _color(rng, 220, 90))
    painter.fillRect(0, 0, w, h, gradient)
    _shapes(painter, w, h, rng, rng.randint(3, 6))
    side = min(w, h)
    _patterned_patch(painter, QRectF(w * 0.05, h * 0.2, side * 0.28, side * 0.28), rng)
    _patterned_patch(painter, QRectF(w * 0.62, h * 0.45, side * 0.22, side * 0.16), rng)
    _rings(painter, QPointF(w * 0.75, h * 0.25), side * 0.12, QColor(255, 255, 255))
    painter.fillRect(QRectF(0, 0, w, h * 0.12), QColor(0, 0, 0, 140))
    painter.setPen(QColor(255, 255, 255))
    painter.setFont(_font(int(h * 0.06), bold=True))
    painter.drawText(QRectF(w * 0.03, 0, w * 0.94, h * 0.12), Qt.AlignmentFlag.AlignVCenter, "@" + spec.handle)
    painter.setFont(_font(int(h * 0.05), bold=True))
    caption_box = QRectF(w * 0.05, h * 0.58, w * 0.9, h * 0.14)
    caption = _drawable(spec.caption)
    painter.drawText(caption_box, Qt.TextFlag.TextWordWrap | _align(caption), caption)
    fine = f"{_drawable(spec.caption)} — generated for @{spec.handle}, seed {spec.seed}. " * 2
    _small_print(painter, QRectF(w * 0.05, h * 0.73, w * 0.9, h * 0.17), fine, QColor(255, 255, 255), int(h * 0.022))
    _banner(painter, w, h)


def _screenshot(painter: QPainter, spec: ImageSpec, rng: Random) -> None:
    w, h = spec.width, spec.height
    dark = rng.random() < 0.4
    background, ink = (
        (QColor(24, 28, 36), QColor(225, 225, 225)) if dark else (QColor(246, 246, 246), QColor(30, 30, 30))
    )
    painter.fillRect(0, 0, w, h, background)
    accent = _color(rng, 170, 190)
    painter.fillRect(QRectF(0, 0, w, h * 0.08), accent)
    painter.setPen(QColor(255, 255, 255))
    painter.setFont(_font(int(min(h * 0.035, w * 0.045)), bold=True))
    painter.drawText(QRectF(w * 0.03, 0, w, h * 0.08), Qt.AlignmentFlag.AlignVCenter, "@" + spec.handle)
    y = h * 0.11
    bubble_pixels = int(min(w, h) * 0.032)
    index = 0
    while y < h * 0.45:
        mine = index % 2 == 1
        bw = w * rng.uniform(0.5, 0.8)
        text = _drawable(spec.caption) if index == 0 else f"message {index} from @{spec.handle} (synthetic)"
        flags = int(Qt.TextFlag.TextWordWrap)
        needed = QFontMetricsF(_font(bubble_pixels)).boundingRect(QRectF(0, 0, bw - 20, h), flags, text).height()
        bh = max(needed + 14, min(w, h) * rng.uniform(0.08, 0.12))
        x = w - bw - w * 0.04 if mine else w * 0.04
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent.lighter(150) if mine else QColor(60, 64, 72) if dark else QColor(205, 205, 205))
        painter.drawRoundedRect(QRectF(x, y, bw, bh), 12, 12)
        colour = QColor(20, 20, 20) if mine or not dark else ink
        _small_print(painter, QRectF(x + 10, y + 6, bw - 20, bh - 12), text, colour, bubble_pixels)
        y += bh + h * 0.02
        index += 1
    # A QR-code-like block of random modules: dense, sharp-edged detail.
    modules = 21
    top = y + h * 0.01
    cell = max(3, int(min(min(w, h) * 0.45, h * 0.88 - top) / modules))
    side = modules * cell
    left = w * 0.55 - side / 2
    painter.fillRect(QRectF(left - cell, top - cell, side + 2 * cell, side + 2 * cell), QColor(255, 255, 255))
    for row in range(modules):
        for column in range(modules):
            if rng.random() < 0.5:
                painter.fillRect(QRectF(left + column * cell, top + row * cell, cell, cell), QColor(0, 0, 0))
    _patterned_patch(painter, QRectF(w * 0.04, top, left - w * 0.1, side), rng)
    fine_top = top + side + cell * 2
    fine = f"{_drawable(spec.caption)} Scan the code or write to @{spec.handle}. Synthetic demo text. " * 3
    _small_print(painter, QRectF(w * 0.04, fine_top, w * 0.92, h * 0.9 - fine_top), fine, ink, int(min(w, h) * 0.025))
    _banner(painter, w, h)


def _abstract(painter: QPainter, spec: ImageSpec, rng: Random) -> None:
    w, h = spec.width, spec.height
    gradient = QLinearGradient(0, 0, w, h)
    gradient.setColorAt(0.0, _color(rng, 90, 210))
    gradient.setColorAt(1.0, _color(rng, 90, 140))
    painter.fillRect(0, 0, w, h, gradient)
    _shapes(painter, w, h, rng, rng.randint(4, 8))
    side = min(w, h)
    _patterned_patch(painter, QRectF(w * 0.08, h * 0.12, side * 0.3, side * 0.3), rng)
    _rings(painter, QPointF(w * 0.7, h * 0.4), side * 0.2, QColor(30, 30, 30))
    painter.setPen(QColor(255, 255, 255))
    painter.setFont(_font(int(h * 0.05), bold=True))
    painter.drawText(QRectF(0, h * 0.62, w, h * 0.1), Qt.AlignmentFlag.AlignCenter, _drawable(spec.caption))
    _small_print(painter, QRectF(w * 0.05, h * 0.74, w * 0.9, h * 0.14), f"@{spec.handle}", QColor(255, 255, 255), 14)
    _banner(painter, w, h)


_STYLES = {"poster": _poster, "screenshot": _screenshot, "abstract": _abstract}


def render_image(spec: ImageSpec) -> GeneratedImage:
    """Draw and encode one image. Same spec, same bytes (on one machine: fonts and codecs are the platform's)."""
    image = QImage(spec.width, spec.height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        _STYLES[spec.style](painter, spec, Random(spec.seed))
    finally:
        painter.end()
    buffer_bytes = QByteArray()
    buffer = QBuffer(buffer_bytes)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    quality = JPEG_QUALITY if spec.fmt == "JPEG" else PNG_QUALITY
    if not image.save(buffer, spec.fmt, quality):
        raise RuntimeError(f"could not encode a {spec.fmt} demo image")
    buffer.close()
    data = bytes(buffer_bytes.data())
    mime = "image/jpeg" if spec.fmt == "JPEG" else "image/png"
    return GeneratedImage(data, mime, spec.width, spec.height, hashlib.sha256(data).hexdigest())


def render_images(specs: list[ImageSpec]) -> list[GeneratedImage]:
    """Render a batch on the calling thread (a QGuiApplication must exist: see ensure_gui_application)."""
    if QGuiApplication.instance() is None:
        raise RuntimeError("call ensure_gui_application() on the main thread before rendering demo images")
    rendered: list[GeneratedImage] = []
    for spec in specs:
        rendered.append(render_image(spec))
    return rendered

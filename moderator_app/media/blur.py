"""Blur and grayscale the pixels themselves (never an overlay), fast enough for a worker thread per item.

A Gaussian blur with a radius of tens of pixels is costly at display size, so we blur at a small working size:
1. area-average the image down by 2**k (Qt's smooth down-scaling averages every source pixel, the same as k
   successive 2x2 box averages) until the Gaussian's sigma is a few working pixels;
2. run three box-filter passes per axis there (three boxes approximate a Gaussian closely); each pass is a running
   mean built with QPainter: draw the image shifted by each offset with opacity 1/n in Source mode, which
   interpolates linearly, so after n draws every pixel holds the mean of n shifted copies. The passes run on
   16-bit channels: with 8 bits the rounding of every draw leaves a faint lattice in smooth areas;
3. scale smoothly back up. The working sigma stays >= 2 px, so the bilinear up-scaling adds no visible steps.
Edges are handled by padding with replicated border pixels, so corners do not darken.
"""

from __future__ import annotations

import math
from enum import Enum

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter

#: Transparent pictures are flattened onto this grey: dark and light content both stay visible on it.
NEUTRAL_BACKGROUND = QColor(128, 128, 128)

# Smallest sigma, in working pixels, that we blur at; below it the up-scaling would show its grid.
_MIN_WORKING_SIGMA = 2.0
_PASSES = 3


class BlurStrength(Enum):
    """Gaussian sigma as a fraction of the image's longer side, so a face or a line of text is covered the same
    way whatever size the picture is shown at.

    STRONG (the default, 5 %) leaves layout, shapes and tones: text up to about an eighth of the image height and
    the features of a face filling half the frame are gone (checked on generated pictures; 3 % still let eyes and
    120 px headlines through). Only giant lettering, a quarter of the image tall, stays guessable as word shapes.
    """

    LIGHT = 0.012
    MEDIUM = 0.025
    STRONG = 0.05


def blur_sigma(size: QSize, strength: BlurStrength | float = BlurStrength.STRONG) -> float:
    """The Gaussian sigma in pixels that blur() uses for an image of this size."""
    fraction = strength.value if isinstance(strength, BlurStrength) else float(strength)
    if not 0.0 <= fraction <= 0.5:
        raise ValueError(f"blur strength must be between 0 and 0.5 of the image size, not {fraction}")
    return fraction * max(size.width(), size.height())


def flatten(img: QImage, background: QColor = NEUTRAL_BACKGROUND) -> QImage:
    """An opaque Format_RGB32 copy of img, transparent areas painted over background."""
    if img.format() == QImage.Format.Format_RGB32:
        return img
    if not img.hasAlphaChannel():
        return img.convertToFormat(QImage.Format.Format_RGB32)
    out = QImage(img.size(), QImage.Format.Format_RGB32)
    out.setColorSpace(img.colorSpace())
    out.fill(background)
    painter = QPainter(out)
    painter.drawImage(0, 0, img)
    painter.end()
    return out


def grayscale(img: QImage) -> QImage:
    """A luminance-only copy of img in Format_RGB32 (red == green == blue), cheap to paint."""
    if img.isNull():
        return QImage()
    gray = flatten(img).convertToFormat(QImage.Format.Format_Grayscale8)
    return gray.convertToFormat(QImage.Format.Format_RGB32)


def box_widths(sigma: float, passes: int = _PASSES) -> list[int]:
    """Odd box widths whose successive application has (nearly) the variance of a Gaussian of this sigma.

    A box of width w has variance (w*w - 1) / 12; mixing two neighbouring odd widths gets close to any sigma.
    """
    variance = sigma * sigma
    ideal = math.sqrt(12.0 * variance / passes + 1.0)
    lower = int(ideal)
    if lower % 2 == 0:
        lower -= 1
    lower = max(lower, 1)
    upper = lower + 2
    # Solve passes*var = m*(lower^2 - 1) + (passes - m)*(upper^2 - 1) for the count m of lower-width passes.
    m = round((12.0 * variance - passes * (upper * upper - 1)) / ((lower * lower) - (upper * upper)))
    m = min(max(m, 0), passes)
    return [lower] * m + [upper] * (passes - m)


def _pad(img: QImage, pad: int) -> QImage:
    """img with a border of pad pixels that repeats its edge pixels (clamp-to-edge for the box passes)."""
    w, h = img.width(), img.height()
    out = QImage(w + 2 * pad, h + 2 * pad, img.format())
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    painter.drawImage(pad, pad, img)
    # Without smooth transformation, stretching a one-pixel strip repeats it.
    edges = [
        (QRectF(pad, 0, w, pad), QRectF(0, 0, w, 1)),
        (QRectF(pad, pad + h, w, pad), QRectF(0, h - 1, w, 1)),
        (QRectF(0, pad, pad, h), QRectF(0, 0, 1, h)),
        (QRectF(pad + w, pad, pad, h), QRectF(w - 1, 0, 1, h)),
    ]
    for target, source in edges:
        painter.drawImage(target, img, source)
    corners = [(0, 0, 0, 0), (pad + w, 0, w - 1, 0), (0, pad + h, 0, h - 1), (pad + w, pad + h, w - 1, h - 1)]
    for x, y, sx, sy in corners:
        painter.fillRect(QRect(x, y, pad, pad), img.pixelColor(sx, sy))
    painter.end()
    return out


def _box_pass(img: QImage, width: int, horizontal: bool, flip: bool) -> QImage:
    """One box filter of an odd width along one axis, as a running mean of shifted copies."""
    radius = width // 2
    # Opacity 1/n is quantised, so copies drawn later weigh slightly less. Drawing from the centre outwards, in
    # alternating directions (flip swaps them between passes), keeps the kernel symmetric: no drift of the image.
    sign = -1 if flip else 1
    offsets = [0]
    for k in range(1, radius + 1):
        offsets += [sign * k, -sign * k]
    out = QImage(img.size(), img.format())
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    # Source mode with opacity a computes a*src + (1-a)*dst for every channel (alpha included), so drawing copy
    # n with opacity 1/n keeps dst equal to the mean of the n copies drawn so far.
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    for n, offset in enumerate(offsets, start=1):
        painter.setOpacity(1.0 / n)
        painter.drawImage(QPointF(offset, 0) if horizontal else QPointF(0, offset), img)
    painter.end()
    return out


def gaussian_small(img: QImage, sigma: float) -> QImage:
    """Box-approximated Gaussian blur at the image's own size; meant for small working images."""
    widths = box_widths(sigma)
    pad = sum(w // 2 for w in widths) + 1
    work = _pad(img.convertToFormat(QImage.Format.Format_RGBA64_Premultiplied), pad)
    for horizontal in (True, False):
        for index, width in enumerate(widths):
            if width > 1:
                work = _box_pass(work, width, horizontal, flip=index % 2 == 1)
    return work.copy(pad, pad, img.width(), img.height()).convertToFormat(img.format())


def blur(
    img: QImage,
    strength: BlurStrength | float = BlurStrength.STRONG,
    *,
    grayscale: bool = False,
    size: QSize | None = None,
) -> QImage:
    """A Gaussian-quality blur of img's pixels, img's size unless size says otherwise (the blur is relative to the
    picture, so it covers the same at any size). strength: a BlurStrength or a float sigma given as a fraction of
    the longer side (e.g. 0.03). grayscale=True also drops colour, at the working size where it is cheapest. The
    result is Format_RGB32 (or ARGB32_Premultiplied for a transparent image blurred in colour)."""
    if img.isNull():
        return QImage()
    sigma = blur_sigma(img.size(), strength)
    width, height = img.width(), img.height()
    out_width, out_height = (width, height) if size is None or size.isEmpty() else (size.width(), size.height())
    opaque = grayscale or not img.hasAlphaChannel()
    work_format = QImage.Format.Format_RGB32 if opaque else QImage.Format.Format_ARGB32_Premultiplied
    source = flatten(img) if grayscale else img.convertToFormat(work_format)

    steps = 0
    while sigma / 2 ** (steps + 1) >= _MIN_WORKING_SIGMA and min(width, height) / 2 ** (steps + 1) >= 4:
        steps += 1
    factor = 2**steps
    small_size = QSize(math.ceil(width / factor), math.ceil(height / factor))
    small = source
    if steps:
        small = source.scaled(
            small_size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    if grayscale:
        small = small.convertToFormat(QImage.Format.Format_Grayscale8).convertToFormat(work_format)
    else:
        small = small.convertToFormat(work_format)

    # The area averaging (variance ~1/12 working px^2) and the bilinear up-scaling (~1/6) already blur a little.
    working_sigma = sigma / factor
    residual = math.sqrt(max(working_sigma * working_sigma - (0.25 if steps else 0.0), 0.0))
    if residual >= 0.5:
        small = gaussian_small(small, residual)
    if small.width() == out_width and small.height() == out_height:
        return small
    return small.scaled(
        out_width, out_height, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )

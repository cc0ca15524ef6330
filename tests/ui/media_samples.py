"""Review items whose media go through the real preparation path (workflow.items) from bytes held by a fake API,
and pixel measures of what the media view paints."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from moderator_app.client.api import MediaBytes
from moderator_app.client.errors import NotFound
from moderator_app.core.models import Claim, ClaimedItem, ItemKind, MediaKind, MediaRef
from moderator_app.workflow.items import MediaSettings, ReviewItem, clear_media_caches, prepare_review_item
from tests.media import imaging
from tests.ui import samples

DISPLAY = QSize(960, 720)


class FakeApi:
    """Serves media bytes by id, as ApiClient.media does; counts the requests."""

    def __init__(self, files: dict[int, tuple[bytes, str]]) -> None:
        self.files = files
        self.requests: list[int] = []

    def media(self, media_id: int, max_bytes: int = 64 * 1024 * 1024) -> MediaBytes:
        self.requests.append(media_id)
        if media_id not in self.files:
            raise NotFound("That media does not exist.", status=404, code="not_found")
        data, mime = self.files[media_id]
        return MediaBytes(data=data, mime_type=mime, width=0, height=0)


def detailed_png(width: int = 800, height: int = 600) -> bytes:
    return imaging.encode(imaging.detailed_image(width, height), "PNG")


def detailed_jpeg(width: int, height: int) -> bytes:
    return imaging.encode(imaging.detailed_image(width, height), "JPEG", 90)


def ref(media_id: int, mime: str, kind: MediaKind = MediaKind.IMAGE, size: int = 1000) -> MediaRef:
    return MediaRef(id=media_id, kind=kind, mime_type=mime, width=800, height=600, size_bytes=size)


def item_with_media(
    item_id: int,
    files: list[tuple[int, bytes, str]],
    kind: ItemKind = ItemKind.POST,
    text: str | None = None,
    settings: MediaSettings | None = None,
) -> ReviewItem:
    """A sample item whose flagged post carries these files (id, bytes, declared type), prepared for real."""
    clear_media_caches()  # ids are reused between tests
    base = samples.item(item_id, kind)
    refs = [ref(media_id, mime) for media_id, _data, mime in files]
    post = samples.post(501, text if text is not None else base.post.text if base.post else "", 30, refs)
    context = [p if p.id != 501 else post for p in base.context_posts]
    item = base.model_copy(update={"post": post if kind is ItemKind.POST else None, "context_posts": context})
    claim = Claim(item_id=item_id, queue_id=3, lease_expires_at=samples.NOW + timedelta(minutes=5))
    api = FakeApi({media_id: (data, mime) for media_id, data, mime in files})
    return prepare_review_item(api, ClaimedItem(claim=claim, item=item), DISPLAY, settings)  # type: ignore[arg-type]


def grab_media(widget: QWidget, rect: QRect | None = None) -> QImage:
    image = (widget.grab(rect) if rect is not None else widget.grab()).toImage()
    return image.convertToFormat(QImage.Format.Format_RGB32)


def saturation(image: QImage) -> int:
    """The largest colour saturation over a grid of sample points (0 for a grayscale image)."""
    top = 0
    for x in range(0, image.width(), max(1, image.width() // 24)):
        for y in range(0, image.height(), max(1, image.height() // 24)):
            top = max(top, QColor(image.pixel(x, y)).hsvSaturation())
    return top


def mean_abs_difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference of the luminance of two same-size images (0..255)."""
    assert a.size() == b.size()
    rows_a, rows_b = imaging.gray_rows(a), imaging.gray_rows(b)
    total = sum(abs(x - y) for ra, rb in zip(rows_a, rows_b, strict=True) for x, y in zip(ra, rb, strict=True))
    return total / (a.width() * a.height())


def paint_reference(image: QImage, target: QRect, canvas_size: QSize) -> QImage:
    """image drawn into target on a blank canvas, the way the view draws a revealed original at 1:1 or scaled."""
    from moderator_app.media.reveal import fit_rect

    canvas = QImage(canvas_size, QImage.Format.Format_RGB32)
    canvas.fill(QColor("#2b2b2b"))
    painter = QPainter(canvas)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(fit_rect(image.size(), QRectF(target)), image, QRectF(image.rect()))
    painter.end()
    return canvas

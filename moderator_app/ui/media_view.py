"""Paints an item's media covered (blurred, grayscale) by default; unblurred pixels only while deliberately revealed.

The reveal state lives in a RevealController (workflow.reveal): hold Space to peek, V to toggle, hold Alt and point
to reveal a circle around the pointer, [ and ] to pick another media of an album (only the selected one can be
revealed). Navigation and the reveal timeout cover everything again. Zoom (+, -, 0) and pan (arrows) exist only
while the whole media is revealed; zooming past the display-size original decodes the full-resolution picture on a
worker thread, and covering drops it. Videos show a covered poster frame and play only while revealed (P),
muted unless the moderator turns sound on (M).

Painting goes through media.reveal.paint_covered_media; the covered images come prepared from worker threads, so a
paint only scales an image that is already blurred.
"""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QEnterEvent, QImage, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from moderator_app.media.blur import BlurStrength
from moderator_app.media.decode import DecodeLimits, fit_size
from moderator_app.media.fullres import decode_full_resolution
from moderator_app.media.prepare import PreparedMedia, cover_again, thumbnail_of
from moderator_app.media.reveal import MAX_ZOOM, needs_full_resolution, paint_covered_media, pan_limit, zoomed_rect
from moderator_app.ui import media_paint
from moderator_app.ui.media_video import VideoSet
from moderator_app.ui.video import SEEK_STEP_MS, VideoPlayback
from moderator_app.workflow.items import THUMBNAIL_SIZE
from moderator_app.workflow.media_jobs import MediaJobs
from moderator_app.workflow.reveal import RevealController

REGION_MODIFIER = Qt.KeyboardModifier.AltModifier
REGION_KEY = Qt.Key.Key_Alt
PAN_STEP = 0.15  # of the view's size per arrow press
MAX_FULL_RESOLUTION_PIXELS = 32_000_000  # a zoom never holds more than this many decoded pixels


class MediaView(QWidget):
    """The selected media large, an album's other media as a strip of covered thumbnails."""

    full_resolution_changed = Signal()
    paint_size_changed = Signal(QSize)  # device pixels a one-media item's picture is painted in (see resizeEvent)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reveal = RevealController(parent=self)
        self.reveal.changed.connect(self._on_reveal_changed)
        self._jobs = MediaJobs(parent=self)
        self._media: list[PreparedMedia] = []
        self._thumbs: list[QImage] = []
        self._full: QImage | None = None
        self._full_for: int | None = None  # media id the full-resolution picture belongs to
        self._videos = VideoSet(self._jobs, parent=self)
        self._videos.changed.connect(self._video_changed)
        self._videos.poster_covered.connect(self._poster_covered)
        self._pointer: QPointF | None = None
        self._region_held = False
        self._lens: QRect = QRect()
        self._grayscale = True
        self._strength: BlurStrength | float = BlurStrength.STRONG
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(True)  # the pointer position matters only while Alt is held; moving reveals nothing

    # --- state --------------------------------------------------------------------------------------------

    @property
    def revealed(self) -> bool:
        return self.reveal.revealed

    @property
    def media_count(self) -> int:
        return len(self._media)

    @property
    def selected_index(self) -> int:
        return self.reveal.selected_index

    @property
    def full_resolution(self) -> QImage | None:
        """The full-resolution original while a zoom uses it; None otherwise."""
        return self._full

    def media(self, index: int) -> PreparedMedia:
        return self._media[index]

    def video(self, index: int | None = None) -> VideoPlayback | None:
        return self._videos.get(self.selected_index if index is None else index)

    def _poster_covered(self, index: int) -> None:
        if len(self._media) > 1 and index < len(self._thumbs):
            self._thumbs[index] = thumbnail_of(self._media[index], THUMBNAIL_SIZE).covered

    def _video_changed(self, index: int) -> None:
        """A poster was covered, a frame decoded, a video failed: repaint when it is what the screen shows."""
        if index == self.selected_index:
            self.update()

    def media_rect(self) -> QRect:
        """Where the selected media is painted, in widget coordinates."""
        return media_paint.layout_media(self.rect(), len(self._media)).main

    def configure(
        self, *, timeout_seconds: float, grayscale: bool, strength: BlurStrength | float, muted: bool
    ) -> None:
        """Wellness settings: reveal timeout, how video posters are covered, whether video starts muted."""
        self.reveal.set_timeout_seconds(timeout_seconds)
        self._grayscale, self._strength = grayscale, strength
        self._videos.configure(grayscale=grayscale, strength=strength, muted=muted)

    # --- items --------------------------------------------------------------------------------------------

    def set_media(self, media: list[PreparedMedia], thumbnails: dict[int, PreparedMedia] | None = None) -> None:
        """Show another item's media: covered, the first selected, anything revealed before forgotten."""
        self._videos.close_all()
        self._drop_full_resolution()
        self._media = list(media)
        thumbnails = thumbnails or {}
        self._thumbs = []
        if len(self._media) > 1:
            for m in self._media:
                thumb = thumbnails.get(m.media_id) or thumbnail_of(m, THUMBNAIL_SIZE)
                self._thumbs.append(thumb.covered)
        self.reveal.reset(len(self._media), revealable=[m.revealable for m in self._media])
        for index, m in enumerate(self._media):
            if m.is_video:
                self._videos.start(index, m)
        self.update()

    def clear(self) -> None:
        self.set_media([])

    def recover(self) -> None:
        """Cover the shown media again with the current settings (the moderator changed them), on the worker."""
        for prepared in self._media:
            if prepared.original is None:
                continue
            job = functools.partial(cover_again, prepared, grayscale=self._grayscale, strength=self._strength)
            self._jobs.submit(
                ("cover", prepared.media_id), job, on_done=lambda new, m=prepared: self._recovered(m, new)
            )

    def _recovered(self, prepared: PreparedMedia, new: PreparedMedia) -> None:
        prepared.covered = new.covered
        index = self._index_of(prepared)
        if index is not None:
            if len(self._media) > 1:
                self._thumbs[index] = thumbnail_of(prepared, THUMBNAIL_SIZE).covered
            self.update()

    def _index_of(self, prepared: PreparedMedia) -> int | None:
        # Identity, not ==: dataclass equality would compare every pixel.
        return next((i for i, m in enumerate(self._media) if m is prepared), None)

    # --- reveal commands ----------------------------------------------------------------------------------

    def set_revealed(self, revealed: bool) -> None:
        """Peek: reveal while a key is held (True on press, False on release)."""
        if revealed:
            self.reveal.peek_pressed()
        else:
            self.reveal.peek_released()

    def toggle(self) -> bool:
        return self.reveal.toggle()

    def cover(self) -> None:
        """Cover everything now (idle, panic, the window losing focus)."""
        self._region_held = False
        self.reveal.cover()

    def release_held(self) -> None:
        """The keys held for a peek or a region reveal may be released elsewhere: end both."""
        self._region_held = False
        self.reveal.peek_released()
        self.reveal.region_end()

    def select_media(self, index: int) -> None:
        if self._media:
            self.reveal.select_media(index % len(self._media))

    def next_media(self) -> None:
        self.select_media(self.selected_index + 1)

    def previous_media(self) -> None:
        self.select_media(self.selected_index - 1)

    def zoom_in(self) -> None:
        self.reveal.zoom_in()

    def zoom_out(self) -> None:
        self.reveal.zoom_out()

    def reset_zoom(self) -> None:
        self.reveal.reset_zoom()

    @property
    def zoomed(self) -> bool:
        return self.reveal.view_for(self.selected_index).zoom > 1

    def pan(self, steps_x: int, steps_y: int) -> bool:
        """Look further right (steps_x > 0) or down (steps_y > 0) in the zoomed picture."""
        if not self._media:
            return False
        target = QRectF(self.media_rect())
        limit = pan_limit(self._picture_size(), target, self.reveal.zoom)
        return self.reveal.pan(-steps_x * target.width() * PAN_STEP, -steps_y * target.height() * PAN_STEP, limit=limit)

    def region_key(self, pressed: bool) -> None:
        """The region modifier went down or up: reveal a circle around the pointer while it is held."""
        self._region_held = pressed
        if pressed:
            self._follow_pointer(self._pointer)
        else:
            self.reveal.region_end()

    # --- video commands (effective only while the selected video is revealed) -----------------------------

    def toggle_play(self) -> None:
        video = self.video()
        if video is not None and self.reveal.view_for(self.selected_index).revealed:
            video.toggle_play()

    def seek(self, direction: int) -> None:
        video = self.video()
        if video is not None and self.reveal.view_for(self.selected_index).revealed:
            video.seek(direction * SEEK_STEP_MS)

    def toggle_mute(self) -> None:
        video = self.video()
        if video is not None:
            video.set_muted(not video.muted)
            self.update()

    # --- events -------------------------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._pointer = event.position()
        if not self._region_held and event.modifiers() & REGION_MODIFIER:
            self._region_held = True  # the key went down while another widget had the focus
        if self._region_held:
            self._follow_pointer(self._pointer)
        super().mouseMoveEvent(event)

    def enterEvent(self, event: QEnterEvent) -> None:
        self._pointer = event.position()
        super().enterEvent(event)

    def leaveEvent(self, event: object) -> None:
        self._pointer = None
        self.reveal.region_end()
        super().leaveEvent(event)  # type: ignore[arg-type]

    def hideEvent(self, event: object) -> None:
        self.cover()
        super().hideEvent(event)  # type: ignore[arg-type]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Media prepared from now on are covered at this size, so a paint copies them instead of rescaling.
        main = media_paint.layout_media(self.rect(), 1).main
        ratio = self.devicePixelRatioF()
        self.paint_size_changed.emit(QSize(round(main.width() * ratio), round(main.height() * ratio)))

    def sizeHint(self) -> QSize:
        return QSize(640, 400) if self._media else QSize(240, 40)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), media_paint.BACKGROUND)
        if not self._media:
            painter.setPen(QColor("#aaaaaa"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No media")
            painter.end()
            return
        layout = media_paint.layout_media(self.rect(), len(self._media))
        index = self.selected_index
        prepared = self._media[index]
        view = self.reveal.view_for(index)
        target = QRectF(layout.main)
        frame = self._videos.frame(index) if view.revealed else QImage()
        if not frame.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.setClipRect(target)
            painter.drawImage(zoomed_rect(frame.size(), target, view.zoom, view.pan), frame, QRectF(frame.rect()))
            painter.setClipping(False)
        else:
            full = self._full if self._full_for == prepared.media_id else None
            paint_covered_media(painter, target, prepared, view, full_resolution=full)
        media_paint.paint_lens_ring(painter, view)
        if layout.strip:
            media_paint.paint_strip(painter, layout.strip, self._thumbs, index, view.shows_original)
        caption = media_paint.caption_text(
            view,
            revealable=prepared.revealable,
            count=len(self._media),
            selected=index,
            video=self._videos.caption(index, self._media[index]),
        )
        media_paint.paint_caption(painter, layout.main, caption, view.shows_original)
        painter.end()

    # --- internals: reveal --------------------------------------------------------------------------------

    def _follow_pointer(self, pos: QPointF | None) -> None:
        if pos is not None and self._media and QRectF(self.media_rect()).contains(pos):
            self.reveal.region_start(pos)
        else:
            self.reveal.region_end()

    def _on_reveal_changed(self) -> None:
        view = self.reveal.view_for(self.selected_index)
        if not view.revealed:
            self._videos.pause_all()  # plays only while revealed
        self._update_full_resolution()
        # While only the lens moves, repaint just where it was and where it is.
        lens = media_paint.lens_rect(view.region_center, view.region_radius)
        if not self._lens.isEmpty() and not lens.isEmpty():
            self.update(self._lens.united(lens))
        else:
            self.update()
        self._lens = lens

    def _picture_size(self) -> QSize:
        prepared = self._media[self.selected_index]
        if prepared.original is not None and not prepared.original.isNull():
            return prepared.original.size()
        return prepared.covered.size()

    # --- internals: full resolution ----------------------------------------------------------------------

    def _update_full_resolution(self) -> None:
        if not self._media:
            return
        index = self.selected_index
        prepared = self._media[index]
        view = self.reveal.view_for(index)
        if not view.revealed or view.zoom <= 1:
            self._drop_full_resolution()
            return
        if self._full_for == prepared.media_id or prepared.source is None:
            return
        target = QRectF(self.media_rect())
        ratio = self.devicePixelRatioF()
        if not needs_full_resolution(prepared, view.zoom, target, ratio):
            return
        self._full_for = prepared.media_id
        bound = fit_size(
            QSize(prepared.width, prepared.height),
            QSize(math.ceil(target.width() * MAX_ZOOM * ratio), math.ceil(target.height() * MAX_ZOOM * ratio)),
        )
        if bound.width() * bound.height() > MAX_FULL_RESOLUTION_PIXELS:
            scale = math.sqrt(MAX_FULL_RESOLUTION_PIXELS / (bound.width() * bound.height()))
            bound = QSize(int(bound.width() * scale), int(bound.height() * scale))
        job = functools.partial(
            decode_full_resolution, prepared.source, prepared.mime_type, DecodeLimits(), max_size=bound
        )
        self._jobs.submit(
            "full", job, on_done=lambda image, media_id=prepared.media_id: self._full_ready(media_id, image)
        )

    def _full_ready(self, media_id: int, image: QImage) -> None:
        if self._full_for != media_id or not self.reveal.view_for(self.selected_index).revealed:
            return
        self._full = image
        self.full_resolution_changed.emit()
        self.update()

    def _drop_full_resolution(self) -> None:
        self._jobs.cancel("full")
        changed = self._full is not None
        self._full = None
        self._full_for = None
        if changed:
            self.full_resolution_changed.emit()

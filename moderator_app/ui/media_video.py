"""The videos of the item on screen, for the media view: one player each, their posters covered on a worker, and
what the caption says about them. The view decides when a frame may be painted (only while revealed)."""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage

from moderator_app.media.blur import BlurStrength, blur, flatten
from moderator_app.media.decode import fit_size
from moderator_app.media.prepare import PreparedMedia, placeholder_image
from moderator_app.ui.video import VideoPlayback, unavailable_reason, warm_up_video
from moderator_app.workflow.media_jobs import MediaJobs


def cover_poster(
    frame: QImage | Any, size: QSize, grayscale: bool, strength: BlurStrength | float
) -> tuple[QImage, QImage]:
    """On a worker: the poster frame (a QVideoFrame, converted here, or a QImage) at display size, and covered."""
    image = frame if isinstance(frame, QImage) else frame.toImage()
    if image.isNull():
        raise ValueError("the video's first frame could not be converted")
    scaled = image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    original = flatten(scaled)
    return original, blur(original, strength, grayscale=grayscale)


class VideoSet(QObject):
    changed = Signal(int)  # media index: a frame, a state change, a failure
    poster_covered = Signal(int)  # media index: its covered poster replaced the placeholder

    def __init__(self, jobs: MediaJobs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._players: dict[int, VideoPlayback] = {}
        self._media: dict[int, PreparedMedia] = {}
        self._notice: str | None = None
        self._grayscale = True
        self._strength: BlurStrength | float = BlurStrength.STRONG
        self._muted = True
        # Once the event loop runs, before any item: not on the keypress that shows the first video.
        QTimer.singleShot(0, warm_up_video)

    def configure(self, *, grayscale: bool, strength: BlurStrength | float, muted: bool) -> None:
        self._grayscale, self._strength, self._muted = grayscale, strength, muted

    def get(self, index: int) -> VideoPlayback | None:
        return self._players.get(index)

    def start(self, index: int, prepared: PreparedMedia) -> None:
        """Load a video paused; its first frame becomes the covered poster."""
        self._notice = unavailable_reason()
        if self._notice is not None or prepared.video is None:
            return
        self._media[index] = prepared
        playback = VideoPlayback(prepared.video, muted=self._muted, parent=self)
        playback.frame_changed.connect(lambda i=index: self.changed.emit(i))
        playback.state_changed.connect(lambda i=index: self.changed.emit(i))
        if prepared.original is None:
            playback.poster_ready.connect(lambda image, i=index: self._cover(i, image))
        playback.failed.connect(lambda message, i=index: self._failed(i, message))
        self._players[index] = playback
        playback.start()

    def pause_all(self) -> None:
        for playback in self._players.values():
            playback.pause()

    def close_all(self) -> None:
        for playback in self._players.values():
            playback.close()
        self._players.clear()
        self._media.clear()
        self._jobs.cancel_all()

    def frame(self, index: int) -> QImage:
        playback = self._players.get(index)
        return playback.current_image() if playback is not None else QImage()

    def caption(self, index: int, prepared: PreparedMedia) -> str | None:
        if not prepared.is_video:
            return None
        playback = self._players.get(index)
        if playback is None:
            return self._notice or "video"
        sound = "muted (M)" if playback.muted else "SOUND ON (M)"
        state = "playing (P pauses)" if playback.playing else "P plays"
        seconds = playback.position_ms // 1000
        return f"{state} · , . seek · {seconds // 60}:{seconds % 60:02d} · {sound}"

    def _cover(self, index: int, frame: Any) -> None:
        """frame: the player's first QVideoFrame; its conversion to an image and the blur run on the worker."""
        prepared = self._media.get(index)
        if prepared is None:
            return
        size = fit_size(frame.size(), prepared.covered.size())
        job = functools.partial(cover_poster, frame, size, self._grayscale, self._strength)
        self._jobs.submit(("poster", index), job, on_done=lambda result, i=index: self._covered(i, result))

    def _covered(self, index: int, result: tuple[QImage, QImage]) -> None:
        prepared = self._media.get(index)
        if prepared is None:
            return
        prepared.original, prepared.covered = result
        self.poster_covered.emit(index)
        self.changed.emit(index)

    def _failed(self, index: int, message: str) -> None:
        prepared = self._media.get(index)
        if prepared is None:
            return
        prepared.error = f"the video cannot be played ({message})"
        prepared.original = None
        prepared.covered = placeholder_image(prepared.error, prepared.covered.size(), title="Video not shown")
        self.changed.emit(index)

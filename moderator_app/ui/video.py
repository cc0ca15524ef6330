"""Video from memory: a poster frame to cover, and playback that the media view paints only while revealed.

Frames go to a QVideoSink of ours, never to a video widget, so nothing reaches the screen unless the media view
paints it, and it paints a frame only while the video is revealed; covered, it paints the blurred poster. Audio
starts muted (the wellness default); sound is the moderator's choice. The bytes are played from a QBuffer: no
temporary file.

QtMultimedia comes with PySide6-Addons; without it (or without its system libraries) videos show a placeholder
that says so, and nothing else changes.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLoggingCategory, QObject, QUrl, Signal
from PySide6.QtGui import QImage

from moderator_app.media.ffmpeg_log import quiet_ffmpeg

log = logging.getLogger(__name__)

SEEK_STEP_MS = 5000


@cache
def multimedia() -> Any:
    """The QtMultimedia module, or None when it cannot be loaded here."""
    # The FFmpeg backend lists every optional library it did not find (VA-API, PipeWire) and every hardware decoder
    # it tried: noise for moderators. Filtered before the import, which already looks for some of them.
    QLoggingCategory.setFilterRules(
        "qt.multimedia.symbolsresolver=false\nqt.multimedia.ffmpeg=false\nqt.multimedia.ffmpeg.*=false\n"
        "qt.multimedia.playbackengine.*=false"
    )
    try:
        from PySide6 import QtMultimedia
    except ImportError as missing:  # no PySide6-Addons, or a system library (libpulse) missing
        log.info("video playback unavailable: %s", missing)
        return None
    return QtMultimedia


@cache
def _quiet_ffmpeg_once() -> None:
    # After the first player exists: Qt's FFmpeg backend sets FFmpeg's log level when it starts. FFmpeg's own lines
    # go straight to stderr; a video that fails is reported by the player.
    quiet_ffmpeg()


@cache
def warm_up_video() -> None:
    """Load the multimedia backend now, once per process: its first player takes tens of ms (the FFmpeg libraries
    and plugin load), which would otherwise land on the keypress that shows the first video item."""
    mm = multimedia()
    if mm is None:
        return
    player = mm.QMediaPlayer()
    _quiet_ffmpeg_once()
    player.deleteLater()


def unavailable_reason() -> str | None:
    return None if multimedia() is not None else "video playback is not available on this computer"


class VideoPlayback(QObject):
    """One video's player. poster_ready(QVideoFrame) comes once, with the first frame (converting it to an image is
    left to a worker); frame_changed on every frame."""

    poster_ready = Signal(object)
    frame_changed = Signal()
    state_changed = Signal()
    failed = Signal(str)

    def __init__(self, data: bytes, *, muted: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        mm = multimedia()
        if mm is None:
            raise RuntimeError("video playback is not available on this computer")
        self._mm = mm
        self._player = mm.QMediaPlayer(self)
        _quiet_ffmpeg_once()
        # The player's child: deleted only after the player itself has stopped reading it (QObject deletes
        # children after the class's own destructor ran), never while its decoder thread may still read.
        self._buffer = QBuffer(self._player)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = mm.QVideoSink(self)
        # Muted means no audio output at all: the sound device is not even opened until the moderator asks.
        self._audio: Any = None
        self._player.setVideoSink(self._sink)
        if not muted:
            self.set_muted(False)
        self._poster_sent = False
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._player.playbackStateChanged.connect(lambda *_: self.state_changed.emit())
        self._player.errorOccurred.connect(self._on_error)
        self._playing_state = mm.QMediaPlayer.PlaybackState.PlayingState

    def start(self) -> None:
        """Load the video paused: the decoder delivers the first frame (the poster) without playing anything."""
        self._player.setSourceDevice(self._buffer, QUrl("memory:video"))
        self._player.pause()

    # --- state ----------------------------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self._player.playbackState() == self._playing_state

    @property
    def muted(self) -> bool:
        return self._audio is None or bool(self._audio.isMuted())

    @property
    def position_ms(self) -> int:
        return int(self._player.position())

    @property
    def duration_ms(self) -> int:
        return int(self._player.duration())

    def current_image(self) -> QImage:
        """The frame the decoder is on (null before the first one). Only the revealed view paints it."""
        frame = self._sink.videoFrame()
        return frame.toImage() if frame.isValid() else QImage()

    # --- control --------------------------------------------------------------------------------------------

    def play(self) -> None:
        self._player.play()

    def pause(self) -> None:
        if self.playing:
            self._player.pause()

    def toggle_play(self) -> None:
        if self.playing:
            self._player.pause()
        else:
            self._player.play()

    def seek(self, delta_ms: int) -> None:
        duration = self.duration_ms
        target = max(0, self.position_ms + delta_ms)
        if duration > 0:
            target = min(target, duration)
        self._player.setPosition(target)

    def set_muted(self, muted: bool) -> None:
        if self._audio is None:
            if muted:
                return
            self._audio = self._mm.QAudioOutput(self)
            self._player.setAudioOutput(self._audio)
        self._audio.setMuted(muted)
        self.state_changed.emit()

    def close(self) -> None:
        """Stop and let go of the decoder; the bytes stay with the prepared media (memory only)."""
        self._sink.videoFrameChanged.disconnect(self._on_frame)
        self._player.stop()
        self._player.setSource(QUrl())
        self.deleteLater()  # the buffer goes with the player

    def _on_frame(self, frame: Any) -> None:
        if not self._poster_sent and frame.isValid():
            self._poster_sent = True
            self.poster_ready.emit(frame)
        self.frame_changed.emit()

    def _on_error(self, _error: Any, message: str) -> None:
        log.info("video could not be played: %s", message)
        self.failed.emit(message or "the video could not be played")

"""A short MPEG-4 video made in memory with QtMultimedia's recorder (coloured stripes that move), for the video
path of the media view. No file is written: the recorder writes into a QBuffer."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QEventLoop, QIODevice, QSize, QTimer
from PySide6.QtGui import QColor, QImage, QPainter

SIZE = QSize(320, 240)
FRAMES = 20  # two seconds at 10 frames a second


def frame_image(index: int) -> QImage:
    image = QImage(SIZE, QImage.Format.Format_RGB32)
    image.fill(QColor(230, 60, 40))
    painter = QPainter(image)
    for x in range(index * 4 % 8, SIZE.width(), 8):
        painter.fillRect(x, 0, 4, SIZE.height(), QColor(30, 80, 220))
    painter.end()
    return image


def make_video() -> bytes | None:
    """The video's bytes, or None when QtMultimedia (or its encoder) is not available here."""
    from moderator_app.ui.video import multimedia

    mm = multimedia()
    if mm is None:
        return None
    session = mm.QMediaCaptureSession()
    source = mm.QVideoFrameInput()
    session.setVideoFrameInput(source)
    recorder = mm.QMediaRecorder()
    session.setRecorder(recorder)
    media_format = mm.QMediaFormat(mm.QMediaFormat.FileFormat.MPEG4)
    media_format.setVideoCodec(mm.QMediaFormat.VideoCodec.MPEG4)
    recorder.setMediaFormat(media_format)
    recorder.setVideoResolution(SIZE)
    recorder.setVideoFrameRate(10)
    recorder.setQuality(mm.QMediaRecorder.Quality.VeryHighQuality)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.ReadWrite)
    recorder.setOutputDevice(buffer)
    sent = [0]

    def push() -> None:
        if sent[0] >= FRAMES:
            recorder.stop()
            return
        frame = mm.QVideoFrame(frame_image(sent[0]))
        frame.setStartTime(sent[0] * 100_000)
        frame.setEndTime((sent[0] + 1) * 100_000)
        if source.sendVideoFrame(frame):
            sent[0] += 1

    loop = QEventLoop()
    stopped = mm.QMediaRecorder.RecorderState.StoppedState
    recorder.recorderStateChanged.connect(lambda state: state == stopped and loop.quit())
    source.readyToSendVideoFrame.connect(push)
    recorder.record()
    QTimer.singleShot(0, push)
    QTimer.singleShot(10_000, loop.quit)
    loop.exec()
    data = bytes(buffer.data().data())
    # Break the signal-to-closure cycles, so these objects die when this function returns, on this thread: left to
    # a later garbage collection, they could be destroyed on a worker thread, which crashes QtMultimedia.
    source.readyToSendVideoFrame.disconnect(push)
    recorder.recorderStateChanged.disconnect()
    session.setRecorder(None)
    return data if sent[0] == FRAMES and len(data) > 1000 else None

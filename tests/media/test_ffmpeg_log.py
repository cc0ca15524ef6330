"""FFmpeg's own messages stay off stderr while a video plays (they bypass Qt's logging)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from moderator_app.media.ffmpeg_log import libavutil_candidates

FFMPEG_LINE = re.compile(r"^\[\w+ @ 0x[0-9a-f]+\] ", re.MULTILINE)  # "[mjpeg @ 0x55c1b33bbec0] Invalid setup…"
PLAY_ONE_VIDEO = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    if sys.argv[1] == "loud":
        import moderator_app.media.ffmpeg_log as ffmpeg_log
        ffmpeg_log.quiet_ffmpeg = lambda *args: False  # as before: FFmpeg left at its default level
    from moderator_app.server.demo.videos import VideoSpec, render_video
    from moderator_app.ui import video
    if video.multimedia() is None:
        print("NO-MULTIMEDIA")
        sys.exit(0)
    spec = VideoSpec("clip", 160, 120, 8, 8, 1, "demo_clip", "Synthetic test clip")
    playback = video.VideoPlayback(render_video(spec).data)
    playback.poster_ready.connect(lambda frame: (print("POSTER"), app.quit()))
    playback.failed.connect(lambda message: (print("FAILED", message), app.quit()))
    playback.start()
    QTimer.singleShot(15000, app.quit)
    app.exec()
    playback.close()
    """
)


def _play(mode: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.run(
        [sys.executable, "-c", PLAY_ONE_VIDEO, mode], capture_output=True, text=True, timeout=60, env=env
    )


def test_a_playing_video_leaves_stderr_quiet() -> None:
    quiet = _play("quiet")
    if "NO-MULTIMEDIA" in quiet.stdout:
        pytest.skip("QtMultimedia cannot be loaded here")
    assert "POSTER" in quiet.stdout, quiet.stdout + quiet.stderr
    assert not FFMPEG_LINE.search(quiet.stderr), quiet.stderr
    assert "No HW decoder" not in quiet.stderr, quiet.stderr  # Qt's own line about it, filtered by category
    # The same video with FFmpeg left at the level Qt sets does print (hardware decoders it tried, pixel formats):
    # the check above can fail.
    loud = _play("loud")
    assert "POSTER" in loud.stdout, loud.stdout + loud.stderr
    assert FFMPEG_LINE.search(loud.stderr), loud.stderr


@pytest.mark.parametrize(
    ("platform", "names", "expected"),
    [
        ("linux", ["Qt/lib/libavutil.so.59.39.100", "Qt/lib/libavutil.so.59"], "Qt/lib/libavutil.so.59"),
        ("win32", ["avutil-59.dll"], "avutil-59.dll"),
        ("darwin", ["Qt/lib/libavutil.59.dylib"], "Qt/lib/libavutil.59.dylib"),
        ("linux", [], None),
    ],
)
def test_the_library_qt_loads_is_found(tmp_path: Path, platform: str, names: list[str], expected: str | None) -> None:
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    found = libavutil_candidates(tmp_path, platform)
    assert (found[0].relative_to(tmp_path).as_posix() if found else None) == expected

"""Keep FFmpeg's own messages off the terminal.

Qt's multimedia backend plays video through the FFmpeg libraries that come with PySide6-Addons. FFmpeg writes its
messages straight to stderr (a summary of every file it opens, each hardware decoder it tried and did not find),
outside Qt's logging, so moderators and test logs see dozens of lines per video. A video that cannot be played is
reported by the player itself (QMediaPlayer.errorOccurred), so nothing is lost by keeping only FFmpeg's fatal
messages. FFmpeg's log level is process-wide: it is set once, in the copy of libavutil that Qt loads.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)

AV_LOG_FATAL = 8  # libavutil/log.h: something went wrong and recovery is not possible


def libavutil_candidates(pyside_dir: Path, platform: str = sys.platform) -> list[Path]:
    """Where PySide6 keeps its libavutil: Qt/lib on Linux, the package folder on Windows, Qt/lib on macOS."""
    if platform.startswith("win"):
        patterns = [(pyside_dir, "avutil-*.dll")]
    elif platform == "darwin":
        patterns = [(pyside_dir / "Qt" / "lib", "libavutil.*.dylib")]
    else:
        patterns = [(pyside_dir / "Qt" / "lib", "libavutil.so.*")]
    found: list[Path] = []
    for folder, pattern in patterns:
        # The shortest name is the one the plugin links to (libavutil.so.59, not libavutil.so.59.39.100).
        found.extend(sorted(folder.glob(pattern), key=lambda p: len(p.name)))
    return found


def quiet_ffmpeg(level: int = AV_LOG_FATAL) -> bool:
    """Set FFmpeg's log level in PySide6's libavutil. False (and nothing changed) when there is none to load."""
    try:
        import PySide6
    except ImportError:
        return False
    for candidate in libavutil_candidates(Path(PySide6.__file__).parent):
        try:
            library = ctypes.CDLL(str(candidate))
            set_level = library.av_log_set_level
        except (OSError, AttributeError) as problem:
            log.debug("could not load %s: %s", candidate.name, problem)
            continue
        set_level.argtypes = [ctypes.c_int]
        set_level.restype = None
        set_level(level)
        return True
    return False

"""Keep the resident size of a long review session flat.

Prepared media are big pixel buffers (a 960x720 picture is 2.7 MB), made on worker threads and freed on the UI
thread. glibc's malloc raises its mmap threshold after the first such buffer is freed, and from then on serves them
from per-thread heaps that fragment and seldom shrink: the resident size creeps up by hundreds of megabytes over a
day of reviewing, though nothing leaks. A fixed threshold keeps every buffer above it in its own mapping, returned
to the system the moment it is freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
MMAP_THRESHOLD_BYTES = 1024 * 1024  # below a small picture's buffer, above ordinary Python objects


def return_large_buffers_to_the_system() -> bool:
    """Linux with glibc: fix malloc's mmap threshold (True when it took effect). Elsewhere: nothing to do."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        done = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):  # musl and other C libraries have no mallopt
        return False
    log.debug("malloc mmap threshold fixed at %d bytes: %s", MMAP_THRESHOLD_BYTES, done)
    return done

"""Picture work the screen asks for while an item is shown: decode the full-resolution original for a zoom, cover
a video's poster frame. It runs on a worker thread and its result comes back on the UI thread.

Each job has a key; asking again with the same key (or cancelling it) makes the older answer stale, and stale
answers are dropped rather than delivered: the moderator covered the media or moved on while it was decoding.
No widgets; QImage work only, in memory.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

ResultHandler = Callable[[Any], None]


class MediaJobs(QObject):
    """A small worker pool whose results are handed to a callback on the thread that owns this object."""

    def __init__(self, workers: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="media-job")
        self._serial = 0
        self._current: dict[Hashable, int] = {}
        self._closed = False
        # Workers post answers to this object; the lock makes sure none is posting while it is being destroyed.
        self._gone = threading.Event()
        self._alive_lock = threading.Lock()
        lock, gone, executor = self._alive_lock, self._gone, self._executor

        def destroyed(*_: object) -> None:  # a plain function: a method of the dying object might not be called
            with lock:
                gone.set()
            executor.shutdown(wait=False, cancel_futures=True)

        self.destroyed.connect(destroyed)

    @property
    def pending(self) -> int:
        """Jobs asked for whose answer has not come back (or been cancelled)."""
        return len(self._current)

    def submit(
        self,
        key: Hashable,
        fn: Callable[..., Any],
        *args: Any,
        on_done: ResultHandler,
        on_error: ResultHandler | None = None,
    ) -> None:
        """Run fn(*args) on the worker; on_done(result) (or on_error(exception)) runs later on this object's thread,
        unless the job was cancelled or replaced meanwhile."""
        if self._closed:
            return
        self._serial += 1
        serial = self._serial
        self._current[key] = serial
        future = self._executor.submit(fn, *args)
        future.add_done_callback(lambda done: self._post(key, serial, done, on_done, on_error))

    def cancel(self, key: Hashable) -> None:
        self._current.pop(key, None)

    def cancel_all(self) -> None:
        self._current.clear()

    def close(self) -> None:
        """No more jobs; answers still running are dropped."""
        self._closed = True
        self._current.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _post(
        self,
        key: Hashable,
        serial: int,
        done: Future[Any],
        on_done: ResultHandler,
        on_error: ResultHandler | None,
    ) -> None:
        # On the worker thread: hand over to this object's thread. With a context object the queued call is
        # dropped by Qt if this object is gone by the time it would run.
        with self._alive_lock:
            if self._gone.is_set():
                return  # destroyed while the job ran: nobody is waiting for the answer
            with contextlib.suppress(RuntimeError):
                QTimer.singleShot(0, self, lambda: self._deliver(key, serial, done, on_done, on_error))

    def _deliver(
        self,
        key: Hashable,
        serial: int,
        done: Future[Any],
        on_done: ResultHandler,
        on_error: ResultHandler | None,
    ) -> None:
        if self._closed or self._current.get(key) != serial or done.cancelled():
            return
        del self._current[key]
        error = done.exception()
        if error is None:
            on_done(done.result())
        elif on_error is not None:
            on_error(error)
        else:
            log.info("media job %r failed: %s", key, type(error).__name__)

"""The one way the client runs background work: blocking calls on a worker pool, coroutines on the qasync loop.

Blocking work (HTTP, SQLite, decoding) never runs on the UI thread: `call` hands it to a worker and resumes the
awaiting coroutine on the UI thread when it is done, so results can touch widgets-facing QObjects directly.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from moderator_app.core.foreground import GATE

log = logging.getLogger(__name__)

T = TypeVar("T")

ErrorHandler = Callable[[BaseException], None]


def describe_error(error: BaseException) -> str:
    """A sentence for the status bar. Client errors already read as sentences; anything else gets its type name."""
    text = str(error).strip()
    if not text:
        return type(error).__name__
    # Our client's errors are written for moderators; foreign ones (a bug) keep their type so support can tell.
    if type(error).__module__.startswith("moderator_app."):
        return text
    return f"{type(error).__name__}: {text}"


def _after_foreground(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """On the worker: start once the screen has painted the item it is putting up (HTTP clients and JSON parsing
    are Python work that would take turns with the UI thread; see core.foreground)."""
    GATE.wait_turn()
    return fn(*args, **kwargs)


class BackgroundRunner(QObject):
    """Owns the worker threads and the background tasks of one GUI run."""

    error = Signal(str)

    def __init__(self, workers: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="moderator-worker")
        # asyncio only keeps weak references to tasks: without these, a running task can be garbage collected.
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking function on a worker thread and await its result on the loop's thread."""
        if self._closed:
            raise RuntimeError("the background runner is shut down")
        loop = asyncio.get_running_loop()
        # run_in_executor takes no keyword arguments, hence the partial.
        return await loop.run_in_executor(self._executor, functools.partial(_after_foreground, fn, *args, **kwargs))

    def spawn(
        self, coro: Coroutine[Any, Any, Any], *, on_error: ErrorHandler | None = None, name: str | None = None
    ) -> asyncio.Task[Any]:
        """Start a coroutine on the running loop; its failure goes to on_error, else to the `error` signal."""
        task = asyncio.get_event_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(functools.partial(self._finished, on_error=on_error))
        return task

    def _finished(self, task: asyncio.Task[Any], *, on_error: ErrorHandler | None) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            return
        if on_error is not None:
            try:
                on_error(error)
            except Exception:
                log.exception("error handler failed")
            return
        log.warning("background task %s failed: %s", task.get_name(), type(error).__name__, exc_info=error)
        self.error.emit(describe_error(error))

    @property
    def pending_tasks(self) -> int:
        return len(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def shutdown(self, wait: bool = False) -> None:
        """Cancel background tasks and stop the workers; running blocking calls finish on their own."""
        if self._closed:
            return
        self._closed = True
        self.cancel_all()
        self._executor.shutdown(wait=wait, cancel_futures=True)

"""The queue list's data: fetched in the background, announced with a signal, never blocking the screen."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from moderator_app.client.api import ApiClient
from moderator_app.core.models import Queue
from moderator_app.workflow.tasks import BackgroundRunner, describe_error


class QueueBoard(QObject):
    queues_changed = Signal(list)  # list[Queue], in the server's order (priority first)
    loading_changed = Signal(bool)
    error = Signal(str)

    def __init__(self, api: ApiClient, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._api = api
        self._runner = runner
        self._queues: list[Queue] = []
        self._loading = False
        self._loaded_once = False

    @property
    def queues(self) -> list[Queue]:
        return list(self._queues)

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def loaded_once(self) -> bool:
        return self._loaded_once

    def refresh(self) -> None:
        """Fetch the queues again; a refresh already in flight makes this a no-op."""
        if self._loading or self._runner.closed:
            return
        self._set_loading(True)
        self._runner.spawn(self._refresh(), on_error=self._failed, name="queues")

    async def load(self) -> list[Queue]:
        """Fetch and wait (start-up uses this to pick the busiest queue)."""
        self._set_loading(True)
        try:
            queues = await self._runner.call(self._api.queues)
        finally:
            self._set_loading(False)
        self._store(queues)
        return queues

    async def _refresh(self) -> None:
        try:
            queues = await self._runner.call(self._api.queues)
        finally:
            self._set_loading(False)
        self._store(queues)

    def _store(self, queues: list[Queue]) -> None:
        self._queues = list(queues)
        self._loaded_once = True
        self.queues_changed.emit(self.queues)

    def _failed(self, error: BaseException) -> None:
        self.error.emit(describe_error(error))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)


def busiest_queue(queues: list[Queue]) -> Queue | None:
    """The queue with the most pending items (ties: the higher priority, as the server lists it first)."""
    candidates = [queue for queue in queues if queue.pending > 0]
    if not candidates:
        return None
    return max(candidates, key=lambda queue: queue.pending)

"""Send the moderator's revealed-media seconds to the server, so that their lead sees today's exposure.

Reveals are added up per item in memory and sent every flush interval (and when the session ends). A report that
fails (offline, server down) is kept and sent with the next flush: figures arrive late rather than never. Nothing is
written to disk: this is wellness telemetry, not a decision, and losing the last minute of it to a crash is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from moderator_app.client.api import ApiClient
from moderator_app.workflow.tasks import BackgroundRunner, describe_error

log = logging.getLogger(__name__)

FLUSH_INTERVAL_MS = 15_000
MAX_REPORT_SECONDS = 3600.0  # the server's bound for one report; longer totals go in several
MIN_REPORT_SECONDS = 0.05  # below this a reveal is a key bounce, not exposure


class ExposureReporter(QObject):
    today_changed = Signal(float)  # the server's total of the caller's exposure since 00:00 UTC

    def __init__(
        self,
        api: ApiClient,
        runner: BackgroundRunner,
        *,
        flush_interval_ms: int = FLUSH_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._runner = runner
        self._pending: dict[int | None, float] = {}  # item id (None: not tied to an item) -> unsent seconds
        self._sending = False
        self._again = False  # a flush was asked for during a send
        self._timer = QTimer(self)
        self._timer.setInterval(flush_interval_ms)
        self._timer.timeout.connect(self.flush)
        self._timer.start()

    @property
    def sending(self) -> bool:
        return self._sending

    @property
    def pending_seconds(self) -> float:
        return sum(self._pending.values())

    def add(self, item_id: int | None, seconds: float) -> None:
        """One reveal that ended (the ExposureTracker's reveal_closed signal)."""
        if seconds > 0:
            self._pending[item_id] = self._pending.get(item_id, 0.0) + seconds

    def flush(self) -> None:
        """Send what is pending now (one request per item, in the background); when a send is under way, right
        after it (seconds added since would otherwise wait for the next interval, or be left at the session's end)."""
        if self._runner.closed:
            return
        if self._sending:
            self._again = True
            return
        batch = {key: seconds for key, seconds in self._pending.items() if seconds >= MIN_REPORT_SECONDS}
        if not batch:
            return
        for key in batch:
            del self._pending[key]
        self._sending = True
        self._runner.spawn(self._send(batch), on_error=self._failed(batch), name="exposure")

    def stop(self) -> None:
        """Stop the timer and send what is left (best effort: the runner may be closing)."""
        self._timer.stop()
        self.flush()

    async def _send(self, batch: dict[int | None, float]) -> None:
        today: float | None = None
        try:
            while batch:
                item_id, seconds = next(iter(batch.items()))
                chunk = min(seconds, MAX_REPORT_SECONDS)
                summary = await self._runner.call(self._api.report_exposure, round(chunk, 3), item_id)
                today = summary.seconds_today
                if seconds - chunk >= MIN_REPORT_SECONDS:
                    batch[item_id] = seconds - chunk
                else:
                    del batch[item_id]
        finally:
            self._sending = False
            if self._again:
                self._again = False
                self.flush()
        if today is not None:
            self.today_changed.emit(today)

    def _failed(self, batch: dict[int | None, float]) -> Callable[[BaseException], None]:
        def keep(error: BaseException) -> None:
            # What was not sent goes back, to be sent with the next flush.
            for item_id, seconds in batch.items():
                self._pending[item_id] = self._pending.get(item_id, 0.0) + seconds
            log.info("exposure not reported yet (%s); kept for the next try", describe_error(error))

        return keep

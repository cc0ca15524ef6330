"""BackgroundRunner: blocking work off the UI thread, failures routed to a handler or the error signal."""

from __future__ import annotations

import threading

from moderator_app.client.errors import ConnectionFailed
from moderator_app.workflow.tasks import BackgroundRunner, describe_error


def test_call_runs_on_a_worker_and_spawn_reports_errors(qtbot, qloop) -> None:
    runner = BackgroundRunner()
    threads: list[str] = []
    results: list[int] = []

    def blocking(a: int, *, b: int) -> int:
        threads.append(threading.current_thread().name)
        return a + b

    async def work() -> None:
        results.append(await runner.call(blocking, 2, b=3))

    runner.spawn(work())
    qtbot.waitUntil(lambda: results == [5], timeout=5000)
    assert threads[0].startswith("moderator-worker")

    async def fails() -> None:
        raise ConnectionFailed("Cannot reach the server at http://x: connection refused.")

    with qtbot.waitSignal(runner.error, timeout=5000) as failed:
        runner.spawn(fails())
    assert failed.args == ["Cannot reach the server at http://x: connection refused."]

    handled: list[BaseException] = []
    runner.spawn(fails(), on_error=handled.append)
    qtbot.waitUntil(lambda: len(handled) == 1, timeout=5000)
    qtbot.waitUntil(lambda: runner.pending_tasks == 0, timeout=5000)
    runner.shutdown(wait=True)
    assert runner.closed


def test_describe_error_keeps_foreign_type_names() -> None:
    assert describe_error(ValueError("bad")) == "ValueError: bad"
    assert describe_error(RuntimeError()) == "RuntimeError"

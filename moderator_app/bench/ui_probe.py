"""UI-thread probe: `python -m moderator_app.bench.ui_probe [--items 100]`.

Starts the demo server (full dataset) in a temporary folder, signs in as the demo moderator and reviews
ITEMS items on the real review screen (offscreen), by keys: each item is revealed (V), zoomed in twice (the
full-resolution decode runs on a worker), covered again, then kept (K), and the next queue is opened when one runs
dry. Meanwhile a 5 ms timer on the event loop measures its own lateness: a late tick means the UI thread was busy
(painting, layout, Python work, garbage collection) for that long. Prints the longest block, p99 and p95, and the
number of blocks over the 50 ms target. Nothing is written outside the temporary folder.

--server separate (the default) runs the server as its own process, as a deployment does, so the probe measures the
client; --server embedded runs it inside the client's process, as the demo mode does, where the server's Python
work competes with the UI thread for the interpreter lock.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TARGET_MS = 50.0
PROBE_MS = 5


class LatenessProbe:
    """A 5 ms timer noting how late each tick comes (the time the event loop could not run it)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.samples: list[float] = []
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(PROBE_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.samples.append(max(0.0, (now - self._last) * 1000 - PROBE_MS))
        self._last = now


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.005)
    return True


class SeparateServer:
    """`moderator-app serve --demo` in a child process on a free port."""

    def __init__(self, folder: Path) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "moderator_app", "serve", "--demo", "--port", str(self.port)]
        command += ["--data-dir", str(folder)]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self, timeout: float = 300) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError("the demo server did not start")
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise TimeoutError("the demo server did not start in time")

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=30)


async def review(items: int, pace_ms: int, folder: Path, embedded: bool) -> tuple[LatenessProbe, int, float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from moderator_app.app import create_main_window, settle_garbage_collector
    from moderator_app.client.api import ApiClient
    from moderator_app.client.outbox import Outbox
    from moderator_app.server.config import ServerSettings
    from moderator_app.server.embedded import EmbeddedServer
    from moderator_app.workflow.signin import Connection
    from moderator_app.workflow.tasks import BackgroundRunner

    runner = BackgroundRunner()
    if embedded:
        server: EmbeddedServer | SeparateServer = EmbeddedServer(
            ServerSettings(db_url=f"sqlite:///{folder / 'demo.sqlite3'}", port=0, demo=True)
        )
    else:
        server = SeparateServer(folder)
    await runner.call(server.start, 300)
    api = ApiClient(server.url)
    await runner.call(api.login, "demo-moderator", "demo")
    connection = Connection(api=api, user=await runner.call(api.me), server_url=server.url)
    outbox = Outbox(folder / "outbox.sqlite3")
    window = create_main_window(connection, runner, outbox)
    window.resize(1280, 820)
    window.show()
    window.session.start_sending()
    queues = sorted(await window.board.load(), key=lambda q: -q.pending)
    settle_garbage_collector()  # as the app does once its window is up (see moderator_app.app)
    probe = LatenessProbe()
    reviewed = 0
    started = time.perf_counter()
    screen = window.review
    for queue in queues:
        if reviewed >= items or queue.pending == 0:
            continue
        window.open_queue(queue.id)
        while reviewed < items:
            if not await wait_until(lambda: window.session.can_decide or not window.session.loading):
                break
            current = window.session.current
            if current is None:
                break  # this queue ran dry: the next one
            await wait_until(lambda shown=current: screen.review_item is shown)
            if not probe.samples:
                probe.start()  # measure the reviewing, not the start-up
            QTest.keyClick(screen, Qt.Key.Key_V)
            if current.media:
                QTest.keyClick(screen, Qt.Key.Key_Plus)
                QTest.keyClick(screen, Qt.Key.Key_Plus)
            await asyncio.sleep(pace_ms / 2000)
            QTest.keyClick(screen, Qt.Key.Key_V)
            await asyncio.sleep(pace_ms / 2000)
            QTest.keyClick(screen, Qt.Key.Key_K)
            await wait_until(lambda shown=current: window.session.current is not shown)
            reviewed += 1
    elapsed = time.perf_counter() - started
    await wait_until(lambda: window.session.status.pending == 0, timeout=30)
    probe.stop()
    window.hide()
    await window.session.aclose(2.0)
    window.session.pump.stop()
    outbox.close()
    api.close()
    runner.shutdown()
    server.stop()
    window.deleteLater()
    return probe, reviewed, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--pace-ms", type=int, default=200, help="time spent on each item before deciding")
    parser.add_argument("--server", choices=("separate", "embedded"), default="separate")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtWidgets import QApplication

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="moderator-ui-probe-") as folder:
        try:
            run = review(args.items, args.pace_ms, Path(folder), args.server == "embedded")
            probe, reviewed, elapsed = loop.run_until_complete(run)
        finally:
            loop.close()
    samples = probe.samples
    if not samples:
        print("no item was shown: nothing measured")
        return 1
    worst = sorted(samples, reverse=True)[:5]
    over = sum(1 for s in samples if s > TARGET_MS)
    print(f"UI-thread probe: {reviewed} items reviewed in {elapsed:.1f} s ({len(samples)} ticks of {PROBE_MS} ms),")
    print(f"  server {args.server}; load average before the run {load:.2f} on {os.cpu_count()} cores")
    print(f"  longest block  {max(samples):7.1f} ms   (target: at most {TARGET_MS:.0f} ms)")
    print(f"  p99            {percentile(samples, 0.99):7.1f} ms")
    print(f"  p95            {percentile(samples, 0.95):7.1f} ms")
    print(f"  median         {statistics.median(samples):7.1f} ms")
    print(f"  blocks > {TARGET_MS:.0f} ms  {over}")
    print(f"  five longest   {', '.join(f'{s:.1f}' for s in worst)} ms")
    verdict = "meets" if max(samples) <= TARGET_MS else "MISSES"
    print(f"  {verdict} the target")
    return 0


if __name__ == "__main__":
    sys.exit(main())

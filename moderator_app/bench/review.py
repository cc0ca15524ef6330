"""Review loop benchmark: `python -m moderator_app.bench.review [--decisions 300] [--latency-ms 150] [--quick]`.

Runs the real client (ReviewSession, outbox, sender and the real main window with its review screen, offscreen)
against the real embedded server (in a child process, so the client's memory is measured alone), through a loopback
proxy that adds a fixed latency to every request. A scripted moderator presses a decision key at a steady pace (one
every 150-300 ms, never before the item has been on screen for the double-press guard) and the benchmark measures
keypress -> next item painted, and counts the transitions that had to wait for the network (nothing prepared behind
the shown item when the key was pressed). Two configurations in the same run:
- prefetch on: the next K=5 items claimed, fetched and their media prepared in the background;
- prefetch off: the next item is claimed and fetched only after each decision, as web consoles do.
Then resident memory (RSS, /proc/self/statm) after 100 and after 2,000 decisions, at no added latency and full speed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TARGET_P95_MS = 16.0
TARGET_RSS_GROWTH_MB = 50.0
USER, PASSWORD = "demo-moderator", "demo"


@dataclass
class RunResult:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    waits: int = 0
    rss_mb: dict[int, float] = field(default_factory=dict)  # decisions made -> resident MB
    cache_mb: dict[int, float] = field(default_factory=dict)  # decisions made -> MB in the (bounded) media caches

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def media_cache_mb() -> float:
    """Pixels held by the review screen's media caches (byte-bounded by design: 56 + 8 MB)."""
    from moderator_app.workflow.items import MEDIA_CACHE, THUMBNAIL_CACHE

    return (MEDIA_CACHE.total_bytes + THUMBNAIL_CACHE.total_bytes) / (1024 * 1024)


def resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


# --- the server, in a child process ------------------------------------------------------------------------


def prepare_database(path: Path, items_needed: int) -> None:
    """The full demo dataset, every open item gathered into the spam queue and cloned until there are enough."""
    from sqlalchemy import func, insert, select, update

    from moderator_app.server.db import make_engine
    from moderator_app.server.demo import create_demo_users, ensure_gui_application, seed_demo
    from moderator_app.server.migrate import upgrade_to_head
    from moderator_app.server.security import TEST_SCRYPT
    from moderator_app.server.tables import ItemRow, QueueRow, ReportRow

    ensure_gui_application()
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade_to_head(engine)
        seed_demo(engine)
        create_demo_users(engine, kdf=TEST_SCRYPT)
        items, reports = ItemRow.__table__, ReportRow.__table__
        with engine.begin() as db:
            spam = db.execute(select(QueueRow.id).where(QueueRow.key == "spam")).scalar_one()
            db.execute(update(items).where(items.c.status != "decided").values(queue_id=spam))
            originals = db.execute(select(items).where(items.c.status == "pending")).mappings().all()
            copies = -(-items_needed // max(1, len(originals)))
            for original in originals:
                values = {key: value for key, value in original.items() if key != "id"}
                found = db.execute(select(reports).where(reports.c.item_id == original["id"])).mappings().all()
                report_values = [{k: v for k, v in r.items() if k not in ("id", "item_id")} for r in found]
                for _ in range(copies - 1):
                    new_id = db.execute(insert(items).values(**values).returning(items.c.id)).scalar_one()
                    if report_values:
                        db.execute(insert(reports), [{**r, "item_id": new_id} for r in report_values])
            total = db.execute(select(func.count()).select_from(items).where(items.c.status == "pending"))
            total = total.scalar_one()
        print(f"dataset: {total} open items in one queue", flush=True)
    finally:
        engine.dispose()


def serve(db_path: str) -> int:
    """Child mode: serve the database on a free loopback port, print it, stop when the parent closes stdin."""
    from moderator_app.server.config import ServerSettings
    from moderator_app.server.embedded import EmbeddedServer

    server = EmbeddedServer(ServerSettings(db_url=f"sqlite:///{db_path}", port=0))
    server.start()
    print(server.port, flush=True)
    sys.stdin.read()  # EOF: the benchmark ended (or died)
    server.stop()
    return 0


def start_server(db_path: Path) -> tuple[subprocess.Popen[str], int]:
    child = subprocess.Popen(
        [sys.executable, "-m", "moderator_app.bench.review", "--serve", str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    port = int(child.stdout.readline())
    return child, port


# --- the client ---------------------------------------------------------------------------------------------


async def review_run(
    name: str, url: str, work: Path, *, prefetch: int, decisions: int, pace_ms: tuple[float, float],
    dwell_ms: int, rss_at: tuple[int, ...] = (), seed: int = 1,
) -> RunResult:  # fmt: skip
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from moderator_app.app import create_main_window
    from moderator_app.client.api import ApiClient
    from moderator_app.client.outbox import Outbox
    from moderator_app.ui.review_screen import NO_ITEM
    from moderator_app.workflow.signin import Connection
    from moderator_app.workflow.tasks import BackgroundRunner

    rng = random.Random(seed)
    result = RunResult(name)
    api = ApiClient(url)
    api.login(USER, PASSWORD)
    connection = Connection(api=api, user=api.me(), server_url=url)
    runner = BackgroundRunner()
    outbox = Outbox(work / f"outbox-{name.replace(' ', '-')}.sqlite3")
    window = create_main_window(connection, runner, outbox, prefetch=prefetch, min_dwell_ms=dwell_ms)
    window.resize(1280, 820)
    window.show()
    window.activateWindow()
    session = window.session
    painted: dict[str, float | int] = {}
    arrived = asyncio.Event()

    def on_painted(item_id: int) -> None:
        if item_id != NO_ITEM:
            painted.update(id=item_id, at=time.perf_counter())
            arrived.set()

    window.shown_ready.connect(on_painted)
    session.start_sending()
    queues = await runner.call(api.queues)
    window.open_queue(next(q.id for q in queues if q.key == "spam"))
    await asyncio.wait_for(arrived.wait(), 60)
    if prefetch:
        deadline = time.monotonic() + 60  # a real session starts once the first items are ready too
        while session.prepared_count < prefetch and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    last_press = time.perf_counter()
    for number in range(1, decisions + 1):
        shown_id, shown_at = painted["id"], float(painted["at"])
        ready_at = max(last_press + rng.uniform(*pace_ms) / 1000, shown_at + (dwell_ms + 10) / 1000)
        await asyncio.sleep(max(0.0, ready_at - time.perf_counter()))
        while not session.can_decide:  # the guard, on a loaded machine
            await asyncio.sleep(0.002)
        waited = session.prepared_count == 0
        arrived.clear()
        last_press = time.perf_counter()
        QTest.keyClick(window.review, Qt.Key.Key_K)  # keep: fits every item, never opens a dialog
        await asyncio.wait_for(arrived.wait(), 60)
        if painted["id"] == shown_id:
            raise RuntimeError(f"the key did not decide item {shown_id}")
        result.latencies_ms.append((float(painted["at"]) - last_press) * 1000)
        result.waits += waited
        if number in rss_at:
            gc.collect()
            result.rss_mb[number] = resident_mb()
            result.cache_mb[number] = media_cache_mb()
    deadline = time.monotonic() + 60
    while outbox.pending_count() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)  # everything decided reaches the server before the next run
    window.hide()
    await session.aclose(5.0)
    session.pump.stop()
    runner.shutdown(wait=True)
    outbox.close()
    api.close()
    window.deleteLater()
    await asyncio.sleep(0.05)
    gc.collect()
    return result


def report(runs: list[RunResult], latency_ms: float, memory: RunResult | None) -> bool:
    print(f"\nKeypress -> next item painted, {latency_ms:g} ms added to every request, pace 150-300 ms")
    print(f"{'configuration':<26}{'decisions':>10}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'waits':>8}")
    for run in runs:
        values = run.latencies_ms
        print(
            f"{run.name:<26}{len(values):>10}{statistics.median(values):>10.1f}{run.percentile(0.95):>10.1f}"
            f"{max(values):>10.1f}{run.waits:>8}"
        )
    on = runs[0]
    ok = on.percentile(0.95) <= TARGET_P95_MS and on.waits == 0
    print(
        f"targets, prefetch on: p95 <= {TARGET_P95_MS:g} ms "
        f"({'met' if on.percentile(0.95) <= TARGET_P95_MS else 'MISSED'}), "
        f"zero waits ({'met' if on.waits == 0 else 'MISSED'})"
    )
    if len(runs) > 1:
        off = runs[1]
        speedup = statistics.median(off.latencies_ms) / max(0.001, statistics.median(on.latencies_ms))
        print(f"prefetch on is {speedup:.0f}x faster at the median than fetching after each decision")
    if memory is not None and len(memory.rss_mb) == 2:
        (first, early), (last, late) = sorted(memory.rss_mb.items())
        growth = late - early
        cache_growth = memory.cache_mb[last] - memory.cache_mb[first]
        met = growth <= TARGET_RSS_GROWTH_MB
        ok = ok and met
        print(
            f"\nResident memory (no added latency, full speed): {early:.1f} MB after {first} decisions, "
            f"{late:.1f} MB after {last}; growth {growth:+.1f} MB (target <= {TARGET_RSS_GROWTH_MB:g} MB: "
            f"{'met' if met else 'MISSED'})\n  of which the bounded media caches filling up: {cache_growth:+.1f} MB "
            f"({memory.cache_mb[first]:.0f} -> {memory.cache_mb[last]:.0f} MB); everything else "
            f"{growth - cache_growth:+.1f} MB\n  that run: p50 {statistics.median(memory.latencies_ms):.1f} ms, "
            f"p95 {memory.percentile(0.95):.1f} ms, waits {memory.waits} (pressing as soon as each item is painted)"
        )
    return ok


async def main_async(args: argparse.Namespace) -> int:
    from moderator_app.bench.latency_proxy import LatencyProxy

    with tempfile.TemporaryDirectory(prefix="bench-review-") as folder:
        work = Path(folder)
        db = work / "server.sqlite3"
        started = time.perf_counter()
        prepare_database(db, 2 * args.decisions + args.memory_decisions + 200)
        child, port = start_server(db)
        print(f"server ready after {time.perf_counter() - started:.1f} s", flush=True)
        proxy = LatencyProxy(port, args.latency_ms / 1000).start()
        try:
            runs = []
            for name, prefetch in (("prefetch on (K=5)", 5), ("prefetch off (web console)", 0)):
                print(f"running: {name}, {args.decisions} decisions…", flush=True)
                runs.append(
                    await review_run(name, proxy.url, work, prefetch=prefetch, decisions=args.decisions,
                                     pace_ms=(150, 300), dwell_ms=150)
                )  # fmt: skip
            memory = None
            if args.memory_decisions:
                print(f"running: memory, {args.memory_decisions} decisions at full speed…", flush=True)
                memory = await review_run(
                    "memory", f"http://127.0.0.1:{port}", work, prefetch=5, decisions=args.memory_decisions,
                    pace_ms=(0, 0), dwell_ms=0, rss_at=(100, args.memory_decisions),
                )  # fmt: skip
        finally:
            proxy.stop()
            assert child.stdin is not None
            child.stdin.close()
            child.wait(30)
    return 0 if report(runs, args.latency_ms, memory) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=300, help="decisions per configuration (default 300)")
    parser.add_argument("--latency-ms", type=float, default=150.0, help="added to every request (default 150)")
    parser.add_argument("--memory-decisions", type=int, default=2000, help="for the memory run (0: skip)")
    parser.add_argument("--quick", action="store_true", help="a short smoke run: 30 decisions, 200 for memory")
    parser.add_argument("--serve", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve)
    if args.quick:
        args.decisions, args.memory_decisions = 30, 200
    if args.memory_decisions and args.memory_decisions <= 100:
        parser.error("--memory-decisions must be above 100 (memory is read after 100 and at the end)")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    from moderator_app.workflow.memory import return_large_buffers_to_the_system

    return_large_buffers_to_the_system()  # as the app does at start
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    def quiet(kind: QtMsgType, _context: object, message: str) -> None:
        # The offscreen platform's note about size hints, once per window change, is not about our code.
        if "propagateSizeHints" not in message and kind != QtMsgType.QtDebugMsg:
            print(f"Qt: {message}", file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    import qasync  # after PySide6

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(main_async(args))


if __name__ == "__main__":
    sys.exit(main())

"""The foreground gate: workers wait while the UI thread puts an item on screen, never longer than the hold."""

from __future__ import annotations

import threading
import time

from moderator_app.core.foreground import ForegroundGate


def waited_in_worker(gate: ForegroundGate, before_start: float = 0.0) -> tuple[threading.Event, list[float]]:
    done = threading.Event()
    started: list[float] = []

    def work() -> None:
        started.append(time.monotonic())
        gate.wait_turn()
        started.append(time.monotonic())
        done.set()

    threading.Thread(target=work, daemon=True).start()
    return done, started


def test_a_worker_waits_until_the_hold_is_released() -> None:
    gate = ForegroundGate()
    gate.hold(seconds=10)
    done, _ = waited_in_worker(gate)
    assert not done.wait(0.2)  # still held
    assert gate.held
    gate.release()
    assert done.wait(5)
    assert not gate.held


def test_a_hold_that_is_never_released_runs_out() -> None:
    gate = ForegroundGate()
    gate.hold(seconds=0.2)
    done, started = waited_in_worker(gate)
    assert done.wait(5)
    assert started[1] - started[0] < 2.0  # not the 5 s a missing release could otherwise cost
    assert not gate.held


def test_nothing_waits_when_nothing_is_held() -> None:
    gate = ForegroundGate()
    done, _ = waited_in_worker(gate)
    assert done.wait(1)


def test_the_ui_thread_itself_never_waits() -> None:
    gate = ForegroundGate()
    gate.hold(seconds=10)
    started = time.monotonic()
    gate.wait_turn()  # pytest runs tests on the main thread: the code the UI runs must not block on its own hold
    assert time.monotonic() - started < 1.0
    gate.release()


def test_holds_closer_together_than_the_interval_are_ignored() -> None:
    gate = ForegroundGate()
    gate.hold(seconds=10)
    gate.release()
    gate.hold(seconds=10)  # a second keypress right away: the workers get their turn regardless
    assert not gate.held
    done, _ = waited_in_worker(gate)
    assert done.wait(1)

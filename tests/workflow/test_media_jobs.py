"""MediaJobs: results arrive on the UI thread; a replaced or cancelled job's answer is dropped."""

from __future__ import annotations

import threading
import time

from moderator_app.workflow.media_jobs import MediaJobs


def test_results_come_back_on_the_owning_thread_and_stale_ones_are_dropped(qtbot) -> None:
    jobs = MediaJobs()
    got: list[tuple[str, bool]] = []
    on_ui = threading.current_thread()

    def slow(value: str, delay: float) -> str:
        time.sleep(delay)
        return value

    jobs.submit("full", slow, "old", 0.2, on_done=lambda v: got.append((v, threading.current_thread() is on_ui)))
    jobs.submit("full", slow, "new", 0.0, on_done=lambda v: got.append((v, threading.current_thread() is on_ui)))
    jobs.submit("gone", slow, "cancelled", 0.0, on_done=lambda v: got.append((v, True)))
    jobs.cancel("gone")
    qtbot.waitUntil(lambda: jobs.pending == 0, timeout=3000)
    qtbot.wait(300)  # the old answer arrives meanwhile and is dropped
    assert got == [("new", True)]
    errors: list[BaseException] = []
    jobs.submit("bad", lambda: 1 / 0, on_done=got.append, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert isinstance(errors[0], ZeroDivisionError)
    jobs.close()
    jobs.deleteLater()


def test_an_answer_for_a_destroyed_owner_is_never_posted(qtbot) -> None:
    from PySide6.QtCore import QObject

    owner = QObject()
    jobs = MediaJobs(parent=owner)
    got: list[object] = []
    started = threading.Event()

    def slow() -> str:
        started.set()
        time.sleep(0.2)
        return "late"

    jobs.submit("k", slow, on_done=got.append)
    started.wait(2)
    gone = jobs._gone
    owner.deleteLater()
    qtbot.waitUntil(gone.is_set, timeout=2000)
    qtbot.wait(400)
    assert got == []

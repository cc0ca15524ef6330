"""A qasync event loop on pytest-qt's QApplication, for tests of code that spawns asyncio tasks.

qtbot.waitUntil runs the Qt event loop, and with it the asyncio loop. One loop serves the whole run: stopping a
qasync loop calls QApplication.exit(), after which pytest-qt's waits return at once, so it is never stopped. Each test
gets it with its own tasks cancelled at teardown.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtWidgets import QApplication

_LOOP_ATTRIBUTE = "_moderator_tests_qasync_loop"


def _shared_loop(app: QApplication) -> qasync.QEventLoop:
    # Kept on the application object: the loop lives exactly as long as the QApplication it drives.
    loop = getattr(app, _LOOP_ATTRIBUTE, None)
    if loop is None:
        loop = qasync.QEventLoop(app, already_running=True)
        setattr(app, _LOOP_ATTRIBUTE, loop)
    return loop


@pytest.fixture
def qloop(qapp: QApplication, qtbot: object) -> Iterator[qasync.QEventLoop]:
    loop = _shared_loop(qapp)
    asyncio.set_event_loop(loop)
    before = asyncio.all_tasks(loop)
    yield loop
    leftovers = [task for task in asyncio.all_tasks(loop) if task not in before and not task.done()]
    for task in leftovers:
        task.cancel()
    if leftovers:
        # Let the cancellations run, so no task outlives its test's objects.
        deadline = 100
        while deadline and not all(task.done() for task in leftovers):
            qapp.processEvents()
            deadline -= 1
    # QObjects of this test caught in reference cycles must die now, on this thread: left to a later collection,
    # the collector may run on a worker thread, and a QTimer destroyed there crashes the process.
    gc.collect()

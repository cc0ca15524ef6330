"""A headless review session for the kill test (test_kill.py), run as a child process the test SIGKILLs:

    python -m tests.workflow.kill_child SERVER_URL OUTBOX_FILE QUEUE_ID COUNT SEED

It signs in as alice, opens the outbox (resuming what an earlier, killed run left), opens the queue and decides up to
COUNT items in a burst, printing "decided <item id>" for each one only after decide() returned, that is after the
outbox commit: a printed line is a key the moderator pressed. COUNT 0 only sends what the outbox holds. When nothing is
left to send it prints "drained" and exits 0.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import asyncio
import random
import time

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication

ACTIONS = ("no_violation", "ban_channel", "remove_post")


async def run(url: str, outbox_path: str, queue_id: int, count: int, rng: random.Random) -> int:
    from moderator_app.client.api import ApiClient
    from moderator_app.client.outbox import Outbox
    from moderator_app.client.sender import OutboxSender
    from moderator_app.core.models import ItemKind
    from moderator_app.core.policy import Action
    from moderator_app.workflow.review import ReviewSession
    from moderator_app.workflow.tasks import BackgroundRunner

    api = ApiClient(url)
    api.login("alice", "pw-alice")
    outbox = Outbox(outbox_path)
    runner = BackgroundRunner()
    sender = OutboxSender(outbox, api, base_delay=0.05, max_delay=0.5)
    session = ReviewSession(
        api,
        outbox,
        sender,
        runner,
        prefetch=3,
        undo_seconds=0.15,  # some kills land inside the undo window, some mid-send
        display_size=QSize(64, 48),
        min_dwell_ms=0,
        send_interval_ms=20,
        maintenance_ms=200,
    )
    session.start_sending()
    decided = 0
    if count:
        session.open_queue(queue_id)
    deadline = time.monotonic() + 60
    while decided < count and time.monotonic() < deadline:
        current = session.current
        if current is None:
            if not session.loading and session.queue is not None:
                break  # the queue is empty
            await asyncio.sleep(0.005)
            continue
        action = Action(rng.choice(ACTIONS))
        if action is Action.REMOVE_POST and current.item.kind is ItemKind.CHANNEL:
            action = Action.NO_VIOLATION
        entry = session.decide(action)
        if entry is not None:
            print(f"decided {entry.item_id}", flush=True)
            decided += 1
        await asyncio.sleep(rng.uniform(0.01, 0.05))  # a fast moderator
    while time.monotonic() < deadline and (outbox.pending_count() or session.pump.busy):
        await asyncio.sleep(0.02)
    print("drained", flush=True)
    await session.aclose(2.0)
    runner.shutdown()
    outbox.close()
    return 0


def main() -> int:
    url, outbox_path, queue_id, count, seed = sys.argv[1:6]
    app = QGuiApplication(sys.argv[:1])
    import qasync  # after PySide6

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(run(url, outbox_path, int(queue_id), int(count), random.Random(int(seed))))


if __name__ == "__main__":
    sys.exit(main())

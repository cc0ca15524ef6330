"""A short review session in a child process (run by test_memory_only.py with HOME, the XDG folders and TMPDIR
pointing at a temporary folder): sign in, open the busiest queue, reveal and zoom (full-resolution decode), play a
video, decide a few items, change a setting, quit. Prints the ids of the media it prepared (ids only) as JSON on the
last line.

Usage: python -m tests.ui.memory_child SERVER_URL ITEMS
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


async def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the session did not get there in time")
        await asyncio.sleep(0.02)


async def session(url: str, items: int) -> list[int]:
    from moderator_app.app import create_main_window
    from moderator_app.client.api import ApiClient
    from moderator_app.client.outbox import Outbox
    from moderator_app.paths import default_config_dir, default_data_dir, outbox_file
    from moderator_app.workflow.queues import busiest_queue
    from moderator_app.workflow.signin import Connection
    from moderator_app.workflow.tasks import BackgroundRunner

    api = ApiClient(url)
    api.login("alice", "pw-alice")
    connection = Connection(api=api, user=api.me(), server_url=url)
    runner = BackgroundRunner()
    path = outbox_file(default_data_dir(), url, "alice")
    path.parent.mkdir(parents=True, exist_ok=True)
    outbox = Outbox(path)
    window = create_main_window(connection, runner, outbox, undo_seconds=0.0, config_dir=default_config_dir())
    window.show()
    window.session.start_sending()
    target = busiest_queue(await window.board.load())
    assert target is not None
    window.open_queue(target.id)
    seen: set[int] = set()
    commands = window.commands
    for _ in range(items):
        await wait_until(lambda: window.session.can_decide)
        current = window.session.current
        assert current is not None
        seen.update(m.media_id for m in current.media)
        seen.update(current.thumbnails)
        await wait_until(lambda shown=current: window.review.review_item is shown)
        video = window.review.media_view.video()
        if video is not None and current.media[0].revealable:
            commands.run("reveal.toggle")
            commands.run("video.play")  # QtMultimedia plays from memory: it must not spill to a file either
            await wait_until(lambda v=video: v.position_ms > 300)
            commands.run("reveal.toggle")
        elif current.media and current.media[0].revealable:
            commands.run("reveal.toggle")
            for _ in range(4):
                commands.run("reveal.zoom_in")
            await asyncio.sleep(0.3)  # the full-resolution decode runs meanwhile
            commands.run("reveal.toggle")
        commands.run("decide.keep" if current.item.kind.value == "post" else "review.skip")
        await wait_until(lambda shown=current: window.session.current is not shown)
    await wait_until(lambda: window.session.status.pending == 0)
    # Settings files are written too: they must hold settings, never content.
    window.extras.state.set_user_overrides({"mute": False})
    window.review.main_splitter.setSizes([600, 600])
    window.review.main_splitter.splitterMoved.emit(600, 1)
    await asyncio.sleep(0.6)
    window.hide()
    await window.session.aclose(2.0)
    window.session.pump.stop()
    outbox.close()
    api.close()
    runner.shutdown()
    window.deleteLater()
    return sorted(seen)


def main() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setOrganizationName("ModeratorApp")
    app.setApplicationName("moderator-app")
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        seen = loop.run_until_complete(session(sys.argv[1], int(sys.argv[2])))
    finally:
        loop.close()
    print(json.dumps(seen), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

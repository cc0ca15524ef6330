"""A ReviewSession on the seeded server, for the workflow tests: fast timers, small display size, no undo window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from moderator_app.client.api import ApiClient
from moderator_app.client.outbox import Outbox
from moderator_app.client.sender import OutboxSender
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.workflow.review import ReviewSession
from moderator_app.workflow.tasks import BackgroundRunner
from tests.workflow.dataset import gather_in_queue

WAIT = 10_000  # ms; generous for a 2-core machine, the waits end as soon as the condition holds


def signed_in(server: EmbeddedServer, user: str) -> ApiClient:
    api = ApiClient(server.url)
    api.login(user, f"pw-{user}")
    return api


@pytest.fixture
def make_session(
    qloop: object, seeded_server: EmbeddedServer, tmp_path: Path
) -> Iterator[Callable[..., ReviewSession]]:
    made: list[tuple[ReviewSession, BackgroundRunner, Outbox, ApiClient]] = []

    def make(user: str = "alice", **options: object) -> ReviewSession:
        api = signed_in(seeded_server, user)
        outbox = Outbox(tmp_path / f"{user}-outbox-{len(made)}.sqlite3")
        runner = BackgroundRunner()
        settings: dict[str, object] = {
            "undo_seconds": 0.0,
            "min_dwell_ms": 0,
            "display_size": QSize(320, 240),
            "send_interval_ms": 50,
        }
        settings.update(options)
        sender = OutboxSender(outbox, api, base_delay=0.05)
        session = ReviewSession(api, outbox, sender, runner, **settings)  # type: ignore[arg-type]
        made.append((session, runner, outbox, api))
        return session

    yield make
    for session, runner, outbox, api in made:
        session.pump.stop()
        runner.shutdown(wait=True)
        outbox.close()
        api.close()


def open_spam(qtbot, session: ReviewSession, server: EmbeddedServer) -> int:
    queue_id = gather_in_queue(server.engine, "spam")
    session.start_sending()
    session.open_queue(queue_id)
    qtbot.waitUntil(lambda: session.current is not None, timeout=WAIT)
    return queue_id

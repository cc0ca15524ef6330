"""The server goes away mid-session: the moderator keeps deciding what is prepared, the status says offline, and
when the server is back (same database, same port) every decision arrives once. Nothing lost, nothing doubled."""

from __future__ import annotations

from collections.abc import Callable

from moderator_app.core.policy import Action
from moderator_app.server.embedded import EmbeddedServer
from tests.workflow.dataset import decision_counts
from tests.workflow.sessions import WAIT, make_session, open_spam

__all__ = ["make_session"]  # the fixture, shared


def test_outage_keeps_working_from_the_prefetch_and_sends_everything_once_after(
    qtbot,
    make_session,
    seeded_server: EmbeddedServer,
    seeded_db_url: str,
    server_factory: Callable[..., EmbeddedServer],
) -> None:
    session = make_session(prefetch=5, undo_seconds=0.0, probe_interval_ms=150, maintenance_ms=200)
    open_spam(qtbot, session, seeded_server)
    qtbot.waitUntil(lambda: session.prepared_count == 5, timeout=WAIT)
    online_changes: list[bool] = []
    session.online_changed.connect(online_changes.append)

    decided = [session.current.id]
    session.decide(Action.NO_VIOLATION)
    qtbot.waitUntil(lambda: session.status.sent_total == 1 and session.prepared_count == 5, timeout=WAIT)

    port = seeded_server.port
    seeded_server.stop()
    actions = [Action.REMOVE_POST, Action.NO_VIOLATION, Action.BAN_CHANNEL]
    while session.current is not None:  # everything prepared before the outage, decided during it
        current = session.current
        action = actions[len(decided) % 3]
        if action is Action.REMOVE_POST and current.item.kind.value == "channel":
            action = Action.NO_VIOLATION
        assert session.decide(action) is not None
        decided.append(current.id)
    offline = len(decided) - 1
    assert offline == 6  # the shown item and the five prepared behind it
    qtbot.waitUntil(lambda: session.status.offline, timeout=WAIT)
    assert online_changes == [False]
    qtbot.waitUntil(lambda: session.status.pending == offline, timeout=WAIT)
    assert decision_counts(seeded_server.engine, "alice") == {decided[0]: 1}

    server_factory(db_url=seeded_db_url, port=port)  # back, on the same database and address
    qtbot.waitUntil(lambda: session.status.pending == 0 and not session.status.offline, timeout=WAIT)
    assert online_changes == [False, True]
    assert session.status.sent_total == len(decided)
    assert decision_counts(seeded_server.engine, "alice") == dict.fromkeys(decided, 1)
    # And the session claims new work again.
    qtbot.waitUntil(lambda: session.current is not None, timeout=WAIT)
    assert session.current.id not in decided

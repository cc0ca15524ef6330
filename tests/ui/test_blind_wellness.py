"""The QA reviewer is looked after like a moderator: on the blind review, revealed media counts as exposure, follows
the wellness settings, and the panic key covers it."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt

from moderator_app.core.models import DecisionRequest, SamplingConfig
from moderator_app.core.policy import Action
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.workflow.qa import QaPhase
from tests.ui.team_host import CTRL, WAIT, open_window, press, runner, signed_in, team_of

__all__ = ["open_window", "runner"]


def _alice_keeps_an_item_with_media(server: EmbeddedServer) -> int:
    alice = signed_in(server, "alice")
    for queue in sorted(alice.queues(), key=lambda q: -q.pending):
        for claimed in alice.claim(queue.id, count=10).items:
            if claimed.item.post is not None and claimed.item.post.media:
                decision = DecisionRequest(action=Action.NO_VIOLATION)
                alice.decide(claimed.item.id, decision, uuid.uuid4().hex)
                return claimed.item.id
            alice.release(claimed.item.id)
    raise AssertionError("the seeded data has no post with media")


def test_blind_review_media_counts_as_exposure_and_the_panic_key_covers_it(qtbot, open_window, seeded_server) -> None:
    team_of(seeded_server, "lena").set_sampling(SamplingConfig(default_rate=1.0))
    item_id = _alice_keeps_an_item_with_media(seeded_server)
    quinn = open_window(seeded_server, "quinn")
    press(qtbot, Qt.Key.Key_3, CTRL)
    session = quinn.roles.parts["qa_session"]
    screen = quinn.roles.parts["blind_review"]
    qtbot.waitUntil(lambda: session.phase is QaPhase.DECIDING, timeout=WAIT)
    assert session.current.blind.item.id == item_id
    qtbot.waitUntil(lambda: screen.media_view.media_count > 0, timeout=WAIT)
    tracker = quinn.extras.tracker
    settings = quinn.extras.state.settings
    assert screen.media_view.reveal.timeout_seconds == settings.reveal_timeout_seconds

    assert not screen.media_view.revealed and not tracker.revealed
    press(qtbot, Qt.Key.Key_V)
    assert screen.media_view.revealed and tracker.revealed  # the reviewer's exposure clock runs
    qtbot.wait(250)
    press(qtbot, Qt.Key.Key_V)
    assert not tracker.revealed
    assert tracker.session_seconds >= 0.2

    press(qtbot, Qt.Key.Key_V)
    assert screen.media_view.revealed
    press(qtbot, Qt.Key.Key_F12)  # panic: everything covered at once
    assert not screen.media_view.revealed and not tracker.revealed

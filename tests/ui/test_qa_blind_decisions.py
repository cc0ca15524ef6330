"""The blind review against a real server, keys only: the deadline line describes the item as it stood when the
moderator decided it (not from now, and naming nothing of the decision), and B and G ask for the ban scope and the
countries with the moderator's own dialogs, store what was chosen with the QA review, and decide nothing on Esc.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy.orm import Session

from moderator_app.core.models import BanScope, DecisionRequest, Item, SamplingConfig
from moderator_app.core.policy import Action
from moderator_app.server.db import make_engine
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.tables import QaSampleRow
from moderator_app.ui.decision_dialogs import BanDialog, GeoRestrictDialog
from moderator_app.ui.qa.blind_review import BlindReviewScreen
from moderator_app.ui.review_panes import DUE_STYLE, OVERDUE_STYLE
from moderator_app.ui.text import duration_text
from moderator_app.workflow.qa import QaPhase
from tests.conftest import MovableClock
from tests.ui.keys import wait_for_dialog, wait_for_window
from tests.ui.samples import save_screenshot
from tests.ui.team_host import CTRL, WAIT, open_window, press, runner, signed_in, team_of, type_text

__all__ = ["open_window", "runner"]


def _decide(server: EmbeddedServer, item: Item) -> None:
    """alice keeps the item (signed in afresh: the server's clock may have moved past her last token)."""
    alice = signed_in(server, "alice")
    alice.decide(item.id, DecisionRequest(action=Action.NO_VIOLATION), uuid.uuid4().hex)


def _alice_keeps_one(server: EmbeddedServer) -> Item:
    team_of(server, "lena").set_sampling(SamplingConfig(default_rate=1.0))
    alice = signed_in(server, "alice")
    queue = max(alice.queues(), key=lambda q: q.pending)
    item = alice.claim(queue.id, count=1).items[0].item
    _decide(server, item)
    return item


def _open_blind_review(qtbot, open_window, server: EmbeddedServer):  # type: ignore[no-untyped-def]
    quinn = open_window(server, "quinn")
    press(qtbot, Qt.Key.Key_3, CTRL)
    session = quinn.roles.parts["qa_session"]
    screen: BlindReviewScreen = quinn.roles.parts["blind_review"]
    qtbot.waitUntil(lambda: session.phase is QaPhase.DECIDING, timeout=WAIT)
    return quinn, session, screen


def _stored(db_url: str, sample_id: int) -> QaSampleRow:
    engine = make_engine(db_url)
    try:
        with Session(engine) as db:
            row = db.get(QaSampleRow, sample_id)
            assert row is not None
            db.expunge(row)
            return row
    finally:
        engine.dispose()


def _shown_texts(screen: BlindReviewScreen) -> str:
    """Every label and history row the screen shows (the channel's earlier decisions by others included)."""
    labels = [label.text() for label in screen.findChildren(QLabel) if label.isVisible()]
    tree = screen.details.history.tree
    rows = [tree.topLevelItem(n) for n in range(tree.topLevelItemCount())]
    cells = [row.text(column) for row in rows if row is not None for column in range(tree.columnCount())]
    return "\n".join(labels + cells)


def test_the_deadline_line_is_the_one_the_moderator_faced_when_deciding(
    qtbot, open_window, server_factory, seeded_db_url
) -> None:
    clock = MovableClock()
    server = server_factory(db_url=seeded_db_url, clock=clock)
    team_of(server, "lena").set_sampling(SamplingConfig(default_rate=1.0))
    alice = signed_in(server, "alice")
    queue = max(alice.queues(), key=lambda q: q.pending)
    claimed = [entry.item for entry in alice.claim(queue.id, count=10).items]
    # Two items of different channels, so neither's channel history shows the other's decision.
    late = claimed[0]
    timely = next(item for item in claimed if item.channel.id != late.channel.id)

    clock.current = late.deadline + timedelta(hours=1)  # alice decided an hour after its deadline
    _decide(server, late)
    service_level = timely.deadline - timely.flagged_at
    clock.current = timely.flagged_at + service_level / 2  # and this one with half its service level left
    _decide(server, timely)
    clock.current = max(late.deadline + timedelta(hours=1), clock.current) + timedelta(days=2)  # QA comes later
    expected = {
        late.id: ("was overdue by 1 h when decided", OVERDUE_STYLE),
        timely.id: (f"was due in {duration_text(service_level / 2)} when decided", DUE_STYLE),
    }

    quinn, session, screen = _open_blind_review(qtbot, open_window, server)
    seen: list[int] = []
    for _sample in range(2):
        item_id = session.current.blind.item.id
        assert item_id in expected and item_id not in seen
        text, style = expected[item_id]
        assert screen.header.deadline_label.text() == f"{text}\nitem #{item_id}"
        assert style in screen.header.deadline_label.styleSheet()
        assert screen.outcome_label.isHidden() and "alice" not in _shown_texts(screen).lower()  # nor who decided
        own_lines = f"{screen.header.deadline_label.text()}\n{screen.state_label.text()}".lower()
        for word in ("no_violation", "no violation", "keep", "kept"):  # nor what
            assert word not in own_lines, word
        save_screenshot(quinn, "qa_blind_review_deadline_" + ("overdue" if item_id == late.id else "in_time"))
        seen.append(item_id)
        press(qtbot, Qt.Key.Key_K)  # the reviewer's own decision, then the verdict, then the next sample
        qtbot.waitUntil(lambda: session.phase is QaPhase.VERDICT, timeout=WAIT)
        assert "alice decided: no_violation" in screen.outcome_label.text()  # shown only now
        press(qtbot, Qt.Key.Key_A)
        qtbot.waitUntil(lambda: session.phase is QaPhase.IDLE, timeout=WAIT)
        press(qtbot, Qt.Key.Key_N)
        qtbot.waitUntil(lambda: session.phase in (QaPhase.DECIDING, QaPhase.IDLE), timeout=WAIT)
        qtbot.waitUntil(lambda: session.phase is not QaPhase.LOADING, timeout=WAIT)
    assert sorted(seen) == sorted(expected)


def test_b_asks_for_the_ban_scope_and_the_server_stores_it(qtbot, open_window, seeded_server, seeded_db_url) -> None:
    _alice_keeps_one(seeded_server)
    quinn, session, screen = _open_blind_review(qtbot, open_window, seeded_server)
    sample_id = session.current.sample_id

    press(qtbot, Qt.Key.Key_B)
    assert isinstance(wait_for_dialog(qtbot), BanDialog)
    press(qtbot, Qt.Key.Key_Escape)  # cancelled: nothing is decided
    wait_for_window(qtbot, quinn)
    assert session.phase is QaPhase.DECIDING and screen.dialog is None
    row = _stored(seeded_db_url, sample_id)
    assert (row.status, row.review_action) == ("claimed", None)

    press(qtbot, Qt.Key.Key_B)
    dialog = wait_for_dialog(qtbot)
    assert isinstance(dialog, BanDialog)
    press(qtbot, Qt.Key.Key_2)  # the channel and all its posts
    assert dialog.scope is BanScope.CHANNEL_AND_POSTS
    save_screenshot(dialog, "qa_blind_ban_dialog")
    reason = dialog.chosen_reason
    press(qtbot, Qt.Key.Key_Return)
    wait_for_window(qtbot, quinn)
    qtbot.waitUntil(lambda: session.phase is QaPhase.VERDICT, timeout=WAIT)
    assert session.outcome.review.ban_scope is BanScope.CHANNEL_AND_POSTS
    assert "channel and all its posts" in screen.outcome_label.text()
    row = _stored(seeded_db_url, sample_id)
    assert (row.status, row.review_action, row.review_reason) == ("reviewed", "ban_channel", reason.value)
    assert (row.review_ban_scope, row.review_territorial_scope) == ("channel_and_posts", None)


def test_g_asks_for_the_countries_and_the_server_stores_them(qtbot, open_window, seeded_server, seeded_db_url) -> None:
    item = _alice_keeps_one(seeded_server)
    quinn, session, screen = _open_blind_review(qtbot, open_window, seeded_server)
    sample_id = session.current.sample_id
    assert session.current.blind.item.id == item.id

    press(qtbot, Qt.Key.Key_G)
    dialog = wait_for_dialog(qtbot)
    assert isinstance(dialog, GeoRestrictDialog)
    type_text(qtbot, "fr ")  # ticks France, then cancel: nothing is decided
    assert dialog.territories == ["FR"]
    press(qtbot, Qt.Key.Key_Escape)
    wait_for_window(qtbot, quinn)
    assert session.phase is QaPhase.DECIDING and screen.dialog is None
    assert _stored(seeded_db_url, sample_id).review_action is None

    press(qtbot, Qt.Key.Key_G)
    dialog = wait_for_dialog(qtbot)
    assert isinstance(dialog, GeoRestrictDialog) and dialog.territories == []  # a new dialog, nothing ticked
    type_text(qtbot, "fr ")  # ticks France
    for _ in range(2):
        press(qtbot, Qt.Key.Key_Backspace)
    type_text(qtbot, "germ ")  # ticks Germany
    assert dialog.territories == ["DE", "FR"]
    action, reason = dialog.action, dialog.chosen_reason
    assert action is (Action.RESTRICT_POST if item.post is not None else Action.RESTRICT_CHANNEL)
    save_screenshot(dialog, "qa_blind_geo_dialog")
    press(qtbot, Qt.Key.Key_Return)
    wait_for_window(qtbot, quinn)
    qtbot.waitUntil(lambda: session.phase is QaPhase.VERDICT, timeout=WAIT)
    assert session.outcome.review.territorial_scope == ["DE", "FR"]
    row = _stored(seeded_db_url, sample_id)
    assert (row.status, row.review_action, row.review_reason) == ("reviewed", action.value, reason.value)
    assert (row.review_territorial_scope, row.review_ban_scope) == (["DE", "FR"], None)

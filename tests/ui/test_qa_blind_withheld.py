"""Keys only, against a real server: a QA reviewer who took an appeal is not handed the sample of its decision (it
goes to another reviewer); one who holds both anyway (a race, tests/qa_holds.py) stops seeing the decision on the
appeals screen (and cannot decide the appeal) until their review is recorded; after the review, the outcome says in
words where the two decisions differ, the countries included.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt

from moderator_app.core.models import (
    AppealRequest,
    Decision,
    DecisionRequest,
    QaReviewRequest,
    SamplingConfig,
)
from moderator_app.core.policy import Action
from moderator_app.core.roles import Role
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.security import TEST_SCRYPT
from moderator_app.server.users import create_user
from moderator_app.ui.decision_dialogs import GeoRestrictDialog
from moderator_app.ui.roles import APPEALS, QA
from moderator_app.workflow.items import default_reason
from moderator_app.workflow.qa import QaPhase
from tests.qa_holds import hold_sample
from tests.ui.keys import wait_for_dialog, wait_for_window
from tests.ui.samples import save_screenshot
from tests.ui.team_host import CTRL, WAIT, open_window, press, runner, signed_in, team_of, type_text

__all__ = ["open_window", "runner"]

WITHHELD = "reviewing blind"  # in the server's sentence that replaces the appeal's text


def _appealed_decision(server: EmbeddedServer) -> tuple[Decision, int]:
    """alice removes a post (sampled: every decision is), and ada files an appeal against it."""
    team_of(server, "lena").set_sampling(SamplingConfig(default_rate=1.0))
    alice = signed_in(server, "alice")
    queue = max(alice.queues(), key=lambda q: q.pending)
    item = alice.claim(queue.id, count=1).items[0].item
    request = DecisionRequest(action=Action.LABEL_SENSITIVE, reason=queue.default_reason)
    decision = alice.decide(item.id, request, uuid.uuid4().hex)
    appeal = team_of(server, "ada").file_appeal(
        AppealRequest(decision_id=decision.id, statement="It was a news photo.", contact_ref="ticket-9")
    )
    return decision, appeal.id


def _take_the_appeal(qtbot, quinn):  # type: ignore[no-untyped-def]
    press(qtbot, Qt.Key.Key_4, CTRL)
    assert quinn.roles.current == APPEALS
    screen = quinn.roles.parts["appeals"]
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=WAIT)
    press(qtbot, Qt.Key.Key_C)
    qtbot.waitUntil(screen.claim_label.isVisible, timeout=WAIT)
    assert "label_sensitive" in screen.claim_label.text()  # before the sample, the appeal shows its decision
    return screen


def test_a_reviewer_who_took_an_appeal_is_not_handed_its_decision_to_review(qtbot, open_window, seeded_server) -> None:
    decision, _appeal_id = _appealed_decision(seeded_server)
    quinn = open_window(seeded_server, "quinn")
    screen = _take_the_appeal(qtbot, quinn)

    press(qtbot, Qt.Key.Key_3, CTRL)  # the blind review claims a sample: not the one of the appealed decision
    assert quinn.roles.current == QA
    session = quinn.roles.parts["qa_session"]
    review = quinn.roles.parts["blind_review"]
    assert session.phase is QaPhase.LOADING
    qtbot.waitUntil(lambda: session.phase is QaPhase.IDLE, timeout=WAIT)
    assert session.current is None and review.error_label.isHidden()
    assert review.empty_label.isVisible() and "waiting for you" in review.empty_label.text()
    save_screenshot(quinn, "qa_blind_review_nothing_unseen")

    press(qtbot, Qt.Key.Key_4, CTRL)  # the appeal is quinn's as before, its decision in full
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=WAIT)
    assert "label_sensitive" in screen.claim_label.text() and WITHHELD not in screen.claim_label.text()
    # Another reviewer gets the sample (not ada: filing the appeal showed her the decision).
    create_user(seeded_server.engine, "quincy", "pw-quincy", [Role.QA], "Quincy", kdf=TEST_SCRYPT)
    (sample,) = team_of(seeded_server, "quincy").qa_claim(1).samples
    assert sample.item.id == decision.item_id and sample.item.decision is None


def test_deciding_a_held_appeal_under_blind_review_is_refused_until_the_review(
    qtbot, open_window, seeded_server
) -> None:
    decision, appeal_id = _appealed_decision(seeded_server)
    quinn = open_window(seeded_server, "quinn")
    screen = _take_the_appeal(qtbot, quinn)
    qa = team_of(seeded_server, "quinn")
    assert qa.qa_claim(1).samples == []  # not quinn's to review, but a QA claim racing the appeal claim takes it
    sample_id = hold_sample(seeded_server.engine, decision.id, "quinn")

    press(qtbot, Qt.Key.Key_V)  # reverse: type the note, Return sends
    type_text(qtbot, "A news photo.")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: WITHHELD in screen.claim_label.text(), timeout=WAIT)
    assert "label_sensitive" not in screen.claim_label.text()
    lead = team_of(seeded_server, "lena")
    held = lead.appeal(appeal_id)
    assert (held.status.value, held.claimed_by, held.outcome) == ("claimed", "quinn", None)  # nothing was decided
    # The list is reloaded at once (no F5): the appeal, and its decision, are gone from it.
    qtbot.waitUntil(lambda: screen.table.rowCount() == 0, timeout=WAIT)
    assert "label_sensitive" not in screen.claim_label.text() and quinn.roles.parts["appeals_board"].claim is None
    save_screenshot(quinn, "appeals_withheld_during_blind_review")

    qa.qa_review(sample_id, QaReviewRequest(action=Action.NO_VIOLATION))
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=WAIT)
    press(qtbot, Qt.Key.Key_C)  # the review is recorded: the appeal is quinn's to decide again
    qtbot.waitUntil(lambda: "label_sensitive" in screen.claim_label.text(), timeout=WAIT)
    press(qtbot, Qt.Key.Key_V)
    type_text(qtbot, "A news photo.")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "reversed" in screen.claim_label.text(), timeout=WAIT)
    assert lead.appeal(appeal_id).outcome is not None


def test_the_outcome_names_other_countries_and_suggests_disagreeing(qtbot, open_window, seeded_server) -> None:
    team_of(seeded_server, "lena").set_sampling(SamplingConfig(default_rate=1.0))
    alice = signed_in(seeded_server, "alice")
    queue = max(alice.queues(), key=lambda q: q.pending)
    item = alice.claim(queue.id, count=1).items[0].item
    action = Action.RESTRICT_POST if item.post is not None else Action.RESTRICT_CHANNEL
    reason = default_reason(item, queue)  # what the reviewer's G dialog proposes too
    alice.decide(item.id, DecisionRequest(action=action, reason=reason, territorial_scope=["FR"]), uuid.uuid4().hex)

    quinn = open_window(seeded_server, "quinn")
    press(qtbot, Qt.Key.Key_3, CTRL)
    session = quinn.roles.parts["qa_session"]
    screen = quinn.roles.parts["blind_review"]
    qtbot.waitUntil(lambda: session.phase is QaPhase.DECIDING, timeout=WAIT)
    press(qtbot, Qt.Key.Key_G)
    dialog = wait_for_dialog(qtbot)
    assert isinstance(dialog, GeoRestrictDialog)
    type_text(qtbot, "fr ")  # ticks France
    for _ in range(2):
        press(qtbot, Qt.Key.Key_Backspace)
    type_text(qtbot, "germ ")  # and Germany
    assert dialog.territories == ["DE", "FR"]
    assert (dialog.action, dialog.chosen_reason) == (action, reason)
    press(qtbot, Qt.Key.Key_Return)
    wait_for_window(qtbot, quinn)
    qtbot.waitUntil(lambda: session.phase is QaPhase.VERDICT, timeout=WAIT)

    assert not session.outcome.agree and not session.outcome.same_scope
    text = screen.outcome_label.text()
    assert "Same action and reason, different countries: DE, FR (yours) vs FR (the moderator's)." in text
    assert "You DISAGREE with the original decision." in text
    save_screenshot(quinn, "qa_blind_review_other_countries")

"""QA and appeals driven by keys against a real server: a blind second review that disagrees, the lead overturns it
and the decision is reverted on the server; agreement figures exported as CSV; an appeal refused to the moderator
who made the decision shows the server's message.
"""

from __future__ import annotations

import csv
import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import Forbidden
from moderator_app.core.models import AppealRequest, Decision, DecisionRequest, SamplingConfig
from moderator_app.core.policy import Action
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.ui.roles import APPEALS, QA
from moderator_app.workflow.decisions import DecisionChoice
from moderator_app.workflow.qa import QaPhase
from tests.ui.samples import save_screenshot
from tests.ui.team_host import ALT, CTRL, WAIT, open_window, press, runner, signed_in, team_of, type_text

__all__ = ["open_window", "runner"]


def _alice_decides(server: EmbeddedServer, action: Action = Action.NO_VIOLATION) -> Decision:
    alice: ApiClient = signed_in(server, "alice")
    queue = max(alice.queues(), key=lambda q: q.pending)
    claimed = alice.claim(queue.id, count=1).items[0]
    reason = queue.default_reason if action.needs_reason else None
    return alice.decide(claimed.item.id, DecisionRequest(action=action, reason=reason), uuid.uuid4().hex)


def _slot_key(window, screen, action: Action) -> tuple[Qt.Key, DecisionChoice]:
    """The digit key the moderator's keymap binds to the sampled queue's slot for this action."""
    slot, choice = next((s, c) for s, c in sorted(screen.choices.items()) if c.action is action)
    keys = [key for mode, key in window.commands.keymap.keys_for(f"decide.slot{slot}") if mode == "review"]
    return Qt.Key(QKeySequence(keys[0])[0].key()), choice


def test_blind_review_disagrees_and_the_lead_overturns_the_decision(
    qtbot, open_window, seeded_server, tmp_path
) -> None:
    team_of(seeded_server, "lena").set_sampling(SamplingConfig(default_rate=1.0))
    decision = _alice_decides(seeded_server, Action.NO_VIOLATION)

    quinn = open_window(seeded_server, "quinn")
    press(qtbot, Qt.Key.Key_3, CTRL)
    assert quinn.roles.current == QA
    session = quinn.roles.parts["qa_session"]
    screen = quinn.roles.parts["blind_review"]
    qtbot.waitUntil(lambda: session.phase is QaPhase.DECIDING, timeout=WAIT)
    assert session.current.blind.item.id == decision.item_id
    assert screen.outcome_label.isHidden()  # blind: the original decision is not shown yet
    assert not screen.media_view.revealed  # blurred by default
    # The moderator's keys: the sampled queue's decision set on 1..9, named keys and reveal keys from the keymap.
    key, choice = _slot_key(quinn, screen, Action.BAN_CHANNEL)
    assert f"{QKeySequence(key).toString()} {choice.title}" in screen.legend_label.text()
    assert "K Keep" in screen.hint_label.text() and "V reveal" in screen.hint_label.text()
    assert all(screen.keys.is_live(k) for k in ("1", "K", "R", "V", "N"))
    assert not screen.keys.is_live("A")  # agree waits for the own decision
    save_screenshot(quinn, "qa_blind_review")

    press(qtbot, key)  # the QA reviewer would ban the channel (the queue's ban key); alice kept it
    qtbot.waitUntil(lambda: session.phase is QaPhase.VERDICT, timeout=WAIT)
    assert not session.outcome.agree
    assert (session.outcome.review.action, session.outcome.review.reason) == (choice.action, choice.reason)
    assert "alice decided: no_violation" in screen.outcome_label.text()
    assert screen.keys.is_live("A") and not screen.keys.is_live("K")  # deciding is over
    save_screenshot(quinn, "qa_blind_review_outcome")
    press(qtbot, Qt.Key.Key_D)
    assert QApplication.focusWidget() is screen.reason_edit
    reason = "A channel that sells counterfeit goods: 1 keep? no, 2 and K are letters here."
    type_text(qtbot, reason)
    assert screen.reason_edit.text() == reason  # no key of the screen fired while typing the reason
    assert session.phase is QaPhase.VERDICT and not screen.keys.is_live("A") and not screen.keys.is_live("V")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.phase is QaPhase.IDLE and session.current is None, timeout=WAIT)

    # The agreement figures now count one disagreement; export them as CSV (the save dialog answers tmp_path).
    press(qtbot, Qt.Key.Key_G, ALT)  # the "A&greement" tab
    agreement = quinn.roles.parts["agreement"]
    qtbot.waitUntil(lambda: agreement.table.rowCount() >= 2, timeout=WAIT)
    assert agreement.table.item(0, 0).text() in ("Alice", "alice")
    assert agreement.table.item(0, 2).text() == "0"  # agreed
    save_screenshot(quinn, "qa_agreement")
    target = tmp_path / "agreement.csv"
    agreement.ask_path = lambda _suggested: str(target)
    agreement.table.setFocus()
    press(qtbot, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(agreement.banner.isVisible, timeout=WAIT)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows[0]["group"] == "alice" and rows[0]["reviewed"] == "1" and rows[0]["agreed"] == "0"
    assert rows[-1]["group"] == "all"  # the overall row

    lena = open_window(seeded_server, "lena")
    press(qtbot, Qt.Key.Key_2, CTRL)
    press(qtbot, Qt.Key.Key_P, ALT)  # the "Dis&putes" tab
    disputes = lena.roles.parts["disputes"]
    qtbot.waitUntil(lambda: disputes.table.rowCount() == 1, timeout=WAIT)
    disputes.table.setFocus()
    press(qtbot, Qt.Key.Key_O)
    assert QApplication.focusWidget() is disputes.note_edit
    type_text(qtbot, "QA is right: the channel sells counterfeits.")
    save_screenshot(lena, "lead_disputes")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "overturned" in disputes.banner.text(), timeout=WAIT)

    lead_api = signed_in(seeded_server, "lena")
    assert lead_api.item(decision.item_id).decision is None  # reverted: the item waits in its queue again
    reverts = lead_api.audit(item_id=decision.item_id, action="revert").entries
    assert [entry.actor for entry in reverts] == ["lena"]


def test_the_blind_review_follows_the_moderators_own_key_bindings(qtbot, open_window, seeded_server) -> None:
    team_of(seeded_server, "lena").set_sampling(SamplingConfig(default_rate=1.0))
    _alice_decides(seeded_server, Action.NO_VIOLATION)
    quinn = open_window(seeded_server, "quinn")
    press(qtbot, Qt.Key.Key_3, CTRL)
    session = quinn.roles.parts["qa_session"]
    screen = quinn.roles.parts["blind_review"]
    qtbot.waitUntil(lambda: session.phase is QaPhase.DECIDING, timeout=WAIT)
    # The user's override (Settings > Keys writes the same): keep moves from K to J, reveal from V to Y.
    keymap = quinn.commands.keymap.with_binding("review", "K", None).with_binding("review", "J", "decide.keep")
    quinn.commands.set_keymap(keymap.with_binding("review", "V", None).with_binding("review", "Y", "reveal.toggle"))
    assert "J Keep" in screen.hint_label.text() and "Y reveal" in screen.hint_label.text()
    assert "K Keep" not in screen.hint_label.text()

    press(qtbot, Qt.Key.Key_K)
    assert session.phase is QaPhase.DECIDING  # K means nothing now
    press(qtbot, Qt.Key.Key_E)  # the moderator's escalate key: no final decision, so it only says so
    assert session.phase is QaPhase.DECIDING and "escalating is not one" in screen.error_label.text()
    overlay = quinn.workflow_commands.overlay
    type_text(qtbot, "?")
    qtbot.waitUntil(overlay.isVisible, timeout=WAIT)
    rows = overlay.rows()
    assert set(rows) == {"global", "Blind review (QA)"}  # the review screen's and queue list's keys are not live here
    qa_rows = rows["Blind review (QA)"]
    assert ("J", "Keep") in qa_rows and ("Y", "Reveal or cover the selected media") in qa_rows
    assert ("A", "Agree with the original decision") in qa_rows and ("Space (hold)", "Peek at the media") in qa_rows
    assert not any(keys == "K" for keys, _title in qa_rows)
    save_screenshot(quinn, "qa_blind_review_keys")
    press(qtbot, Qt.Key.Key_Escape)  # closes the overlay only
    assert not overlay.isVisible() and session.phase is QaPhase.DECIDING

    press(qtbot, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: session.phase is QaPhase.VERDICT, timeout=WAIT)
    assert session.outcome.review.action is Action.NO_VIOLATION and session.outcome.agree
    press(qtbot, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: session.phase is QaPhase.IDLE, timeout=WAIT)
    assert screen.keys.is_live("N") and not screen.keys.is_live("J")


def test_an_appeal_refused_to_the_deciding_moderator_shows_the_server_message(
    qtbot, open_window, seeded_server
) -> None:
    decision = _alice_decides(seeded_server, Action.BAN_CHANNEL)
    team_of(seeded_server, "ada").file_appeal(
        AppealRequest(decision_id=decision.id, statement="My channel only sells stamps.", contact_ref="ticket-1")
    )
    try:
        team_of(seeded_server, "alice").claim_appeal(1)
    except Forbidden as refused:
        expected = refused.message
    else:
        raise AssertionError("the server let the deciding moderator take the appeal")

    alice = open_window(seeded_server, "alice")
    press(qtbot, Qt.Key.Key_4, CTRL)
    assert alice.roles.current == APPEALS
    screen = alice.roles.parts["appeals"]
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=WAIT)
    press(qtbot, Qt.Key.Key_C)
    qtbot.waitUntil(screen.error_label.isVisible, timeout=WAIT)
    assert screen.error_label.text() == expected
    save_screenshot(alice, "appeals_refused")

    # Someone else takes it and reverses the decision: the channel is restored.
    bob = open_window(seeded_server, "bob")
    press(qtbot, Qt.Key.Key_4, CTRL)
    screen = bob.roles.parts["appeals"]
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=WAIT)
    press(qtbot, Qt.Key.Key_C)
    qtbot.waitUntil(screen.claim_label.isVisible, timeout=WAIT)
    press(qtbot, Qt.Key.Key_V)
    type_text(qtbot, "Stamps are fine.")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "reversed" in screen.claim_label.text(), timeout=WAIT)
    in_force = signed_in(seeded_server, "lena").item(decision.item_id).decision
    assert in_force is not None and in_force.id != decision.id  # the ban is reverted: the channel is restored
    assert in_force.action is Action.NO_VIOLATION

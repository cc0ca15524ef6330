"""QA and appeals driven by keys against a real server: a blind second review that disagrees, the lead overturns it
and the decision is reverted on the server; agreement figures exported as CSV; an appeal refused to the moderator
who made the decision shows the server's message.
"""

from __future__ import annotations

import csv
import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import Forbidden
from moderator_app.core.models import AppealRequest, Decision, DecisionRequest, SamplingConfig
from moderator_app.core.policy import Action
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.ui.roles import APPEALS, QA
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
    save_screenshot(quinn, "qa_blind_review")

    press(qtbot, Qt.Key.Key_B)  # the QA reviewer would ban the channel; alice kept it
    qtbot.waitUntil(lambda: session.phase is QaPhase.VERDICT, timeout=WAIT)
    assert not session.outcome.agree
    assert "alice decided: no_violation" in screen.outcome_label.text()
    save_screenshot(quinn, "qa_blind_review_outcome")
    press(qtbot, Qt.Key.Key_D)
    assert QApplication.focusWidget() is screen.reason_edit
    type_text(qtbot, "The channel sells counterfeit goods.")
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

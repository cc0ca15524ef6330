"""ReviewSession against a real server: instant decisions through the outbox, skip, prefetch, undo, conflicts."""

from __future__ import annotations

import pytest

from moderator_app.client.api import ApiClient
from moderator_app.core.models import DecisionRequest, ItemKind, Queue
from moderator_app.core.policy import Action, EscalationTarget
from moderator_app.workflow.outbox_pump import ReviewStatus
from moderator_app.workflow.queues import busiest_queue
from moderator_app.workflow.review import ReviewSession
from tests.workflow.sessions import WAIT, make_session, signed_in

__all__ = ["make_session"]  # the fixture


def open_busiest(qtbot, session: ReviewSession, api: ApiClient) -> Queue:
    queue = busiest_queue(api.queues())
    assert queue is not None, "the seeded server has nothing pending"
    session.start_sending()
    session.open_queue(queue.id)
    qtbot.waitUntil(lambda: session.current is not None, timeout=WAIT)
    return queue


def test_decisions_are_instant_and_reach_the_server_once(qtbot, make_session, seeded_server) -> None:
    session = make_session()
    open_busiest(qtbot, session, signed_in(seeded_server, "alice"))
    decided: dict[int, Action] = {}
    for action in (Action.NO_VIOLATION, Action.BAN_CHANNEL, Action.ESCALATE):
        qtbot.waitUntil(lambda: session.can_decide, timeout=WAIT)
        item_id = session.current.id
        entry = session.decide(action)
        assert entry is not None and entry.item_id == item_id
        assert session.current is None or session.current.id != item_id  # moved on at once, no network waited for
        decided[item_id] = action
    qtbot.waitUntil(lambda: session.status.sent_total == 3 and session.status.pending == 0, timeout=WAIT)

    lead = signed_in(seeded_server, "lena")
    for item_id, action in decided.items():
        decision = lead.item(item_id).decision
        if action is Action.ESCALATE:
            assert decision is None or decision.action is Action.ESCALATE  # escalation moves the item on
        else:
            assert decision is not None and decision.action is action and decision.decided_by == "alice"
        audit = lead.audit(item_id=item_id, action="decision").entries
        assert len(audit) == 1, f"item {item_id} was decided {len(audit)} times"


def test_skip_releases_the_claim(qtbot, make_session, seeded_server) -> None:
    session = make_session(prefetch=2)
    api = signed_in(seeded_server, "alice")
    open_busiest(qtbot, session, api)
    skipped = session.current.id
    qtbot.waitUntil(lambda: session.can_decide, timeout=WAIT)
    assert session.skip()
    assert session.current is None or session.current.id != skipped
    qtbot.waitUntil(lambda: skipped not in {c.item_id for c in api.my_claims()}, timeout=WAIT)


def test_keeps_k_items_claimed_and_prepared(qtbot, make_session, seeded_server) -> None:
    session = make_session(prefetch=3)
    api = signed_in(seeded_server, "alice")
    queue = open_busiest(qtbot, session, api)
    assert queue.pending >= 5, "the test needs a queue with at least 5 items"
    qtbot.waitUntil(lambda: session.prepared_count == 3, timeout=WAIT)
    claimed = {c.item_id for c in api.my_claims()}
    assert claimed == set(session.held_item_ids())
    assert len(claimed) == 4  # the shown item and the next three
    session.decide(Action.NO_VIOLATION)
    qtbot.waitUntil(lambda: session.prepared_count == 3 or session.prepared_count == queue.pending - 2, timeout=WAIT)
    for review_item in [session.current]:
        assert review_item is not None
        if review_item.item.kind is ItemKind.POST and review_item.item.post and review_item.item.post.media:
            assert review_item.media and not review_item.media[0].covered.isNull()


def test_close_releases_prefetched_claims(qtbot, make_session, seeded_server) -> None:
    session = make_session(prefetch=3)
    api = signed_in(seeded_server, "alice")
    open_busiest(qtbot, session, api)
    qtbot.waitUntil(lambda: session.prepared_count == 3, timeout=WAIT)
    session.close()
    qtbot.waitUntil(lambda: api.my_claims() == [], timeout=WAIT)


def test_undo_brings_the_item_back_and_nothing_is_sent(qtbot, make_session, seeded_server) -> None:
    session = make_session(undo_seconds=30.0)
    api = signed_in(seeded_server, "alice")
    open_busiest(qtbot, session, api)
    qtbot.waitUntil(lambda: session.can_decide and session.prepared_count >= 1, timeout=WAIT)
    first = session.current.id
    session.decide(Action.BAN_CHANNEL)
    assert session.current.id != first
    assert session.pump.outbox.pending_count() == 1
    assert session.undo_last()
    assert session.current.id == first
    assert session.pump.outbox.pending_count() == 0
    assert not session.undo_last()  # nothing left to take back


def test_no_decision_without_an_item_or_during_the_transition(qtbot, make_session, seeded_server) -> None:
    session = make_session(min_dwell_ms=400)
    assert session.decide(Action.NO_VIOLATION) is None  # no queue open, nothing shown
    open_busiest(qtbot, session, signed_in(seeded_server, "alice"))
    qtbot.waitUntil(lambda: session.can_decide and session.prepared_count >= 1, timeout=WAIT)
    assert session.decide(Action.NO_VIOLATION) is not None
    assert session.decide(Action.NO_VIOLATION) is None  # the double press hits the guard, not the next item
    assert session.pump.outbox.pending_count() + session.status.sent_total <= 1


def test_channel_items_refuse_remove_post(qtbot, make_session, seeded_server) -> None:
    session = make_session()
    api = signed_in(seeded_server, "alice")
    open_busiest(qtbot, session, api)
    errors: list[str] = []
    session.error.connect(errors.append)
    for _ in range(20):  # find a channel item in the queue
        qtbot.waitUntil(lambda: session.can_decide or (session.current is None and not session.loading), timeout=WAIT)
        if session.current is None or session.current.item.kind is ItemKind.CHANNEL:
            break
        session.skip()
    if session.current is None:
        pytest.skip("no channel item in the busiest queue of this dataset")
    assert session.decide(Action.REMOVE_POST) is None
    assert errors and "channel" in errors[-1]


def test_a_conflict_is_reported_and_kept(qtbot, make_session, seeded_server) -> None:
    session = make_session(undo_seconds=0.3)
    open_busiest(qtbot, session, signed_in(seeded_server, "alice"))
    qtbot.waitUntil(lambda: session.can_decide, timeout=WAIT)
    item_id = session.current.id
    conflicts: list[object] = []
    session.conflict.connect(conflicts.append)
    # Bob decides the item first (deciding without the claim is allowed while nobody has decided it).
    bob = signed_in(seeded_server, "bob")
    bob.decide(item_id, DecisionRequest(action=Action.REMOVE_POST, reason=session.queue.default_reason), "bob-key-0001")
    session.decide(Action.NO_VIOLATION)
    qtbot.waitUntil(lambda: len(conflicts) == 1, timeout=WAIT)
    status: ReviewStatus = session.status
    assert [entry.item_id for entry in status.conflicts] == [item_id]
    other = status.conflicts[0].other_decision
    assert other is not None and other.decided_by == "bob" and other.action is Action.REMOVE_POST
    qtbot.wait(300)  # later rounds keep it
    assert [entry.item_id for entry in session.status.conflicts] == [item_id]


def test_escalate_defaults_to_the_lead(qtbot, make_session, seeded_server) -> None:
    session = make_session(undo_seconds=30.0)
    open_busiest(qtbot, session, signed_in(seeded_server, "alice"))
    qtbot.waitUntil(lambda: session.can_decide, timeout=WAIT)
    reasons = [r.reason for r in session.current.item.reports]
    entry = session.decide(Action.ESCALATE)
    assert entry is not None
    assert entry.request.escalation_target is EscalationTarget.LEAD
    expected = max(reasons, key=reasons.count) if reasons else session.queue.default_reason
    assert entry.request.reason == expected

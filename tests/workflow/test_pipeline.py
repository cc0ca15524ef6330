"""The decision pipeline around the review session: decision keys, batch decisions, undo groups, prefetch depth,
leases kept through the undo window, sending at quit."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QSize

from moderator_app.client.sender import OutboxSender, SendReport
from moderator_app.core.models import BanScope, DecisionRequest, ItemKind
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.workflow.decisions import build_decision, decision_choices, fallback_choices
from moderator_app.workflow.prefetch import Prefetcher
from moderator_app.workflow.undo import UndoStack
from tests.workflow.dataset import decision_counts
from tests.workflow.sessions import WAIT, make_session, open_spam, signed_in

__all__ = ["make_session"]  # the fixture


# --- decision keys ---------------------------------------------------------------------------------------


def test_fallback_decision_set_has_nine_distinct_keys() -> None:
    choices = fallback_choices(PolicyReason.SPAM)
    assert [c.slot for c in choices] == list(range(1, 10))
    assert len({(c.action, c.reason) for c in choices}) == 9
    assert choices[0].action is Action.REMOVE_POST and choices[0].reason is PolicyReason.SPAM
    assert any(c.action is Action.NO_VIOLATION and c.reason is None for c in choices)
    assert any(c.action is Action.ESCALATE and c.needs_details for c in choices)
    assert all(c.needs_details for c in choices if c.action.is_geo_restriction)
    assert not choices[0].applies_to(ItemKind.CHANNEL) and choices[1].applies_to(ItemKind.CHANNEL)


@dataclass
class ServedOption:  # what the server's DecisionOption carries
    slot: int
    action: str
    reason: str | None
    title: str


@dataclass
class ServedQueue:
    default_reason: PolicyReason
    decision_set: list[ServedOption]


def test_a_served_decision_set_wins_over_the_fallback() -> None:
    queue = ServedQueue(
        PolicyReason.SPAM,
        [ServedOption(1, "ban_channel", "scam_fraud", "Ban scammer"), ServedOption(12, "remove_post", "spam", "x")],
    )
    choices = decision_choices(queue)  # type: ignore[arg-type]
    assert list(choices) == [1]  # slot 12 is not a key: ignored
    assert choices[1].title == "Ban scammer" and choices[1].reason is PolicyReason.SCAM_FRAUD


def test_ban_scope_travels_with_the_decision(seeded_server: EmbeddedServer) -> None:
    api = signed_in(seeded_server, "alice")
    queue = next(q for q in api.queues() if q.pending)
    item = api.claim(queue.id, 1).items[0].item
    request = build_decision(
        item, queue, Action.BAN_CHANNEL, note="repeat offender", ban_scope=BanScope.CHANNEL_AND_POSTS
    )
    assert request.ban_scope is BanScope.CHANNEL_AND_POSTS and request.note == "repeat offender"
    assert '"ban_scope":"channel_and_posts"' in request.model_dump_json()
    decision = api.decide(item.id, request, "ban-scope-key-1")
    assert decision.ban_scope is BanScope.CHANNEL_AND_POSTS
    with pytest.raises(ValueError):
        build_decision(item, queue, Action.NO_VIOLATION, ban_scope=BanScope.CHANNEL)


# --- undo ---------------------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_undo_takes_back_a_whole_batch_and_only_inside_its_window() -> None:
    clock = Clock()
    stack = UndoStack(5.0, clock=clock)
    entries = [_entry(i) for i in range(1, 4)]
    stack.push_group(entries, [])
    cancelled: list[int] = []
    result = stack.take_back(lambda entry_id: cancelled.append(entry_id) or entry_id != 2)
    assert result is not None and result.cancelled == 2 and result.too_late == 1
    assert sorted(cancelled) == [1, 2, 3]
    stack.push_group([_entry(9)], [])
    clock.now += 5.1
    assert stack.take_back(lambda _id: True) is None  # the window closed


def test_undo_reaches_back_a_bounded_number_of_keypresses() -> None:
    stack = UndoStack(60.0, clock=Clock(), max_steps=3)
    for entry_id in range(1, 6):
        stack.push_group([_entry(entry_id)], [])
    taken = []
    while (result := stack.take_back(lambda _id: True)) is not None:
        taken += sorted(result.item_ids)
    assert taken == [1005, 1004, 1003]  # the newest three; the two before go out as decided


def _entry(entry_id: int) -> object:
    @dataclass
    class Entry:
        id: int
        item_id: int

    return Entry(entry_id, 1000 + entry_id)


def test_prefetch_claims_ahead_only_as_far_as_the_network_needs() -> None:
    prefetcher = Prefetcher(
        None, None, None, QSize(10, 10), 5, screen_waiting=lambda: False, arrived=lambda: None,  # type: ignore[arg-type]
        accept=lambda _item: True, ran_dry=lambda: None, answered=lambda: None, failed=lambda _error: None,
    )  # fmt: skip
    try:
        prefetcher.preparing = 3
        assert prefetcher.wanted() == 2  # nothing measured yet: K counts what is on its way
        prefetcher._prepare_seconds, prefetcher._take_seconds = 0.9, 0.225  # slow network, fast moderator
        assert prefetcher.in_flight_allowance() == 4
        assert prefetcher.wanted() == 5  # three on their way are what the pace needs: keep K ready besides
        prefetcher._prepare_seconds = 0.05  # a fast network: back to K in all
        assert prefetcher.in_flight_allowance() == 0 and prefetcher.wanted() == 2
        prefetcher._prepare_seconds = 30.0
        assert prefetcher.in_flight_allowance() == 5  # never more than K extra
    finally:
        prefetcher.shutdown()


# --- the session against the server ---------------------------------------------------------------------


def test_batch_decision_is_one_entry_per_item_and_one_undo_step(qtbot, make_session, seeded_server) -> None:
    session = make_session(prefetch=4, undo_seconds=30.0)
    open_spam(qtbot, session, seeded_server)
    qtbot.waitUntil(lambda: session.prepared_count == 4, timeout=WAIT)
    posts = [r.item for r in session.held_items() if r.item.kind is ItemKind.POST][:3]
    assert len(posts) == 3
    shown = session.current.id
    entries = session.decide_items(posts, Action.REMOVE_POST)
    assert [e.item_id for e in entries] == [p.id for p in posts]
    assert len({e.idempotency_key for e in entries}) == 3
    assert not {p.id for p in posts} & set(session.held_item_ids())
    if shown in {p.id for p in posts}:
        assert session.current is None or session.current.id != shown
    result = session.undo_last()
    assert result is not None and result.cancelled == 3
    assert {p.id for p in posts} <= set(session.held_item_ids())  # all back, the first one shown
    assert session.current.id == posts[0].id
    assert session.pump.outbox.pending_count() == 0
    # Decided again, this time for real: each reaches the server once.
    session.set_undo_seconds(0.0)
    session.decide_items(posts, Action.REMOVE_POST, PolicyReason.SPAM)
    qtbot.waitUntil(lambda: session.status.sent_total == 3 and session.status.pending == 0, timeout=WAIT)
    counts = decision_counts(seeded_server.engine, "alice")
    assert {p.id: counts.get(p.id) for p in posts} == {p.id: 1 for p in posts}


def test_undo_returns_the_item_with_its_lease_held(qtbot, make_session, seeded_server) -> None:
    session = make_session(prefetch=2, undo_seconds=30.0)
    open_spam(qtbot, session, seeded_server)
    api = signed_in(seeded_server, "alice")
    first = session.current
    session.decide(Action.NO_VIOLATION)
    assert first.id in {c.item_id for c in api.my_claims()}  # a decision in its window keeps the claim
    assert session.undo_last() is not None and session.current is first
    before = first.claim.lease_expires_at
    qtbot.waitUntil(lambda: first.claim.lease_expires_at > before, timeout=WAIT)  # renewed on the way back
    assert first.id in {c.item_id for c in api.my_claims()}


def test_prefetch_zero_fetches_one_item_after_each_decision(qtbot, make_session, seeded_server) -> None:
    session = make_session(prefetch=0)
    api = signed_in(seeded_server, "alice")
    open_spam(qtbot, session, seeded_server)
    qtbot.wait(200)
    assert session.prepared_count == 0 and len(api.my_claims()) == 1
    first = session.current.id
    session.decide(Action.NO_VIOLATION)
    assert session.current is None and session.loading  # the web-console way: wait for the network
    qtbot.waitUntil(lambda: session.current is not None, timeout=WAIT)
    assert session.current.id != first
    qtbot.waitUntil(lambda: session.status.sent_total == 1, timeout=WAIT)
    assert {c.item_id for c in api.my_claims()} == {session.current.id}


def test_quitting_sends_decisions_still_in_their_undo_window(qtbot, make_session, seeded_server, qloop) -> None:
    session = make_session(prefetch=2, undo_seconds=60.0)
    open_spam(qtbot, session, seeded_server)
    api = signed_in(seeded_server, "alice")
    item_id = session.current.id
    session.decide(Action.NO_VIOLATION)
    assert decision_counts(seeded_server.engine, "alice") == {}
    done = qloop.create_task(session.aclose(5.0))
    qtbot.waitUntil(done.done, timeout=WAIT)
    assert decision_counts(seeded_server.engine, "alice") == {item_id: 1}
    assert api.my_claims() == []  # prefetched claims given back


def test_quitting_during_a_send_round_still_sends_the_decision_in_its_undo_window(
    qtbot, make_session, seeded_server, qloop, monkeypatch
) -> None:
    """A round already under way when the moderator quits looked for due decisions before the undo windows were
    closed: it does not send the one just made. Quitting waits for that round, then runs another."""
    original = OutboxSender.send_due
    slow = threading.Event()

    def send_due_slowly(self: OutboxSender, *args: object, **kwargs: object) -> SendReport:
        report = original(self, *args, **kwargs)
        if slow.is_set():
            slow.clear()
            time.sleep(0.5)  # this round is still under way when the quit begins
        return report

    monkeypatch.setattr(OutboxSender, "send_due", send_due_slowly)
    session = make_session(prefetch=2, undo_seconds=60.0)
    open_spam(qtbot, session, seeded_server)
    item_id = session.current.id
    session.decide(Action.NO_VIOLATION)
    slow.set()
    qtbot.waitUntil(lambda: not slow.is_set(), timeout=WAIT)  # a round found nothing due and is still going
    assert session.pump.busy
    done = qloop.create_task(session.aclose(5.0))
    qtbot.waitUntil(done.done, timeout=WAIT)
    assert decision_counts(seeded_server.engine, "alice") == {item_id: 1}


def test_a_conflict_keeps_the_other_decision_until_dismissed(qtbot, make_session, seeded_server) -> None:
    session = make_session(prefetch=1, undo_seconds=0.2)
    open_spam(qtbot, session, seeded_server)
    item_id = session.current.id
    bob = signed_in(seeded_server, "bob")
    bob.decide(item_id, DecisionRequest(action=Action.REMOVE_POST, reason=PolicyReason.SPAM), "bob-key-0002")
    session.decide(Action.NO_VIOLATION)
    qtbot.waitUntil(lambda: len(session.status.conflicts) == 1, timeout=WAIT)
    assert session.status.conflicts[0].other_decision.decided_by == "bob"
    session.dismiss_troubles()
    qtbot.waitUntil(lambda: not session.status.conflicts, timeout=WAIT)
    assert session.pump.outbox.entries(states=("conflict",)) == []

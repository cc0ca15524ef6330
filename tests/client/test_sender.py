"""OutboxSender with a scripted stand-in for the API: outcomes, backoff and when a round stops."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from moderator_app.client.errors import (
    Conflict,
    ConnectionFailed,
    Forbidden,
    InvalidRequest,
    NotFound,
    RateLimited,
    ServerError,
    Unauthenticated,
)
from moderator_app.client.outbox import Outbox
from moderator_app.client.sender import SIGN_IN_AGAIN, OutboxSender
from moderator_app.core.models import Decision, DecisionRequest
from moderator_app.core.policy import Action, PolicyReason

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
REQUEST = DecisionRequest(action=Action.REMOVE_POST, reason=PolicyReason.SPAM)


def make_decision(item_id: int, decision_id: int, by: str = "alice") -> Decision:
    return Decision(
        id=decision_id,
        item_id=item_id,
        action=Action.REMOVE_POST,
        reason=PolicyReason.SPAM,
        note="",
        territorial_scope=None,
        escalation_target=None,
        decided_by=by,
        decided_at=T0,
        reverted_at=None,
    )


class FakeApi:
    """Answers decide() per item id: a Decision by default, or raises what the test scripted."""

    def __init__(self) -> None:
        self.token: str | None = "tok"
        self.failures: dict[int, Exception] = {}
        self.calls: list[tuple[int, str]] = []
        self._lock = threading.Lock()

    def decide(self, item_id: int, request: DecisionRequest, idempotency_key: str) -> Decision:
        with self._lock:
            self.calls.append((item_id, idempotency_key))
        if item_id in self.failures:
            raise self.failures[item_id]
        return make_decision(item_id, 1000 + item_id)


@pytest.fixture
def outbox() -> Iterator[Outbox]:
    box = Outbox(":memory:")
    yield box
    box.close()


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def sender(outbox: Outbox, api: FakeApi) -> OutboxSender:
    return OutboxSender(outbox, api, base_delay=1.0, max_delay=60.0, rng=random.Random(7))


def add(outbox: Outbox, *item_ids: int) -> list[int]:
    return [outbox.add(item_id, REQUEST, 0, now=T0).id for item_id in item_ids]


def test_backoff_is_full_jitter_exponential_and_capped() -> None:
    sender = OutboxSender(Outbox(":memory:"), FakeApi(), base_delay=0.5, max_delay=20.0, rng=random.Random(3))
    reference = random.Random(3)
    for attempts in range(10):
        expected = reference.uniform(0, min(20.0, 0.5 * 2**attempts))
        assert sender.backoff_delay(attempts) == expected
    samples = [sender.backoff_delay(4) for _ in range(200)]
    assert all(0 <= s <= 8.0 for s in samples) and max(samples) > 4.0  # spread over the whole window
    assert 0 <= sender.backoff_delay(10_000) <= 20.0  # no overflow for absurd counts


def test_sent_entries_are_marked_with_the_decision(sender: OutboxSender, outbox: Outbox, api: FakeApi) -> None:
    ids = add(outbox, 1, 2)
    report = sender.send_due(T0)
    assert (report.sent, report.retrying, report.offline, report.last_error) == (2, 0, False, None)
    assert [(e.state, e.decision_id) for e in outbox.entries()] == [("sent", 1001), ("sent", 1002)]
    assert [key for _, key in api.calls] == [outbox.get(i).idempotency_key for i in ids]  # type: ignore[union-attr]
    assert sender.send_due(T0).sent == 0  # nothing is sent twice
    assert len(api.calls) == 2


def test_nothing_is_sent_before_the_undo_window_ends(sender: OutboxSender, outbox: Outbox, api: FakeApi) -> None:
    outbox.add(1, REQUEST, 5, now=T0)
    assert sender.send_due(T0 + timedelta(seconds=4)).sent == 0
    assert api.calls == []
    assert sender.send_due(T0 + timedelta(seconds=5)).sent == 1


def test_conflict_and_permanent_failures_are_recorded_and_the_round_goes_on(
    sender: OutboxSender, outbox: Outbox, api: FakeApi
) -> None:
    other = make_decision(1, 55, by="bob")
    api.failures[1] = Conflict("Bob decided it first.", status=409, decision=other)
    api.failures[2] = InvalidRequest("A scope is needed.", status=422)
    api.failures[3] = NotFound("No such item.", status=404)
    api.failures[4] = Forbidden("Not allowed.", status=403)
    add(outbox, 1, 2, 3, 4, 5)
    report = sender.send_due(T0)
    assert report.sent == 1
    assert [(e.item_id, e.state, e.other_decision) for e in report.conflicts] == [(1, "conflict", other)]
    assert [(e.item_id, e.last_error) for e in report.failed] == [
        (2, "A scope is needed."),
        (3, "No such item."),
        (4, "Not allowed."),
    ]
    assert outbox.counts() == {"pending": 0, "sending": 0, "sent": 1, "conflict": 1, "failed": 3}


def test_offline_stops_the_round_after_one_request(sender: OutboxSender, outbox: Outbox, api: FakeApi) -> None:
    for item_id in (1, 2, 3):
        api.failures[item_id] = ConnectionFailed("Cannot reach the server at http://x: connection refused.")
    add(outbox, 1, 2, 3)
    report = sender.send_due(T0)
    assert report.offline and report.retrying == 1 and report.sent == 0
    assert report.last_error == "Cannot reach the server at http://x: connection refused."
    assert [item for item, _ in api.calls] == [1]  # the others were not tried
    first = outbox.entries()[0]
    assert first.state == "pending" and first.attempts == 1
    assert T0 <= first.send_after <= T0 + timedelta(seconds=1)  # first retry waits up to base_delay
    assert outbox.pending_count() == 3


def test_backoff_grows_with_each_failed_attempt(outbox: Outbox, api: FakeApi) -> None:
    api.failures[1] = ServerError("Oops.", status=500)
    sender = OutboxSender(outbox, api, base_delay=1.0, max_delay=60.0, rng=random.Random(11))
    reference = random.Random(11)
    add(outbox, 1)
    now = T0
    for attempt in range(6):
        report = sender.send_due(now)
        assert report.retrying == 1 and not report.offline
        entry = outbox.entries()[0]
        expected = reference.uniform(0, min(60.0, 2.0**attempt))
        assert entry.send_after == now + timedelta(seconds=expected)
        assert entry.attempts == attempt + 1
        now = entry.send_after
    assert len(api.calls) == 6


def test_server_errors_do_not_stop_the_round(sender: OutboxSender, outbox: Outbox, api: FakeApi) -> None:
    api.failures[1] = ServerError("Oops.", status=500)
    add(outbox, 1, 2)
    report = sender.send_due(T0)
    assert (report.sent, report.retrying, report.offline) == (1, 1, False)


def test_rate_limit_stops_the_round_and_honours_retry_after(sender: OutboxSender, outbox: Outbox, api: FakeApi) -> None:
    api.failures[1] = RateLimited("Slow down.", status=429, retry_after=120.0)
    add(outbox, 1, 2)
    report = sender.send_due(T0)
    assert report.retrying == 1 and len(api.calls) == 1
    assert outbox.entries()[0].send_after >= T0 + timedelta(seconds=120)


def test_expired_session_keeps_entries_pending_and_stops(sender: OutboxSender, outbox: Outbox, api: FakeApi) -> None:
    api.failures[1] = Unauthenticated("Your token expired.", status=401, code="token_expired")
    add(outbox, 1, 2)
    report = sender.send_due(T0)
    assert report.unauthenticated and report.last_error == SIGN_IN_AGAIN
    assert len(api.calls) == 1
    assert [(e.state, e.last_error) for e in outbox.entries()] == [("pending", SIGN_IN_AGAIN), ("pending", None)]
    # Signed in again: everything goes out on the next round.
    del api.failures[1]
    assert sender.send_due(T0).sent == 2


def test_without_a_token_nothing_is_tried(sender: OutboxSender, outbox: Outbox, api: FakeApi) -> None:
    api.token = None
    add(outbox, 1)
    report = sender.send_due(T0)
    assert report.unauthenticated and report.last_error == SIGN_IN_AGAIN
    assert api.calls == [] and outbox.pending_count() == 1


def test_an_unexpected_exception_does_not_strand_the_entry(sender: OutboxSender, outbox: Outbox, api: FakeApi) -> None:
    api.failures[1] = RuntimeError("bug")
    add(outbox, 1, 2)
    report = sender.send_due(T0)
    assert (report.sent, report.retrying) == (1, 1)
    assert outbox.counts()["sending"] == 0 and outbox.counts()["pending"] == 1


def test_an_entry_undone_during_the_round_is_not_sent(outbox: Outbox, api: FakeApi) -> None:
    first, second = add(outbox, 1, 2)

    class UndoingApi(FakeApi):
        def decide(self, item_id: int, request: DecisionRequest, idempotency_key: str) -> Decision:
            outbox.cancel(second)  # the moderator hits undo while the first request is in flight
            return super().decide(item_id, request, idempotency_key)

    undoing = UndoingApi()
    report = OutboxSender(outbox, undoing).send_due(T0)
    assert report.sent == 1 and [item for item, _ in undoing.calls] == [1]
    assert [e.id for e in outbox.entries()] == [first]


def test_concurrent_rounds_send_each_entry_once(outbox: Outbox, api: FakeApi) -> None:
    add(outbox, *range(1, 41))
    senders = [OutboxSender(outbox, api) for _ in range(3)]
    reports: list[int] = []
    run: Callable[[OutboxSender], None] = lambda s: reports.append(s.send_due(T0).sent)  # noqa: E731
    threads = [threading.Thread(target=run, args=(s,)) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(reports) == 40
    assert sorted(item for item, _ in api.calls) == list(range(1, 41))

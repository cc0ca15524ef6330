"""Revealed-media seconds reach the server, so a lead sees today's exposure; an outage delays them, never loses them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from moderator_app.client.api import ApiClient
from moderator_app.client.team_api import TeamApi
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.workflow.exposure import ExposureTracker
from moderator_app.workflow.exposure_report import ExposureReporter
from moderator_app.workflow.tasks import BackgroundRunner
from tests.workflow.sessions import WAIT, signed_in


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def exposure_of(server: EmbeddedServer, username: str) -> float | None:
    lead = TeamApi(signed_in(server, "lena"))
    try:
        return next(m.exposure_seconds_today for m in lead.moderators() if m.username == username)
    finally:
        lead.api.close()


@pytest.fixture
def reporting(
    qloop: object, seeded_server: EmbeddedServer
) -> Iterator[tuple[ExposureTracker, ExposureReporter, FakeClock]]:
    api = signed_in(seeded_server, "alice")
    runner = BackgroundRunner()
    clock = FakeClock()
    tracker = ExposureTracker(clock=clock)
    reporter = ExposureReporter(api, runner, flush_interval_ms=60_000)
    tracker.reveal_closed.connect(reporter.add)
    yield tracker, reporter, clock
    tracker.stop()
    reporter.stop()
    runner.shutdown(wait=True)
    api.close()


def reveal(tracker: ExposureTracker, clock: FakeClock, item_id: int, seconds: float) -> None:
    tracker.set_item(item_id)
    tracker.set_revealed(True)
    clock.now += seconds
    tracker.set_revealed(False)


def test_revealed_seconds_show_on_the_lead_dashboard(qtbot, reporting, seeded_server: EmbeddedServer) -> None:
    tracker, reporter, clock = reporting
    assert exposure_of(seeded_server, "alice") is None  # nothing revealed today
    reveal(tracker, clock, 1, 12.5)
    reveal(tracker, clock, 2, 3.0)
    reveal(tracker, clock, 1, 4.5)  # the same item again: one report with both reveals
    assert reporter.pending_seconds == pytest.approx(20.0)
    with qtbot.waitSignal(reporter.today_changed, timeout=WAIT) as today:
        reporter.flush()
    assert today.args == [pytest.approx(20.0)]
    assert reporter.pending_seconds == 0
    assert exposure_of(seeded_server, "alice") == pytest.approx(20.0)


def test_seconds_flushed_during_a_send_go_right_after_it(qtbot, reporting, seeded_server: EmbeddedServer) -> None:
    """The session's end flushes once: what came in while a send was under way must not be left behind."""
    tracker, reporter, clock = reporting
    reveal(tracker, clock, 1, 5.0)
    reporter.flush()
    assert reporter.sending
    reveal(tracker, clock, 2, 3.0)
    reporter.stop()  # the last flush, while the first send is still going
    qtbot.waitUntil(lambda: exposure_of(seeded_server, "alice") == pytest.approx(8.0), timeout=WAIT)
    assert reporter.pending_seconds == 0


def test_an_hour_and_more_of_one_item_goes_in_reports_the_server_accepts(
    qtbot, reporting, seeded_server: EmbeddedServer
) -> None:
    tracker, reporter, clock = reporting
    reveal(tracker, clock, 3, 3600 + 1800)  # longer than one report may carry
    with qtbot.waitSignal(reporter.today_changed, timeout=WAIT) as today:
        reporter.flush()
    assert today.args == [pytest.approx(5400.0)]


def test_an_outage_keeps_the_seconds_until_the_server_is_back(
    qtbot,
    qloop: object,
    seeded_server: EmbeddedServer,
    seeded_db_url: str,
    server_factory: Callable[..., EmbeddedServer],
) -> None:
    api = ApiClient(seeded_server.url)
    api.login("alice", "pw-alice")
    runner = BackgroundRunner()
    reporter = ExposureReporter(api, runner, flush_interval_ms=60_000)
    try:
        port = seeded_server.port
        seeded_server.stop()
        reporter.add(7, 8.0)
        reporter.flush()
        qtbot.waitUntil(lambda: not reporter.sending, timeout=WAIT)
        assert reporter.pending_seconds == pytest.approx(8.0)  # kept, not dropped

        back = server_factory(db_url=seeded_db_url, port=port)  # same database, same address
        reporter.add(7, 2.0)
        with qtbot.waitSignal(reporter.today_changed, timeout=WAIT) as today:
            reporter.flush()
        assert today.args == [pytest.approx(10.0)]
        assert exposure_of(back, "alice") == pytest.approx(10.0)
    finally:
        reporter.stop()
        runner.shutdown(wait=True)
        api.close()

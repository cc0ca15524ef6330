"""The shared deadline rule: at risk in the last fifth of the service level, overdue after the deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from moderator_app.core.deadlines import DeadlineState, at_risk_from, deadline_state

FLAGGED = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
DEADLINE = FLAGGED + timedelta(hours=5)  # at risk from 04:00


def test_at_risk_starts_when_a_fifth_of_the_level_is_left() -> None:
    assert at_risk_from(FLAGGED, DEADLINE) == FLAGGED + timedelta(hours=4)
    assert deadline_state(FLAGGED, DEADLINE, FLAGGED + timedelta(hours=3, minutes=59)) is DeadlineState.ON_TIME
    assert deadline_state(FLAGGED, DEADLINE, FLAGGED + timedelta(hours=4)) is DeadlineState.AT_RISK
    assert deadline_state(FLAGGED, DEADLINE, DEADLINE) is DeadlineState.AT_RISK
    assert deadline_state(FLAGGED, DEADLINE, DEADLINE + timedelta(seconds=1)) is DeadlineState.OVERDUE


def test_the_server_stores_the_same_moment() -> None:
    from moderator_app.server.tables import at_risk_from as stored

    odd = FLAGGED + timedelta(seconds=7, microseconds=3)  # a level that does not divide by five evenly
    assert stored(FLAGGED, odd) == at_risk_from(FLAGGED, odd)

"""How durations, deadlines and counts read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from moderator_app.ui.text import age_text, count_text, deadline_text, duration_text, label_text, one_line

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_durations() -> None:
    assert duration_text(timedelta(seconds=42)) == "42 s"
    assert duration_text(timedelta(minutes=12, seconds=59)) == "12 min"
    assert duration_text(timedelta(hours=3, minutes=12)) == "3 h 12 min"
    assert duration_text(timedelta(hours=2)) == "2 h"
    assert duration_text(timedelta(days=2, hours=4, minutes=30)) == "2 d 4 h"
    assert age_text(NOW - timedelta(hours=3, minutes=12), NOW) == "3 h 12 min"
    assert age_text(None, NOW) == "—"


def test_deadlines() -> None:
    assert deadline_text(NOW + timedelta(hours=2, minutes=1), NOW) == ("due in 2 h 1 min", False)
    assert deadline_text(NOW - timedelta(minutes=20), NOW) == ("overdue by 20 min", True)


def test_counts_and_labels() -> None:
    assert [count_text(n) for n in (950, 1000, 12_345, 4_100_000)] == ["950", "1k", "12.3k", "4.1M"]
    assert label_text("trusted_flagger") == "Trusted flagger"
    assert one_line("a\n\n b   c", 10) == "a b c"
    assert one_line("x" * 20, 10) == "x" * 9 + "…"

"""How durations, deadlines and counts read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from moderator_app.ui.text import (
    SHORT_TIME_SAMPLE,
    age_text,
    count_text,
    deadline_text,
    duration_text,
    label_text,
    one_line,
    short_time_text,
)

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


def test_short_time_this_year_has_day_month_and_minute_and_before_only_the_day() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    this_year = datetime(2026, 3, 4, 9, 5).astimezone()  # a local moment, whatever the machine's time zone
    assert short_time_text(this_year, now) == "4 Mar 09:05"
    last_year = datetime(2025, 12, 24, 18, 30).astimezone()
    assert short_time_text(last_year, now) == "2025-12-24"
    assert short_time_text(None, now) == "—"


def test_short_time_is_no_wider_than_its_sample_for_any_month(qapp: QApplication) -> None:
    # The column is sized from SHORT_TIME_SAMPLE; a wider month name would be cut in every row.
    metrics = QFontMetrics(QFont())
    sample = metrics.horizontalAdvance(SHORT_TIME_SAMPLE)
    now = datetime(2026, 11, 30, tzinfo=UTC)
    for month in range(1, 13):
        text = short_time_text(datetime(2026, month, 28, 23, 59).astimezone(), now)
        assert metrics.horizontalAdvance(text) <= sample, text

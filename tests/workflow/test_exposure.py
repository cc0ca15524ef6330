"""ExposureTracker and WellnessSettings: revealed and review seconds, break reminders, idle, settings validation."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPointF
from pytestqt.qtbot import QtBot

from moderator_app.media.blur import BlurStrength
from moderator_app.workflow.exposure import ExposureTracker, WellnessSettings, describe_duration
from moderator_app.workflow.reveal import RevealController

# Long enough that no real timer fires during a fake-clock test.
QUIET = WellnessSettings(idle_seconds=3600, break_after_revealed_seconds=3600, break_after_review_seconds=3600)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tracker(qapp: object, clock: FakeClock) -> ExposureTracker:
    return ExposureTracker(QUIET, clock=clock)


def test_revealed_seconds_per_item_and_per_session(tracker: ExposureTracker, clock: FakeClock) -> None:
    figures: list[tuple[float, float]] = []
    tracker.exposure_changed.connect(lambda item, session: figures.append((item, session)))
    tracker.set_item(1)
    clock.advance(5)  # covered time is not exposure
    tracker.set_revealed(True)
    clock.advance(3)
    assert tracker.item_seconds() == 3 and tracker.session_seconds == 3  # live while revealed
    tracker.set_revealed(False)
    clock.advance(10)
    tracker.set_item(2)
    tracker.set_revealed(True)
    clock.advance(2)
    tracker.set_revealed(False)
    assert tracker.item_seconds(1) == 3 and tracker.item_seconds(2) == 2 and tracker.item_seconds() == 2
    assert tracker.session_seconds == 5
    assert figures[-1] == (2.0, 5.0)
    tracker.set_item(1)  # back to an item: its total carries on
    tracker.set_revealed(True)
    clock.advance(1)
    assert tracker.item_seconds() == 4 and tracker.session_seconds == 6


def test_navigating_while_revealed_splits_the_time(tracker: ExposureTracker, clock: FakeClock) -> None:
    tracker.set_item(1)
    tracker.set_revealed(True)
    clock.advance(4)
    tracker.set_item(2)
    clock.advance(1)
    assert tracker.item_seconds(1) == 4 and tracker.item_seconds(2) == 1 and tracker.session_seconds == 5


def test_follows_the_reveal_controller(tracker: ExposureTracker, clock: FakeClock) -> None:
    reveal = RevealController()
    reveal.reset(2)
    tracker.attach(reveal)
    tracker.set_item(7)
    reveal.toggle()
    assert tracker.revealed
    clock.advance(2.5)
    reveal.reset(1)  # navigation covers everything
    assert not tracker.revealed
    reveal.region_start(QPointF(3, 3))  # a region reveal shows original pixels too
    clock.advance(1.5)
    reveal.region_end()
    assert tracker.item_seconds(7) == 4.0


def test_review_time_runs_while_an_item_is_shown_and_the_user_is_not_idle(qtbot: QtBot, clock: FakeClock) -> None:
    tracker = ExposureTracker(
        WellnessSettings(idle_seconds=0.05, break_after_revealed_seconds=3600, break_after_review_seconds=3600),
        clock=clock,
    )
    clock.advance(30)  # no item yet
    tracker.set_item(1)
    clock.advance(10)
    tracker.set_item(2)
    clock.advance(5)
    assert tracker.review_seconds == 15
    tracker.set_item(None)
    clock.advance(100)
    assert tracker.review_seconds == 15
    tracker.set_item(3)
    clock.advance(5)
    qtbot.waitUntil(lambda: tracker.is_idle, timeout=2000)
    clock.advance(50)  # idle time is not review time
    assert tracker.review_seconds == 20
    tracker.user_active()
    clock.advance(1)
    assert tracker.review_seconds == 21 and not tracker.is_idle


def test_break_reminders_with_a_fake_clock_re_arm(clock: FakeClock, qapp: object) -> None:
    tracker = ExposureTracker(
        WellnessSettings(idle_seconds=3600, break_after_revealed_seconds=900, break_after_review_seconds=50_000),
        clock=clock,
    )
    reminders: list[str] = []
    tracker.break_due.connect(reminders.append)
    tracker.set_item(1)
    tracker.set_revealed(True)
    clock.advance(899)
    tracker.check()
    assert reminders == []
    clock.advance(2)
    tracker.check()
    tracker.check()
    assert len(reminders) == 1 and "15 minutes" in reminders[0]
    clock.advance(899)
    tracker.check()
    assert len(reminders) == 1
    clock.advance(2)
    tracker.check()
    assert len(reminders) == 2 and "30 minutes" in reminders[1]


def test_revealed_break_reminder_fires_from_its_timer_and_re_arms(qtbot: QtBot) -> None:
    tracker = ExposureTracker(
        WellnessSettings(idle_seconds=3600, break_after_revealed_seconds=0.05, break_after_review_seconds=3600)
    )
    tracker.set_item(1)
    with qtbot.assertNotEmitted(tracker.break_due, wait=120):
        pass  # covered: no revealed time accrues
    with qtbot.waitSignal(tracker.break_due, timeout=2000) as first:
        tracker.set_revealed(True)
    assert "Unblurred media has been on screen" in first.args[0]
    with qtbot.waitSignal(tracker.break_due, timeout=2000):
        pass
    assert tracker.session_seconds >= 0.09  # two reminders: twice the threshold


def test_review_break_reminder(qtbot: QtBot) -> None:
    tracker = ExposureTracker(
        WellnessSettings(idle_seconds=3600, break_after_revealed_seconds=3600, break_after_review_seconds=0.05)
    )
    with qtbot.waitSignal(tracker.break_due, timeout=2000) as reminder:
        tracker.set_item(1)
    assert "reviewing" in reminder.args[0]
    tracker.set_item(None)
    with qtbot.assertNotEmitted(tracker.break_due, wait=150):
        pass


def test_idle_after_no_input_covers_everything(qtbot: QtBot) -> None:
    tracker = ExposureTracker(WellnessSettings(idle_seconds=0.3))
    reveal = RevealController()
    reveal.reset(1)
    tracker.attach(reveal)
    tracker.set_item(1)
    reveal.toggle()
    for _ in range(6):  # input keeps postponing idle
        qtbot.wait(60)
        tracker.user_active()
    assert not tracker.is_idle and reveal.revealed
    with qtbot.waitSignal(tracker.idle, timeout=2000):
        pass
    assert tracker.is_idle and not reveal.revealed and not tracker.revealed
    tracker.user_active()
    assert not tracker.is_idle


def test_exposure_ticks_while_revealed(qtbot: QtBot) -> None:
    tracker = ExposureTracker(QUIET, tick_seconds=0.02)
    tracker.set_item(1)
    tracker.set_revealed(True)
    with qtbot.waitSignal(tracker.exposure_changed, timeout=2000) as tick:
        pass
    assert tick.args[0] > 0 and tick.args[1] == pytest.approx(tick.args[0], abs=0.05)
    tracker.set_revealed(False)
    with qtbot.assertNotEmitted(tracker.exposure_changed, wait=100):
        pass


def test_describe_duration() -> None:
    assert describe_duration(1) == "1 second"
    assert describe_duration(45) == "45 seconds"
    assert describe_duration(900) == "15 minutes"
    assert describe_duration(5400) == "1 hour 30 minutes"
    assert describe_duration(7200) == "2 hours"


# --- settings ---------------------------------------------------------------------------------------------------


def test_defaults_are_protective() -> None:
    settings = WellnessSettings.merge({}, {})
    assert settings == WellnessSettings()
    assert settings.blur_strength is BlurStrength.STRONG and settings.grayscale and settings.mute
    assert settings.reveal_timeout_seconds == 10 and settings.idle_seconds == 60
    assert (settings.break_after_revealed_seconds, settings.break_after_review_seconds) == (900, 5400)


def test_user_overrides_win_over_organisation_defaults() -> None:
    settings = WellnessSettings.merge(
        {"idle_seconds": 120, "blur_strength": "medium", "break_after_review_seconds": 3600},
        {"idle_seconds": 90, "grayscale": False},
    )
    assert settings.idle_seconds == 90.0 and isinstance(settings.idle_seconds, float)
    assert settings.blur_strength is BlurStrength.MEDIUM
    assert not settings.grayscale and settings.break_after_review_seconds == 3600
    assert WellnessSettings.merge(settings.as_dict(), None) == settings
    assert WellnessSettings.merge(None, {"blur_strength": " Light "}).blur_strength is BlurStrength.LIGHT


@pytest.mark.parametrize(
    ("org", "user", "message"),
    [
        ({"blur": "strong"}, {}, r"organisation defaults: unknown wellness setting 'blur'"),
        ({}, {"blur_strength": "extreme"}, r"user settings: blur_strength must be one of \"light\""),
        ({}, {"grayscale": "yes"}, r"user settings: grayscale must be true or false, not 'yes'"),
        ({"mute": 0}, {}, r"organisation defaults: mute must be true or false"),
        ({}, {"idle_seconds": 5}, r"idle_seconds must be a number of seconds from 10 to 3600, not 5"),
        ({}, {"reveal_timeout_seconds": -1}, r"reveal_timeout_seconds must be .* from 1 to 300"),
        ({}, {"reveal_timeout_seconds": math.nan}, r"reveal_timeout_seconds"),
        ({}, {"break_after_revealed_seconds": True}, r"break_after_revealed_seconds must be a number"),
        ({}, {"break_after_review_seconds": "5400"}, r"break_after_review_seconds must be a number"),
        ([("idle_seconds", 60)], {}, r"organisation defaults: expected a mapping"),
    ],
)
def test_merge_rejects_bad_values_with_a_clear_message(org: object, user: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WellnessSettings.merge(org, user)  # type: ignore[arg-type]


def test_settings_reject_nonsense_when_built_directly() -> None:
    assert WellnessSettings(idle_seconds=0.05).idle_seconds == 0.05  # tests may use tiny intervals
    with pytest.raises(ValueError, match="idle_seconds must be a positive number"):
        WellnessSettings(idle_seconds=0)
    with pytest.raises(ValueError, match="grayscale"):
        WellnessSettings(grayscale=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="blur_strength"):
        WellnessSettings(blur_strength="strong")  # type: ignore[arg-type]


def test_apply_settings_changes_the_idle_interval(qtbot: QtBot) -> None:
    tracker = ExposureTracker(QUIET)
    tracker.user_active()
    with qtbot.assertNotEmitted(tracker.idle, wait=100):
        pass
    with qtbot.waitSignal(tracker.idle, timeout=2000):
        tracker.apply_settings(WellnessSettings(idle_seconds=0.05))

"""Wellness settings layers: built-in, organisation (server), user file; bad values skipped with a message."""

from __future__ import annotations

import json
from pathlib import Path

from moderator_app.media.blur import BlurStrength
from moderator_app.workflow.wellness_store import WellnessState, clean_layer, load_user_overrides, resolve


def test_layers_and_their_problems() -> None:
    settings, problems = resolve({"grayscale": False, "idle_seconds": 1}, {"blur_strength": "medium", "x": 1})
    assert not settings.grayscale and settings.blur_strength is BlurStrength.MEDIUM
    assert settings.idle_seconds == 60.0
    assert len(problems) == 2
    assert "idle_seconds" in problems[0] and "organisation defaults" in problems[0]
    assert "unknown wellness setting 'x'" in problems[1]
    assert clean_layer([1, 2], "user settings") == (
        {},
        ["user settings: expected an object of settings, not list; ignored"],
    )


def test_user_file_problems_never_stop_the_app(tmp_path: Path) -> None:
    path = tmp_path / "wellness.json"
    path.write_text("{not json", encoding="utf-8")
    overrides, problems = load_user_overrides(path)
    assert overrides == {} and "not valid JSON" in problems[0]
    assert load_user_overrides(tmp_path / "missing.json") == ({}, [])


def test_state_saves_only_what_differs_and_reports_changes(qapp, tmp_path: Path) -> None:
    path = tmp_path / "wellness.json"
    state = WellnessState(path)
    seen: list[object] = []
    state.changed.connect(seen.append)
    state.load_local()
    assert seen == []  # nothing changed
    state.set_org_defaults({"mute": False})
    assert state.settings.mute is False and len(seen) == 1
    state.set_user_overrides({**state.settings.as_dict(), "grayscale": False})
    assert json.loads(path.read_text(encoding="utf-8")) == {"grayscale": False}
    again = WellnessState(path)
    again.load_local()
    assert again.settings.grayscale is False
    memory_only = WellnessState(None)
    memory_only.set_user_overrides({"grayscale": False})
    assert memory_only.settings.grayscale is False and not (tmp_path / "None").exists()

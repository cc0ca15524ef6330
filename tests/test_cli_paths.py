"""The command line's checks and where the app finds its resources, as a user of either sees them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from moderator_app import cli, paths


def test_undo_seconds_defaults_to_the_saved_review_setting() -> None:
    assert cli.build_parser().parse_args([]).undo_seconds is None  # None: Settings > Review decides
    assert cli.build_parser().parse_args(["--undo-seconds", "2.5"]).undo_seconds == 2.5


@pytest.mark.parametrize("value", ["-1", "61"])
def test_undo_seconds_out_of_range_is_refused_with_a_message(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--undo-seconds", value]) != 0
    assert "--undo-seconds must be between 0 and 60" in capsys.readouterr().err


def test_resources_come_from_the_source_tree_when_it_has_them() -> None:
    keymap = paths.resource_path("keymap.json")
    assert keymap.is_file()
    assert keymap.parent == Path(paths.__file__).resolve().parents[1] / "resources"


def test_a_regular_install_finds_resources_under_the_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "moderator_app"
    package.mkdir(parents=True)
    shared = tmp_path / "prefix" / "share" / "moderator-app" / "resources"
    shared.mkdir(parents=True)
    (shared / "keymap.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert paths.resource_path("keymap.json") == shared / "keymap.json"
    # Missing everywhere: the path names the first place it was looked for.
    assert paths.resource_path("nothing.json") == tmp_path / "site-packages" / "resources" / "nothing.json"


def test_a_bundle_reads_its_own_resources_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resource_roots() == [tmp_path / "resources"]

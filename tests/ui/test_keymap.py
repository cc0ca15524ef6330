"""Key bindings as data: the defaults resolve, bad user files are reported (and the defaults kept), letters never
fire while typing, `?` lists the keys, the palette runs commands, the settings page rebinds and saves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from moderator_app.core.policy import Action
from moderator_app.ui.commands import CommandRegistry
from moderator_app.ui.keymap import (
    GLOBAL,
    MODES,
    Keymap,
    KeymapError,
    default_keymap_path,
    key_from_event,
    load_keymap,
    normalise_key,
    save_overrides,
    typing_safe,
    validate,
)
from moderator_app.ui.palette import fuzzy_score, rank
from moderator_app.ui.settings_dialog import SettingsDialog
from tests.ui.keys import (
    CTRL,
    WAIT,
    connect,
    make_window,
    open_queue_with_keys,
    press,
    runner,
    type_text,
    wait_for_dialog,
    wait_for_window,
)
from tests.ui.samples import save_screenshot
from tests.workflow.dataset import gather_in_queue

__all__ = ["make_window", "runner"]  # fixtures


def default_ids() -> list[str]:
    data = json.loads(default_keymap_path().read_text(encoding="utf-8"))
    return sorted({command for keys in data["bindings"].values() for command in keys.values()})


@pytest.fixture
def window(make_window, seeded_server):
    return make_window(connect(seeded_server, "alice"))


# --- the defaults --------------------------------------------------------------------------------------------


def test_every_default_binding_names_a_command_and_every_command_has_a_key(window) -> None:
    ids = window.commands.ids()
    loaded = load_keymap(ids)
    assert loaded.problems == []
    assert validate(loaded.defaults, ids) == []
    unbound = [c for c in ids if not loaded.defaults.keys_for(c)]
    assert unbound == [], f"commands without a default key: {unbound}"
    for mode in MODES:  # within one mode (global keys included) a key means one command
        live: dict[str, str] = {}
        for bound_mode in {mode, GLOBAL}:
            for key, command in loaded.defaults.bindings.get(bound_mode, {}).items():
                assert live.setdefault(key, command) == command, f"{key} is bound twice in {mode}"


def test_unknown_commands_conflicts_and_bad_keys_are_reported_and_skipped(tmp_path: Path) -> None:
    user_file = tmp_path / "keymap.json"
    user_file.write_text(
        json.dumps(
            {
                "bindings": {
                    "review": {
                        "J": "decide.keep",  # fine: a second key for keep
                        "K": None,  # fine: unbinds K
                        "Q": "decide.nonsense",  # unknown command
                        "Ctrl+K": "review.skip",  # clashes with the global palette key
                        "Ctrl+Foo": "review.skip",  # not a key
                        "x": "review.skip",  # X is the batch key: a deliberate override, allowed
                        "ctrl+shift+x": "review.skip",
                        "Ctrl+Shift+X": "review.undo",  # the same key spelled twice
                    },
                    "everywhere": {"F2": "app.help"},  # unknown mode
                }
            }
        ),
        encoding="utf-8",
    )
    loaded = load_keymap(default_ids(), user_path=user_file)
    text = "\n".join(loaded.problems)
    assert "unknown command 'decide.nonsense'" in text
    assert "Ctrl+K -> review.skip conflicts: Ctrl+K is already bound to app.palette (global)" in text
    assert "'Ctrl+Foo' is not a key Qt knows" in text
    assert "are the same key (Ctrl+Shift+X)" in text
    assert "unknown mode 'everywhere'" in text
    keymap = loaded.keymap
    assert keymap.command_for("review", "J") == "decide.keep"
    assert keymap.command_for("review", "K") is None
    assert keymap.command_for("review", "X") == "review.skip"
    assert keymap.command_for("review", "Q") is None  # the unknown command is not bound
    assert keymap.command_for(GLOBAL, "Ctrl+K") == "app.palette"  # the default stays
    assert keymap.command_for("review", "Ctrl+K") is None


def test_a_broken_user_file_keeps_every_default(tmp_path: Path) -> None:
    user_file = tmp_path / "keymap.json"
    user_file.write_text("{ not json", encoding="utf-8")
    loaded = load_keymap(default_ids(), user_path=user_file)
    assert loaded.keymap == loaded.defaults
    assert len(loaded.problems) == 1 and "is not valid JSON (line 1" in loaded.problems[0]


def test_overrides_file_holds_only_the_differences(tmp_path: Path) -> None:
    defaults = load_keymap(default_ids()).defaults
    changed = defaults.without_command("decide.keep", "review").with_binding("review", "J", "decide.keep")
    path = tmp_path / "config" / "keymap.json"
    save_overrides(path, defaults, changed)
    assert json.loads(path.read_text())["bindings"] == {"review": {"J": "decide.keep", "K": None}}
    assert load_keymap(default_ids(), user_path=path).keymap == changed


def test_keys_are_parsed_into_one_portable_form() -> None:
    assert normalise_key("ctrl+k") == "Ctrl+K"
    assert normalise_key(" Escape ") == "Esc"
    for bad in ("", "K, L", "Ctrl+Foo", 5):
        with pytest.raises(KeymapError):
            normalise_key(bad)
    # "?" is Shift+/ on many layouts: a recorded key must read "?", not "Shift+?".
    assert key_from_event(Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier) == "?"
    assert key_from_event(Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier) == "Shift+N"
    assert key_from_event(Qt.Key.Key_Control, CTRL) is None
    assert [typing_safe(k) for k in ("K", "1", "Esc", "Space", "Ctrl+K", "F5", "Alt+B")] == [
        False, False, False, False, True, True, True,
    ]  # fmt: skip


def test_fuzzy_search_prefers_word_starts_and_runs(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    registry = CommandRegistry(host, Keymap())
    for command_id, title in (
        ("decide.remove_post", "Remove post"),
        ("decide.escalate", "Escalate…"),
        ("review.skip", "Skip (give the item back)"),
        ("app.rescan", "Rescan everything"),
    ):
        registry.register(command_id, title, lambda: None)
    assert fuzzy_score("rmp", "Remove post") is not None
    assert fuzzy_score("xyz", "Remove post") is None
    assert [c for c, _ in rank(registry, "esc")][:2] == ["decide.escalate", "app.rescan"]
    assert rank(registry, "rmp")[0][0] == "decide.remove_post"
    assert rank(registry, "review.sk")[0][0] == "review.skip"  # ids match too


# --- in the window ---------------------------------------------------------------------------------------------


def test_a_bad_user_file_is_shown_in_the_window_and_the_app_runs_on(make_window, seeded_server, tmp_path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.json").write_text(json.dumps({"bindings": {"review": {"K": "decide.nope"}}}))
    window = make_window(connect(seeded_server, "alice"), config_dir=config)
    notice = window.workflow_commands.notice
    assert notice.isVisible()
    assert "K is bound to an unknown command 'decide.nope'; ignored" in notice.label.text()
    assert window.commands.keymap.command_for("review", "K") == "decide.keep"
    save_screenshot(window, "keymap_problem_notice")


def test_letters_typed_in_a_note_decide_nothing(qtbot, window, seeded_server) -> None:
    open_queue_with_keys(qtbot, window, gather_in_queue(seeded_server.engine, "spam"))
    session = window.session
    shown = session.current
    press(qtbot, Qt.Key.Key_N)  # N: write a note for the next decision
    assert window.review.note_edit.hasFocus() and window.commands.typing
    type_text(qtbot, "krbes 123456789 ?ux")
    qtbot.wait(200)
    assert session.current is shown
    assert session.pump.outbox.entries() == []
    assert window.workflow_commands.review_actions.dialog is None and not window.workflow_commands.overlay.isVisible()
    assert window.review.note_edit.text() == "krbes 123456789 ?ux"
    press(qtbot, Qt.Key.Key_Return)  # leaves the field; the keys are commands again
    assert window.review.hasFocus() and not window.commands.typing
    qtbot.waitUntil(lambda: session.can_decide, timeout=WAIT)
    press(qtbot, Qt.Key.Key_K)
    entries = session.pump.outbox.entries()
    assert [(e.item_id, e.request.action, e.request.note) for e in entries] == [
        (shown.id, Action.NO_VIOLATION, "krbes 123456789 ?ux")
    ]
    assert window.review.note_edit.text() == ""


def test_question_mark_lists_the_keys_and_the_closing_key_does_nothing_else(qtbot, window, seeded_server) -> None:
    open_queue_with_keys(qtbot, window, gather_in_queue(seeded_server.engine, "spam"))
    overlay = window.workflow_commands.overlay
    shown = window.session.current
    type_text(qtbot, "?")
    qtbot.waitUntil(overlay.isVisible, timeout=WAIT)
    rows = overlay.rows()
    assert ("K", "Keep (no violation)") in rows["review"]
    assert ("Ctrl+K", "Command palette…") in rows["global"]
    assert any(keys == "1" for keys, _title in rows["review"])
    save_screenshot(window, "help_overlay")
    press(qtbot, Qt.Key.Key_K)  # closes the overlay, decides nothing
    assert not overlay.isVisible()
    assert window.session.current is shown and window.session.pump.outbox.entries() == []


def test_the_palette_finds_and_runs_a_command(qtbot, window, seeded_server) -> None:
    open_queue_with_keys(qtbot, window, gather_in_queue(seeded_server.engine, "spam"))
    shown = window.session.current
    press(qtbot, Qt.Key.Key_K, CTRL)
    palette = wait_for_dialog(qtbot)
    type_text(qtbot, "esc")
    assert palette.shown_ids()[0] == "decide.escalate"
    save_screenshot(palette, "command_palette")
    for _ in range(len("esc")):
        press(qtbot, Qt.Key.Key_Backspace)
    type_text(qtbot, "skip")
    assert palette.shown_ids()[0] == "review.skip"
    press(qtbot, Qt.Key.Key_Return)
    wait_for_window(qtbot, window)
    qtbot.waitUntil(lambda: window.session.current is not shown, timeout=WAIT)
    assert window.session.pump.outbox.entries() == []  # skipped, not decided


def test_settings_rebind_a_key_refuse_a_taken_one_and_save(qtbot, make_window, seeded_server, tmp_path) -> None:
    config = tmp_path / "config"
    window = make_window(connect(seeded_server, "alice"), config_dir=config, undo_seconds=5.0)
    open_queue_with_keys(qtbot, window, gather_in_queue(seeded_server.engine, "spam"))
    press(qtbot, Qt.Key.Key_Comma, CTRL)
    dialog = wait_for_dialog(qtbot)
    assert isinstance(dialog, SettingsDialog)
    page = dialog.keys_page
    for _ in range(window.commands.ids().index("decide.keep")):
        press(qtbot, Qt.Key.Key_Down)
    assert page.current_command() == "decide.keep"
    press(qtbot, Qt.Key.Key_Return)  # record
    press(qtbot, Qt.Key.Key_R)  # taken by "Remove post"
    assert "R is already used by “Remove post” (review)" in page.message.text()
    save_screenshot(dialog, "settings_keys_refused")
    press(qtbot, Qt.Key.Key_Return)
    assert page.recording
    press(qtbot, Qt.Key.Key_J)
    assert page.keymap.command_for("review", "J") == "decide.keep"
    assert page.keymap.command_for("review", "K") is None
    save_screenshot(dialog, "settings_keys_page")
    dialog.tabs.setCurrentIndex(1)
    dialog.review_page.undo.setValue(3.0)
    press(qtbot, Qt.Key.Key_S, CTRL)
    wait_for_window(qtbot, window)
    saved = json.loads((config / "keymap.json").read_text())
    assert saved["bindings"] == {"review": {"J": "decide.keep", "K": None}}
    assert json.loads((config / "review.json").read_text())["undo_seconds"] == 3.0
    assert window.session.undo_seconds == 3.0
    qtbot.waitUntil(lambda: window.session.can_decide, timeout=WAIT)
    shown = window.session.current
    press(qtbot, Qt.Key.Key_K)  # unbound now
    assert window.session.current is shown
    press(qtbot, Qt.Key.Key_J)
    assert [e.item_id for e in window.session.pump.outbox.entries()] == [shown.id]

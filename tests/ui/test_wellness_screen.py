"""Wellness on the review screen: exposure figures, break reminder, idle covering, panic blank, settings layers,
notes and remembered pane sizes."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from moderator_app.media.blur import BlurStrength
from moderator_app.workflow.items import media_settings
from moderator_app.workflow.wellness import WellnessSettings
from tests.media import imaging
from tests.ui import media_samples as ms
from tests.ui.review_host import ScreenHost, open_host
from tests.ui.samples import save_screenshot


@pytest.fixture
def host(qtbot, tmp_path) -> ScreenHost:
    made = open_host(qtbot, tmp_path)
    made.show_item(ms.item_with_media(401, [(7601, ms.detailed_png(), "image/png")]))
    return made


def test_revealed_seconds_show_in_the_status_bar(qtbot, host) -> None:
    label = host.extras.exposure_label
    assert label.text() == "Revealed: 0 s this item · 0 s this session"
    qtbot.keyClick(host.review, Qt.Key.Key_V)
    qtbot.waitUntil(lambda: label.text().startswith("Revealed: 1 s this item"), timeout=3000)
    qtbot.keyClick(host.review, Qt.Key.Key_V)
    host.show_item(ms.item_with_media(402, [(7602, ms.detailed_png(), "image/png")]))
    assert label.text() == "Revealed: 0 s this item · 1 s this session"
    assert host.extras.tracker.item_seconds(401) >= 1.0


def test_break_reminder_is_a_banner_that_does_not_block(qtbot, host) -> None:
    host.extras.tracker.apply_settings(WellnessSettings(break_after_revealed_seconds=0.3))
    qtbot.keyClick(host.review, Qt.Key.Key_V)
    qtbot.waitUntil(host.extras.banner.isVisible, timeout=3000)
    assert "Take a short break" in host.extras.banner.message.text()
    assert "Shift+Esc" in host.extras.banner.button.text()
    save_screenshot(host, "review_break_reminder")
    qtbot.keyClick(host.review, Qt.Key.Key_K)  # work goes on underneath
    assert host.fired[-1] == "decide.keep"
    qtbot.keyClick(host.review, Qt.Key.Key_Escape, Qt.KeyboardModifier.ShiftModifier)
    assert not host.extras.banner.isVisible()


def test_idle_covers_media_and_masks_text_again(qtbot, host) -> None:
    host.review.post_text.set_sensitive(True)
    host.extras.tracker.apply_settings(WellnessSettings(idle_seconds=0.4, reveal_timeout_seconds=60))
    host.review.media_view.reveal.set_timeout_seconds(60)
    qtbot.keyClick(host.review, Qt.Key.Key_V)
    qtbot.keyClick(host.review, Qt.Key.Key_T)
    assert host.review.media_view.revealed and not host.review.post_text.masked
    qtbot.waitUntil(lambda: not host.review.media_view.revealed, timeout=3000)
    assert host.review.post_text.masked
    assert "without input" in host.status.currentMessage()


def test_input_keeps_idle_away(qtbot, host) -> None:
    host.extras.tracker.apply_settings(WellnessSettings(idle_seconds=0.5))
    host.review.media_view.reveal.set_timeout_seconds(60)
    view = host.review.media_view
    qtbot.keyClick(host.review, Qt.Key.Key_V)
    for step in range(8):  # 1.2 s of pointer movement, longer than the idle time
        qtbot.mouseMove(view, view.rect().center() + QPoint(step * 3, 0))
        qtbot.wait(150)
    assert view.revealed
    for _ in range(6):  # keys (a command included) count too
        qtbot.keyClick(host.review, Qt.Key.Key_Plus)
        qtbot.wait(150)
    assert view.revealed
    qtbot.waitUntil(lambda: not view.revealed, timeout=3000)


def test_panic_key_blanks_the_whole_window_and_swallows_keys(qtbot, host) -> None:
    qtbot.keyClick(host.review, Qt.Key.Key_V)
    qtbot.keyClick(host.review, Qt.Key.Key_F12)
    panic = host.extras.panic
    assert panic.active and not host.review.media_view.revealed
    image = ms.grab_media(host)
    assert imaging.mean_luma(image) < 30
    assert ms.saturation(image) < 8
    save_screenshot(host, "review_panic_blank")
    fired = list(host.fired)
    for key in (Qt.Key.Key_K, Qt.Key.Key_V, Qt.Key.Key_Space, Qt.Key.Key_F12):
        qtbot.keyClick(focus_of(host), key)
    assert host.fired == fired and not host.review.media_view.revealed and panic.active
    qtbot.keyClick(focus_of(host), Qt.Key.Key_F12, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not panic.active, timeout=2000)
    assert imaging.mean_luma(ms.grab_media(host)) > 100
    qtbot.keyClick(host.review, Qt.Key.Key_K)
    assert host.fired[-1] == "decide.keep"


def focus_of(host: ScreenHost) -> QWidget:
    from PySide6.QtWidgets import QApplication

    return QApplication.focusWidget() or host


def test_another_window_in_front_covers_everything(qtbot, host) -> None:
    qtbot.keyClick(host.review, Qt.Key.Key_V)
    assert host.review.media_view.revealed
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(other.isActiveWindow, timeout=3000)
    assert not host.review.media_view.revealed


def test_settings_layers_user_file_over_organisation_over_ours(qtbot, tmp_path) -> None:
    (tmp_path / "wellness.json").write_text(
        json.dumps({"blur_strength": "light", "grayscale": False, "idle_seconds": 5, "bogus": 1}), encoding="utf-8"
    )
    host = open_host(qtbot, tmp_path)
    state = host.extras.state
    assert state.settings.blur_strength is BlurStrength.LIGHT and not state.settings.grayscale
    assert state.settings.idle_seconds == 60.0  # 5 s is below the allowed range: skipped, default kept
    assert media_settings().strength is BlurStrength.LIGHT and not media_settings().grayscale
    state.set_org_defaults({"mute": False, "reveal_timeout_seconds": 20, "grayscale": True})
    assert not state.settings.mute and not state.settings.grayscale  # the user's choice wins over the organisation
    assert host.review.media_view.reveal.timeout_seconds == 20.0
    state.set_user_overrides({**state.settings.as_dict(), "mute": True})
    saved = json.loads((tmp_path / "wellness.json").read_text(encoding="utf-8"))
    assert saved == {"blur_strength": "light", "grayscale": False, "mute": True}  # only what differs is kept
    host.close()
    state.set_user_overrides({})
    assert media_settings().strength is BlurStrength.STRONG and media_settings().grayscale


def test_shift_n_types_a_note_for_colleagues(qtbot, host) -> None:
    history = host.review.details.history
    sent: list[tuple[int, str]] = []
    history.note_submitted.connect(lambda item_id, text: sent.append((item_id, text)))
    qtbot.keyClick(host.review, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    assert history.note_edit.hasFocus()
    qtbot.keyClicks(history.note_edit, "kb checked")  # letters are text here, not decisions
    qtbot.keyClick(history.note_edit, Qt.Key.Key_Return)
    assert sent == [(401, "kb checked")]
    assert "decide.keep" not in host.fired and host.review.hasFocus()
    assert "not connected" in history.status.text()


def test_pane_sizes_are_remembered_between_runs(qtbot, tmp_path) -> None:
    first = open_host(qtbot, tmp_path)
    splitter = first.review.main_splitter
    splitter.setSizes([500, 700])
    wanted = splitter.sizes()
    splitter.splitterMoved.emit(500, 1)
    qtbot.wait(600)  # saved once the splitter rests
    first.close()
    second = open_host(qtbot, tmp_path)
    assert second.review.main_splitter.sizes() == wanted


def test_the_settings_dialog_saves_the_moderators_own_choices(qtbot, host, tmp_path) -> None:
    from PySide6.QtWidgets import QApplication

    from moderator_app.ui.wellness_dialog import WellnessDialog

    qtbot.keyClick(host.review, Qt.Key.Key_V)
    assert host.review.media_view.revealed
    qtbot.keyClick(host.review, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(
        lambda: any(isinstance(w, WellnessDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    )
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, WellnessDialog) and w.isVisible())
    qtbot.waitUntil(lambda: not host.review.media_view.revealed, timeout=3000)  # a dialog in front covers all
    dialog.grayscale.setChecked(False)
    dialog.spins["break_after_revealed_seconds"].setValue(20)  # minutes
    save_screenshot(dialog, "wellness_settings_dialog")
    dialog._save()
    settings = host.extras.state.settings
    assert not settings.grayscale and settings.break_after_revealed_seconds == 1200.0
    saved = json.loads((tmp_path / "wellness.json").read_text(encoding="utf-8"))
    assert saved == {"grayscale": False, "break_after_revealed_seconds": 1200.0}
    assert not media_settings().grayscale  # the next items are prepared in colour, still blurred
    # The item on screen is covered again with the new settings, on the worker.
    view = host.review.media_view
    qtbot.waitUntil(lambda: not imaging.is_gray(view.media(0).covered), timeout=3000)
    host.extras.state.set_user_overrides({})

"""Wires the command registry into the main window: the window-wide commands (palette, keys overlay, settings, quit,
queue list, outbox), the review commands (review_actions.py), the keymap with the user's overrides, the menus, and
the bars that say what the moderator must know now (bad key bindings, offline).

Kept out of main_window.py so that file stays the screens' controller; the window calls install() before it builds
the screens (their buttons show these commands) and finish() after.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from moderator_app.ui.decision_bar import DecisionBar
from moderator_app.ui.help_overlay import HelpOverlay
from moderator_app.ui.keymap import USER_FILE_NAME, Keymap, load_keymap, save_overrides
from moderator_app.ui.palette import CommandPalette
from moderator_app.ui.review_actions import ReviewActions
from moderator_app.ui.settings_dialog import SettingsDialog
from moderator_app.workflow.outbox_pump import ReviewStatus
from moderator_app.workflow.preferences import FILE_NAME as PREFERENCES_FILE
from moderator_app.workflow.preferences import ReviewPreferences, load_preferences, save_preferences

if TYPE_CHECKING:
    from moderator_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class NoticeBar(QFrame):
    """A strip above the screens for something the moderator must read (and can close)."""

    def __init__(self, style: str, closable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setStyleSheet(f"#noticeBar {{ {style} border-radius: 4px; }} QLabel {{ {style} }}")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        if closable:
            close = QToolButton()
            close.setText("Dismiss")
            close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            close.clicked.connect(self.hide)
            layout.addWidget(close)
        self.hide()

    def say(self, text: str | None) -> None:
        self.label.setText(text or "")
        self.setVisible(bool(text))


class WindowCommands(QObject):
    def __init__(self, window: MainWindow, config_dir: Path | None) -> None:
        super().__init__(window)
        self.window = window
        self.registry = window.commands
        self.config_dir = config_dir
        self.defaults = Keymap()
        self._palette: CommandPalette | None = None
        self._settings: SettingsDialog | None = None
        self.problems: list[str] = []
        session = window.session
        self.review_actions = ReviewActions(
            window, session, self.registry, lambda: window.on_review_page, lambda: window.review, lambda: window.status
        )
        register = self.registry.register
        on_review = lambda: window.on_review_page  # noqa: E731
        on_queues = lambda: not window.on_review_page  # noqa: E731
        register("review.back", "Back to the queue list", window.show_queues, menu="Queues", when=on_review)
        register("queues.open", "Open the selected queue", self.open_selected_queue, menu="Queues", when=on_queues)
        register("queues.refresh", "Refresh the queue list", window.board.refresh, menu="Queues", when=on_queues)
        register("outbox.retry", "Retry refused decisions", session.retry_failed, menu="Outbox")
        register("outbox.dismiss", "Dismiss conflicts and refusals (after reading them)", self.dismiss, menu="Outbox")
        register("app.palette", "Command palette…", self.open_palette, menu="View")
        register("app.help", "Show all keys", self.show_help, menu="Help")
        register("app.settings", "Settings (keys, undo window)…", self.open_settings, menu="View")
        register("app.quit", "Quit", window.close, menu="View")

    # --- after the screens exist --------------------------------------------------------------------------

    def finish(self) -> None:
        window = self.window
        self.notice = NoticeBar("background: #fff8e1; color: #5d4037;")
        self.offline_bar = NoticeBar("background: #c62828; color: white; font-weight: 700;", closable=False)
        layout = window.centralWidget().layout()
        layout.insertWidget(0, self.offline_bar)  # type: ignore[attr-defined]
        layout.insertWidget(1, self.notice)  # type: ignore[attr-defined]
        self.decision_bar = DecisionBar(self.registry)
        # Under the note field, above the named decision buttons: the queue's keys are the ones used most.
        note_edit = window.review.note_edit
        content = note_edit.parentWidget().layout()
        content.insertWidget(content.indexOf(note_edit) + 1, self.decision_bar)  # type: ignore[attr-defined]
        self.overlay = HelpOverlay(self.registry, window.centralWidget())
        self.load_keymap()
        self.registry.install_menus(window.menuBar())
        self.registry.refused.connect(lambda _id, why: window.status.show_error(why))
        self.decision_bar.show_choices({})
        session = window.session
        session.queue_changed.connect(self._queue_changed)
        session.status_changed.connect(self._status_changed)
        self.refresh()

    def load_keymap(self) -> None:
        user_file = self.config_dir / USER_FILE_NAME if self.config_dir is not None else None
        loaded = load_keymap(self.registry.ids(), user_path=user_file)
        self.defaults = loaded.defaults
        self.registry.set_keymap(loaded.keymap)
        _prefs, pref_problems = load_preferences(self._preferences_file())
        self.problems = loaded.problems + pref_problems
        if self.problems:
            # The app runs on with the defaults for the bad entries; the moderator sees exactly what was skipped.
            self.notice.say("Some settings were not used:\n" + "\n".join(f"• {p}" for p in self.problems))

    def refresh(self) -> None:
        """Re-evaluate which commands apply (after the item or the page changed). On the keypress path: cheap."""
        self.registry.set_mode("review" if self.window.on_review_page else "queues")

    def _queue_changed(self, _queue: object) -> None:
        self.review_actions.update_slot_titles()
        self.decision_bar.show_choices(self.window.session.choices)
        self.refresh()

    def _status_changed(self, status: ReviewStatus) -> None:
        if status.offline:
            self.offline_bar.say(
                f"OFFLINE — the server cannot be reached. Keep reviewing what is prepared; {status.pending} "
                "decisions wait in the outbox and go out by themselves when the server is back."
            )
        else:
            self.offline_bar.say(None)

    # --- handlers ---------------------------------------------------------------------------------------

    def open_selected_queue(self) -> None:
        table = self.window.queue_list.table
        queue = self.window.queue_list.model.queue_at(table.currentIndex().row())
        if queue is not None:
            self.window.open_queue(queue.id)

    def dismiss(self) -> None:
        self.window.session.dismiss_troubles()
        self.window.status.showMessage("Conflicts and refusals dismissed.", 4000)

    def show_help(self) -> None:
        self.overlay.show_over()

    def open_palette(self) -> None:
        palette = CommandPalette(self.registry, self.window)
        palette.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        palette.finished.connect(lambda _result: self.window.activateWindow())
        self._palette = palette
        palette.open()

    @property
    def palette(self) -> CommandPalette | None:
        return self._palette

    @property
    def settings(self) -> SettingsDialog | None:
        return self._settings

    def open_settings(self) -> None:
        session = self.window.session
        preferences = ReviewPreferences(undo_seconds=session.undo_seconds, prefetch=session.prefetch)
        dialog = SettingsDialog(self.registry, self.registry.keymap, self.defaults, preferences, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.saved.connect(self._settings_saved)
        dialog.finished.connect(lambda _result: self.window.activateWindow())
        self._settings = dialog
        dialog.open()

    def _settings_saved(self, keymap: Keymap, preferences: ReviewPreferences) -> None:
        self.registry.set_keymap(keymap)
        session = self.window.session
        session.set_undo_seconds(preferences.undo_seconds)
        session.set_prefetch(preferences.prefetch)
        self.review_actions.update_slot_titles()
        self.notice.say(None)
        if self.config_dir is None:
            return  # no settings folder (tests): the changes last for this run
        try:
            save_overrides(self.config_dir / USER_FILE_NAME, self.defaults, keymap)
            save_preferences(self._preferences_file() or self.config_dir / PREFERENCES_FILE, preferences)
        except OSError as error:
            self.window.status.show_error(f"The settings could not be saved: {error.strerror or error}.")
            return
        self.window.status.showMessage("Settings saved.", 4000)

    def _preferences_file(self) -> Path | None:
        return self.config_dir / PREFERENCES_FILE if self.config_dir is not None else None

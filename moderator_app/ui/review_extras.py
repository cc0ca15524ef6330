"""The review screen's reveal, text, note and wellness commands, and the wellness machinery around the main window.

MainWindow creates one ReviewExtras after its screens exist and before its keymap is loaded (so the keymap knows
these command ids); create_main_window then calls connect_services() with the API client and the background runner
(organisation wellness defaults, saving notes). Without services everything still works on built-in defaults.

Wiring, in one place:
- commands (see COMMANDS below; default keys live in resources/keymap.json);
- ExposureTracker follows the media view's RevealController: status-bar figures, break reminders, idle covering;
- every input event counts as activity; the window losing focus covers everything;
- the panic blank; the break banner;
- wellness settings (built-in, organisation, user file) applied to the media view, media preparation and tracker.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QBoxLayout

from moderator_app.client.api import ApiClient
from moderator_app.core.models import Queue
from moderator_app.ui.post_text import is_sensitive_queue
from moderator_app.ui.wellness_ui import BreakBanner, ExposureLabel, PanicOverlay
from moderator_app.workflow.exposure import ExposureTracker, describe_duration
from moderator_app.workflow.exposure_report import ExposureReporter
from moderator_app.workflow.items import MediaSettings, ReviewItem, clear_media_caches, set_media_settings
from moderator_app.workflow.tasks import BackgroundRunner, describe_error
from moderator_app.workflow.wellness import WellnessSettings
from moderator_app.workflow.wellness_store import USER_FILE_NAME as WELLNESS_FILE_NAME
from moderator_app.workflow.wellness_store import WellnessState, fetch_org_defaults

if TYPE_CHECKING:
    from moderator_app.ui.main_window import MainWindow
    from moderator_app.ui.media_view import MediaView

log = logging.getLogger(__name__)

RESTORE_COMMAND = "wellness.restore"
DEFAULT_RESTORE_KEY = "Ctrl+F12"
ACTIVITY_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}
)


class ReviewExtras(QObject):
    def __init__(self, window: MainWindow, *, config_dir: Path | None = None) -> None:
        super().__init__(window)
        self.window = window
        screen = window.review
        self.media_view = screen.media_view
        self._media_views: list[MediaView] = [self.media_view]  # every screen's media that wellness applies to
        self.post_text = screen.post_text
        self.history = screen.details.history
        self._api: ApiClient | None = None
        self._runner: BackgroundRunner | None = None
        self.reporter: ExposureReporter | None = None

        # The moderator's own wellness choices live next to their keymap; without a config folder, nothing is saved.
        user_path = config_dir / WELLNESS_FILE_NAME if config_dir is not None else None
        self.state = WellnessState(user_path, parent=self)
        self.tracker = ExposureTracker(self.state.settings, parent=self)
        self.tracker.attach(self.media_view.reveal)
        self.exposure_label = ExposureLabel()
        window.status.addPermanentWidget(self.exposure_label)
        self.tracker.exposure_changed.connect(self.exposure_label.show_exposure)
        self.banner = BreakBanner()
        layout = window.centralWidget().layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, self.banner)
        self.tracker.break_due.connect(self.banner.remind)
        self.tracker.idle.connect(self._on_idle)
        self.media_view.reveal.timed_out.connect(self.post_text.cover)
        self.panic = PanicOverlay(window, DEFAULT_RESTORE_KEY)
        self.panic.blanked.connect(self._cover_everything)

        self._register_commands()
        window.session.item_changed.connect(self._item_changed)
        window.session.queue_changed.connect(self._queue_changed)
        window.stack.currentChanged.connect(self._page_changed)
        self.history.note_submitted.connect(self._send_note)
        self.state.changed.connect(self._apply)
        # Input counts as activity. Not an application-wide event filter: that would run Python for every event of
        # every widget (each paint too), and under load each of those waits for the GIL (the UI probe measured
        # 25-45 ms window repaints with one). The native window sees the input events only; commands run by
        # shortcuts never reach it, so the registry says when one ran.
        self._watched: QObject | None = None
        window.installEventFilter(self)
        window.close_requested.connect(self._closing)
        commands = window.commands
        commands.ran.connect(self.tracker.user_active)
        self.destroyed.connect(lambda *_: clear_media_caches())
        self.state.load_local()
        self._apply(self.state.settings)

    # --- services ---------------------------------------------------------------------------------------------

    def connect_services(self, api: ApiClient, runner: BackgroundRunner) -> None:
        """Fetch the organisation's wellness defaults, let notes be saved, and report exposure to the server."""
        self._api, self._runner = api, runner
        if self.reporter is not None:
            self.tracker.reveal_closed.disconnect(self.reporter.add)
            self.reporter.stop()
        self.reporter = ExposureReporter(api, runner, parent=self)
        self.tracker.reveal_closed.connect(self.reporter.add)
        self.reporter.today_changed.connect(self.exposure_label.show_today)
        runner.spawn(self._fetch_org_defaults(), on_error=self._org_defaults_failed, name="wellness-defaults")

    async def _fetch_org_defaults(self) -> None:
        assert self._runner is not None and self._api is not None
        self.state.set_org_defaults(await self._runner.call(fetch_org_defaults, self._api))

    def _org_defaults_failed(self, error: BaseException) -> None:
        log.info("organisation wellness defaults not loaded: %s", describe_error(error))

    def _send_note(self, item_id: int, text: str) -> None:
        if self._api is None or self._runner is None:
            self.history.show_problem("Notes cannot be saved: not connected to a server.")
            return
        api, runner = self._api, self._runner

        async def send() -> None:
            entry = await runner.call(api.add_note, item_id, text)
            self.history.add_entry(item_id, entry)

        runner.spawn(send(), on_error=lambda error: self.history.show_problem(describe_error(error)), name="note")

    # --- commands ---------------------------------------------------------------------------------------------

    def _register_commands(self) -> None:
        commands = self.window.commands
        mv, text = self.media_view, self.post_text
        view = functools.partial(commands.register, menu="View")
        view("reveal.toggle", "Reveal or cover the selected media", mv.toggle, when=self._has_revealable)
        view("reveal.text", "Show or hide the post text (sensitive queue)", text.toggle_reveal, when=self._masking)
        view("media.next", "Next media of the album", mv.next_media, when=self._is_album)
        view("media.previous", "Previous media of the album", mv.previous_media, when=self._is_album)
        view("reveal.zoom_in", "Zoom in (revealed media)", mv.zoom_in, when=self._revealed)
        view("reveal.zoom_out", "Zoom out", mv.zoom_out, when=lambda: mv.zoomed)
        view("reveal.zoom_reset", "Reset the zoom", mv.reset_zoom, when=lambda: mv.zoomed)
        view("video.play", "Play or pause the revealed video", mv.toggle_play, when=self._video_revealed)
        view("video.back", "Video: back 5 seconds", lambda: mv.seek(-1), when=self._video_revealed)
        view("video.forward", "Video: forward 5 seconds", lambda: mv.seek(1), when=self._video_revealed)
        view("video.mute", "Video: sound on or off", mv.toggle_mute, when=lambda: mv.video() is not None)
        view("text.page_down", "Scroll the post text down", lambda: text.page(1), when=self._on_item)
        view("text.page_up", "Scroll the post text up", lambda: text.page(-1), when=self._on_item)
        view("wellness.panic", "Blank the window now", self.panic.blank)
        view(RESTORE_COMMAND, "Bring the blanked window back", self.panic.restore)
        view("wellness.dismiss_break", "Dismiss the break reminder", self.banner.dismiss, when=self.banner.isVisible)
        view("wellness.settings", "Wellness settings…", self.open_settings)
        commands.register("review.item_note", "Add a note for colleagues", self.start_note, when=self._on_item)
        if hasattr(commands, "keymap_changed"):
            commands.keymap_changed.connect(self._keys_changed)
        self._keys_changed()

    def _keys_changed(self) -> None:
        commands = self.window.commands
        keymap = getattr(commands, "keymap", None)
        keys = [key for _mode, key in keymap.keys_for(RESTORE_COMMAND)] if keymap is not None else []
        self.panic.set_restore_key(keys[0] if keys else DEFAULT_RESTORE_KEY)
        self.banner.set_dismiss_key(commands.key("wellness.dismiss_break"))

    def _on_item(self) -> bool:
        return self.window.on_review_page and self.window.review.review_item is not None

    def _has_revealable(self) -> bool:
        mv = self.media_view
        return self._on_item() and mv.media_count > 0 and mv.media(mv.selected_index).revealable

    def _is_album(self) -> bool:
        return self._on_item() and self.media_view.media_count > 1

    def _revealed(self) -> bool:
        return self._on_item() and self.media_view.reveal.view_for(self.media_view.selected_index).revealed

    def _video_revealed(self) -> bool:
        return self._revealed() and self.media_view.video() is not None

    def _masking(self) -> bool:
        return self._on_item() and self.post_text.sensitive

    def start_note(self) -> None:
        self.history.start_note()

    def open_settings(self) -> None:
        from moderator_app.ui.wellness_dialog import WellnessDialog

        dialog = WellnessDialog(self.state, self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show()  # not exec(): a nested loop inside qasync breaks the event loop

    # --- wellness -----------------------------------------------------------------------------------------

    def adopt_media_view(self, view: MediaView) -> None:
        """Another screen's media (the QA blind review): the same wellness settings, covered on idle and by the
        panic key, and its reveals counted as exposure like the review screen's."""
        self._media_views.append(view)
        self.tracker.attach(view.reveal)
        self._configure(view, self.state.settings)

    def _configure(self, view: MediaView, settings: WellnessSettings) -> None:
        view.configure(
            timeout_seconds=settings.reveal_timeout_seconds,
            grayscale=settings.grayscale,
            strength=settings.blur_strength,
            muted=settings.mute,
        )

    def _apply(self, settings: WellnessSettings) -> None:
        for view in self._media_views:
            self._configure(view, settings)
        self.tracker.apply_settings(settings)
        if set_media_settings(MediaSettings(grayscale=settings.grayscale, strength=settings.blur_strength)):
            for view in self._media_views:
                view.recover()

    def _cover_everything(self) -> None:
        self.window.review.set_peek(False)
        for view in self._media_views:
            view.cover()
        self.post_text.cover()

    def _closing(self) -> None:
        self.tracker.set_revealed(False)  # the reveal running now counts too
        if self.reporter is not None:
            self.reporter.stop()

    def _on_idle(self) -> None:
        self._cover_everything()
        seconds = describe_duration(self.state.settings.idle_seconds)
        self.window.status.showMessage(f"Everything covered after {seconds} without input.", 10_000)

    def _item_changed(self, review_item: ReviewItem | None) -> None:
        shown = review_item is not None and self.window.on_review_page
        self.tracker.set_item(review_item.id if shown and review_item is not None else None)

    def _queue_changed(self, queue: Queue) -> None:
        self.post_text.set_sensitive(is_sensitive_queue(queue))

    def _page_changed(self, _index: int) -> None:
        if not self.window.on_review_page:
            self.tracker.set_item(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in ACTIVITY_EVENTS:
            self.tracker.user_active()
        elif watched is self.window:
            if kind == QEvent.Type.WindowDeactivate:
                self._cover_everything()  # another window in front: nothing stays revealed behind it
            elif kind == QEvent.Type.Show:
                self._watch_native_window()
        return False

    def _watch_native_window(self) -> None:
        handle = self.window.windowHandle()
        if handle is not None and handle is not self._watched:
            handle.installEventFilter(self)
            self._watched = handle

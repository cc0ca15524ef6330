"""The review screen's commands: decisions (the queue's keys 1–9 and the named ones), the dialogs some decisions
need, batch decisions, notes, undo and revert. Registered once in the window's CommandRegistry; keys come from the
keymap. Everything here returns at once: decisions go to the outbox, server calls run in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QWidget

from moderator_app.core.models import Item, ItemKind
from moderator_app.core.policy import Action
from moderator_app.ui.batch_dialog import VIEW_COMMANDS, BatchDialog
from moderator_app.ui.commands import CommandRegistry
from moderator_app.ui.decision_details import Details, Intent, details_dialog, needs_details
from moderator_app.ui.decision_dialogs import RevertDialog
from moderator_app.ui.post_text import is_sensitive_queue
from moderator_app.ui.status_panel import StatusPanel
from moderator_app.workflow.batch_media import BatchEntry, batch_entries, held_entries
from moderator_app.workflow.decisions import SLOTS
from moderator_app.workflow.items import POST_ONLY_ACTIONS, ReviewItem, default_reason
from moderator_app.workflow.outbox_pump import OutboxEntry
from moderator_app.workflow.review import ReviewSession
from moderator_app.workflow.server_actions import Duplicates, find_duplicates, revert_decision
from moderator_app.workflow.tasks import describe_error
from moderator_app.workflow.wellness import WellnessSettings

if TYPE_CHECKING:
    from moderator_app.ui.review_extras import ReviewExtras

MESSAGE_MS = 6000
# Named decision commands: (title, action; None = restrict the post or the channel, whichever the item is).
NAMED: dict[str, tuple[str, Action | None]] = {
    "decide.keep": ("Keep (no violation)", Action.NO_VIOLATION),
    "decide.remove_post": ("Remove post", Action.REMOVE_POST),
    "decide.ban_channel": ("Ban channel…", Action.BAN_CHANNEL),
    "decide.escalate": ("Escalate…", Action.ESCALATE),
    "decide.geo_restrict": ("Restrict in countries…", None),
    "decide.label_sensitive": ("Label sensitive", Action.LABEL_SENSITIVE),
}


class ReviewActions(QObject):
    def __init__(
        self,
        window: QWidget,
        session: ReviewSession,
        commands: CommandRegistry,
        on_review: Callable[[], bool],
        screen: Callable[[], object],
        status: Callable[[], StatusPanel],
    ) -> None:
        super().__init__(window)
        self._window = window
        self.session = session
        self.commands = commands
        self._on_review = on_review
        self._screen = screen  # the ReviewScreen (made after the commands it shows as buttons)
        self._status = status
        self._dialog: QDialog | None = None  # kept alive while open
        self._register()

    # --- registration -----------------------------------------------------------------------------------

    def _register(self) -> None:
        register = self.commands.register
        for slot in SLOTS:
            register(
                f"decide.slot{slot}",
                f"Decision key {slot}",
                lambda s=slot: self.decide_command(f"decide.slot{s}"),
                menu="Decide",
                when=lambda s=slot: self._slot_fits(s),
            )
        for command_id, (title, action) in NAMED.items():
            post_only = action in POST_ONLY_ACTIONS
            register(
                command_id,
                title,
                lambda c=command_id: self.decide_command(c),
                menu="Decide",
                when=(lambda: self._item_kind() is ItemKind.POST) if post_only else self._has_item,
            )
        register("review.skip", "Skip (give the item back)", self.skip, when=self._has_item)
        register("review.undo", "Undo last decision", self.undo, when=self._on_review)
        register("review.note", "Write a note for the next decision", self.focus_note, when=self._has_item)
        register("review.batch", "Batch: choose items to decide together…", self.batch, when=self._has_item)
        register("review.duplicates", "Batch: near-duplicates of this media…", self.duplicates, when=self._has_item)
        register("review.revert", "Revert a sent decision…", self.revert, menu="Outbox")

    def _has_item(self) -> bool:
        return self._on_review() and self.session.current is not None

    def _item_kind(self) -> ItemKind | None:
        current = self.session.current if self._on_review() else None
        return current.item.kind if current is not None else None

    def _slot_fits(self, slot: int) -> bool:
        choice = self.session.choices.get(slot)
        kind = self._item_kind()
        return choice is not None and kind is not None and choice.applies_to(kind)

    def update_slot_titles(self) -> None:
        choices = self.session.choices
        for slot in SLOTS:
            choice = choices.get(slot)
            self.commands.set_title(f"decide.slot{slot}", choice.title if choice else f"Decision key {slot}")
            # A queue without a choice on this key: the key does nothing, so no menu or help line offers it.
            self.commands.set_listed(f"decide.slot{slot}", choice is not None or not choices)

    def legend(self) -> str:
        parts = [f"{self.commands.key(f'decide.slot{s}')} {c.title}" for s, c in self.session.choices.items()]
        named = [f"{self.commands.key(c)} {title.rstrip('…')}" for c, (title, _a) in NAMED.items()]
        return "   ".join(parts + named)

    # --- deciding ---------------------------------------------------------------------------------------

    def intent(self, command_id: str, kind: ItemKind) -> Intent | None:
        if command_id.startswith("decide.slot"):
            choice = self.session.choices.get(int(command_id.removeprefix("decide.slot")))
            return Intent(choice.action, choice.reason, False) if choice is not None else None
        _title, action = NAMED[command_id]
        if action is None:
            action = Action.RESTRICT_POST if kind is ItemKind.POST else Action.RESTRICT_CHANNEL
        return Intent(action, None, ask_scope=action is Action.BAN_CHANNEL)

    def decide_command(self, command_id: str) -> None:
        current = self.session.current
        if current is None:
            return
        intent = self.intent(command_id, current.item.kind)
        if intent is None:
            return
        if not needs_details(intent):
            self._commit_one(current, Details(intent.action, intent.reason), confirmed=False)
            return
        label = f"item {current.id} (@{current.item.channel.handle})"
        self.ask_details(intent, current.item, label, lambda d: self._commit_one(current, d, confirmed=True))

    def ask_details(self, intent: Intent, item: Item, label: str, then: Callable[[Details], None]) -> None:
        """Open the dialog an action needs (countries, target, scope) and call `then` with the answers."""
        reason = intent.reason or default_reason(item, self.session.queue)
        self._open(details_dialog(intent, item, label, reason, self._window, then))

    def _commit_one(self, shown: ReviewItem, details: Details, confirmed: bool) -> None:
        if self.session.current is not shown:
            self._status().show_error("The item changed while the dialog was open; nothing was decided.")
            return
        screen = self._screen()
        note = _join(screen.note(), details.comment)  # type: ignore[attr-defined]
        entry = self.session.decide(
            details.action,
            details.reason,
            note,
            details.target,
            details.territories,
            details.ban_scope,
            confirmed=confirmed,
        )
        if entry is not None:
            screen.clear_note()  # type: ignore[attr-defined]

    def skip(self) -> None:
        self.session.skip()

    def undo(self) -> None:
        result = self.session.undo_last()
        if result is None:
            self._status().show_error(
                "Nothing to undo: the last decision has been sent or its undo window is over (Ctrl+Shift+Z reverts)."
            )
            return
        text = f"Undone: {result.cancelled} decision{'s' if result.cancelled != 1 else ''}"
        if result.too_late:
            text += f"; {result.too_late} already sent (revert them with {self.commands.key('review.revert')})"
        self._status().showMessage(text, MESSAGE_MS)

    def focus_note(self) -> None:
        edit = self._screen().note_edit  # type: ignore[attr-defined]
        edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        edit.selectAll()

    # --- batch ------------------------------------------------------------------------------------------

    def batch(self) -> None:
        held = self.session.held_items()
        current = self.session.current
        preselected = {current.id} if current else set()
        self._open_batch("Decide several items", held_entries([r.item for r in held], held), preselected)

    def duplicates(self) -> None:
        current = self.session.current
        if current is None:
            return
        held = self.session.held_items()
        self._status().showMessage("Asking the server for near-duplicates…", MESSAGE_MS)
        runner = self.session.runner
        runner.spawn(self._duplicates(current, held), on_error=self._failed, name="duplicates")

    async def _duplicates(self, current: ReviewItem, held: list[ReviewItem]) -> None:
        found: Duplicates = await self.session.runner.call(find_duplicates, self.session.api, current, held)
        if self.session.current is not current:
            return  # moved on meanwhile
        if not found.supported:
            self._status().showMessage(
                f"The server cannot group near-duplicates yet ({found.message}); choose items by hand.", MESSAGE_MS
            )
            self._open_batch("Decide several items", held_entries([r.item for r in held], held), {current.id})
            return
        # Every item's media, covered, so the moderator confirms what they see (a hash cannot read a caption).
        entries = await self.session.runner.call(batch_entries, self.session.api, found.items, held)
        if self.session.current is not current:
            return
        ids = {item.id for item in found.items}
        self._open_batch(f"Near-duplicates of item {current.id}'s media ({len(ids)})", entries, ids)

    def _open_batch(self, title: str, entries: list[BatchEntry], preselected: set[int]) -> None:
        bindings = self.commands.keymap.all_bindings()
        keys = {
            key: command
            for mode, key, command in bindings
            if mode == "review" and command.startswith("decide.") and self.commands.has(command)
        }
        view_keys = {key: command for mode, key, command in bindings if command in VIEW_COMMANDS}
        extras = getattr(self._window, "extras", None)  # the window's wellness machinery, once it exists
        settings: WellnessSettings = extras.state.settings if extras is not None else WellnessSettings()
        dialog = BatchDialog(
            title,
            entries,
            preselected,
            keys,
            self.legend(),
            self._window,
            view_keys=view_keys,
            sensitive=is_sensitive_queue(self.session.queue),
            reveal_timeout_seconds=settings.reveal_timeout_seconds,
        )
        dialog.chosen.connect(self._batch_chosen)
        if extras is not None:
            _count_exposure(dialog, extras, self.session)
        self._open(dialog)

    def _batch_chosen(self, command_id: str, items: list[Item]) -> None:
        kinds = {item.kind for item in items}
        kind = ItemKind.POST if kinds == {ItemKind.POST} else ItemKind.CHANNEL
        intent = self.intent(command_id, kind)
        if intent is None:
            return

        def commit(details: Details) -> None:
            note = _join(self._screen().note(), details.comment)  # type: ignore[attr-defined]
            entries = self.session.decide_items(
                items, details.action, details.reason, note, details.target, details.territories, details.ban_scope
            )
            if entries:
                self._screen().clear_note()  # type: ignore[attr-defined]
                self._status().showMessage(
                    f"{len(entries)} items decided ({details.action.value}); "
                    f"{self.commands.key('review.undo')} takes the batch back",
                    MESSAGE_MS,
                )

        if needs_details(intent):
            self.ask_details(intent, items[0], f"{len(items)} items", commit)
        else:
            commit(Details(intent.action, intent.reason))

    # --- server at once: revert --------------------------------------------------------------------

    def revert(self) -> None:
        async def load() -> None:
            sent: list[OutboxEntry] = await self.session.runner.call(self.session.pump.sent_entries)
            choices = [(e.decision_id or 0, _sent_label(e)) for e in sent if e.decision_id is not None]
            dialog = RevertDialog(choices, self._window)
            dialog.submitted.connect(lambda decision_id, note: self._revert(dialog, decision_id, note))
            self._open(dialog)

        self.session.runner.spawn(load(), on_error=self._failed, name="sent-decisions")

    def _revert(self, dialog: RevertDialog, decision_id: int, note: str) -> None:
        async def send() -> None:
            decision = await self.session.runner.call(revert_decision, self.session.api, decision_id, note)
            dialog.accept()
            self._status().showMessage(
                f"Reverted decision {decision.id}: item {decision.item_id} is back in its queue.", MESSAGE_MS
            )

        # The server decides who may revert; its refusal (403: leads only) is shown in the dialog as it said it.
        self.session.runner.spawn(send(), on_error=lambda error: dialog.failed(describe_error(error)), name="revert")

    # --- helpers ----------------------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        if self._dialog is not None and self._dialog.isVisible():
            dialog.deleteLater()
            return  # one dialog at a time
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self._dialog = dialog
        dialog.open()

    def _forget(self, dialog: QDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None
        # Keys must reach the window again at once (some platforms leave no window active after a dialog).
        self._window.activateWindow()

    @property
    def dialog(self) -> QDialog | None:
        return self._dialog

    def _failed(self, error: BaseException) -> None:
        self._status().show_error(describe_error(error))


def _count_exposure(dialog: BatchDialog, extras: ReviewExtras, session: ReviewSession) -> None:
    """While the dialog is open, revealed seconds are its preview's (for the item previewed), idle covers it, and
    the panic key blanks the window; afterwards the review screen's media counts again."""
    tracker = extras.tracker
    tracker.attach(dialog.preview.reveal)
    previewed = dialog.previewed()
    tracker.set_item(previewed.id if previewed is not None else None)
    dialog.item_previewed.connect(tracker.set_item)
    dialog.panic.connect(extras.panic.blank)

    def back(_result: int) -> None:
        tracker.attach(extras.media_view.reveal)
        tracker.set_item(session.current.id if session.current is not None else None)

    dialog.finished.connect(back)


def _join(note: str, comment: str) -> str:
    return " — ".join(part for part in (note.strip(), comment.strip()) if part)


def _sent_label(entry: OutboxEntry) -> str:
    request = entry.request
    reason = f" · {request.reason.value}" if request.reason else ""
    when = entry.created_at.astimezone().strftime("%H:%M:%S")
    return f"Item {entry.item_id} · {request.action.value}{reason} · {when}"

"""The blind second review: the sampled item as its moderator saw it (blurred by default, the same context panes and
the same keys), the reviewer's own decision first, then the original and a verdict.

It reuses the review screen's parts read-only (channel header, post text, media view, context panes) rather than
the review screen itself, whose commands belong to the moderator's session. The keys are the moderator's: the
keymap's review bindings (the user's overrides included) mean here what they mean there, with the sampled queue's
decision set on 1..9 (blind_bindings.py, blind_keys.py), and the keys that ask before deciding (B: the ban scope,
G and a queue's geo-restriction key: the countries) open the moderator's own dialogs (decision_details.py); Esc in
one decides nothing. After the own decision: A agree, D disagree (type the reason, Return sends); N claims the next
sample when none is shown. The deadline line describes the item as it stood when the moderator decided it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from moderator_app.core.models import BanScope, ItemKind, QaReviewOutcome, QaSample
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.core.qa_compare import Side, compare
from moderator_app.ui.commands import CommandRegistry
from moderator_app.ui.decision_details import Details, Intent, details_dialog, needs_details
from moderator_app.ui.lead.tables import BANNER_STYLE, HINT_STYLE, error_label
from moderator_app.ui.media_view import MediaView
from moderator_app.ui.post_text import PostText, is_sensitive_queue
from moderator_app.ui.qa.blind_bindings import BlindBindings
from moderator_app.ui.qa.blind_keys import NEXT_KEY, PhaseKeys
from moderator_app.ui.reveal_keys import claims_shortcut, handle_reveal_key
from moderator_app.ui.review_panes import ChannelHeader, DetailsPane
from moderator_app.workflow.decisions import BAN_SCOPE_TITLES, DecisionChoice, decision_choices
from moderator_app.workflow.items import POST_ONLY_ACTIONS, default_reason
from moderator_app.workflow.qa import BlindSample, QaPhase, QaSession

ESCALATE_MESSAGE = (
    "A QA review records a final decision; escalating is not one. Press the key of what you would decide."
)
IDLE_HINT = f"{NEXT_KEY}: claim the next sampled decision"


def _action_text(
    action: Action, reason: object, territories: list[str] | None = None, ban_scope: BanScope | None = None
) -> str:
    text = f"{action.value}" + (f" / {reason.value}" if reason is not None else "")  # type: ignore[attr-defined]
    if territories:
        text += f" in {', '.join(territories)}"
    if ban_scope is not None:
        text += f" ({BAN_SCOPE_TITLES[ban_scope].lower()})"
    return text


class BlindReviewScreen(QWidget):
    def __init__(
        self, session: QaSession, commands: CommandRegistry | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.commands = commands
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._peeking = False
        self._dialog: QDialog | None = None  # the open scope or countries dialog, kept alive while open
        self.choices: dict[int, DecisionChoice] = {}  # the sampled queue's decision keys

        title = QLabel("Blind second review")
        title.setStyleSheet("font-size: 18px; font-weight: 700;")
        self.state_label = QLabel()
        self.state_label.setStyleSheet("font-weight: 600; color: #37474f;")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.state_label)

        self.header = ChannelHeader()
        self.post_text = PostText()
        self.media_view = MediaView()
        self.details = DetailsPane()
        # Notes on the item belong to the moderator's review; a blind second review leaves no trace on the item.
        note_field = getattr(self.details.history, "note_edit", None)
        if note_field is not None:
            note_field.hide()
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.post_text)
        left.addWidget(self.media_view)
        left.setSizes([120, 480])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.details)
        split.setSizes([720, 480])
        item_page = QWidget()
        item_layout = QVBoxLayout(item_page)
        item_layout.setContentsMargins(0, 0, 0, 0)
        item_layout.addWidget(self.header)
        item_layout.addWidget(split, 1)
        # Samples whose decision the reviewer has seen already wait for someone else (server: services/qa_seen.py).
        self.empty_label = QLabel(
            "No sampled decision is waiting for you\n(decisions you have seen already go to other reviewers).\n"
            f"Press {NEXT_KEY} to look again."
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("font-size: 18px; color: #444;")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty_label)
        self.pages.addWidget(item_page)

        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(2000)
        self.note_edit.installEventFilter(self)
        self.outcome_label = QLabel()
        self.outcome_label.setWordWrap(True)
        self.outcome_label.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome_label.setStyleSheet(BANNER_STYLE)
        self.outcome_label.hide()
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Why you disagree (goes to the lead) · Return sends · Esc leaves")
        self.reason_edit.setMaxLength(2000)
        self.reason_edit.installEventFilter(self)
        self.reason_edit.hide()
        self.error_label = error_label()
        # The sampled queue's decision keys, as the moderator's decision bar shows them.
        self.legend_label = QLabel()
        self.legend_label.setWordWrap(True)
        self.legend_label.setTextFormat(Qt.TextFormat.PlainText)
        self.legend_label.setStyleSheet("font-weight: 600; color: #263238; padding: 2px 0;")
        self.hint_label = QLabel(IDLE_HINT)
        self.hint_label.setWordWrap(True)
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setStyleSheet(HINT_STYLE)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.outcome_label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.legend_label)
        layout.addWidget(self.hint_label)

        self.keys = PhaseKeys(self)
        self.bindings = BlindBindings(self, commands)
        session.sample_changed.connect(self.show_sample)
        session.outcome_ready.connect(self.show_outcome)
        session.verdict_saved.connect(self._judged)
        session.phase_changed.connect(self._phase)
        session.error.connect(self.show_error)
        if commands is not None:
            commands.keymap_changed.connect(self.refresh_keys)
        self._phase(session.phase.value)

    # --- keys -------------------------------------------------------------------------------------------

    def refresh_keys(self) -> None:
        """Bind the keys of the phase now, and say them: the legend and the hint show the real bindings."""
        phase = self.session.phase
        self.keys.set_bindings(self.bindings.for_phase(phase))
        live = self.keys.table
        self.legend_label.setVisible(phase is QaPhase.DECIDING)
        self.note_edit.setVisible(phase in (QaPhase.DECIDING, QaPhase.SENDING) and self.session.outcome is None)
        self.note_edit.setPlaceholderText(self.bindings.note_placeholder(live))
        legend, hint = self.bindings.texts(phase, live)
        self.legend_label.setText(legend)
        if hint:
            self.hint_label.setText(hint)

    def help_section(self) -> tuple[str, list[tuple[str, str]]]:
        """The keys overlay's column for this screen (help_overlay.py asks the focused screen for it)."""
        return self.bindings.help_section()

    # --- showing ----------------------------------------------------------------------------------------

    def show_sample(self, sample: BlindSample | None) -> None:
        self.set_peek(False)
        self.error_label.hide()
        self.outcome_label.hide()
        self.reason_edit.hide()
        if sample is None:
            self.choices = {}
            self.media_view.clear()
            self.pages.setCurrentIndex(0)
            self.refresh_keys()
            return
        queue = self.session.queue_of(sample)
        self.choices = decision_choices(queue)
        item = sample.review_item.item
        self.header.show_item(item, decided_at=sample.blind.decided_at)
        self.post_text.set_sensitive(is_sensitive_queue(queue))  # masked as for the moderator in a sensitive queue
        self.post_text.show_item(item)
        self.media_view.set_media(sample.review_item.media, sample.review_item.thumbnails)
        self.media_view.setVisible(bool(sample.review_item.media))
        self.details.show_item(item, sample.review_item.thumbnails)
        self.pages.setCurrentIndex(1)
        self.refresh_keys()
        self.setFocus()

    def show_outcome(self, outcome: QaReviewOutcome) -> None:
        original = outcome.original
        own = outcome.review
        # The server's suggestion counts the reach too (countries, ban scope); the words say where the two differ.
        verdict = f"You {'agree' if outcome.agree else 'DISAGREE'} with the original decision."
        difference = compare(
            Side.of(own.action, own.reason, own.territorial_scope, own.ban_scope),
            Side.of(original.action, original.reason, original.territorial_scope, original.ban_scope),
        ).words()
        mine = _action_text(own.action, own.reason, own.territorial_scope, own.ban_scope)
        theirs = _action_text(original.action, original.reason, original.territorial_scope, original.ban_scope)
        self.outcome_label.setText(
            f"Your decision: {mine}.\n"
            f"The moderator {original.decided_by} decided: {theirs}"
            f"{' — note: ' + original.note if original.note else ''}.\n{difference} {verdict}"
        )
        self.outcome_label.show()
        self.setFocus()

    def _judged(self, sample: QaSample) -> None:
        self.outcome_label.setText(
            "Verdict saved: agree." if sample.agree else "Verdict saved: disagree — a lead will settle the dispute."
        )
        self.reason_edit.hide()
        self.reason_edit.clear()
        self.note_edit.clear()
        self.pages.setCurrentIndex(0)
        self.empty_label.setText(f"Verdict saved.\nPress {NEXT_KEY} for the next sampled decision.")
        self.media_view.clear()
        self.setFocus()

    def _phase(self, phase: str) -> None:
        states = {
            QaPhase.IDLE: "",
            QaPhase.LOADING: "Claiming a sample…",
            QaPhase.DECIDING: "Your decision first (the original is hidden)",
            QaPhase.VERDICT: "Compare and give your verdict",
            QaPhase.SENDING: "Sending…",
        }
        self.state_label.setText(states[QaPhase(phase)])
        self.refresh_keys()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    # --- actions ----------------------------------------------------------------------------------------

    def decide(self, action: Action | None, reason: PolicyReason | None = None, ask_scope: bool = False) -> None:
        """A decision key: action None restricts the post or the channel, whichever the item is. As on the review
        screen, a geo-restriction asks for the countries and B (ask_scope) for the ban scope before deciding."""
        current = self.session.current
        if current is None or self.session.phase is not QaPhase.DECIDING or self.dialog_open():
            return
        kind = current.blind.item.kind
        if action is None:
            action = Action.RESTRICT_POST if kind is ItemKind.POST else Action.RESTRICT_CHANNEL
        if action is Action.ESCALATE:
            self.show_error(ESCALATE_MESSAGE)
            return
        if action in POST_ONLY_ACTIONS and kind is ItemKind.CHANNEL:
            self.show_error(f"This item is a channel: {action.value} applies to a post.")
            return
        intent = Intent(action, reason, ask_scope=ask_scope)
        if needs_details(intent):
            self._ask(intent)
        else:
            self._send(Details(action, reason))

    def _ask(self, intent: Intent) -> None:
        """Open the moderator's dialog for the intent; only Enter in it decides (with what was chosen)."""
        shown = self.session.current
        assert shown is not None
        item = shown.blind.item
        reason = intent.reason or default_reason(item, self.session.queue_of(shown))
        label = f"item {item.id} (@{item.channel.handle})"
        dialog = details_dialog(intent, item, label, reason, self.window(), lambda d: self._send(d, shown))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self._dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None
        # The keys must reach the screen again at once (some platforms leave no window active after a dialog).
        self.window().activateWindow()
        self.setFocus()

    def dialog_open(self) -> bool:
        return self._dialog is not None and self._dialog.isVisible()

    @property
    def dialog(self) -> QDialog | None:
        return self._dialog

    def _send(self, details: Details, shown: BlindSample | None = None) -> None:
        if shown is not None and self.session.current is not shown:
            self.show_error("The sample changed while the dialog was open; nothing was decided.")
            return
        problem = self.session.review(
            details.action, self.note_edit.text(), details.reason, details.territories, details.ban_scope
        )
        if problem:
            self.show_error(problem)
        else:
            self.error_label.hide()

    def focus_note(self) -> None:
        self.note_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def give_verdict(self, agree: bool, reason: str = "") -> None:
        problem = self.session.verdict(agree, reason)
        if problem:
            self.show_error(problem)

    def start_disagree(self) -> None:
        if self.session.phase is not QaPhase.VERDICT:
            return
        self.reason_edit.show()
        self.reason_edit.setFocus()

    def toggle_reveal(self) -> None:
        if self.has_item():
            self.media_view.toggle()

    def has_item(self) -> bool:
        return self.session.current is not None and self.pages.currentIndex() == 1

    def set_peek(self, revealed: bool) -> None:
        self.post_text.set_peeking(revealed)
        if revealed != self._peeking:
            self._peeking = revealed
            self.media_view.set_revealed(revealed)

    # --- events -----------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if claims_shortcut(self, event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not handle_reveal_key(self, event, pressed=True):
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if not handle_reveal_key(self, event, pressed=False):
            super().keyReleaseEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.set_peek(False)  # the release would go elsewhere: never leave a held reveal showing
        super().focusOutEvent(event)

    def hideEvent(self, event: QEvent) -> None:
        self.set_peek(False)
        self.media_view.cover()
        self.post_text.cover()
        super().hideEvent(event)  # type: ignore[arg-type]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched in (self.note_edit, self.reason_edit) and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if watched is self.reason_edit and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.give_verdict(False, self.reason_edit.text())
                return True
            if key in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.setFocus()
                return True
        overriding = event.type() == QEvent.Type.ShortcutOverride and watched in (self.note_edit, self.reason_edit)
        if overriding and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):  # type: ignore[attr-defined]
            event.accept()
            return True
        return super().eventFilter(watched, event)

"""The blind second review: the sampled item as its moderator saw it (blurred by default, the same context panes and
decision keys), the reviewer's own decision first, then the original and a verdict.

It reuses the review screen's parts read-only (channel header, post text, media view, context panes) rather than
the review screen itself, whose commands belong to the moderator's session. Keys (while this screen has focus):
K keep, R remove post, B ban channel, L label sensitive, Space held peeks, V toggles the reveal; after the own
decision: A agree, D disagree (type the reason, Return sends); N claims the next sample.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from moderator_app.core.models import ItemKind, QaReviewOutcome, QaSample
from moderator_app.core.policy import Action
from moderator_app.ui.lead.tables import BANNER_STYLE, ERROR_STYLE, HINT_STYLE, local_key
from moderator_app.ui.media_view import MediaView
from moderator_app.ui.post_text import PostText
from moderator_app.ui.reveal_keys import claims_shortcut, handle_reveal_key
from moderator_app.ui.review_panes import ChannelHeader, DetailsPane
from moderator_app.workflow.qa import BlindSample, QaPhase, QaSession

DECISION_KEYS: tuple[tuple[str, Action, str], ...] = (
    ("K", Action.NO_VIOLATION, "Keep"),
    ("R", Action.REMOVE_POST, "Remove post"),
    ("B", Action.BAN_CHANNEL, "Ban channel"),
    ("L", Action.LABEL_SENSITIVE, "Label sensitive"),
)
DECIDE_HINT = "K keep · R remove post · B ban channel · L label sensitive · Space (held) peek · V reveal · Tab: note"
VERDICT_HINT = "A: agree · D: disagree (type why, then Return) · the original is shown above"
IDLE_HINT = "N: claim the next sampled decision"


def _action_text(action: Action, reason: object) -> str:
    return f"{action.value}" + (f" / {reason.value}" if reason is not None else "")  # type: ignore[attr-defined]


class BlindReviewScreen(QWidget):
    def __init__(self, session: QaSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._peeking = False

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
        self.empty_label = QLabel("No sampled decision is waiting.\nPress N to look again.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("font-size: 18px; color: #444;")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty_label)
        self.pages.addWidget(item_page)

        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Note with your decision (optional) · Enter or Esc to leave")
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
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.hint_label = QLabel(IDLE_HINT)
        self.hint_label.setStyleSheet(HINT_STYLE)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.outcome_label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.hint_label)

        for key, action, _title in DECISION_KEYS:
            local_key(self, key, lambda action=action: self.decide(action))
        local_key(self, "A", lambda: self.give_verdict(True))
        local_key(self, "D", self.start_disagree)
        local_key(self, "N", self.session.next_sample)
        local_key(self, "V", self.toggle_reveal)

        session.sample_changed.connect(self.show_sample)
        session.outcome_ready.connect(self.show_outcome)
        session.verdict_saved.connect(self._judged)
        session.phase_changed.connect(self._phase)
        session.error.connect(self.show_error)
        self._phase(session.phase.value)

    # --- showing ----------------------------------------------------------------------------------------

    def show_sample(self, sample: BlindSample | None) -> None:
        self.set_peek(False)
        self.error_label.hide()
        self.outcome_label.hide()
        self.reason_edit.hide()
        if sample is None:
            self.media_view.clear()
            self.pages.setCurrentIndex(0)
            return
        item = sample.review_item.item
        self.header.show_item(item)
        self.post_text.show_item(item)
        self.media_view.set_media(sample.review_item.media, sample.review_item.thumbnails)
        self.media_view.setVisible(bool(sample.review_item.media))
        self.details.show_item(item, sample.review_item.thumbnails)
        self.pages.setCurrentIndex(1)
        self.setFocus()

    def show_outcome(self, outcome: QaReviewOutcome) -> None:
        original = outcome.original
        verdict = "You agree on the action." if outcome.agree else "You DISAGREE with the original decision."
        self.outcome_label.setText(
            f"Your decision: {_action_text(outcome.review.action, outcome.review.reason)}.\n"
            f"The moderator {original.decided_by} decided: {_action_text(original.action, original.reason)}"
            f"{' — note: ' + original.note if original.note else ''}.\n{verdict}"
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
        self.empty_label.setText("Verdict saved.\nPress N for the next sampled decision.")
        self.media_view.clear()
        self.setFocus()

    def _phase(self, phase: str) -> None:
        texts = {
            QaPhase.IDLE: ("", IDLE_HINT),
            QaPhase.LOADING: ("Claiming a sample…", IDLE_HINT),
            QaPhase.DECIDING: ("Your decision first (the original is hidden)", DECIDE_HINT),
            QaPhase.VERDICT: ("Compare and give your verdict", VERDICT_HINT),
            QaPhase.SENDING: ("Sending…", ""),
        }
        state, hint = texts[QaPhase(phase)]
        self.state_label.setText(state)
        if hint:
            self.hint_label.setText(hint)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    # --- keys -------------------------------------------------------------------------------------------

    def decide(self, action: Action) -> None:
        current = self.session.current
        if current is None or self.session.phase is not QaPhase.DECIDING:
            return
        if action is Action.REMOVE_POST and current.blind.item.kind is ItemKind.CHANNEL:
            self.show_error("This item is a channel: there is no post to remove.")
            return
        problem = self.session.review(action, self.note_edit.text())
        if problem:
            self.show_error(problem)
        else:
            self.error_label.hide()

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

"""A whole review session with no mouse event: sign in, open a queue, batch-decide the near-duplicates of the first
item, decide twenty items with the queue's keys and the named ones (dialogs included), write a note, undo one,
batch-decide a multi-selection; then check every decision on the server, field by field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from sqlalchemy import Engine, text

from moderator_app.client.api import ApiClient
from moderator_app.client.tokens import TokenStore
from moderator_app.core.models import BanScope, ItemKind
from moderator_app.core.policy import Action, EscalationTarget, PolicyReason
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.ui.batch_dialog import BatchDialog
from moderator_app.ui.decision_dialogs import BanDialog, EscalateDialog, GeoRestrictDialog
from moderator_app.ui.login_dialog import LoginDialog
from moderator_app.ui.main_window import MainWindow
from moderator_app.workflow.items import ReviewItem, default_reason
from moderator_app.workflow.signin import SignIn
from tests.ui.keys import (
    SHIFT,
    WAIT,
    activate,
    make_window,
    open_queue_with_keys,
    press,
    runner,
    type_text,
    wait_for_dialog,
    wait_for_window,
)
from tests.ui.samples import save_screenshot
from tests.workflow.dataset import clone_open_items, decision_counts, gather_in_queue

__all__ = ["make_window", "runner"]  # fixtures

DIGITS = {str(n): getattr(Qt.Key, f"Key_{n}") for n in range(1, 10)}
LETTERS = {"K": Qt.Key.Key_K, "R": Qt.Key.Key_R, "B": Qt.Key.Key_B, "E": Qt.Key.Key_E, "G": Qt.Key.Key_G,
           "L": Qt.Key.Key_L}  # fmt: skip
NAMED_ACTIONS = {"K": Action.NO_VIOLATION, "R": Action.REMOVE_POST, "L": Action.LABEL_SENSITIVE}
POST_ONLY = {Action.REMOVE_POST, Action.RESTRICT_POST, Action.LABEL_SENSITIVE}


@dataclass(frozen=True)
class Expected:
    action: Action
    reason: PolicyReason | None
    note: str = ""
    territories: tuple[str, ...] | None = None
    target: EscalationTarget | None = None
    ban_scope: BanScope | None = None


def near_duplicate_pair(server: EmbeddedServer) -> tuple[int, int] | None:
    """Two open items the server groups by media, made the earliest due so the session starts with them."""
    api = ApiClient(server.url)
    api.login("lena", "pw-lena")
    with server.engine.connect() as db:
        open_ids = [row[0] for row in db.execute(text("SELECT id FROM items WHERE status = 'pending'"))]
    for item_id in open_ids:
        others = api.duplicates(item_id)
        if others:
            pair = (item_id, others[0])
            with server.engine.begin() as db:
                first = datetime.fromisoformat(str(db.execute(text("SELECT MIN(deadline) FROM items")).scalar_one()))
                earlier = (first - timedelta(hours=1)).isoformat(sep=" ")  # strictly first, whatever the ties
                for item in pair:
                    db.execute(text("UPDATE items SET deadline = :d WHERE id = :i"), {"d": earlier, "i": item})
            return pair
    return None


def sign_in_by_keys(qtbot, server: EmbeddedServer, runner, tmp_path: Path):
    settings = QSettings(str(tmp_path / "login.ini"), QSettings.Format.IniFormat)
    dialog = LoginDialog(SignIn(runner, TokenStore()), runner, settings)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    with qtbot.waitSignal(dialog.signed_in, timeout=WAIT) as signed:
        type_text(qtbot, server.url)
        press(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "alice")
        press(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "pw-alice")
        press(qtbot, Qt.Key.Key_Return)
    dialog.hide()
    return signed.args[0]


class Session:
    """Drives the window by keys and writes down what each decision must be on the server."""

    def __init__(self, qtbot, window: MainWindow) -> None:
        self.qtbot = qtbot
        self.window = window
        self.session = window.session
        self.expected: dict[int, Expected] = {}
        self.shots: set[str] = set()

    def ready(self) -> ReviewItem:
        self.qtbot.waitUntil(lambda: self.session.can_decide and self.window.isActiveWindow(), timeout=WAIT)
        current = self.session.current
        assert current is not None
        return current

    def reason_of(self, item: ReviewItem) -> PolicyReason | None:
        return default_reason(item.item, self.session.queue)

    def decide(self, key: str, item: ReviewItem, note: str = "") -> None:
        """Press a decision key on the shown item and answer its dialog, if it opens one."""
        choices = self.session.choices
        press(self.qtbot, DIGITS[key] if key.isdigit() else LETTERS[key])
        if key.isdigit():
            choice = choices[int(key)]
            action, reason = choice.action, choice.reason or self.reason_of(item)  # no reason: the reporters'
        elif key in NAMED_ACTIONS:
            action = NAMED_ACTIONS[key]
            reason = self.reason_of(item)  # a named key carries the reason most reporters gave
        else:
            action, reason = {"B": Action.BAN_CHANNEL, "E": Action.ESCALATE, "G": None}[key], None
        expected = Expected(action, reason, note) if action is not None else None
        if key == "B":
            expected = self.ban(item, note)
        elif key == "E" or action is Action.ESCALATE:
            expected = self.escalate(note, reason or self.reason_of(item))
        elif key == "G" or (action is not None and action.is_geo_restriction):
            expected = self.geo(item, note, reason)
        assert expected is not None
        self.qtbot.waitUntil(lambda: self.session.current is not item, timeout=WAIT)
        self.expected[item.id] = expected

    def ban(self, item: ReviewItem, note: str) -> Expected:
        dialog = wait_for_dialog(self.qtbot)
        assert isinstance(dialog, BanDialog)
        press(self.qtbot, Qt.Key.Key_2)  # the channel and all its posts
        press(self.qtbot, Qt.Key.Key_Return)
        wait_for_window(self.qtbot, self.window)
        return Expected(Action.BAN_CHANNEL, self.reason_of(item), note, ban_scope=BanScope.CHANNEL_AND_POSTS)

    def escalate(self, note: str, reason: PolicyReason | None) -> Expected:
        dialog = wait_for_dialog(self.qtbot)
        assert isinstance(dialog, EscalateDialog)
        press(self.qtbot, Qt.Key.Key_3)  # child-safety specialist
        type_text(self.qtbot, "minor may be involved, 2 accounts")
        if "escalate_dialog" not in self.shots:
            save_screenshot(dialog, "escalate_dialog")
            self.shots.add("escalate_dialog")
        press(self.qtbot, Qt.Key.Key_Return)
        wait_for_window(self.qtbot, self.window)
        comment = "minor may be involved, 2 accounts"
        full = f"{note} — {comment}" if note else comment
        return Expected(Action.ESCALATE, reason, full, target=EscalationTarget.CHILD_SAFETY_SPECIALIST)

    def geo(self, item: ReviewItem, note: str, reason: PolicyReason | None) -> Expected:
        dialog = wait_for_dialog(self.qtbot)
        assert isinstance(dialog, GeoRestrictDialog)
        type_text(self.qtbot, "fr")
        type_text(self.qtbot, " ")  # ticks France
        for _ in range(2):
            press(self.qtbot, Qt.Key.Key_Backspace)
        type_text(self.qtbot, "germ")
        type_text(self.qtbot, " ")  # ticks Germany
        assert dialog.territories == ["DE", "FR"]
        if "geo_dialog" not in self.shots:
            save_screenshot(dialog, "geo_restrict_dialog")
            self.shots.add("geo_dialog")
        action = dialog.action
        press(self.qtbot, Qt.Key.Key_Return)
        wait_for_window(self.qtbot, self.window)
        return Expected(action, reason or self.reason_of(item), note, territories=("DE", "FR"))

    def batch(self, opener: Qt.Key, extend: int) -> list[int]:
        """Open a batch list (D or X), extend the selection by `extend` rows, decide it with K."""
        press(self.qtbot, opener)
        dialog = wait_for_dialog(self.qtbot)
        assert isinstance(dialog, BatchDialog)
        for _ in range(extend):
            press(self.qtbot, Qt.Key.Key_Down, SHIFT)
        chosen_items = dialog.selected_items()
        chosen = [item.id for item in chosen_items]
        save_screenshot(dialog, "batch_duplicates" if opener == Qt.Key.Key_D else "batch_selection")
        press(self.qtbot, Qt.Key.Key_K)
        wait_for_window(self.qtbot, self.window)
        for item in chosen_items:
            self.expected[item.id] = Expected(Action.NO_VIOLATION, default_reason(item, self.session.queue))
        return chosen


def decisions_on_server(engine: Engine, item_id: int) -> list[Expected]:
    """Alice's decisions on the item (the demo history holds earlier ones by others)."""
    with engine.connect() as db:
        rows = db.execute(
            text(
                "SELECT d.action, d.reason, d.note, d.territorial_scope, d.escalation_target, d.ban_scope "
                "FROM decisions d JOIN users u ON u.id = d.user_id WHERE d.item_id = :i AND u.username = 'alice' "
                "ORDER BY d.id"
            ),
            {"i": item_id},
        ).all()
    found = []
    for action, reason, note, scope, target, ban_scope in rows:
        if isinstance(scope, str):  # a JSON column read through plain SQL
            scope = json.loads(scope)
        territories = tuple(scope or []) or None
        found.append(
            Expected(
                Action(action),
                PolicyReason(reason) if reason else None,
                note or "",
                territories,
                EscalationTarget(target) if target else None,
                BanScope(ban_scope) if ban_scope else None,
            )
        )
    return found


def test_a_whole_session_by_keyboard(qtbot, runner, make_window, seeded_server, tmp_path) -> None:
    engine = seeded_server.engine
    queue_id = gather_in_queue(engine, "spam")
    clone_open_items(engine, "spam", 1)
    pair = near_duplicate_pair(seeded_server)
    connection = sign_in_by_keys(qtbot, seeded_server, runner, tmp_path)
    window = make_window(connection, undo_seconds=1.0, prefetch=5)
    open_queue_with_keys(qtbot, window, queue_id)
    drive = Session(qtbot, window)
    session = window.session
    assert set(session.choices) >= {1, 2, 3, 4}, "the queue's decision keys"
    save_screenshot(window, "review_with_decision_keys")

    # The near-duplicates of the first item's media, in one key.
    assert pair is not None, "the demo dataset has no near-duplicate media"
    drive.ready()
    assert session.current.id in pair
    chosen = drive.batch(Qt.Key.Key_D, extend=0)
    assert set(pair) <= set(chosen)

    # Twenty decisions: every decision key of the queue, then the named ones, round and round.
    keys = [str(slot) for slot in sorted(session.choices)] + ["K", "R", "B", "E", "G", "L"]
    undone_once = False
    position = 0
    for number in range(20):
        item = drive.ready()
        key = keys[position % len(keys)]
        position += 1
        action = session.choices[int(key)].action if key.isdigit() else NAMED_ACTIONS.get(key)
        while item.item.kind is ItemKind.CHANNEL and action in POST_ONLY:
            key = keys[position % len(keys)]  # that key does not fit a channel: the next one
            position += 1
            action = session.choices[int(key)].action if key.isdigit() else NAMED_ACTIONS.get(key)
        note = ""
        if number == 4:
            press(qtbot, Qt.Key.Key_N)  # a note for this decision
            type_text(qtbot, "same text posted in 3 channels")
            press(qtbot, Qt.Key.Key_Return)
            note = "same text posted in 3 channels"
        drive.decide(key, item, note)
        if number == 7 and not undone_once:
            undone_once = True
            press(qtbot, Qt.Key.Key_U)  # take it back: the item returns, nothing is sent
            qtbot.waitUntil(lambda shown=item: session.current is shown, timeout=WAIT)
            del drive.expected[item.id]
            drive.decide("K", drive.ready())  # and decided otherwise

    # A multi-selection from the prepared items, in one key.
    qtbot.waitUntil(lambda: session.prepared_count >= 2, timeout=WAIT)
    drive.ready()
    assert len(drive.batch(Qt.Key.Key_X, extend=2)) == 3

    total = len(drive.expected)
    qtbot.waitUntil(lambda: session.status.pending == 0 and session.status.sent_total >= total, timeout=20_000)
    assert not session.status.conflicts and not session.status.failed
    counts = decision_counts(engine, "alice")
    assert counts == dict.fromkeys(drive.expected, 1), "every decision exactly once, the undone one never"
    for item_id, expected in drive.expected.items():
        assert decisions_on_server(engine, item_id) == [expected], f"item {item_id}"
    actions = {e.action for e in drive.expected.values()}
    assert len(actions) >= 6 and len({e.reason for e in drive.expected.values()}) >= 3
    assert any(e.note == "same text posted in 3 channels" for e in drive.expected.values())

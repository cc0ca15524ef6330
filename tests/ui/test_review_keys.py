"""The whole client driven by keys only, against a real server: sign in, open a queue, decide, see the results.

Screenshots go to tests/_screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import text
from sqlalchemy.orm import Session

from moderator_app.app import create_main_window
from moderator_app.client.api import ApiClient
from moderator_app.client.outbox import Outbox
from moderator_app.client.tokens import TokenStore
from moderator_app.core.models import DecisionRequest, ItemKind
from moderator_app.core.policy import Action
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.tables import PostRow
from moderator_app.ui.login_dialog import LoginDialog
from moderator_app.ui.main_window import MainWindow
from moderator_app.workflow.queues import busiest_queue
from moderator_app.workflow.signin import Connection, SignIn
from moderator_app.workflow.tasks import BackgroundRunner
from tests.factories import add_channel, add_item, add_queue, utcnow
from tests.ui.samples import save_screenshot

WAIT = 10_000
KEY_OF = {Action.NO_VIOLATION: Qt.Key.Key_K, Action.REMOVE_POST: Qt.Key.Key_R, Action.BAN_CHANNEL: Qt.Key.Key_B,
          Action.ESCALATE: Qt.Key.Key_E}  # fmt: skip


def activate(qtbot, widget: QWidget) -> None:
    widget.show()
    widget.activateWindow()  # window shortcuts fire only in the active window, as for a real user
    qtbot.waitUntil(widget.isActiveWindow, timeout=WAIT)


def type_into_focus(qtbot, keys: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), keys)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def wait_for_dialog(qtbot) -> QWidget:
    """The dialog a key opened, once it is active and has the keyboard (keys go to the focus widget)."""

    def ready() -> bool:
        modal, focus = QApplication.activeModalWidget(), QApplication.focusWidget()
        return modal is not None and focus is not None and focus.window() is modal

    qtbot.waitUntil(ready, timeout=WAIT)
    return QApplication.activeModalWidget()


@pytest.fixture
def runner(qloop: object) -> Iterator[BackgroundRunner]:
    made = BackgroundRunner()
    yield made
    made.shutdown(wait=True)


@pytest.fixture
def dialog(qtbot, runner: BackgroundRunner, tmp_path: Path) -> LoginDialog:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    made = LoginDialog(SignIn(runner, TokenStore()), runner, settings)
    qtbot.addWidget(made)
    activate(qtbot, made)
    return made


def sign_in_with_keys(qtbot, dialog: LoginDialog, url: str, user: str, password: str) -> None:
    assert QApplication.focusWidget() is dialog.server_edit
    type_into_focus(qtbot, url)
    press(qtbot, Qt.Key.Key_Tab)
    type_into_focus(qtbot, user)
    press(qtbot, Qt.Key.Key_Tab)
    type_into_focus(qtbot, password)
    press(qtbot, Qt.Key.Key_Return)


@pytest.fixture
def open_window(qtbot, runner: BackgroundRunner, tmp_path: Path) -> Iterator[Callable[[Connection], MainWindow]]:
    outboxes: list[Outbox] = []

    def make(connection: Connection) -> MainWindow:
        outbox = Outbox(tmp_path / f"outbox-{len(outboxes)}.sqlite3")
        outboxes.append(outbox)
        window = create_main_window(connection, runner, outbox, undo_seconds=0.0, send_interval_ms=100)
        qtbot.addWidget(window)
        activate(qtbot, window)
        window.session.start_sending()
        return window

    yield make
    for outbox in outboxes:
        outbox.close()


def open_busiest_queue_with_keys(qtbot, window: MainWindow) -> None:
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.queue_list.model.rowCount() > 0, timeout=WAIT)
    target = busiest_queue(window.board.queues)
    assert target is not None
    for _ in range(window.queue_list.model.row_of(target.id)):
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.on_review_page and window.session.can_decide, timeout=WAIT)
    assert target.name in window.windowTitle()


def signed_in(server: EmbeddedServer, user: str) -> ApiClient:
    api = ApiClient(server.url)
    api.login(user, f"pw-{user}")
    return api


def test_keys_only_sign_in_open_queue_and_decide(qtbot, dialog, open_window, seeded_server) -> None:
    save_screenshot(dialog, "login_dialog")
    with qtbot.waitSignal(dialog.signed_in, timeout=WAIT) as signed:
        sign_in_with_keys(qtbot, dialog, seeded_server.url, "alice", "pw-alice")
    window = open_window(signed.args[0])
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.queue_list.model.rowCount() > 0, timeout=WAIT)
    save_screenshot(window, "queue_list")
    open_busiest_queue_with_keys(qtbot, window)

    session = window.session
    decided: dict[int, Action] = {}
    shots: set[ItemKind] = set()
    unused = [Action.REMOVE_POST, Action.BAN_CHANNEL, Action.NO_VIOLATION, Action.ESCALATE]
    for _ in range(40):
        qtbot.waitUntil(lambda: session.can_decide or (session.current is None and not session.loading), timeout=WAIT)
        current = session.current
        if current is None or (len(decided) == 3 and len(shots) == 2):
            break
        kind = current.item.kind
        if kind not in shots and (kind is ItemKind.CHANNEL or current.media):  # a post with pictures, if any
            qtbot.waitUntil(lambda shown=current: window.review.review_item is shown, timeout=WAIT)
            save_screenshot(window, f"review_{kind.value}_item")
            shots.add(kind)
            # The same buttons in the same places for every kind of item; what does not apply is greyed out.
            remove = window.review.buttons["decide.remove_post"]
            assert remove.isVisible() and remove.isEnabled() is (kind is ItemKind.POST)
        usable = [a for a in unused if not (a is Action.REMOVE_POST and kind is ItemKind.CHANNEL)]
        if len(decided) < 3 and usable:
            action = usable[0]
            unused.remove(action)
            decided[current.id] = action
            press(qtbot, KEY_OF[action])
            if action in (Action.BAN_CHANNEL, Action.ESCALATE):  # their dialog opens: Enter takes the defaults
                wait_for_dialog(qtbot)
                press(qtbot, Qt.Key.Key_Return)
        else:
            press(qtbot, Qt.Key.Key_S)  # skip to find the other kind of item for its screenshot
        qtbot.waitUntil(lambda shown=current: session.current is not shown, timeout=WAIT)
    assert len(decided) == 3, "the busiest queue ran out before three decisions"

    qtbot.waitUntil(lambda: session.status.sent_total >= 3 and session.status.pending == 0, timeout=WAIT)
    lead = signed_in(seeded_server, "lena")
    for item_id, action in decided.items():
        entries = lead.audit(item_id=item_id, action="decision").entries
        assert [(e.actor, e.details["action"]) for e in entries] == [("alice", action.value)]
    press(qtbot, Qt.Key.Key_Escape)
    assert not window.on_review_page


def test_wrong_password_keeps_the_dialog_open(qtbot, dialog, seeded_server) -> None:
    signed: list[object] = []
    dialog.signed_in.connect(signed.append)
    sign_in_with_keys(qtbot, dialog, seeded_server.url, "alice", "not-her-password")
    qtbot.waitUntil(lambda: dialog.error_label.isVisible() and not dialog.busy, timeout=WAIT)
    assert "Wrong user name or password" in dialog.error_label.text()
    assert dialog.isVisible() and not signed
    assert "b00020" in dialog.error_label.styleSheet()  # red
    save_screenshot(dialog, "login_dialog_wrong_password")
    # The user fixes the password (focus is back in it, all selected) and signs in.
    with qtbot.waitSignal(dialog.signed_in, timeout=WAIT):
        type_into_focus(qtbot, "pw-alice")
        press(qtbot, Qt.Key.Key_Return)


def test_unreachable_server_shows_a_message(qtbot, dialog) -> None:
    sign_in_with_keys(qtbot, dialog, "http://127.0.0.1:9", "alice", "pw-alice")
    qtbot.waitUntil(lambda: dialog.error_label.isVisible() and not dialog.busy, timeout=WAIT)
    assert "Cannot reach the server" in dialog.error_label.text()
    assert dialog.isVisible()
    save_screenshot(dialog, "login_dialog_unreachable")


def _connect(runner: BackgroundRunner, qtbot, server: EmbeddedServer, user: str) -> Connection:
    api = signed_in(server, user)
    return Connection(api=api, user=api.me(), server_url=server.url)


def test_a_refused_decision_stays_visible_and_ctrl_r_retries(qtbot, runner, open_window, seeded_server) -> None:
    window = open_window(_connect(runner, qtbot, seeded_server, "alice"))
    open_busiest_queue_with_keys(qtbot, window)
    item_id = window.session.current.id
    with seeded_server.engine.begin() as db:  # alice loses her role: the server answers 403
        db.execute(text("UPDATE users SET roles = '' WHERE username = 'alice'"))
    press(qtbot, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: len(window.session.status.failed) == 1, timeout=WAIT)
    assert window.banner.isVisible()
    assert any(f"Item {item_id}" in line for line in window.banner.messages())
    assert window.status.retry_button.isVisible()
    save_screenshot(window, "review_failed_decision")
    with seeded_server.engine.begin() as db:
        db.execute(text("UPDATE users SET roles = 'moderator' WHERE username = 'alice'"))
    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.session.status.failed and window.session.status.sent_total == 1, timeout=WAIT)
    assert not window.banner.isVisible()
    assert signed_in(seeded_server, "lena").item(item_id).decision.action is Action.NO_VIOLATION


def test_a_conflict_is_shown_in_the_banner(qtbot, runner, open_window, seeded_server) -> None:
    window = open_window(_connect(runner, qtbot, seeded_server, "alice"))
    open_busiest_queue_with_keys(qtbot, window)
    item_id = window.session.current.id
    bob = signed_in(seeded_server, "bob")
    bob.decide(
        item_id, DecisionRequest(action=Action.REMOVE_POST, reason=window.session.queue.default_reason), "k" * 16
    )
    press(qtbot, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: bool(window.banner.messages()), timeout=WAIT)
    assert window.banner.messages()[0].startswith(f"Item {item_id} was already decided by bob: remove_post")
    qtbot.wait(300)
    assert window.banner.isVisible()  # stays until dealt with
    save_screenshot(window, "review_conflict_banner")


def test_item_ids_past_two_to_the_31_are_shown_decided_and_sent(qtbot, runner, open_window, seeded_server) -> None:
    """Ids are 64-bit end to end: an item id past 2^31 is painted, committed to the outbox and decided on the server
    as itself (a Qt signal declared with int would have wrapped it round to a negative number)."""
    big = 3_000_000_000
    with Session(seeded_server.engine) as session:
        queue_id = add_queue(session, "big_ids")
        post_ids = add_channel(session, "big_ids_channel", utcnow(), posts=2, with_media=False)
        channel_id = session.get(PostRow, post_ids[0]).channel_id  # type: ignore[union-attr]
        due = utcnow() + timedelta(minutes=5)
        for n, post_id in enumerate(post_ids):
            add_item(
                session, queue_id, due + timedelta(minutes=n), channel_id=channel_id, post_id=post_id, item_id=big + n
            )
        session.commit()
    window = open_window(_connect(runner, qtbot, seeded_server, "alice"))
    painted: list[int] = []
    window.review.item_painted.connect(painted.append)
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.queue_list.model.row_of(queue_id) >= 0, timeout=WAIT)
    for _ in range(window.queue_list.model.row_of(queue_id)):
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.can_decide, timeout=WAIT)
    assert window.session.current is not None and window.session.current.id == big
    assert f"item #{big}" in window.review.header.deadline_label.text()
    press(qtbot, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: window.session.status.sent_total >= 1 and window.session.status.pending == 0, timeout=WAIT)
    assert painted[:2] == [big, big + 1]
    entries = signed_in(seeded_server, "lena").audit(item_id=big, action="decision").entries
    assert [(e.actor, e.details["action"]) for e in entries] == [("alice", "no_violation")]

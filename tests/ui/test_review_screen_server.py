"""The review screen against a real server: media prepared from the server's files and covered, the organisation's
wellness defaults applied, a note for colleagues saved, screenshots of real items."""

from __future__ import annotations

import requests
from PySide6.QtCore import Qt

from moderator_app.core.models import ItemKind
from moderator_app.workflow.items import media_settings
from tests.ui import media_samples as ms
from tests.ui.samples import save_screenshot
from tests.ui.test_review_keys import (  # noqa: F401 (fixtures)
    WAIT,
    _connect,
    open_busiest_queue_with_keys,
    open_window,
    press,
    runner,
    signed_in,
)


def put_wellness_defaults(server, **values: object) -> None:
    admin = signed_in(server, "ada")
    response = requests.put(
        f"{server.url}/api/v1/settings/wellness",
        json=values,
        headers={"Authorization": f"Bearer {admin.token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_real_items_organisation_defaults_and_a_note(qtbot, runner, open_window, seeded_server) -> None:  # noqa: F811
    put_wellness_defaults(seeded_server, grayscale=True, reveal_timeout_seconds=30, idle_seconds=120)
    window = open_window(_connect(runner, qtbot, seeded_server, "alice"))
    state = window.extras.state
    qtbot.waitUntil(lambda: state.settings.reveal_timeout_seconds == 30.0, timeout=WAIT)
    assert state.org_defaults is not None and state.settings.idle_seconds == 120.0
    assert window.review.media_view.reveal.timeout_seconds == 30.0
    assert media_settings().grayscale
    open_busiest_queue_with_keys(qtbot, window)
    session, screen = window.session, window.review

    shots: set[ItemKind] = set()
    for _ in range(30):
        qtbot.waitUntil(lambda: session.can_decide, timeout=WAIT)
        current = session.current
        qtbot.waitUntil(lambda shown=current: screen.review_item is shown, timeout=WAIT)
        kind = current.item.kind
        if kind not in shots and current.media and current.media[0].ok:
            view = screen.media_view
            assert not view.revealed
            assert ms.saturation(ms.grab_media(view, view.media_rect().adjusted(0, 0, 0, -40))) < 8
            save_screenshot(window, f"review_{kind.value}_item_server")
            shots.add(kind)
            if kind is ItemKind.POST:
                press(qtbot, Qt.Key.Key_V)
                assert view.revealed
                save_screenshot(window, "review_revealed_server")
                press(qtbot, Qt.Key.Key_V)
                item_id = current.id
                press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
                history = screen.details.history
                assert history.note_edit.hasFocus()
                qtbot.keyClicks(history.note_edit, "Same wallet as last week")
                press(qtbot, Qt.Key.Key_Return)
                qtbot.waitUntil(lambda h=history: h.status.text() == "Note saved", timeout=WAIT)
                entries = signed_in(seeded_server, "lena").item(item_id).history
                assert any(e.kind == "note" and e.note == "Same wallet as last week" for e in entries)
                assert history.tree.topLevelItem(0).text(4) == "Same wallet as last week"
        if len(shots) == 2:
            break
        press(qtbot, Qt.Key.Key_S)
        qtbot.waitUntil(lambda shown=current: session.current is not shown, timeout=WAIT)
    assert ItemKind.POST in shots

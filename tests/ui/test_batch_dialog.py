"""The batch confirmation shows what it decides, keys only, against the real server: one template picture with two
captions (a scam, and the warning against it) hashes as a near-duplicate; the dialog shows both items' media,
covered, and their texts; the moderator reveals each, unticks the warning and decides the scam alone."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import shiboken6
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QStyle
from sqlalchemy import Engine, text

from moderator_app.server.demo.images import ImageSpec, render_image
from moderator_app.server.media_hash import NEAR_DUPLICATE_DISTANCE, dhash, hamming
from moderator_app.ui.batch_dialog import BatchDialog
from moderator_app.ui.batch_rows import PAD, THUMB
from tests.media import imaging
from tests.ui import media_samples as ms
from tests.ui.keys import (
    CTRL,
    SHIFT,
    WAIT,
    connect,
    make_window,
    open_queue_with_keys,
    press,
    wait_for_dialog,
    wait_for_window,
)
from tests.ui.keys import runner as runner
from tests.ui.samples import save_screenshot

__all__ = ["make_window"]  # fixtures

SCAM = "Giveaway! Send 0.1 BTC, get 1 BTC back"
WARNING = "Warning: this giveaway is a scam, send nothing"


def plant_template_pair(engine: Engine) -> tuple[int, int, int]:
    """Two open one-picture posts get the same template picture with another caption each, are moved into one
    queue and made the earliest due (the scam first). Returns (scam item, warning item, queue)."""
    pictures = [render_image(ImageSpec("poster", 800, 600, "JPEG", 5, "giveaway_template", c)) for c in (SCAM, WARNING)]
    hashes = [dhash(picture.data) for picture in pictures]
    assert hashes[0] and hashes[1] and hamming(hashes[0], hashes[1]) <= NEAR_DUPLICATE_DISTANCE, "no longer alike"
    with engine.begin() as db:
        rows = db.execute(
            text(
                "SELECT i.id, i.post_id, i.queue_id, m.id FROM items i JOIN media m ON m.post_id = i.post_id "
                "WHERE i.status = 'pending' AND i.kind = 'post' AND m.kind = 'image' "
                "AND (SELECT COUNT(*) FROM media x WHERE x.post_id = i.post_id) = 1 ORDER BY i.id"
            )
        ).all()[:2]
        queue = rows[0][2]
        first = datetime.fromisoformat(str(db.execute(text("SELECT MIN(deadline) FROM items")).scalar_one()))
        for (item_id, post_id, _queue, media_id), picture, value, caption, hours in zip(
            rows, pictures, hashes, (SCAM, WARNING), (2, 1), strict=True
        ):
            db.execute(text("UPDATE media_blobs SET data = :d WHERE media_id = :m"), {"d": picture.data, "m": media_id})
            db.execute(
                text(
                    "UPDATE media SET mime_type = 'image/jpeg', width = 800, height = 600, size_bytes = :s, "
                    "sha256 = :h, dhash = :p WHERE id = :m"
                ),
                {"s": len(picture.data), "h": hashlib.sha256(picture.data).hexdigest(), "p": value, "m": media_id},
            )
            db.execute(text("UPDATE posts SET text = :t WHERE id = :p"), {"t": caption, "p": post_id})
            due = (first - timedelta(hours=hours)).isoformat(sep=" ")
            db.execute(
                text("UPDATE items SET queue_id = :q, deadline = :d WHERE id = :i"),
                {"q": queue, "d": due, "i": item_id},
            )
    return rows[0][0], rows[1][0], queue


def thumbnail_cell(dialog: BatchDialog, row: int) -> QRect:
    """Where the row's first thumbnail is painted, in the list's viewport (see batch_rows.RowDelegate)."""
    rect = dialog.list.visualItemRect(dialog.list.item(row))
    indicator = QApplication.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
    return QRect(rect.left() + PAD + indicator + 2 * PAD, rect.top() + PAD, THUMB.width(), THUMB.height())


def alice_decisions(engine: Engine, item_id: int) -> list[str]:
    with engine.connect() as db:
        query = (
            "SELECT d.action FROM decisions d JOIN users u ON u.id = d.user_id "
            "WHERE d.item_id = :i AND u.username = 'alice'"
        )
        return [row[0] for row in db.execute(text(query), {"i": item_id})]


def test_the_moderator_sees_every_duplicate_and_leaves_out_the_one_that_differs(
    qtbot, make_window, seeded_server
) -> None:
    engine = seeded_server.engine
    scam, warning, queue = plant_template_pair(engine)
    window = make_window(connect(seeded_server, "alice"))
    open_queue_with_keys(qtbot, window, queue)
    session = window.session
    qtbot.waitUntil(lambda: session.current is not None and window.review.review_item is session.current, timeout=WAIT)
    assert session.current.id == scam

    press(qtbot, Qt.Key.Key_D)
    dialog = wait_for_dialog(qtbot)
    assert isinstance(dialog, BatchDialog)
    assert [item.id for item in dialog.selected_items()] == [scam, warning]  # the hash groups them: both ticked
    preview = dialog.preview
    assert dialog.previewed().id == scam and preview.media_count == 1 and not preview.revealed
    list_image = dialog.list.viewport().grab().toImage()
    for row in (0, 1):  # each row shows its picture, covered
        cell = list_image.copy(thumbnail_cell(dialog, row))
        assert ms.saturation(cell) < 8 and imaging.laplacian_variance(cell) > 0
    covered = ms.grab_media(preview, preview.media_rect())
    assert ms.saturation(covered) < 8
    assert SCAM in dialog.text.toPlainText()
    save_screenshot(dialog, "batch_duplicates_template")

    press(qtbot, Qt.Key.Key_V)  # the review screen's reveal key: this item's picture only
    assert preview.revealed
    scam_shown = ms.grab_media(preview, preview.media_rect())
    assert ms.saturation(scam_shown) > 60
    assert imaging.laplacian_variance(scam_shown) > 5 * imaging.laplacian_variance(covered)

    press(qtbot, Qt.Key.Key_Down)  # the next item: covered again, its own text; nothing unticked by moving
    assert dialog.previewed().id == warning and not preview.revealed
    assert WARNING in dialog.text.toPlainText() and len(dialog.selected_items()) == 2
    press(qtbot, Qt.Key.Key_V)
    warning_shown = ms.grab_media(preview, preview.media_rect())
    assert ms.mean_abs_difference(scam_shown, warning_shown) > 0.5  # the captions differ where the hash could not see
    save_screenshot(dialog, "batch_duplicates_revealed")
    press(qtbot, Qt.Key.Key_A, CTRL | SHIFT)  # none, then all again
    assert dialog.selected_items() == [] and dialog.count_label.text() == "0 of 2 ticked"
    press(qtbot, Qt.Key.Key_A, CTRL)
    assert len(dialog.selected_items()) == 2
    press(qtbot, Qt.Key.Key_Space)  # untick the warning
    assert [item.id for item in dialog.selected_items()] == [scam]
    assert dialog.count_label.text() == "1 of 2 ticked"
    tracker = window.extras.tracker
    assert tracker.item_seconds(warning) > 0  # revealed time in the dialog counts, for the item it showed

    press(qtbot, Qt.Key.Key_R)  # remove: the ticked item only
    wait_for_window(qtbot, window)
    assert not preview.revealed
    qtbot.waitUntil(lambda: session.status.sent_total >= 1 and session.status.pending == 0, timeout=WAIT)
    assert alice_decisions(engine, scam) == ["remove_post"]
    assert alice_decisions(engine, warning) == []
    assert tracker.item_id == (session.current.id if session.current else None)  # back on the review screen


def test_the_panic_key_closes_the_batch_dialog_and_blanks_the_window(qtbot, make_window, seeded_server) -> None:
    scam, _warning, queue = plant_template_pair(seeded_server.engine)
    window = make_window(connect(seeded_server, "alice"))
    open_queue_with_keys(qtbot, window, queue)
    qtbot.waitUntil(lambda: window.session.current is not None and window.session.current.id == scam, timeout=WAIT)
    press(qtbot, Qt.Key.Key_X)  # the held items
    dialog = wait_for_dialog(qtbot)
    assert isinstance(dialog, BatchDialog) and dialog.previewed().id == scam
    press(qtbot, Qt.Key.Key_V)
    assert dialog.preview.revealed
    revealed_when_closed: list[bool] = []
    dialog.finished.connect(lambda _result: revealed_when_closed.append(dialog.preview.revealed))
    press(qtbot, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.extras.panic.active, timeout=WAIT)
    assert revealed_when_closed == [False]
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert window.session.status.pending == 0  # nothing was decided

"""Hand-made items and generated pictures for widget tests that need no server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QWidget

from moderator_app.core.models import (
    Channel,
    Claim,
    HistoryEntry,
    Item,
    ItemKind,
    ItemStatus,
    MediaKind,
    MediaRef,
    Post,
    Report,
    ReportSource,
    Signal,
    SignalKind,
)
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.media.prepare import PreparedMedia, prepare_media
from moderator_app.workflow.items import ReviewItem

SCREENSHOTS = Path(__file__).resolve().parents[1] / "_screenshots"
NOW = datetime.now(UTC)


def save_screenshot(widget: QWidget, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path)), f"could not save {path}"
    return path


def striped_picture(width: int = 800, height: int = 500, label: str = "SAMPLE TEXT 123") -> bytes:
    """A PNG with fine stripes and big text: detail that a real blur must remove."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#f4d03f"))
    painter = QPainter(image)
    for x in range(0, width, 6):
        painter.fillRect(x, 0, 3, height // 2, QColor("#1f3a93"))
    font = QFont()
    font.setPixelSize(height // 6)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#c0392b"))
    painter.drawText(QRect(0, height // 2, width, height // 2), Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def prepared(media_id: int, label: str = "SAMPLE TEXT 123") -> PreparedMedia:
    return prepare_media(
        media_id, striped_picture(label=label), declared_mime="image/png", display_size=QSize(640, 480)
    )


def channel(**changes: object) -> Channel:
    values: dict[str, object] = {
        "id": 7,
        "title": "<b>Crypto Moon Signals</b> 🚀",
        "handle": "moon_signals",
        "description": "Daily signals. <a href='http://x.example'>join</a>",
        "subscribers": 48_200,
        "created_at": NOW - timedelta(days=400),
        "verified": False,
        "strikes": 2,
        "language": "en",
    }
    values.update(changes)
    return Channel.model_validate(values)


def post(post_id: int, text: str, minutes_ago: int, media: list[MediaRef] | None = None) -> Post:
    return Post(
        id=post_id,
        channel_id=7,
        text=text,
        language="en",
        posted_at=NOW - timedelta(minutes=minutes_ago),
        views=12_345,
        forwarded_from=None,
        media=media or [],
    )


def item(item_id: int = 101, kind: ItemKind = ItemKind.POST, overdue: bool = False) -> Item:
    refs = [
        MediaRef(id=9000 + i, kind=MediaKind.IMAGE, mime_type="image/png", width=800, height=500, size_bytes=1)
        for i in range(2)
    ]
    flagged = post(501, "Send 100 USDT to <b>wallet</b> and get double back! http://scam.example", 30, refs)
    around = [post(500, "Yesterday's results were great", 24 * 60), flagged, post(502, "Last chance!!", 10)]
    return Item(
        id=item_id,
        kind=kind,
        queue_id=3,
        status=ItemStatus.CLAIMED,
        flagged_at=NOW - timedelta(hours=3, minutes=12),
        deadline=NOW + (timedelta(minutes=-20) if overdue else timedelta(hours=2, minutes=5)),
        channel=channel(),
        post=flagged if kind is ItemKind.POST else None,
        context_posts=around,
        reports=[
            Report(
                id=1,
                source=ReportSource.USER,
                reason=PolicyReason.SCAM_FRAUD,
                comment="lost my money <i>here</i>",
                country="DE",
                created_at=NOW - timedelta(hours=3),
            ),
            Report(
                id=2,
                source=ReportSource.TRUSTED_FLAGGER,
                reason=PolicyReason.SCAM_FRAUD,
                comment="known scam",
                country="FR",
                created_at=NOW - timedelta(hours=2),
            ),
            Report(
                id=3,
                source=ReportSource.AUTOMATED,
                reason=PolicyReason.SPAM,
                comment="",
                country="NL",
                created_at=NOW - timedelta(hours=1),
            ),
        ],
        signals=[
            Signal(kind=SignalKind.CLASSIFIER, label="scam", score=0.93, detail="model v4"),
            Signal(kind=SignalKind.HASH_MATCH, label="fraud-list", score=None, detail="entry FR-2291"),
        ],
        history=[
            HistoryEntry(
                at=NOW - timedelta(days=20),
                kind="decision",
                actor="bob",
                action=Action.REMOVE_POST,
                reason=PolicyReason.SCAM_FRAUD,
                note="same wallet",
                item_id=55,
            ),
        ],
        decision=None,
    )


def review_item(item_id: int = 101, kind: ItemKind = ItemKind.POST, overdue: bool = False) -> ReviewItem:
    made = item(item_id, kind, overdue)
    media = [prepared(9000), prepared(9001, "SECOND")] if kind is ItemKind.POST else [prepared(9002, "CHANNEL")]
    claim = Claim(item_id=item_id, queue_id=3, lease_expires_at=NOW + timedelta(minutes=5))
    return ReviewItem(item=made, claim=claim, media=media)

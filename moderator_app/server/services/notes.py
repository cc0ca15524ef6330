"""Colleagues' notes on items: written by any reviewer, shown in the history of the item and of its channel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.models import HistoryEntry
from moderator_app.server.errors import not_found
from moderator_app.server.services.audit import Actor, record
from moderator_app.server.tables import ItemNoteRow, ItemRow, UserRow


def entry(row: ItemNoteRow, author: str) -> HistoryEntry:
    return HistoryEntry(
        at=row.created_at, kind="note", actor=author, action=None, reason=None, note=row.text, item_id=row.item_id
    )


def add_note(session: Session, actor: Actor, item_id: int, text: str, now: datetime) -> HistoryEntry:
    """Store the note; audited ("note", with the note id and text); commits."""
    item = session.get(ItemRow, item_id)
    if item is None:
        raise not_found("Item", item_id)
    row = ItemNoteRow(item_id=item_id, user_id=actor.id, text=text, created_at=now)
    session.add(row)
    session.flush()
    record(
        session,
        "note",
        at=now,
        actor=actor,
        item_id=item_id,
        queue_id=item.queue_id,
        details={"note_id": row.id, "text": text},
    )
    session.commit()
    return entry(row, actor.username)


def channel_notes(session: Session, channel_id: int, limit: int, before: datetime | None = None) -> list[HistoryEntry]:
    """The newest notes on every item of the channel (written before `before`, when given), newest first."""
    query = (
        select(ItemNoteRow, UserRow.username)
        .join(ItemRow, ItemRow.id == ItemNoteRow.item_id)
        .join(UserRow, UserRow.id == ItemNoteRow.user_id)
        .where(ItemRow.channel_id == channel_id)
    )
    if before is not None:
        query = query.where(ItemNoteRow.created_at < before)
    rows = session.execute(query.order_by(ItemNoteRow.created_at.desc(), ItemNoteRow.id.desc()).limit(limit)).all()
    return [entry(row, author) for row, author in rows]

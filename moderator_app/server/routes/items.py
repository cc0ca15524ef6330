"""An item with its whole context, colleagues' notes on it, and its near-duplicates."""

from __future__ import annotations

from fastapi import APIRouter

from moderator_app.core.models import DuplicateItems, HistoryEntry, Item, NoteRequest
from moderator_app.server.deps import DbSession, Now, Reviewer
from moderator_app.server.routes.common import AUTHED, FORBIDDEN, NOT_FOUND, ItemId
from moderator_app.server.services import duplicates, notes, qa_blind

router = APIRouter(prefix="/items", tags=["items"], responses={**AUTHED, **FORBIDDEN})


@router.get("/{item_id}", response_model=Item, responses=NOT_FOUND)
def get_item(item_id: ItemId, user: Reviewer, session: DbSession, now: Now) -> Item:
    """The item with its context. A QA reviewer holding an unreviewed sample of it gets it blind, as its moderator
    saw it (no decision, nothing from the decision on), and other items of its channel without the later history."""
    return qa_blind.get_item(session, user, item_id, now)


@router.post("/{item_id}/notes", status_code=201, response_model=HistoryEntry, responses=NOT_FOUND)
def add_note(item_id: ItemId, body: NoteRequest, user: Reviewer, session: DbSession, now: Now) -> HistoryEntry:
    """A note for colleagues (1..2000 characters); it shows in the history of this item and of its channel's other
    items. Audited (note)."""
    return notes.add_note(session, user.actor, item_id, body.text, now)


@router.get("/{item_id}/duplicates", response_model=DuplicateItems, responses=NOT_FOUND)
def item_duplicates(item_id: ItemId, user: Reviewer, session: DbSession, now: Now) -> DuplicateItems:
    """Open items (pending, or claimed by you) whose media is a near-duplicate of this item's media: 64-bit
    difference hashes at most 6 bits apart. Earliest deadline first; empty for a flagged channel."""
    return duplicates.duplicates(session, item_id, user.id, now)

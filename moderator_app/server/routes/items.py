"""An item with its whole context."""

from __future__ import annotations

from fastapi import APIRouter

from moderator_app.core.models import Item
from moderator_app.server.deps import DbSession, Now, Reviewer
from moderator_app.server.routes.common import AUTHED, FORBIDDEN, NOT_FOUND, ItemId
from moderator_app.server.services import items

router = APIRouter(prefix="/items", tags=["items"], responses={**AUTHED, **FORBIDDEN})


@router.get("/{item_id}", response_model=Item, responses=NOT_FOUND)
def get_item(item_id: ItemId, _user: Reviewer, session: DbSession, now: Now) -> Item:
    return items.get_item(session, item_id, now)

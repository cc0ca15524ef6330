"""Review actions that need the server at once (unlike decisions, which wait in the outbox): the near-duplicates of
the shown media, reverting a decision already sent. Blocking calls for worker threads; the UI
runs them through the BackgroundRunner and shows the server's own message when one fails (a 403 says who may).
"""

from __future__ import annotations

from dataclasses import dataclass

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import NotFound
from moderator_app.core.models import Decision, Item
from moderator_app.workflow.items import ReviewItem

MAX_DUPLICATES = 200  # a batch larger than this is a job for a lead's bulk tools, not a keypress


@dataclass(frozen=True)
class Duplicates:
    items: list[Item]  # the shown item first, then the open near-duplicates
    supported: bool  # False: the server cannot group near-duplicates (yet)
    message: str = ""


def find_duplicates(api: ApiClient, shown: ReviewItem, held: list[ReviewItem]) -> Duplicates:
    """The shown item and the open items whose media the server groups with it; held items need no fetch."""
    try:
        ids = api.duplicates(shown.id)
    except NotFound as error:
        return Duplicates([shown.item], supported=False, message=error.message)
    known = {review_item.id: review_item.item for review_item in held}
    items = [shown.item]
    for item_id in ids[:MAX_DUPLICATES]:
        if item_id == shown.id:
            continue
        item = known.get(item_id)
        if item is None:
            try:
                item = api.item(item_id)
            except NotFound:
                continue  # decided and gone since the server listed it
        items.append(item)
    return Duplicates(items, supported=True)


def revert_decision(api: ApiClient, decision_id: int, note: str) -> Decision:
    note = note.strip()
    if not note:
        raise ValueError("Say why the decision is reverted (the note is audited).")
    return api.revert(decision_id, note)

"""Open items whose media is a near-duplicate of an item's media (perceptual dHash), for a batch decision.

Open means the caller could decide it now: pending (a lapsed lease included) or under the caller's own live claim,
never an item someone else holds. Hashes are stored on the media rows (the demo seeder and migration 0004 write
them); one missing (media stored by other means) is computed from the stored bytes for this answer only: this is a
read request, and a read must not take the database's write lock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from moderator_app.core.models import DuplicateItems, ItemStatus, MediaKind
from moderator_app.server.errors import not_found
from moderator_app.server.tables import ItemRow, MediaBlobRow, MediaRow


def _hashes(session: Session, rows: list[MediaRow]) -> dict[int, str]:
    """Media id -> hash, hashing the images that have none stored."""
    from moderator_app.server.media_hash import HEX_DIGITS, dhash  # Qt is loaded on the first request that asks

    # A hash of another length was made by another hash version (a database upgraded to an earlier draft of 0004):
    # its bits mean something else, so it is recomputed like a missing one rather than compared.
    found = {row.id: row.dhash for row in rows if row.dhash and len(row.dhash) == HEX_DIGITS}
    missing = [row for row in rows if row.id not in found and row.kind == MediaKind.IMAGE.value]
    for row in missing:
        blob = session.get(MediaBlobRow, row.id)
        value = dhash(blob.data) if blob is not None else None
        if value is not None:
            found[row.id] = value
    return found


def duplicates(session: Session, item_id: int, user_id: int, now: datetime) -> DuplicateItems:
    from moderator_app.server.media_hash import NEAR_DUPLICATE_DISTANCE

    item = session.get(ItemRow, item_id)
    if item is None:
        raise not_found("Item", item_id)
    if item.post_id is None:
        return DuplicateItems(item_ids=[])  # a flagged channel has no media of its own
    own = _hashes(session, list(session.scalars(select(MediaRow).where(MediaRow.post_id == item.post_id))))
    targets = [int(value, 16) for value in own.values()]
    if not targets:
        return DuplicateItems(item_ids=[])
    mine_or_free = or_(
        ItemRow.status == ItemStatus.PENDING.value,
        and_(
            ItemRow.status == ItemStatus.CLAIMED.value,
            or_(
                ItemRow.lease_expires_at.is_(None),
                ItemRow.lease_expires_at <= now,
                ItemRow.claimed_by == user_id,
            ),
        ),
    )
    candidates = session.execute(
        select(ItemRow.id, ItemRow.deadline, MediaRow)
        .join(MediaRow, MediaRow.post_id == ItemRow.post_id)
        .where(ItemRow.id != item_id, ItemRow.post_id.is_not(None), mine_or_free)
    ).all()
    hashes = _hashes(session, [media for _item, _deadline, media in candidates])
    matched: dict[int, datetime] = {}
    for candidate, deadline, media in candidates:
        value = hashes.get(media.id)
        if value is None or candidate in matched:
            continue
        number = int(value, 16)
        if any((number ^ target).bit_count() <= NEAR_DUPLICATE_DISTANCE for target in targets):
            matched[candidate] = deadline
    ordered = sorted(matched, key=lambda i: (matched[i], i))
    return DuplicateItems(item_ids=ordered)

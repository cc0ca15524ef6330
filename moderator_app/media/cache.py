"""An in-memory least-recently-used cache of prepared media, bounded by the bytes its pixels hold.

Flagged media never touches the disk, so this is the only cache. Workers put() from their threads while the UI
thread get()s, hence the lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from moderator_app.media.prepare import PreparedMedia


class MediaCache:
    """Prepared media by media id, oldest-used evicted first once the pixel bytes exceed max_bytes."""

    def __init__(self, max_bytes: int) -> None:
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        self._max_bytes = max_bytes
        self._items: OrderedDict[int, PreparedMedia] = OrderedDict()
        self._sizes: dict[int, int] = {}
        self._total = 0
        self._lock = threading.Lock()

    @property
    def max_bytes(self) -> int:
        return self._max_bytes

    @property
    def total_bytes(self) -> int:
        with self._lock:
            return self._total

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, media_id: object) -> bool:
        with self._lock:
            return media_id in self._items

    def ids(self) -> list[int]:
        """Cached media ids, least recently used first."""
        with self._lock:
            return list(self._items)

    def get(self, media_id: int) -> PreparedMedia | None:
        """The cached media, marked as just used; None when absent."""
        with self._lock:
            media = self._items.get(media_id)
            if media is not None:
                self._items.move_to_end(media_id)
            return media

    def put(self, media: PreparedMedia) -> list[int]:
        """Cache media (replacing an entry with the same id) and return the ids evicted to make room.

        Media larger than the whole budget is not kept; an older entry with the same id is dropped either way.
        """
        size = media.nbytes
        with self._lock:
            self._remove(media.media_id)
            if size > self._max_bytes:
                return []
            evicted: list[int] = []
            while self._items and self._total + size > self._max_bytes:
                oldest = next(iter(self._items))
                self._remove(oldest)
                evicted.append(oldest)
            self._items[media.media_id] = media
            self._sizes[media.media_id] = size
            self._total += size
            return evicted

    def pop(self, media_id: int) -> PreparedMedia | None:
        """Remove and return the media, None when absent."""
        with self._lock:
            media = self._items.get(media_id)
            self._remove(media_id)
            return media

    def clear(self) -> None:
        """Forget everything (e.g. after idle or sign-out: nothing flagged stays in memory longer than needed)."""
        with self._lock:
            self._items.clear()
            self._sizes.clear()
            self._total = 0

    def _remove(self, media_id: int) -> None:
        if media_id in self._items:
            del self._items[media_id]
            self._total -= self._sizes.pop(media_id)

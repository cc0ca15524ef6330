"""MediaCache: an LRU bounded by pixel bytes, safe to share between threads."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from moderator_app.media.cache import MediaCache
from moderator_app.media.prepare import PreparedMedia


def item(media_id: int, width: int = 100, height: int = 100, with_original: bool = True) -> PreparedMedia:
    covered = QImage(QSize(width, height), QImage.Format.Format_RGB32)
    covered.fill(0xFF101010)
    original = QImage(QSize(width, height), QImage.Format.Format_RGB32) if with_original else None
    if original is not None:
        original.fill(0xFF202020)
    return PreparedMedia(media_id, covered, original, None, width, height)


ITEM_BYTES = 2 * 100 * 100 * 4  # covered + original, RGB32


def test_nbytes_counts_covered_and_original() -> None:
    assert item(1).nbytes == ITEM_BYTES
    assert item(1, with_original=False).nbytes == ITEM_BYTES // 2


def test_evicts_least_recently_used_by_bytes() -> None:
    cache = MediaCache(max_bytes=3 * ITEM_BYTES)
    for media_id in (1, 2, 3):
        assert cache.put(item(media_id)) == []
    assert cache.total_bytes == 3 * ITEM_BYTES
    assert cache.get(1) is not None  # 1 is now the most recent
    assert cache.put(item(4)) == [2]
    assert cache.ids() == [3, 1, 4]
    assert 2 not in cache and cache.get(2) is None
    # A big item pushes out as many as it needs.
    assert cache.put(item(5, 200, 100)) == [3, 1]
    assert cache.ids() == [4, 5]
    assert cache.total_bytes == 3 * ITEM_BYTES


def test_replacing_an_id_does_not_double_count() -> None:
    cache = MediaCache(max_bytes=10 * ITEM_BYTES)
    cache.put(item(1))
    cache.put(item(1, with_original=False))
    assert len(cache) == 1
    assert cache.total_bytes == ITEM_BYTES // 2


def test_item_larger_than_the_budget_is_not_kept() -> None:
    cache = MediaCache(max_bytes=ITEM_BYTES // 4)
    assert cache.put(item(1)) == []
    assert len(cache) == 0 and cache.total_bytes == 0


def test_pop_and_clear() -> None:
    cache = MediaCache(max_bytes=10 * ITEM_BYTES)
    cache.put(item(1))
    cache.put(item(2))
    popped = cache.pop(1)
    assert popped is not None and popped.media_id == 1
    assert cache.pop(1) is None
    assert cache.total_bytes == ITEM_BYTES
    cache.clear()
    assert len(cache) == 0 and cache.total_bytes == 0


def test_budget_must_be_positive() -> None:
    with pytest.raises(ValueError):
        MediaCache(0)


def test_concurrent_puts_and_gets_keep_the_books_straight() -> None:
    cache = MediaCache(max_bytes=5 * ITEM_BYTES)
    items = [item(i) for i in range(40)]

    def worker(offset: int) -> None:
        for n in range(200):
            cache.put(items[(offset + n) % 40])
            cache.get((offset * 7 + n) % 40)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 5
    assert cache.total_bytes == sum(cache.get(i).nbytes for i in cache.ids())  # type: ignore[union-attr]
    assert cache.total_bytes <= cache.max_bytes

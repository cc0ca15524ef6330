"""UI test fixtures: the shared qasync loop (see tests/qt_async.py)."""

from __future__ import annotations

from tests.qt_async import qloop

__all__ = ["qloop"]

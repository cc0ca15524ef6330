"""UI test fixtures: the shared qasync loop (see tests/qt_async.py)."""

from __future__ import annotations

from tests.qt_async import qloop

__all__ = ["qloop"]


# --- the user's folders (review-screen helper) -------------------------------------------------------------

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings (splitter sizes, wellness and key overrides) go to a temporary folder, never the real home."""
    home = tmp_path_factory.mktemp("user-folders")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(home / "qsettings"))
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(home / "qsettings"))

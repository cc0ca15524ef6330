"""Where the app keeps its files: the user's data directory (platformdirs), never the temp folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "moderator-app"


def default_data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def demo_database(data_dir: Path) -> Path:
    return data_dir / "demo-server.sqlite3"


def server_database(data_dir: Path) -> Path:
    return data_dir / "server.sqlite3"


def outbox_file(data_dir: Path, server_url: str, username: str) -> Path:
    """One outbox per server and user, so a decision is never sent under someone else's name."""
    digest = hashlib.sha256(f"{server_url.rstrip('/')}|{username}".encode()).hexdigest()[:16]
    return data_dir / "outbox" / f"{digest}.sqlite3"

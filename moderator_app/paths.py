"""Where the app keeps its files: the user's data directory (platformdirs), never the temp folder."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "moderator-app"


def default_data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_config_dir() -> Path:
    """Where the user's own settings live (key bindings, review preferences): small JSON files, no secrets."""
    return Path(user_config_dir(APP_NAME, appauthor=False))


def resource_roots() -> list[Path]:
    """Where resources/ can be, most specific first: a PyInstaller bundle (build_installer.py puts the folder at
    sys._MEIPASS/resources), the source tree (editable install), then <prefix>/share for a regular install."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return [Path(bundle) / "resources"]
    return [Path(__file__).resolve().parents[1] / "resources", Path(sys.prefix) / "share" / APP_NAME / "resources"]


def resource_path(*parts: str) -> Path:
    """A file under resources/: the first root that has it (the first root when none has it, so that the error
    names the path where it was expected)."""
    roots = resource_roots()
    for root in roots:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return roots[0].joinpath(*parts)


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

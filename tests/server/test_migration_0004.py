"""Migration 0004 on a database with data: child-safety queues become sensitive, stored images get their hash."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from moderator_app.server.db import immediate, make_engine
from moderator_app.server.media_hash import dhash
from moderator_app.server.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from tests.server.test_media_hash import encode, picture

# An old SQLite file built by hand and upgraded under BEGIN IMMEDIATE: SQLite's own path (tests/server/conftest.py).
pytestmark = pytest.mark.sqlite_only


@pytest.mark.usefixtures("qapp")
def test_upgrading_from_0003_backfills_sensitivity_and_media_hashes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        config = alembic_config()
        with immediate(engine).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0003")
        assert current_revision(engine) == "0003"
        data = encode(picture(5), "JPEG", 80)
        now = datetime(2026, 11, 1, tzinfo=UTC).replace(tzinfo=None)
        with engine.begin() as connection:
            for key in ("child_safety", "spam"):
                connection.execute(
                    text(
                        "INSERT INTO queues (key, name, description, default_reason, priority, sla_seconds) "
                        "VALUES (:key, :key, '', 'other', 0, 3600)"
                    ),
                    {"key": key},
                )
            connection.execute(
                text(
                    "INSERT INTO channels (id, title, handle, description, subscribers, created_at, verified, strikes, "
                    "language) VALUES (1, 'c', 'c', '', 0, :now, 0, 0, 'en')"
                ),
                {"now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO posts (id, channel_id, text, language, posted_at, views) "
                    "VALUES (1, 1, '', 'en', :n, 0)"
                ),
                {"n": now},
            )
            for media_id, kind, blob in ((1, "image", data), (2, "image", b"not a picture"), (3, "video", b"\x00")):
                connection.execute(
                    text(
                        "INSERT INTO media (id, post_id, position, kind, mime_type, width, height, size_bytes, sha256) "
                        "VALUES (:id, 1, :id, :kind, 'image/jpeg', 640, 480, :size, :sha)"
                    ),
                    {"id": media_id, "kind": kind, "size": len(blob), "sha": hashlib.sha256(blob).hexdigest()},
                )
                connection.execute(
                    text("INSERT INTO media_blobs (media_id, data) VALUES (:id, :data)"), {"id": media_id, "data": blob}
                )

        upgrade_to_head(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            sensitive = dict(connection.execute(text("SELECT key, sensitive FROM queues")).all())
            hashes = dict(connection.execute(text("SELECT id, dhash FROM media")).all())
            sets = connection.execute(text("SELECT decision_set FROM queues")).scalars().all()
        assert sensitive == {"child_safety": 1, "spam": 0}
        assert hashes == {1: dhash(data), 2: None, 3: None}  # undecodable bytes and videos have no hash
        assert sets == [None, None]  # None: the defaults for the queue's key
    finally:
        engine.dispose()

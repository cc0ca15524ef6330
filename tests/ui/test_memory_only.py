"""Flagged media never reaches the disk: after a review session (reveal, zoom with the full-resolution decode, a
video played, decisions through the outbox, settings saved), no file under the user's folders or the temp folder
holds any of the media bytes the server served."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from moderator_app.workflow.queues import busiest_queue
from tests.ui.test_review_keys import signed_in

SLICE = 64
ROOT = Path(__file__).resolve().parents[2]


def distinctive_slices(data: bytes) -> list[bytes]:
    """Three 64-byte pieces from inside the file (headers are alike between files; the middle is not)."""
    if len(data) < 4 * SLICE:
        return [data]
    return [data[len(data) * k // 4 : len(data) * k // 4 + SLICE] for k in (1, 2, 3)]


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots for p in root.rglob("*") if p.is_file() and not p.is_symlink()]


def first_in_busiest_queue(server) -> int:
    """Move an open demo video item to the front of the busiest queue (the child reviews that one); its media id."""
    busiest = busiest_queue(signed_in(server, "alice").queues())
    assert busiest is not None
    with server.engine.begin() as db:
        item_id, media_id = db.execute(
            text(
                "SELECT i.id, m.id FROM items i JOIN media m ON m.post_id = i.post_id "
                "WHERE m.kind = 'video' AND i.status = 'pending' ORDER BY i.id"
            )
        ).first()
        first = datetime.fromisoformat(str(db.execute(text("SELECT MIN(deadline) FROM items")).scalar_one()))
        db.execute(
            text("UPDATE items SET queue_id = :q, deadline = :d WHERE id = :i"),
            {"q": busiest.id, "d": (first - timedelta(hours=1)).isoformat(sep=" "), "i": item_id},
        )
    return int(media_id)


@pytest.mark.slow
def test_a_review_session_leaves_no_media_on_disk(seeded_server, tmp_path: Path) -> None:
    home, temp = tmp_path / "home", tmp_path / "tmp"
    for folder in (home, temp):
        folder.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_RUNTIME_DIR": str(temp / "runtime"),
        "TMPDIR": str(temp),
        "TEMP": str(temp),
        "TMP": str(temp),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
    }
    video_media = first_in_busiest_queue(seeded_server)
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.memory_child", seeded_server.url, "8"],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    media_ids = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(media_ids) >= 3, "the session saw too few media to prove anything"
    assert video_media in media_ids, "the session played no video"

    api = signed_in(seeded_server, "lena")
    needles = [piece for media_id in media_ids for piece in distinctive_slices(api.media(media_id).data)]
    written = files_under(home, temp)
    assert any(p.name.endswith(".sqlite3") for p in written), "the outbox should be under the user's folders"
    assert any(p.suffix == ".json" for p in written) and any(p.suffix == ".conf" for p in written)
    found = [str(p.relative_to(tmp_path)) for p in written if any(n in p.read_bytes() for n in needles)]
    assert found == [], f"media bytes found on disk in {found}"

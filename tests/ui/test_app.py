"""The whole app in a child process, as the installer's smoke test runs it: embedded demo server, first item, quit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys, time
started = time.perf_counter()
from pathlib import Path
from moderator_app.app import GuiOptions, run_gui
sys.exit(run_gui(GuiOptions(data_dir=Path(sys.argv[1]), quit_after_shown=True, print_timing=True, started_at=started)))
"""


def run_app(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(data_dir)], capture_output=True, text=True, timeout=240, env=env
    )


@pytest.mark.slow
def test_embedded_run_shows_the_first_item_and_quits_cleanly(tmp_path: Path) -> None:
    first = run_app(tmp_path)  # seeds the demo database
    assert first.returncode == 0, first.stderr[-3000:]
    assert "first item shown after" in first.stdout
    again = run_app(tmp_path)  # reuses it, and the outbox of the first run
    assert again.returncode == 0, again.stderr[-3000:]
    assert "first item shown after" in again.stdout
    assert (tmp_path / "demo-server.sqlite3").exists()
    assert len(list((tmp_path / "outbox").glob("*.sqlite3"))) == 1  # one outbox, whatever port the server got

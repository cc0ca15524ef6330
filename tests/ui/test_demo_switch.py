"""Demo mode: the embedded run signs in as demo-moderator; "Switch demo user" signs in again as another demo user
and shows what that user's roles allow (run in a child process, like the installer's smoke test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from moderator_app import app as appmod

original = appmod.GuiRun._review

async def review(self, runner, connection, data_dir):
    def later():
        window = self.window
        if connection.user.username == "demo-moderator":
            print("first user demo-moderator", flush=True)
            window.roles.switch_user_requested.emit("demo-lead")
            return
        print("signed in as", connection.user.username, ",".join(window.roles.available), flush=True)
        window.roles.show_screen("lead")
        board = window.roles.parts["lead_board"]
        def done():
            if board.stats is None:
                QTimer.singleShot(200, done)
                return
            print("dashboard queues", len(board.stats.queues), flush=True)
            window.grab().save(sys.argv[2])
            window.close()
        QTimer.singleShot(200, done)
    QTimer.singleShot(1500, later)
    return await original(self, runner, connection, data_dir)

appmod.GuiRun._review = review
sys.exit(appmod.run_gui(appmod.GuiOptions(data_dir=Path(sys.argv[1]))))
"""


@pytest.mark.slow
def test_switch_demo_user_signs_in_as_the_demo_lead(tmp_path: Path) -> None:
    shots = Path(__file__).resolve().parents[1] / "_screenshots"
    shots.mkdir(exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), str(shots / "lead_dashboard_demo.png")],
        capture_output=True, text=True, timeout=240, env=env, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "first user demo-moderator" in done.stdout
    assert "signed in as demo-lead moderator,lead,appeals" in done.stdout
    assert "dashboard queues 7" in done.stdout

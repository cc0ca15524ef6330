"""Demo mode: the embedded run signs in as demo-moderator; "Switch demo user" signs in again as another demo user,
who lands on the screen of their role (run in a child process, like the installer's smoke test)."""

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
NEXT = {"demo-moderator": "demo-lead", "demo-lead": "demo-qa", "demo-qa": "demo-admin"}

async def review(self, runner, connection, data_dir):
    def later():
        window = self.window
        name = connection.user.username
        tabs = window.roles.widgets.get(window.roles.current)
        tab = type(tabs.currentWidget()).__name__ if tabs is not None and hasattr(tabs, "currentWidget") else "-"
        print("landed", name, window.roles.current, "review" if window.on_review_page else "no-review", tab,
              ",".join(window.roles.available), flush=True)
        if name != "demo-lead":
            if name in NEXT:
                window.roles.switch_user_requested.emit(NEXT[name])
            else:
                window.close()
            return
        board = window.roles.parts["lead_board"]
        def done():
            if board.stats is None or not board.moderators:
                QTimer.singleShot(200, done)
                return
            print("dashboard queues", len(board.stats.queues), flush=True)
            def shoot():
                window.grab().save(sys.argv[2])
                window.roles.switch_user_requested.emit(NEXT[name])
            QTimer.singleShot(300, shoot)  # the charts lay out before the picture
        QTimer.singleShot(200, done)
    QTimer.singleShot(1500, later)
    return await original(self, runner, connection, data_dir)

appmod.GuiRun._review = review
sys.exit(appmod.run_gui(appmod.GuiOptions(data_dir=Path(sys.argv[1]))))
"""


@pytest.mark.slow
def test_each_demo_user_lands_where_their_work_is(tmp_path: Path) -> None:
    """demo-moderator: the fullest queue's review screen; demo-lead: the dashboard; demo-qa: the blind review;
    demo-admin: the dashboard. Ctrl+Shift+U (switch_user_requested) signs out and in again as the next one."""
    shots = Path(__file__).resolve().parents[1] / "_screenshots"
    shots.mkdir(exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), str(shots / "lead_dashboard_demo.png")],
        capture_output=True, text=True, timeout=240, env=env, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    landed = [line.split()[1:] for line in done.stdout.splitlines() if line.startswith("landed ")]
    assert landed == [
        ["demo-moderator", "moderator", "review", "-", "moderator,appeals"],
        ["demo-lead", "lead", "no-review", "LeadDashboard", "moderator,lead,appeals"],
        ["demo-qa", "qa", "no-review", "BlindReviewScreen", "moderator,qa,appeals"],
        ["demo-admin", "lead", "no-review", "LeadDashboard", "moderator,lead,qa,appeals"],
    ], done.stdout
    assert "dashboard queues 7" in done.stdout

"""SIGKILL the client at random moments during bursts of decisions, restart it on the same outbox, and check that
every decision whose key was pressed (printed by the child after the outbox commit) reached the server exactly once,
and that no item was decided twice. The child is tests/workflow/kill_child.py; the server runs in this process."""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

from moderator_app.server.embedded import EmbeddedServer
from tests.workflow.dataset import clone_open_items, decision_counts, gather_in_queue

ROOT = Path(__file__).resolve().parents[2]
KILLS = 22
SEED = int(os.environ.get("KILL_TEST_SEED", "20261130"))


def start_child(url: str, outbox: Path, queue_id: int, count: int, seed: int) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-X",
        "faulthandler",  # a crash (not our kill) says where
        "-m",
        "tests.workflow.kill_child",
        url,
        str(outbox),
        str(queue_id),
        str(count),
        str(seed),
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_until(child: subprocess.Popen[str], stop_after_lines: int | None, deadline: float) -> list[str]:
    """Lines the child printed until it printed `stop_after_lines` decisions, exited, or the deadline passed."""
    assert child.stdout is not None
    lines: list[str] = []
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ)
    try:
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            line = child.stdout.readline()
            if not line:
                break  # exited
            lines.append(line.strip())
            decided = sum(1 for entry in lines if entry.startswith("decided "))
            if stop_after_lines is not None and decided >= stop_after_lines:
                break
    finally:
        selector.close()
    return lines


def pressed_ids(lines: list[str]) -> list[int]:
    return [int(line.split()[1]) for line in lines if line.startswith("decided ")]


def test_kills_at_random_moments_lose_nothing_and_double_nothing(seeded_server: EmbeddedServer, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    engine = seeded_server.engine
    queue_id = gather_in_queue(engine, "spam")
    assert clone_open_items(engine, "spam", 12) >= 450  # more than the runs can decide: none ends by itself
    outbox = tmp_path / "outbox.sqlite3"
    pressed: list[int] = []
    kinds = []
    for run in range(KILLS):
        child = start_child(seeded_server.url, outbox, queue_id, 1000, rng.randrange(1 << 30))
        started = time.monotonic()
        if rng.random() < 0.7:
            # During the burst: after a few decisions, then a little more (mid-commit, mid-send, mid-claim).
            lines = read_until(child, rng.randint(1, 6), started + 30)
            time.sleep(rng.uniform(0.0, 0.05))
            kinds.append("burst")
        else:
            lines = read_until(child, None, started + rng.uniform(0.2, 2.0))  # anywhere, start-up included
            kinds.append("anytime")
        child.send_signal(signal.SIGKILL)
        rest, errors = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, f"run {run} ended by itself: {errors[-2000:]}"
        lines += [line.strip() for line in rest.splitlines()]  # printed before the kill, still in the pipe
        pressed += pressed_ids(lines)

    # A last run that is not killed: it sends whatever the outbox still holds, then exits.
    final = start_child(seeded_server.url, outbox, queue_id, 0, 0)
    out, errors = final.communicate(timeout=60)
    assert final.returncode == 0 and "drained" in out, errors[-3000:]

    assert len(pressed) >= 40, f"too few decisions pressed to mean much ({len(pressed)}; seed {SEED})"
    assert len(set(pressed)) == len(pressed), f"an item was decided twice by key (seed {SEED})"
    counts = decision_counts(engine, "alice")
    missing = [item_id for item_id in pressed if item_id not in counts]
    doubled = {item_id: n for item_id, n in counts.items() if n != 1}
    assert not missing, f"pressed but never reached the server: {missing} (seed {SEED})"
    assert not doubled, f"reached the server more than once: {doubled} (seed {SEED})"
    assert kinds.count("burst") >= 10

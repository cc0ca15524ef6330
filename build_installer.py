"""Build a PyInstaller one-folder bundle of the client (embedded server included) and smoke-start it.

Usage: python build_installer.py [--no-smoke] [--dist DIR]

The bundle lands in build/dist/moderator-app/ (git-ignored). The smoke start runs the built program offscreen with
a fresh data directory and --quit-after-shown: it starts the embedded demo server, signs in, shows the first item
and quits; a non-zero exit or a hang fails the build.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NAME = "moderator-app"
SMOKE_TIMEOUT_SECONDS = 240


def pyinstaller_args(dist: Path, work: Path) -> list[str]:
    sep = os.pathsep
    package = ROOT / "moderator_app"
    return [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        "--onedir",
        "--name",
        NAME,
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        "--specpath",
        str(work),
        # Alembic reads its environment and migration scripts from files, so they travel as data.
        "--add-data",
        f"{package / 'server' / 'migrations'}{sep}moderator_app/server/migrations",
        "--add-data",
        f"{ROOT / 'resources'}{sep}resources",
        "--collect-submodules",
        "moderator_app",
        "--collect-submodules",
        "uvicorn",
        "--hidden-import",
        "sqlalchemy.dialects.sqlite",
        # We use widgets and QtGui only; leaving these out keeps the bundle small.
        "--exclude-module",
        "tkinter",
        "--exclude-module",
        "PySide6.QtWebEngineCore",
        "--exclude-module",
        "PySide6.QtQuick",
        "--exclude-module",
        "PySide6.QtQml",
        str(package / "__main__.py"),
    ]


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def smoke_start(executable: Path) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(prefix="moderator-smoke-") as data_dir:
        started = time.perf_counter()
        result = subprocess.run(
            [str(executable), "--data-dir", data_dir, "--quit-after-shown", "--print-timing"],
            env=env,
            timeout=SMOKE_TIMEOUT_SECONDS,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"smoke start failed with exit code {result.returncode}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-smoke", action="store_true", help="build only, do not start the bundle")
    parser.add_argument("--smoke", action="store_true", help="(default) start the bundle after building it")
    parser.add_argument("--dist", type=Path, default=ROOT / "build" / "dist", help="where the bundle goes")
    args = parser.parse_args()

    work = ROOT / "build" / "pyinstaller"
    started = time.perf_counter()
    subprocess.run(pyinstaller_args(args.dist, work), check=True, cwd=ROOT)
    bundle = args.dist / NAME
    executable = bundle / (NAME + (".exe" if sys.platform == "win32" else ""))
    if not executable.exists():
        raise SystemExit(f"the build produced no program at {executable}")
    print(f"bundle: {bundle}")
    print(f"size: {folder_size(bundle) / 1e6:.1f} MB, built in {time.perf_counter() - started:.1f} s")
    if not args.no_smoke:
        elapsed = smoke_start(executable)
        print(f"smoke start: ok in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

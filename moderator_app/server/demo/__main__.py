"""Seed a fresh SQLite file and print what it took: `python -m moderator_app.server.demo [--scale small] [--db PATH]`.

A measuring tool (seeding time, database size), not part of the server: the server seeds through app.create_app,
which runs the same steps (the dataset, the demo users, QA rows, the current shift).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from moderator_app.server.db import make_engine
from moderator_app.server.demo import DEFAULT_SEED, create_demo_users, seed_demo
from moderator_app.server.demo.qa import seed_demo_qa
from moderator_app.server.demo.shift import seed_demo_shift
from moderator_app.server.migrate import upgrade_to_head


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m moderator_app.server.demo", description=__doc__)
    parser.add_argument("--scale", choices=("full", "small"), default="full")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--db", type=Path, help="a new SQLite file (default: one in a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        path: Path = args.db or Path(scratch) / "demo.db"
        if path.exists():
            parser.error(f"{path} exists; give a new file")
        engine = make_engine(f"sqlite:///{path}")
        try:
            upgrade_to_head(engine)
            started = time.perf_counter()
            summary = seed_demo(engine, seed=args.seed, scale=args.scale)
            create_demo_users(engine)
            seed_demo_qa(engine)
            shift = seed_demo_shift(engine, seed=args.seed)
            total = time.perf_counter() - started
            with engine.connect() as connection:
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        finally:
            engine.dispose()
        for name in summary.__dataclass_fields__:
            print(f"{name:>16}: {getattr(summary, name)}")
        for name in shift.__dataclass_fields__:
            print(f"{'shift ' + name:>16}: {getattr(shift, name)}")
        print(f"{'all steps s':>16}: {total:.3f}")
        print(f"{'database MB':>16}: {path.stat().st_size / 1e6:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Command line: the GUI (default), `serve` (the reference server alone) and `users` (accounts on a server database).

Heavy imports (Qt, FastAPI, SQLAlchemy) happen inside the subcommands so that `--help` is instant and `serve`
never loads the GUI.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from moderator_app import __version__
from moderator_app.core.roles import Role
from moderator_app.paths import default_data_dir, server_database, sqlite_url

# Measured from the moment the command starts, for --print-timing.
STARTED_AT = time.perf_counter()

MIN_PASSWORD_LENGTH = 8


class CliError(Exception):
    """A problem with what the user asked for; printed as one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moderator-app",
        description="Review client for content moderators. With no server given, it starts an embedded demo server.",
    )
    parser.add_argument("--version", action="version", version=f"moderator-app {__version__}")
    parser.add_argument("--server", metavar="URL", help="moderation server to use, e.g. https://mod.example.org")
    parser.add_argument("--user", metavar="NAME", help="user name to sign in with")
    parser.add_argument("--data-dir", metavar="DIR", type=Path, help="where the app keeps its files")
    parser.add_argument(
        "--undo-seconds",
        type=float,
        default=None,
        metavar="S",
        help="how long a decision can be undone, 0-60 (default: the Review settings, 5 s until changed there)",
    )
    parser.add_argument("--quit-after-shown", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--print-timing", action="store_true", help="print the time from start to first item shown")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", metavar="{serve,users}")

    serve = sub.add_parser("serve", help="run the reference moderation server")
    serve.add_argument("--db", metavar="URL", help="database URL (default: SQLite in the data directory)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    serve.add_argument("--demo", action="store_true", help="seed the synthetic demo dataset and demo users")
    serve.add_argument("--data-dir", metavar="DIR", type=Path, help="where the default SQLite database lives")

    users = sub.add_parser("users", help="manage user accounts on a server database")
    users_sub = users.add_subparsers(dest="users_command", metavar="{add}", required=True)
    add = users_sub.add_parser("add", help="create a user; the password is read from a prompt or stdin")
    add.add_argument("name")
    add.add_argument("--role", action="append", required=True, choices=[r.value for r in Role], help="repeatable")
    add.add_argument("--display-name", help="name shown to colleagues (default: the user name)")
    add.add_argument("--db", metavar="URL", help="database URL (default: SQLite in the data directory)")
    add.add_argument("--data-dir", metavar="DIR", type=Path, help="where the default SQLite database lives")
    return parser


def _database_url(db: str | None, data_dir: Path | None) -> str:
    if db:
        return db
    directory = data_dir or default_data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return sqlite_url(server_database(directory))


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            raise CliError("the two passwords differ")
        password = first
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CliError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return password


def _serve(args: argparse.Namespace) -> int:
    from moderator_app.server.config import ServerSettings
    from moderator_app.server.embedded import run_server

    if not 0 < args.port < 65536:
        raise CliError(f"port {args.port} is not between 1 and 65535")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        logging.getLogger(__name__).warning(
            "listening on %s: put a TLS-terminating proxy in front; tokens travel in every request", args.host
        )
    settings = ServerSettings(
        db_url=_database_url(args.db, args.data_dir), host=args.host, port=args.port, demo=args.demo
    )
    run_server(settings)
    return 0


def _users_add(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import IntegrityError

    from moderator_app.server.db import make_engine
    from moderator_app.server.migrate import upgrade_to_head
    from moderator_app.server.users import create_user

    name = args.name.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise CliError("the user name must be 1 to 64 characters without spaces")
    password = _read_password()
    url = _database_url(args.db, args.data_dir)
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        user_id = create_user(engine, name, password, [Role(r) for r in args.role], display_name=args.display_name)
    except IntegrityError:
        raise CliError(f"a user named {name!r} exists already") from None
    finally:
        engine.dispose()
    print(f"created user {name} (id {user_id}) with roles {', '.join(args.role)}")
    return 0


def _gui(args: argparse.Namespace) -> int:
    from moderator_app.app import GuiOptions, run_gui

    if args.undo_seconds is not None and not 0 <= args.undo_seconds <= 60:
        raise CliError("--undo-seconds must be between 0 and 60")
    if args.server and not args.server.startswith(("http://", "https://")):
        raise CliError(f"the server URL must start with http:// or https:// (got {args.server!r})")
    return run_gui(
        GuiOptions(
            server_url=args.server,
            username=args.user,
            data_dir=args.data_dir,
            quit_after_shown=args.quit_after_shown,
            undo_seconds=args.undo_seconds,
            print_timing=args.print_timing,
            started_at=STARTED_AT,
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "users":
            return _users_add(args)
        return _gui(args)
    except CliError as error:
        print(f"moderator-app: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130

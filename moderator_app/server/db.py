"""Engine and sessions. SQLite (WAL, foreign keys, busy timeout) by default, PostgreSQL by URL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option read by the "begin" hook below; ignored on other databases.
_SQLITE_BEGIN = "moderator_sqlite_begin"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(db_url: str) -> Engine:
    """An engine that never puts statement parameters (post text, password hashes) into error messages."""
    url = make_url(db_url)
    if url.drivername in ("postgresql", "postgres"):
        # A bare postgresql:// URL means psycopg 3 (the "postgres" extra), not SQLAlchemy's default psycopg2.
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        # The server answers on a thread pool: one connection may be used by several threads in turn.
        engine = create_engine(
            url,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, hide_parameters=True, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so the "begin" hook decides how each one starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write transaction takes the database write lock up front (BEGIN IMMEDIATE): read-then-write work such
        # as "pick the next pending item, then mark it claimed" is serialized, so two claims can never pick the same
        # item, and a deferred transaction can never fail half-way when it upgrades to a writer.
        mode = connection.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def immediate(engine: Engine) -> Engine:
    """The same engine (and pool) whose transactions take the SQLite write lock when they begin."""
    return engine.execution_options(**{_SQLITE_BEGIN: "IMMEDIATE"})


class Sessions:
    """Session factories: `read()` for requests that only look, `write()` for requests that change state."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(immediate(engine), expire_on_commit=False)

    def read(self) -> Session:
        return self._read()

    def write(self) -> Session:
        return self._write()

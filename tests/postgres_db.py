"""Throw-away databases on the test PostgreSQL cluster named by MODERATOR_TEST_POSTGRES_URL.

The server tests run on PostgreSQL too when that variable is set (tests/server/conftest.py parametrizes them): the
seeded dataset is built once per session in a template database, and each test gets its own copy of it through
`CREATE DATABASE ... TEMPLATE` (made ahead on a background thread), dropped when the test ends.
"""

from __future__ import annotations

import os
import queue
import secrets
import threading

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from moderator_app.server.db import make_engine

POSTGRES_URL = os.environ.get("MODERATOR_TEST_POSTGRES_URL") or None
# Every database made here starts with this prefix, so a crashed run's leftovers are easy to recognise and drop.
PREFIX = "moderator_t_"


class PostgresCluster:
    """Creates and drops databases through an AUTOCOMMIT connection to the database of the given URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._admin: Engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
        # The run's own tag: parallel runs on one cluster never touch each other's databases.
        self.run_tag = secrets.token_hex(3)

    def url_of(self, name: str) -> str:
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def new_name(self, kind: str) -> str:
        return f"{PREFIX}{self.run_tag}_{kind}_{secrets.token_hex(4)}"

    def create(self, name: str, *, template: str | None = None) -> str:
        """Creates the database (a copy of `template` when given: nobody may be connected to it) and returns its URL."""
        copy = f' TEMPLATE "{template}"' if template else ""
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        return self.url_of(name)

    def drop(self, name: str) -> None:
        # FORCE ends connections a test left open (a server thread still stopping, a leaked engine).
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def dispose(self) -> None:
        self._admin.dispose()


class TemplateCopies:
    """Copies of one template database, made ahead of need on a background thread.

    CREATE DATABASE costs a fixed few hundred milliseconds (the system catalogs are copied too, whatever the data);
    made while the previous test runs, a copy is usually ready when the next test asks for one.
    """

    def __init__(self, cluster: PostgresCluster, template: str, *, ahead: int = 2) -> None:
        self.cluster = cluster
        self.template = template
        self._ready: queue.Queue[str] = queue.Queue(maxsize=ahead)
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._fill, name="postgres-template-copies", daemon=True)
        self._thread.start()

    def _fill(self) -> None:
        try:
            while not self._stop.is_set():
                name = self.cluster.new_name("db")
                self.cluster.create(name, template=self.template)
                while True:
                    try:
                        self._ready.put(name, timeout=0.1)
                        break
                    except queue.Full:
                        if self._stop.is_set():
                            self.cluster.drop(name)
                            return
        except BaseException as error:  # handed to the test that waits in take()
            self._error = error

    def take(self) -> str:
        """The name of a fresh copy; the caller drops it."""
        while True:
            try:
                return self._ready.get(timeout=0.1)
            except queue.Empty:
                if not self._thread.is_alive():
                    try:
                        return self._ready.get_nowait()
                    except queue.Empty:
                        raise RuntimeError(f"could not copy the template database {self.template}") from self._error

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)
        while True:
            try:
                self.cluster.drop(self._ready.get_nowait())
            except queue.Empty:
                return


class PostgresDatabases:
    """The databases of one test: `new()` makes one (a copy from `copies` when given), `drop_all()` drops them."""

    def __init__(self, cluster: PostgresCluster) -> None:
        self.cluster = cluster
        self.names: list[str] = []

    def new(self, copies: TemplateCopies | None = None) -> str:
        if copies is not None:
            name = copies.take()
            self.names.append(name)
            return self.cluster.url_of(name)
        name = self.cluster.new_name("db")
        self.names.append(name)
        return self.cluster.create(name)

    def drop_all(self) -> None:
        for name in reversed(self.names):
            self.cluster.drop(name)
        self.names.clear()

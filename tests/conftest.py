"""Shared fixtures: offscreen Qt, an in-memory keyring, and (below) real servers on temporary databases."""

from __future__ import annotations

import os

# Qt reads this when the first QGuiApplication is made; set it before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from sqlalchemy import Engine, text

from moderator_app.core.roles import Role
from moderator_app.server.config import ServerSettings
from moderator_app.server.db import make_engine
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.migrate import upgrade_to_head
from moderator_app.server.security import TEST_SCRYPT
from moderator_app.server.users import create_user
from tests.postgres_db import POSTGRES_URL, PostgresCluster, PostgresDatabases, TemplateCopies


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything when the test ends."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# --- servers on temporary databases (SERVER helper) -------------------------------------------------------


# The people of the seeded server; each one's password is "pw-<name>".
TEST_USERS: tuple[tuple[str, Role], ...] = (
    ("alice", Role.MODERATOR),
    ("bob", Role.MODERATOR),
    ("lena", Role.LEAD),
    ("quinn", Role.QA),
    ("ada", Role.ADMIN),
)


def password_of(username: str) -> str:
    return f"pw-{username}"


class MovableClock:
    """A server clock that tests move by hand (lease expiry, token expiry) instead of sleeping."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


def seed_dataset(engine: Engine) -> None:
    """The demo's small dataset when the demo package can seed one, else tests/factories.py."""
    try:
        from moderator_app.server.demo import seed_demo
    except ImportError as missing:
        if missing.name != "moderator_app.server.demo":
            raise  # the demo exists but is broken: say so rather than test with other data
        from tests.factories import seed_small

        seed_small(engine)
    else:
        seed_demo(engine, scale="small")


def create_test_users(engine: Engine) -> None:
    for username, role in TEST_USERS:
        create_user(engine, username, password_of(username), [role], username.title(), kdf=TEST_SCRYPT)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def seeded_db_template(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """One seeded database per test session; each test gets a copy (seeding costs more than copying)."""
    # The demo draws with QtGui and would create a bare QGuiApplication; make pytest-qt's QApplication first so
    # widget tests in the same session still work.
    request.getfixturevalue("qapp")
    path = tmp_path_factory.mktemp("seeded") / "template.db"
    engine = make_engine(sqlite_url(path))
    try:
        upgrade_to_head(engine)
        seed_dataset(engine)
        create_test_users(engine)
        with engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        engine.dispose()
    return path


@pytest.fixture
def seeded_db(seeded_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded database file."""
    path = tmp_path / "seeded.db"
    shutil.copyfile(seeded_db_template, path)
    return path


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    """The server fixtures' database: sqlite, or postgresql where pytest_generate_tests (below) parametrizes a test."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def seeded_db_url(db_backend: str, request: pytest.FixtureRequest) -> str:
    """The URL of the test's private copy of the seeded database (the seeded_db file on SQLite)."""
    if db_backend == "postgresql":  # see pytest_generate_tests
        copies = request.getfixturevalue("postgres_seeded_copies")
        return str(request.getfixturevalue("postgres_databases").new(copies))
    return sqlite_url(request.getfixturevalue("seeded_db"))


@pytest.fixture
def server_factory(
    tmp_path: Path, db_backend: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., EmbeddedServer]]:
    """make(demo=False, *, db_path=None, db_url=None, clock=None, **settings) -> a started server on a free port.

    Without db_path or db_url each server gets a new empty database of the test's backend."""
    servers: list[EmbeddedServer] = []
    # Asked for before any server starts, so its databases are dropped only after the servers stopped.
    postgres = request.getfixturevalue("postgres_databases") if db_backend == "postgresql" else None

    def make(
        demo: bool = False,
        *,
        db_path: Path | None = None,
        db_url: str | None = None,
        clock: Any = None,
        **settings: Any,
    ) -> EmbeddedServer:
        if demo:
            request.getfixturevalue("qapp")  # see seeded_db_template
        if db_url is None and db_path is None and postgres is not None:
            db_url = postgres.new()
        elif db_url is None:
            db_url = sqlite_url(db_path or tmp_path / f"server{len(servers)}.db")
        options: dict[str, Any] = {"port": 0, "password_kdf": TEST_SCRYPT, **settings}
        server = EmbeddedServer(ServerSettings(db_url=db_url, demo=demo, **options), clock=clock)
        server.start()
        servers.append(server)
        return server

    yield make
    for server in reversed(servers):
        server.stop()


@pytest.fixture
def seeded_server(seeded_db_url: str, server_factory: Callable[..., EmbeddedServer]) -> EmbeddedServer:
    """A running server with the small dataset and the users of TEST_USERS (alice, bob, lena, quinn, ada)."""
    return server_factory(db_url=seeded_db_url)


#: Test folders whose database fixtures run on both backends when MODERATOR_TEST_POSTGRES_URL is set: the server, and
#: the client and review pipeline against it. (The UI tests stay on SQLite: what they check is the screen.)
BOTH_BACKENDS = ("server", "client", "workflow")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Without the PostgreSQL URL nothing is parametrized: the same tests, with the same ids, on SQLite only."""
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    folder = Path(str(metafunc.definition.path)).parent.name
    if POSTGRES_URL and "db_backend" in metafunc.fixturenames and not sqlite_only and folder in BOTH_BACKENDS:
        metafunc.parametrize("db_backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    if not POSTGRES_URL:
        pytest.skip("set MODERATOR_TEST_POSTGRES_URL to run the server tests on PostgreSQL")
    cluster = PostgresCluster(POSTGRES_URL)
    yield cluster
    cluster.dispose()


@pytest.fixture(scope="session")
def postgres_seeded_template(postgres_cluster: PostgresCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    """The seeded dataset of seeded_db_template (tests/conftest.py), built once per session on PostgreSQL."""
    request.getfixturevalue("qapp")  # the demo draws with QtGui: see seeded_db_template
    name = postgres_cluster.new_name("template")
    engine = make_engine(postgres_cluster.create(name))
    try:
        upgrade_to_head(engine)
        seed_dataset(engine)
        create_test_users(engine)
    finally:
        engine.dispose()  # CREATE DATABASE ... TEMPLATE needs the template without connections
    yield name
    postgres_cluster.drop(name)


@pytest.fixture(scope="session")
def postgres_seeded_copies(
    postgres_cluster: PostgresCluster, postgres_seeded_template: str
) -> Iterator[TemplateCopies]:
    copies = TemplateCopies(postgres_cluster, postgres_seeded_template)
    yield copies
    copies.close()


@pytest.fixture
def postgres_databases(postgres_cluster: PostgresCluster) -> Iterator[PostgresDatabases]:
    """The test's own PostgreSQL databases, dropped after everything that used them (servers, engines) is closed."""
    databases = PostgresDatabases(postgres_cluster)
    yield databases
    databases.drop_all()

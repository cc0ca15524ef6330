"""Server test fixtures: the app in-process (TestClient) on a private copy of the seeded database, a movable clock.

With MODERATOR_TEST_POSTGRES_URL set, every test here that uses a database fixture (api, make_api, seeded_server,
server_factory, seeded_db_url) runs twice: on SQLite and on PostgreSQL (see tests/conftest.py). Mark a test
`sqlite_only` when what it checks is SQLite itself (file copies, WAL, BEGIN IMMEDIATE, SQLite's query plans), and
say why next to the mark.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from moderator_app.server.app import create_app
from moderator_app.server.config import ServerSettings
from moderator_app.server.db import make_engine
from moderator_app.server.security import TEST_SCRYPT
from tests.conftest import MovableClock, password_of

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


def make_test_client(app: FastAPI) -> TestClient:
    """TestClient, imported here: Starlette 1.x warns at import that it wants httpx2 (not installed here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    # Server errors come back as 500 answers (as a client would see them), not as exceptions in the test.
    return TestClient(app, raise_server_exceptions=False)


@dataclass
class Api:
    """A TestClient with per-user tokens: api.get("/queues", as_="alice")."""

    client: TestClient
    app: FastAPI
    engine: Engine
    clock: MovableClock
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str) -> str:
        if username not in self.tokens:
            response = self.client.post(
                "/api/v1/auth/login", json={"username": username, "password": password_of(username)}
            )
            assert response.status_code == 200, response.text
            self.tokens[username] = response.json()["token"]
        return self.tokens[username]

    def request(self, method: str, path: str, *, as_: str | None = None, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}) or {})
        if as_ is not None:
            headers["Authorization"] = f"Bearer {self.token(as_)}"
        return self.client.request(method, "/api/v1" + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def make_api(seeded_db_url: str, clock: MovableClock) -> Iterator[Callable[..., Api]]:
    """make(**settings) -> Api on the seeded database copy (one app per call, all sharing the database)."""
    engines: list[Engine] = []
    clients: list[TestClient] = []

    def make(**settings: Any) -> Api:
        options: dict[str, Any] = {"password_kdf": TEST_SCRYPT, **settings}
        engine = make_engine(seeded_db_url)
        engines.append(engine)
        app = create_app(ServerSettings(db_url=seeded_db_url, **options), engine=engine, clock=clock)
        client = make_test_client(app)
        clients.append(client)
        return Api(client, app, engine, clock)

    yield make
    for client in clients:
        client.close()
    for engine in engines:
        engine.dispose()


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()

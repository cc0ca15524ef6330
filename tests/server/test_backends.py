"""The database fixtures put a test on the backend its id names, on a private copy of the seeded data."""

from __future__ import annotations

from collections.abc import Callable

import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.migrate import current_revision, head_revision
from moderator_app.server.tables import QueueRow, UserRow
from tests.conftest import TEST_USERS
from tests.server.conftest import Api


def test_the_app_and_the_server_share_one_seeded_database_of_the_backend(
    api: Api, seeded_server: EmbeddedServer, db_backend: str
) -> None:
    assert api.engine.dialect.name == seeded_server.engine.dialect.name == db_backend
    with Session(api.engine) as session:
        assert {name for name, _ in TEST_USERS} <= set(session.scalars(select(UserRow.username)))
        queue = session.scalars(select(QueueRow).order_by(QueueRow.id)).first()
        assert queue is not None
        queue.name = "Renamed by the test"
        session.commit()
    login = requests.post(
        f"{seeded_server.url}/api/v1/auth/login", json={"username": "lena", "password": "pw-lena"}, timeout=10
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    queues = requests.get(f"{seeded_server.url}/api/v1/queues", headers=headers, timeout=10).json()
    assert "Renamed by the test" in {q["name"] for q in queues}


def test_a_server_without_a_database_gets_a_new_empty_one_of_the_backend(
    server_factory: Callable[..., EmbeddedServer], db_backend: str
) -> None:
    server = server_factory()
    assert server.engine.dialect.name == db_backend
    assert current_revision(server.engine) == head_revision()
    with Session(server.engine) as session:
        assert session.scalar(select(func.count()).select_from(QueueRow)) == 0

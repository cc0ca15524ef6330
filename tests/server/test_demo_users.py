"""The demo's sign-in accounts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moderator_app.core.roles import Role
from moderator_app.server.db import make_engine
from moderator_app.server.demo import DEMO_PASSWORD, DEMO_USERS, create_demo_users
from moderator_app.server.migrate import upgrade_to_head
from moderator_app.server.security import TEST_SCRYPT, verify_password
from moderator_app.server.tables import UserRow
from tests.conftest import sqlite_url


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(sqlite_url(tmp_path / "users.db"))
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


def test_demo_users_one_per_role_with_the_demo_password(engine: Engine) -> None:
    create_demo_users(engine, kdf=TEST_SCRYPT)
    create_demo_users(engine, kdf=TEST_SCRYPT)  # a second call changes nothing
    with Session(engine) as session:
        users = {u.username: u for u in session.scalars(select(UserRow))}
    assert set(users) == {name for name, _roles in DEMO_USERS}
    assert {Role(users[name].roles) for name, _ in DEMO_USERS} == set(Role)
    for name, roles in DEMO_USERS:
        assert users[name].active and users[name].roles == ",".join(r.value for r in roles)
        assert verify_password(DEMO_PASSWORD, users[name].password_hash)
        assert not verify_password("not-demo", users[name].password_hash)

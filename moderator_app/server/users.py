"""User accounts, for the command line (`moderator-app users ...`), the demo seeder and tests."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator_app.core.models import User
from moderator_app.core.roles import Role
from moderator_app.server.db import immediate
from moderator_app.server.security import DEFAULT_SCRYPT, ScryptParams, hash_password
from moderator_app.server.services.audit import record
from moderator_app.server.services.auth import normalize_username, parse_roles
from moderator_app.server.tables import UserRow, utcnow


class UserError(ValueError):
    """A user cannot be created or changed as asked; str() says why."""


def _checked(username: str, password: str) -> str:
    name = normalize_username(username)
    if not name or len(name) > 64:
        raise UserError("a username has 1 to 64 characters")
    if not password or len(password) > 256:
        raise UserError("a password has 1 to 256 characters")
    return name


def create_user(
    engine: Engine,
    username: str,
    password: str,
    roles: list[Role],
    display_name: str | None = None,
    *,
    kdf: ScryptParams = DEFAULT_SCRYPT,
) -> int:
    """Create an active user and return its id. Usernames are case-insensitive (stored lower case)."""
    name = _checked(username, password)
    if not roles:
        raise UserError("a user needs at least one role")
    role_values = sorted({Role(role).value for role in roles})
    password_hash = hash_password(password, kdf)  # slow: outside the transaction
    with Session(immediate(engine)) as session:
        row = UserRow(
            username=name,
            display_name=(display_name or name).strip()[:128] or name,
            password_hash=password_hash,
            roles=",".join(role_values),
            active=True,
            created_at=utcnow(),
        )
        session.add(row)
        try:
            session.flush()
        except IntegrityError:
            raise UserError(f"the username {name!r} is taken") from None
        record(
            session, "user_created", at=utcnow(), details={"user_id": row.id, "username": name, "roles": role_values}
        )
        session.commit()
        return row.id


def list_users(engine: Engine) -> list[User]:
    with Session(engine) as session:
        rows = session.scalars(select(UserRow).order_by(UserRow.username))
        return [
            User(id=r.id, username=r.username, display_name=r.display_name, roles=parse_roles(r.roles)) for r in rows
        ]


def _change(engine: Engine, username: str, action: str, details: dict[str, object], **values: object) -> None:
    name = normalize_username(username)
    with Session(immediate(engine)) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == name))
        if row is None:
            raise UserError(f"there is no user {name!r}")
        for field, value in values.items():
            setattr(row, field, value)
        record(session, action, at=utcnow(), details={"user_id": row.id, "username": name, **details})
        session.commit()


def set_password(engine: Engine, username: str, password: str, *, kdf: ScryptParams = DEFAULT_SCRYPT) -> None:
    _checked(username, password)
    _change(engine, username, "password_changed", {}, password_hash=hash_password(password, kdf))


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Deactivated users cannot sign in, and their tokens stop working at once."""
    _change(engine, username, "user_activated" if active else "user_deactivated", {}, active=active)

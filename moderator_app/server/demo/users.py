"""The demo's sign-in accounts, one per role, all with the password "demo". Only the demo mode creates them."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moderator_app.core.roles import Role
from moderator_app.server.security import DEFAULT_SCRYPT, ScryptParams
from moderator_app.server.tables import UserRow
from moderator_app.server.users import create_user

DEMO_PASSWORD = "demo"

# (username, roles), as the team plan names them.
DEMO_USERS: list[tuple[str, list[Role]]] = [
    ("demo-moderator", [Role.MODERATOR]),
    ("demo-lead", [Role.LEAD]),
    ("demo-qa", [Role.QA]),
    ("demo-admin", [Role.ADMIN]),
]
DISPLAY_NAMES: dict[str, str] = {
    "demo-moderator": "Demo Moderator",
    "demo-lead": "Demo Lead",
    "demo-qa": "Demo QA Reviewer",
    "demo-admin": "Demo Admin",
}


def create_demo_users(engine: Engine, *, kdf: ScryptParams = DEFAULT_SCRYPT) -> None:
    """Create the demo accounts that do not exist yet (so a second call changes nothing)."""
    with Session(engine) as session:
        existing = set(session.scalars(select(UserRow.username)))
    for username, roles in DEMO_USERS:
        if username not in existing:
            create_user(engine, username, DEMO_PASSWORD, roles, DISPLAY_NAMES[username], kdf=kdf)

"""Sign-in: credentials, the signed-in user and the token answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from moderator_app.core.models.base import WireModel
from moderator_app.core.roles import Role

# --- auth -------------------------------------------------------------------------------------------------


class LoginRequest(WireModel):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class User(WireModel):
    id: int
    username: str
    display_name: str
    roles: list[Role]


class LoginResponse(WireModel):
    token: str
    expires_at: datetime
    user: User

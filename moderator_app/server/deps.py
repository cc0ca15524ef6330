"""Request dependencies as Annotated aliases: settings, clock, a database session, the signed-in user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from moderator_app.core.errors import ErrorCode
from moderator_app.core.roles import Permission
from moderator_app.server.config import ServerSettings
from moderator_app.server.db import Sessions
from moderator_app.server.errors import ApiError
from moderator_app.server.services.auth import AuthService, AuthUser

Clock = Callable[[], datetime]
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# What each permission lets a person do, for 403 messages a moderator can read.
_PERMISSION_WORDS: dict[Permission, str] = {
    Permission.REVIEW: "review items",
    Permission.VIEW_AUDIT: "view the audit log",
    Permission.REVERT_DECISION: "revert decisions",
    Permission.MANAGE_QUEUES: "manage queues",
    Permission.MANAGE_USERS: "manage users",
    Permission.QA_REVIEW: "do QA reviews",
    Permission.FILE_APPEALS: "file appeals",
    Permission.MANAGE_SETTINGS: "change the organisation's settings",
}


@dataclass
class ServerState:
    """Everything the routes share, kept on app.state.server (no module globals)."""

    settings: ServerSettings
    sessions: Sessions
    auth: AuthService
    clock: Clock


def get_state(request: Request) -> ServerState:
    return request.app.state.server  # type: ignore[no-any-return]


State = Annotated[ServerState, Depends(get_state)]


def get_settings(state: State) -> ServerSettings:
    return state.settings


Settings = Annotated[ServerSettings, Depends(get_settings)]


def get_now(state: State) -> datetime:
    return state.clock()


Now = Annotated[datetime, Depends(get_now)]


def get_session(request: Request, state: State) -> Iterator[Session]:
    """One session per request; requests that change state take the write path (see db.Sessions)."""
    session = state.sessions.read() if request.method in _READ_METHODS else state.sessions.write()
    try:
        yield session
    finally:
        session.close()  # rolls back whatever the route did not commit


DbSession = Annotated[Session, Depends(get_session)]

_bearer = HTTPBearer(auto_error=False, description="The token from POST /api/v1/auth/login.")


def get_current_user(
    state: State,
    session: DbSession,
    now: Now,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AuthUser:
    return state.auth.authenticate(session, credentials.credentials if credentials else None, now)


CurrentUser = Annotated[AuthUser, Depends(get_current_user)]


def check_permission(user: AuthUser, permission: Permission) -> None:
    if permission not in user.permissions:
        roles = ", ".join(role.value for role in user.roles) or "none"
        raise ApiError(
            403,
            ErrorCode.FORBIDDEN,
            f"Your role ({roles}) does not allow you to {_PERMISSION_WORDS[permission]}.",
            {"permission": permission.value},
        )


def _requires(permission: Permission) -> Callable[[AuthUser], AuthUser]:
    def dependency(user: CurrentUser) -> AuthUser:
        check_permission(user, permission)
        return user

    return dependency


def _requires_any(*permissions: Permission) -> Callable[[AuthUser], AuthUser]:
    def dependency(user: CurrentUser) -> AuthUser:
        if not user.permissions & set(permissions):
            check_permission(user, permissions[0])  # raises, naming the first
        return user

    return dependency


Reviewer = Annotated[AuthUser, Depends(_requires(Permission.REVIEW))]
AuditViewer = Annotated[AuthUser, Depends(_requires(Permission.VIEW_AUDIT))]
Reverter = Annotated[AuthUser, Depends(_requires(Permission.REVERT_DECISION))]
Manager = Annotated[AuthUser, Depends(_requires(Permission.MANAGE_QUEUES))]
QaReviewer = Annotated[AuthUser, Depends(_requires(Permission.QA_REVIEW))]
AppealFiler = Annotated[AuthUser, Depends(_requires(Permission.FILE_APPEALS))]
SettingsAdmin = Annotated[AuthUser, Depends(_requires(Permission.MANAGE_SETTINGS))]
AppealReader = Annotated[AuthUser, Depends(_requires_any(Permission.REVIEW, Permission.FILE_APPEALS))]

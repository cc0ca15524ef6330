"""Sign in, sign out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from moderator_app.core.models import LoginRequest, LoginResponse, User
from moderator_app.server.deps import CurrentUser, DbSession, Now, State
from moderator_app.server.errors import error_doc
from moderator_app.server.routes.common import AUTHED

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/login",
    response_model=LoginResponse,
    responses={
        401: error_doc("Wrong username or password (bad_credentials)"),
        422: error_doc("The request is malformed (invalid_request)"),
        429: error_doc("Too many failed attempts (rate_limited); see Retry-After"),
    },
)
def login(body: LoginRequest, request: Request, session: DbSession, state: State, now: Now) -> LoginResponse:
    address = request.client.host if request.client else "unknown"
    return state.auth.login(session, body.username, body.password, address, now)


@router.post("/logout", status_code=204, response_class=Response, responses=AUTHED)
def logout(user: CurrentUser, session: DbSession, state: State, now: Now) -> Response:
    state.auth.logout(session, user, now)
    return Response(status_code=204)


@router.get("/me", response_model=User, responses=AUTHED)
def me(user: CurrentUser) -> User:
    return user.to_wire()

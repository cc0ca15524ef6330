"""Sign-in: password check with a rate limit, opaque tokens with expiry, and the signed-in user."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import LoginResponse, User
from moderator_app.core.roles import Permission, Role, permissions_for
from moderator_app.server import security
from moderator_app.server.config import ServerSettings
from moderator_app.server.errors import ApiError
from moderator_app.server.services.audit import Actor, record
from moderator_app.server.tables import TokenRow, UserRow

log = logging.getLogger(__name__)

# One address may be shared by a whole office (or be the load balancer), so it gets more room than one username.
ADDRESS_FAILURE_FACTOR = 5
_BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def normalize_username(username: str) -> str:
    return username.strip().lower()


def parse_roles(stored: str) -> list[Role]:
    return [Role(value) for value in stored.split(",") if value]


@dataclass(frozen=True, slots=True)
class AuthUser:
    id: int
    username: str
    display_name: str
    roles: tuple[Role, ...]
    token_id: int

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_for(set(self.roles))

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.username)

    def to_wire(self) -> User:
        return User(id=self.id, username=self.username, display_name=self.display_name, roles=list(self.roles))


class LoginLimiter:
    """Counts failed sign-ins per username and per client address in a sliding window (in this process)."""

    def __init__(self, max_failures: int, window_seconds: float, max_keys: int = 10_000) -> None:
        self._limits = {"user": max_failures, "addr": max_failures * ADDRESS_FAILURE_FACTOR}
        self._window = window_seconds
        self._max_keys = max_keys
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(username: str, address: str) -> list[tuple[str, str]]:
        return [("user", normalize_username(username)), ("addr", address)]

    def retry_after(self, keys: list[tuple[str, str]], now: float | None = None) -> float | None:
        """Seconds until another attempt is allowed, or None when it is allowed now."""
        now = time.monotonic() if now is None else now
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._prune(key, now)
                if times is not None and len(times) >= self._limits[key[0]]:
                    wait = max(wait, times[0] + self._window - now)
        return wait if wait > 0 else None

    def failed(self, keys: list[tuple[str, str]], now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._failures) >= self._max_keys:
                # Bounded memory under a spray of usernames: forget the stalest keys first.
                for stale in sorted(self._failures, key=lambda k: self._failures[k][-1])[: self._max_keys // 10]:
                    del self._failures[stale]
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, keys: list[tuple[str, str]]) -> None:
        with self._lock:
            for key in keys:
                if key[0] == "user":
                    self._failures.pop(key, None)

    def _prune(self, key: tuple[str, str], now: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self._window:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times


class AuthService:
    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.limiter = LoginLimiter(settings.login_max_failures, settings.login_window_seconds)
        self._dummy_hash: str | None = None

    def _dummy(self) -> str:
        # Checked against when the user does not exist, so that case costs as much time as a wrong password.
        if self._dummy_hash is None:
            self._dummy_hash = security.hash_password(security.new_token(), self.settings.password_kdf)
        return self._dummy_hash

    def login(self, session: Session, username: str, password: str, address: str, now: datetime) -> LoginResponse:
        keys = self.limiter.keys(username, address)
        wait = self.limiter.retry_after(keys)
        if wait is not None:
            seconds = max(1, int(wait + 0.999))
            log.warning("Sign-in refused by the rate limit (address %s)", address)
            raise ApiError(
                429,
                ErrorCode.RATE_LIMITED,
                f"Too many failed sign-in attempts. Try again in {seconds} seconds.",
                {"retry_after_seconds": seconds},
                {"Retry-After": str(seconds)},
            )
        name = normalize_username(username)
        row = session.scalar(select(UserRow).where(UserRow.username == name))
        account = None
        if row is not None:
            account = User(
                id=row.id, username=row.username, display_name=row.display_name, roles=parse_roles(row.roles)
            )
        stored = row.password_hash if row is not None and row.active else None
        # End the transaction before the slow hash so no database lock is held while it runs.
        session.rollback()
        ok = security.verify_password(password, stored or self._dummy())
        if not ok or account is None or stored is None:
            self.limiter.failed(keys)
            # Only a real account is named in the audit log: a mistyped password in the username field is not kept.
            actor = Actor(account.id, account.username) if account is not None else None
            record(session, "login_failed", at=now, actor=actor, details={"address": address})
            session.commit()
            log.info("Failed sign-in from %s", address)
            raise ApiError(401, ErrorCode.BAD_CREDENTIALS, "Wrong username or password.")
        self.limiter.succeeded(keys)
        token = security.new_token()
        expires_at = now + timedelta(seconds=self.settings.token_ttl_seconds)
        session.add(
            TokenRow(user_id=account.id, token_hash=security.token_digest(token), created_at=now, expires_at=expires_at)
        )
        record(session, "login", at=now, actor=Actor(account.id, account.username), details={"address": address})
        session.commit()
        log.info("%s signed in from %s", account.username, address)
        return LoginResponse(token=token, expires_at=expires_at, user=account)

    @staticmethod
    def authenticate(session: Session, token: str | None, now: datetime) -> AuthUser:
        if not token:
            raise ApiError(
                401,
                ErrorCode.UNAUTHENTICATED,
                "Sign in first: this request carries no token.",
                headers=_BEARER_CHALLENGE,
            )
        found = session.execute(
            select(TokenRow, UserRow)
            .join(UserRow, UserRow.id == TokenRow.user_id)
            .where(TokenRow.token_hash == security.token_digest(token))
        ).first()
        if found is None or found[0].revoked_at is not None or not found[1].active:
            raise ApiError(
                401,
                ErrorCode.UNAUTHENTICATED,
                "Sign in again: this token is unknown or was signed out.",
                headers=_BEARER_CHALLENGE,
            )
        token_row, user = found
        if token_row.expires_at <= now:
            raise ApiError(
                401, ErrorCode.TOKEN_EXPIRED, "Sign in again: the session has expired.", headers=_BEARER_CHALLENGE
            )
        return AuthUser(user.id, user.username, user.display_name, tuple(parse_roles(user.roles)), token_row.id)

    @staticmethod
    def logout(session: Session, user: AuthUser, now: datetime) -> None:
        token_row = session.get(TokenRow, user.token_id)
        if token_row is not None and token_row.revoked_at is None:
            token_row.revoked_at = now
        record(session, "logout", at=now, actor=user.actor)
        session.commit()

"""Signing in: a fresh login with a password, or a token kept from an earlier run when the server still takes it.

The keyring and HTTP calls block, so they run on worker threads; the login dialog only awaits these coroutines.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import ApiError, Unauthenticated
from moderator_app.client.tokens import TokenStore
from moderator_app.core.models import User
from moderator_app.workflow.tasks import BackgroundRunner

log = logging.getLogger(__name__)

ApiFactory = Callable[[str], ApiClient]


class SignInError(Exception):
    """A sign-in that did not work; str() is a sentence for the dialog."""


@dataclass
class Connection:
    """A signed-in user on one server."""

    api: ApiClient
    user: User
    server_url: str


def normalise_server_url(text: str) -> str:
    """What people type ("localhost:8765", "https://mod.example.org/") to the form the client and keys use."""
    url = text.strip().rstrip("/")
    if not url:
        raise SignInError("Enter the server address.")
    if "://" not in url:
        url = "http://" + url
    if not url.startswith(("http://", "https://")):
        raise SignInError(f"The server address must start with http:// or https:// (got {text.strip()!r}).")
    return url


class SignIn:
    """Creates connections; remembers tokens in the TokenStore (never passwords)."""

    def __init__(self, runner: BackgroundRunner, tokens: TokenStore, api_factory: ApiFactory = ApiClient) -> None:
        self._runner = runner
        self._tokens = tokens
        self._api_factory = api_factory

    @property
    def token_warning(self) -> str | None:
        """A sentence to show once when tokens cannot be kept safely between runs."""
        return self._tokens.warning

    def _make_api(self, server_url: str) -> ApiClient:
        try:
            return self._api_factory(server_url)
        except ValueError as error:
            raise SignInError(str(error)) from error

    async def sign_in(self, server_url: str, username: str, password: str) -> Connection:
        url = normalise_server_url(server_url)
        username = username.strip()
        if not username:
            raise SignInError("Enter your user name.")
        if not password:
            raise SignInError("Enter your password.")
        api = self._make_api(url)
        try:
            answer = await self._runner.call(api.login, username, password)
        except Unauthenticated as error:
            api.close()
            raise SignInError("Wrong user name or password.") from error
        except ApiError as error:
            api.close()
            raise SignInError(str(error)) from error
        await self._runner.call(self._tokens.save, url, username, answer.token)
        log.info("signed in to %s as %s", url, username)
        return Connection(api=api, user=answer.user, server_url=url)

    async def resume(self, server_url: str, username: str) -> Connection | None:
        """A connection from a kept token, or None when there is none or the server no longer accepts it."""
        try:
            url = normalise_server_url(server_url)
        except SignInError:
            return None
        token = await self._runner.call(self._tokens.load, url, username)
        if not token:
            return None
        api = self._make_api(url)
        api.token = token
        try:
            user = await self._runner.call(api.me)
        except Unauthenticated:
            api.close()
            await self._runner.call(self._tokens.delete, url, username)
            return None
        except ApiError as error:
            # Unreachable or broken server: fall back to the dialog, which will show the problem on sign-in.
            log.info("could not resume the session on %s: %s", url, error.code)
            api.close()
            return None
        return Connection(api=api, user=user, server_url=url)

    async def sign_out(self, connection: Connection) -> None:
        await self._runner.call(self._tokens.delete, connection.server_url, connection.user.username)
        try:
            await self._runner.call(connection.api.logout)
        except ApiError as error:
            log.info("logout failed: %s", error.code)

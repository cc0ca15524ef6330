"""Where the sign-in token is kept between runs: the system keyring, or nowhere.

A token is as good as a password for its lifetime, so it goes only into a real secret store (Secret Service, KWallet,
macOS Keychain, Windows Credential Locker). When the system has none, keyring falls back to backends that fail, do
nothing, or (keyrings.alt) write the secret to a plain-text file; we refuse all of those, keep the token in this
process's memory only, and tell the user why they will have to sign in again next time.
"""

from __future__ import annotations

import logging
from typing import TypeGuard

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

INSECURE_WARNING = "No secure keyring is available on this system; you will need to sign in again next time."
FAILED_WARNING = "The system keyring could not be used; you will need to sign in again next time."


class TokenStore:
    """Tokens keyed by server and user. ``secure`` is False when they survive only until the app quits."""

    def __init__(self, service: str = "moderator-app", backend: KeyringBackend | None = None) -> None:
        self.service = service
        self._memory: dict[str, str] = {}
        self._backend: KeyringBackend | None = usable_backend(backend if backend is not None else _current_backend())
        self.secure = self._backend is not None
        self.warning: str | None = None if self.secure else INSECURE_WARNING
        if not self.secure:
            log.info("no secure keyring backend; tokens are kept in memory only")

    def load(self, server_url: str, username: str) -> str | None:
        key = _key(server_url, username)
        if self._backend is None:
            return self._memory.get(key)
        try:
            return self._backend.get_password(self.service, key)
        except KeyringError as exc:
            self._give_up(exc)
            return self._memory.get(key)

    def save(self, server_url: str, username: str, token: str) -> None:
        key = _key(server_url, username)
        if self._backend is not None:
            try:
                self._backend.set_password(self.service, key, token)
                return
            except KeyringError as exc:
                self._give_up(exc)
        self._memory[key] = token

    def delete(self, server_url: str, username: str) -> None:
        key = _key(server_url, username)
        self._memory.pop(key, None)
        if self._backend is None:
            return
        try:
            self._backend.delete_password(self.service, key)
        except PasswordDeleteError:
            pass  # nothing stored: already the state we want
        except KeyringError as exc:
            self._give_up(exc)

    def _give_up(self, exc: KeyringError) -> None:
        """The keyring failed in use (locked, refused, gone): keep going in memory for the rest of the run."""
        log.warning("keyring failed (%s); tokens are kept in memory only from now on", type(exc).__name__)
        self._backend = None
        self.secure = False
        self.warning = INSECURE_WARNING if isinstance(exc, NoKeyringError) else FAILED_WARNING


def _key(server_url: str, username: str) -> str:
    return f"{server_url}|{username}"


def _current_backend() -> KeyringBackend | None:
    try:
        return keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not stop the app from starting
        log.warning("could not load a keyring backend", exc_info=True)
        return None


def usable_backend(backend: KeyringBackend | None) -> KeyringBackend | None:
    """The backend to store secrets in, or None when it would fail, drop them, or write them in plain text.

    A chainer is resolved to its best secure member, so a plain-text backend further down the chain is never used.
    """
    if backend is None or is_insecure(backend):
        return None
    if _is_chainer(backend):
        try:
            members = [member for member in backend.backends if not _is_chainer(member)]
        except Exception:  # discovering the chained backends imports third-party code
            log.warning("could not list the chained keyring backends", exc_info=True)
            return None
        for member in members:  # already sorted by priority, best first
            if usable_backend(member) is not None:
                return member
        return None
    return backend


def is_insecure(backend: KeyringBackend) -> bool:
    """True for backends that cannot keep a secret safe (judged by class, so unknown secure backends pass)."""
    cls = type(backend)
    module = cls.__module__ or ""
    if module.startswith("keyrings.alt"):
        return True  # every keyrings.alt backend is a file: plain text, base64, or with a master password on stdin
    if isinstance(backend, fail.Keyring | null.Keyring):
        return True
    return "plaintext" in cls.__name__.lower()


def _is_chainer(backend: KeyringBackend) -> TypeGuard[chainer.ChainerBackend]:
    return isinstance(backend, chainer.ChainerBackend)

"""Password hashing (scrypt, self-describing strings) and opaque bearer tokens (stored as sha256 hashes)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

_SCHEME = "scrypt"
_KEY_BYTES = 32
_SALT_BYTES = 16


@dataclass(frozen=True, slots=True)
class ScryptParams:
    n: int = 2**14
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        if self.n < 2 or self.n & (self.n - 1):
            raise ValueError("scrypt n must be a power of two greater than 1")
        if self.r < 1 or self.p < 1:
            raise ValueError("scrypt r and p must be positive")

    @property
    def maxmem(self) -> int:
        # hashlib refuses anything over 32 MiB by default; scrypt needs 128 * n * r bytes plus some slack.
        return 128 * self.n * self.r * (self.p + 2)


DEFAULT_SCRYPT = ScryptParams()
# For tests only: about a thousand times cheaper. Hashes made with it still verify with any settings.
TEST_SCRYPT = ScryptParams(n=2**4, r=8, p=1)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derive(password: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=params.maxmem,
        dklen=_KEY_BYTES,
    )


def hash_password(password: str, params: ScryptParams = DEFAULT_SCRYPT) -> str:
    """Return "scrypt$n$r$p$salt$key": the parameters travel with the hash so the cost can change later."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _derive(password, salt, params)
    return f"{_SCHEME}${params.n}${params.r}${params.p}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison; a malformed stored hash never matches."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != _SCHEME:
            return False
        params = ScryptParams(int(n), int(r), int(p))
        expected = _unb64(key)
        actual = _derive(password, _unb64(salt), params)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def new_token() -> str:
    """An opaque bearer token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps: a stolen database yields no usable token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

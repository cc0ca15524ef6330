"""TokenStore: the keyring when it is a real secret store, process memory otherwise."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, NoKeyringError

from moderator_app.client.tokens import FAILED_WARNING, INSECURE_WARNING, TokenStore
from tests.conftest import MemoryKeyring

URL = "http://127.0.0.1:8765"


class RecordingKeyring(KeyringBackend):
    """Stores like a keyring but remembers every write, so a test can prove nothing was written."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[tuple[str, str, str]] = []

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes.append((service, username, password))

    def delete_password(self, service: str, username: str) -> None:
        pass


class PlaintextKeyring(RecordingKeyring):
    """Named like keyrings.alt's plain-text file backend."""


class AltFileKeyring(RecordingKeyring):
    """Any backend living in keyrings.alt."""


AltFileKeyring.__module__ = "keyrings.alt.file"


class BrokenKeyring(KeyringBackend):
    """Like a locked Secret Service the user refused to unlock."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, error: KeyringError) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


def test_secure_keyring_stores_under_server_and_user(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    assert store.secure and store.warning is None
    assert store.load(URL, "alice") is None
    store.save(URL, "alice", "tok-a")
    store.save(URL, "bob", "tok-b")
    assert memory_keyring.secrets[("moderator-app", f"{URL}|alice")] == "tok-a"
    # A new store (a later run) finds it in the keyring.
    assert TokenStore().load(URL, "alice") == "tok-a"
    store.delete(URL, "alice")
    store.delete(URL, "alice")  # deleting what is not there is fine
    assert store.load(URL, "alice") is None
    assert store.load(URL, "bob") == "tok-b"


@pytest.mark.parametrize(
    "make_backend",
    [fail.Keyring, null.Keyring, PlaintextKeyring, AltFileKeyring],
    ids=["fail", "null", "plaintext", "keyrings.alt"],
)
def test_unusable_backends_mean_memory_only_with_a_warning(make_backend: type[KeyringBackend]) -> None:
    backend = make_backend()
    keyring.set_keyring(backend)
    store = TokenStore()
    assert store.secure is False
    assert store.warning == INSECURE_WARNING
    store.save(URL, "alice", "tok-a")
    assert store.load(URL, "alice") == "tok-a"
    if isinstance(backend, RecordingKeyring):
        assert backend.writes == []  # the token never reached the plain-text store
    # Memory only: the next run (a new store) does not have it.
    assert TokenStore().load(URL, "alice") is None
    store.delete(URL, "alice")
    assert store.load(URL, "alice") is None


def test_chainer_without_usable_backends_is_insecure() -> None:
    class EmptyChainer(chainer.ChainerBackend):
        backends = []  # type: ignore[assignment]

    class PlaintextOnlyChainer(chainer.ChainerBackend):
        backends = [PlaintextKeyring()]  # type: ignore[assignment]

    for backend in (EmptyChainer(), PlaintextOnlyChainer()):
        store = TokenStore(backend=backend)
        assert (store.secure, store.warning) == (False, INSECURE_WARNING)


def test_chainer_uses_its_secure_member_and_skips_plain_text() -> None:
    plain, secure = PlaintextKeyring(), MemoryKeyring()

    class MixedChainer(chainer.ChainerBackend):
        backends = [plain, secure]  # type: ignore[assignment]

    store = TokenStore(backend=MixedChainer())
    assert store.secure
    store.save(URL, "alice", "tok-a")
    assert plain.writes == []
    assert secure.secrets[("moderator-app", f"{URL}|alice")] == "tok-a"


@pytest.mark.parametrize(
    ("error", "warning"),
    [(NoKeyringError("none"), INSECURE_WARNING), (KeyringError("locked"), FAILED_WARNING)],
    ids=["no-keyring", "keyring-error"],
)
def test_keyring_failing_in_use_falls_back_to_memory(error: KeyringError, warning: str) -> None:
    store = TokenStore(backend=BrokenKeyring(error))
    assert store.secure  # it looked fine until used
    store.save(URL, "alice", "tok-a")
    assert (store.secure, store.warning) == (False, warning)
    assert store.load(URL, "alice") == "tok-a"


def test_keyring_failing_on_load_returns_nothing_and_warns() -> None:
    store = TokenStore(backend=BrokenKeyring(KeyringError("locked")))
    assert store.load(URL, "alice") is None
    assert store.secure is False and store.warning == FAILED_WARNING
    store.delete(URL, "alice")  # must not raise either

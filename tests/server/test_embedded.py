"""The embedded server: a real uvicorn in a daemon thread on a free port, stopped cleanly."""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from moderator_app.server.config import ServerSettings
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.server.security import TEST_SCRYPT


def _refuses_connections(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_starts_on_a_free_port_and_stops_cleanly(tmp_path: Path) -> None:
    settings = ServerSettings(db_url=f"sqlite:///{tmp_path / 'e.db'}", port=0, password_kdf=TEST_SCRYPT)
    before = {t.name for t in threading.enumerate()}
    with EmbeddedServer(settings) as server:
        assert server.port and server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}"
        with requests.Session() as http:  # a kept-alive connection must not hold up the stop
            health = http.get(f"{server.url}/api/v1/health", timeout=5)
            assert health.json()["status"] == "ok"
            started = time.monotonic()
            server.stop()
            assert time.monotonic() - started < 5
        assert not server.running
        assert _refuses_connections(server.port)
        server.stop()  # idempotent
    assert "embedded-server" not in {t.name for t in threading.enumerate()} - before


def test_two_servers_get_different_ports(server_factory: Callable[..., EmbeddedServer]) -> None:
    first, second = server_factory(), server_factory()
    assert first.port != second.port
    for server in (first, second):
        assert requests.get(f"{server.url}/api/v1/health", timeout=5).status_code == 200


def test_a_taken_port_fails_to_start_with_an_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        settings = ServerSettings(db_url=f"sqlite:///{tmp_path / 'e.db'}", port=taken.getsockname()[1])
        with pytest.raises(OSError):
            EmbeddedServer(settings).start()


def test_oversized_bodies_are_refused_on_the_wire(seeded_server: EmbeddedServer) -> None:
    url = f"{seeded_server.url}/api/v1/auth/login"
    declared = requests.post(url, json={"username": "alice", "password": "x" * 100_000}, timeout=10)
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "payload_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"username": "alice", "password": "'
        for _ in range(20):
            yield b"y" * 8192
        yield b'"}'

    streamed = requests.post(url, data=chunks(), headers={"Content-Type": "application/json"}, timeout=10)
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "payload_too_large"
    # The server is still fine afterwards.
    ok = requests.post(url, json={"username": "alice", "password": "pw-alice"}, timeout=10)
    assert ok.status_code == 200


def test_malformed_json_on_the_wire(seeded_server: EmbeddedServer) -> None:
    response = requests.post(
        f"{seeded_server.url}/api/v1/auth/login",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def _pending_total(server: EmbeddedServer, username: str, password: str) -> int:
    login = requests.post(
        f"{server.url}/api/v1/auth/login", json={"username": username, "password": password}, timeout=10
    )
    assert login.status_code == 200
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    queues = requests.get(f"{server.url}/api/v1/queues", headers=headers, timeout=10).json()
    assert "escalations" in {q["key"] for q in queues}
    return sum(q["pending"] for q in queues)


def test_demo_mode_seeds_an_empty_database_once(
    server_factory: Callable[..., EmbeddedServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = pytest.importorskip("moderator_app.server.demo", reason="the demo dataset is not written yet")
    # The wiring is under test here, not the dataset: the small scale keeps it quick.
    monkeypatch.setattr(demo, "seed_demo", functools.partial(demo.seed_demo, scale="small"))
    username = demo.DEMO_USERS[0][0]
    server = server_factory(demo=True)  # a new empty database
    total = _pending_total(server, username, demo.DEMO_PASSWORD)
    assert total > 0
    server.stop()
    again = server_factory(demo=True, db_url=server.settings.db_url)  # a database that has queues is left alone
    assert _pending_total(again, username, demo.DEMO_PASSWORD) == total

"""Run the server: in a background thread of the desktop app (EmbeddedServer), or in the foreground (run_server)."""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from types import TracebackType

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from moderator_app.server.app import create_app
from moderator_app.server.config import ServerSettings
from moderator_app.server.db import make_engine
from moderator_app.server.deps import Clock

log = logging.getLogger(__name__)


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    if sys.platform != "win32":  # on Windows the option lets another process steal the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _uvicorn_config(app: FastAPI, settings: ServerSettings) -> uvicorn.Config:
    # log_config=None: keep the application's logging setup; uvicorn's own loggers propagate into it.
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,
    )


class EmbeddedServer:
    """The server in a daemon thread on a pre-bound socket, so the real port is known before it starts."""

    def __init__(self, settings: ServerSettings, *, clock: Clock | None = None) -> None:
        self.settings = settings
        self._clock = clock
        self._engine: Engine | None = None
        self._app: FastAPI | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._port: int | None = None

    @property
    def url(self) -> str:
        if self._port is None:
            raise RuntimeError("the server is not started")
        host = f"[{self.settings.host}]" if ":" in self.settings.host else self.settings.host
        return f"http://{host}:{self._port}"

    @property
    def port(self) -> int | None:
        return self._port

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("the server is not started")
        return self._engine

    @property
    def app(self) -> FastAPI:
        if self._app is None:
            raise RuntimeError("the server is not started")
        return self._app

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 30) -> None:
        if self._thread is not None:
            raise RuntimeError("the server was already started")
        self._engine = make_engine(self.settings.db_url)
        try:
            self._app = create_app(self.settings, engine=self._engine, clock=self._clock)
            self._socket = _bind(self.settings.host, self.settings.port)
        except BaseException:
            self._engine.dispose()
            raise
        self._port = self._socket.getsockname()[1]
        self._server = uvicorn.Server(_uvicorn_config(self._app, self.settings))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="embedded-server", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the embedded server did not start (see the log)")
            time.sleep(0.01)
        log.info("Embedded server listening on %s", self.url)

    def stop(self, timeout: float = 10) -> None:
        """Idempotent; waits for the thread to finish."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("Embedded server did not stop in %s s; forcing it", timeout)
                self._server.force_exit = True
                self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._engine is not None:
            self._engine.dispose()
        self._server = None
        self._thread = None

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def run_server(settings: ServerSettings) -> None:
    """Serve in the foreground until interrupted (`moderator-app serve`)."""
    app = create_app(settings)
    log.info("Serving on http://%s:%s", settings.host, settings.port)
    uvicorn.Server(_uvicorn_config(app, settings)).run()

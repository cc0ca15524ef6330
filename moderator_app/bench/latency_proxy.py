"""A loopback TCP proxy that adds a fixed delay to every HTTP request, for benchmarks: the client talks to the proxy,
the proxy to the real server on 127.0.0.1.

The delay is applied once per request: to the first bytes the client sends after the server last answered on that
connection (HTTP/1.1 keep-alive is request, answer, request, ...). Answers flow back at full speed. It listens on
127.0.0.1 only, serves at most MAX_CONNECTIONS at once, and stop() (or the end of the process: daemon threads) ends it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

MAX_CONNECTIONS = 64
_CHUNK = 64 * 1024


class LatencyProxy:
    def __init__(self, target_port: int, delay_seconds: float) -> None:
        self.target_port = target_port
        self.delay = delay_seconds
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._thread = threading.Thread(target=self._accept, name="latency-proxy", daemon=True)
        self.requests = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LatencyProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()
            self._sockets.clear()
        self._thread.join(2)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by stop()
            if not self._slots.acquire(timeout=5):
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                self._slots.release()
                continue
            for sock in (client, upstream):
                sock.settimeout(None)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._sockets |= {client, upstream}
            state = {"answered": True}  # True: the next client bytes start a new request
            threading.Thread(target=self._pump_up, args=(client, upstream, state), daemon=True).start()
            threading.Thread(target=self._pump_down, args=(upstream, client, state), daemon=True).start()

    def _pump_up(self, client: socket.socket, upstream: socket.socket, state: dict[str, bool]) -> None:
        try:
            while not self._stop.is_set():
                data = client.recv(_CHUNK)
                if not data:
                    break
                if state["answered"]:
                    state["answered"] = False
                    self.requests += 1
                    time.sleep(self.delay)
                upstream.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                upstream.shutdown(socket.SHUT_WR)
            self._forget(client)

    def _pump_down(self, upstream: socket.socket, client: socket.socket, state: dict[str, bool]) -> None:
        try:
            while not self._stop.is_set():
                data = upstream.recv(_CHUNK)
                if not data:
                    break
                state["answered"] = True
                client.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_WR)
            self._forget(upstream)
            self._slots.release()

    def _forget(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.close()

"""A Redis server for the tests that need one (not a test module): its address, a link to it
that a test can cut, a stand-in that never answers, and the mark that skips them when none
answers (a failure in CI, see conftest.py)."""

import contextlib
import os
import socket
import threading

import pytest
import redis

# Database 15, which the site's own Redis setting never names: the tests empty it. Tests run in
# parallel (pytest -n, workers gw0, gw1, …) each take their own: 15, 14, …
WORKER_NUMBER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
REDIS_URL = f"redis://127.0.0.1:6379/{15 - WORKER_NUMBER}"


def redis_answers() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except (redis.RedisError, OSError):
        return False


needs_redis = pytest.mark.skipif(
    not redis_answers(), reason="no Redis server answers on 127.0.0.1:6379"
)


class CuttableLink:
    """A TCP proxy to the test Redis that a test can cut and mend, as a network outage would:
    while cut, every connection through it is closed at once. `url` names the same database."""

    def __init__(self) -> None:
        self.cut_off = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        port = self.listener.getsockname()[1]
        self.url = REDIS_URL.replace(":6379/", f":{port}/")
        self.open_sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self.cut_off.set()
        for open_socket in self.open_sockets:
            with contextlib.suppress(OSError):
                open_socket.shutdown(socket.SHUT_RDWR)

    def mend(self) -> None:
        self.cut_off.clear()

    def close(self) -> None:
        self.cut()
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if self.cut_off.is_set():
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", 6379))
            self.open_sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for either in (source, sink):
            with contextlib.suppress(OSError):
                either.shutdown(socket.SHUT_RDWR)


class SilentRedis:
    """Where a hung Redis would be: it accepts connections and never answers, as a server
    stuck or behind a network that drops packets does. `url` names it."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.listener.close()
        for connection in self.held:
            connection.close()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return  # closed
            self.held.append(connection)  # kept open, never read nor written

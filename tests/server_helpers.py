"""Running the site as a real server for a test (gunicorn from gunicorn.conf.py): a free port,
and waiting until it answers. Shared by the deployment and load tests (not a test module)."""

import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: int = 15) -> None:
    for _ in range(seconds * 10):
        if server.poll() is not None:
            raise AssertionError(f"gunicorn stopped: {server.stdout.read()}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"gunicorn did not answer within {seconds} s")

"""Running the site as a real server for a test (gunicorn from gunicorn.conf.py): its settings,
its tables, a free port, and waiting until it answers. Shared by the deployment, slow-client and
load tests (not a test module)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from html_checks import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_env(tmp_path: Path, port: int, **settings) -> dict:
    """The environment of a production site on files in tmp_path (add the settings
    production requires, or leave one out to see the start refused)."""
    return {
        **os.environ,
        "FIRESTORM_DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "FIRESTORM_BIND": f"127.0.0.1:{port}",
        "FIRESTORM_WORKERS": "1",
        **settings,
    }


def upgrade_database(env: dict) -> None:
    """Make the tables, as the README's systemd unit does before each start."""
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def start_gunicorn(env: dict, *options: str) -> subprocess.Popen:
    """gunicorn as the README's systemd unit starts it; options (such as --access-logfile)
    override gunicorn.conf.py's settings, as on a command line."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen(
        # No control socket: gunicorns started by tests at once would share its one path.
        [str(gunicorn), "-c", "gunicorn.conf.py", "--no-control-socket", *options, "app:app"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_up(url: str, server: subprocess.Popen, seconds: int = 15) -> None:
    for _ in range(seconds * 10):
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            raise AssertionError(f"{server.args[0]} stopped: {output}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{server.args[0]} did not answer {url} within {seconds} s")

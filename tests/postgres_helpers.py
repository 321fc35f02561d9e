"""A PostgreSQL server of a test's own, to stop and start again as a restart or an outage would
(never the shared test server at 127.0.0.1:5432): made by initdb in a temporary folder, on a
free port, trusting connections from this machine. Not a test module."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from server_helpers import free_port

# Debian's packages put the server's programs here, one folder per major version.
PACKAGED = Path("/usr/lib/postgresql")


def server_programs() -> Path | None:
    """The folder holding initdb and pg_ctl: FIRESTORM_POSTGRES_BIN, else the newest version
    installed."""
    if configured := os.environ.get("FIRESTORM_POSTGRES_BIN"):
        return Path(configured)
    found = sorted(PACKAGED.glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    return found[-1].parent if found else None


needs_postgres_programs = pytest.mark.skipif(
    server_programs() is None,
    reason="PostgreSQL's server programs are not installed (apt-get install postgresql)",
)


class PrivatePostgres:
    """One server in a folder of its own: `start()`, `stop(mode)`, `start()` again on the same
    port, and `remove()` at the end. `url` names its database `postgres`."""

    def __init__(self) -> None:
        self.programs = server_programs()
        assert self.programs is not None, "checked by needs_postgres_programs"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        # Not in pytest's tmp_path: PostgreSQL refuses to run as root, and the postgres user it
        # then runs as could not reach inside root's private pytest folder.
        self.folder = Path(tempfile.mkdtemp(prefix="firestorm-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session and shuts down cleanly; `immediate` as a crash would."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *arguments: str) -> None:
        assert self.programs is not None
        subprocess.run(
            [str(self.programs / program), *arguments],
            check=True,
            capture_output=True,
            user="postgres" if os.geteuid() == 0 else None,
        )

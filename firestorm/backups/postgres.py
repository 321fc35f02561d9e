"""A PostgreSQL install is backed up with pg_dump and restored with pg_restore: the commands
for the configured database, with its name, host, port and user, never its password."""

import shlex

from sqlalchemy.engine import URL


def pg_dump_command(url: URL, file: str) -> str:
    return shlex.join(["pg_dump", "--format=custom", f"--file={file}", *_connection(url)])


def pg_restore_command(url: URL, file: str) -> str:
    options = ["--clean", "--if-exists", *_connection(url, "--dbname=")]
    return shlex.join(["pg_restore", *options, file])


def _connection(url: URL, database_option: str = "") -> list[str]:
    # libpq reads the password from ~/.pgpass or PGPASSWORD; a command line would show it to
    # everyone on the server (ps) and keep it in the shell's history.
    host = url.host or url.query.get("host")
    options = [f"--host={host}"] if isinstance(host, str) else []
    if url.port:
        options.append(f"--port={url.port}")
    if url.username:
        options.append(f"--username={url.username}")
    if url.database:
        options.append(f"{database_option}{url.database}")
    return options

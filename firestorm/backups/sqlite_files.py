"""The SQLite database file: a consistent copy of a live one, checking a copy, and making
sure nothing else has the file open before it is replaced."""

import sqlite3
from contextlib import closing
from pathlib import Path

from firestorm.backups import BackupError

# As long as the site's own connections wait for the write lock (web/sqlite.py).
BUSY_SECONDS = 10


def copy_live(source: Path, target: Path) -> None:
    """Copy through SQLite's online backup API: one consistent snapshot, even while the site
    reads and writes (WAL), never a file caught half-written. The copy is left in rollback
    journal mode, so the file alone is the whole database."""
    if not source.is_file():
        raise BackupError(f"There is no database at {source}.")
    try:
        with (
            closing(sqlite3.connect(source, timeout=BUSY_SECONDS)) as live,
            closing(sqlite3.connect(target)) as copy,
        ):
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"Could not copy the database at {source}: {error}.") from None


def schema_revision(database: Path) -> str:
    """The Alembic revision of a Firestorm database that SQLite reads as whole, or
    BackupError saying what is wrong with the file."""
    try:
        with closing(sqlite3.connect(database)) as connection:
            (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
            if verdict != "ok":
                raise BackupError(f"The database copy is damaged: {verdict}.")
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as error:
        raise BackupError(f"The database copy is not a Firestorm database ({error}).") from None
    if revision is None:
        raise BackupError("The database copy is not a Firestorm database (no schema revision).")
    return revision[0]


def take_offline(database: Path) -> None:
    """Fold the write-ahead log into the file and switch the file to rollback-journal mode
    (the site switches it back to WAL when it starts), so the file can be replaced alone.
    SQLite refuses that while any other connection has the database open: the site is
    still running."""
    if not database.exists():
        return
    try:
        with closing(sqlite3.connect(database, timeout=0)) as connection:
            (mode,) = connection.execute("PRAGMA journal_mode=DELETE").fetchone()
    except sqlite3.Error as error:
        if error.sqlite_errorname not in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            raise BackupError(
                f"The database at {database} cannot be opened ({error}). Move it, and any "
                "-wal and -shm files beside it, out of the way, then restore again."
            ) from None
        mode = "in use"
    if mode != "delete":
        raise BackupError(
            f"The database at {database} is in use: stop the site (and any other flask "
            "command) before restoring. Nothing was changed."
        )

"""Backups: a SQLite install's database and covers in one file, and putting them back; the
pg_dump and pg_restore commands for a PostgreSQL install."""


class BackupError(Exception):
    """A backup or restore refused; the message is what the person at the terminal reads."""

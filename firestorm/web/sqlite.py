"""SQLite connection settings: WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for writes."""

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import ConnectionPoolEntry

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000", "foreign_keys=ON")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)


View = TypeVar("View", bound=Callable[..., object])


def _on_connect(
    dbapi_connection: sqlite3.Connection, connection_record: ConnectionPoolEntry
) -> None:
    # pysqlite would otherwise send its own deferred BEGIN; _on_begin decides instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _on_begin(connection: Connection) -> None:
    # A deferred transaction that reads and then writes cannot wait for the write lock:
    # SQLite answers "database is locked" at once. Requests that change things take the
    # lock up front instead, and queue behind each other for up to busy_timeout.
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _is_write_request() else "BEGIN")


def reads_only(view: View) -> View:
    """Mark a POST view that changes nothing (the live preview): it need not queue for the
    write lock behind every sign-in and save."""
    view.reads_only = True  # type: ignore[attr-defined]  # a mark on the function itself
    return view


def _is_write_request() -> bool:
    if not has_request_context() or request.method not in WRITE_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")

    return not getattr(view, "reads_only", False)

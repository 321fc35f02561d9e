"""SQLite connection settings: WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for writes."""

from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000", "foreign_keys=ON")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)


def _on_connect(dbapi_connection, connection_record) -> None:
    # pysqlite would otherwise send its own deferred BEGIN; _on_begin decides instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _on_begin(connection) -> None:
    # A deferred transaction that reads and then writes cannot wait for the write lock:
    # SQLite answers "database is locked" at once. Requests that change things take the
    # lock up front instead, and queue behind each other for up to busy_timeout.
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _is_write_request() else "BEGIN")


def reads_only(view):
    """Mark a POST view that changes nothing (the live preview): it need not queue for the
    write lock behind every sign-in and save."""
    view.reads_only = True
    return view


def _is_write_request() -> bool:
    if not has_request_context() or request.method not in WRITE_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return not getattr(view, "reads_only", False)

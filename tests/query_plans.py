"""Reading the database's query plans, the same way on SQLite (EXPLAIN QUERY PLAN) and on
PostgreSQL (EXPLAIN), for the tests that check a query reads an index (not a test module)."""

import re
from contextlib import contextmanager

from sqlalchemy import event, text

from firestorm.database import db


@contextmanager
def sqlite_statistics():
    """On SQLite, ANALYZE's statistics for the block, dropped afterwards so that they do not
    steer other tests' plans. Nothing on PostgreSQL, whose statistics are always there."""
    if db.engine.dialect.name == "postgresql":
        yield
        return
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        db.session.execute(text("DROP TABLE sqlite_stat1"))
        db.session.commit()


def plan_of(statement, index_usable: bool = False) -> list[str]:
    """The plan, as lines. `index_usable`: on PostgreSQL, with sequential scans priced out,
    so the plan shows whether the index can serve the query at all (on a table this small
    a sequential scan is rightly cheaper; in a real shop the statistics choose the index)."""
    compiled = statement.compile(db.engine, compile_kwargs={"render_postcompile": True})
    if db.engine.dialect.name == "postgresql":
        return plan_of_sent(compiled.string, compiled.params, index_usable)
    params = tuple(compiled.params[name] for name in compiled.positiontup)
    return plan_of_sent(compiled.string, params, index_usable)


def plan_of_sent(sql: str, parameters, index_usable: bool = False) -> list[str]:
    """The plan of a statement as the driver was sent it (see statements_sent)."""
    connection = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        if index_usable:
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        explain = connection.exec_driver_sql("EXPLAIN " + sql, parameters)
        plan = [row[0] for row in explain]
        connection.exec_driver_sql("SET LOCAL enable_seqscan = on")
        return plan
    explain = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters)
    return [row[3] for row in explain]


@contextmanager
def statements_sent():
    """`with statements_sent() as sent:` the (SQL, parameters) the app sent in the block, so a
    test reads the plan of the very statement a function sends."""
    sent: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


# The second step of a page (firestorm/pagination.py): after walking the list's keys in its
# order (through the list's index), the page's rows are read by those keys.
_ROWS_BY_KEY = re.compile(r"\b\w+\.id IN \(")


def reads_rows_by_key(sql: str) -> bool:
    """Whether the statement is a page's rows read by their ids (by the primary key)."""
    return _ROWS_BY_KEY.search(sql) is not None

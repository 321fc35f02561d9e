"""The last change's token: a random value replaced by every transaction that commits a
change, and when the site starts, so "has anything changed since?" costs one primary-key read.

The public pages' ETags (web/caching.py) and the process's copy of the schedule
(web/clock.py) are keyed by it. It lives in the database, one row of the table last_change,
so every worker of every server sharing the database reads the same one: a change made
through one server is seen by the kept pages of all. Each request reads it once, first.

Every write through the app's session counts, whatever made it (a request, a command, a
script): an ORM flush, or an INSERT, UPDATE or DELETE sent with `session.execute`. Statements
sent on `session.connection()` directly must come with one of those in the same transaction,
as the search index's do (it writes inside a flush). The new token is written in the same
transaction, just before it commits: nobody sees the change without the new token, and a
transaction rolled back leaves the old one. Starting the site replaces it too
(gunicorn.conf.py, once, not for each worker), which covers a restored backup, new code and
new settings.
"""

import secrets

from flask import Config, Flask, g, request
from sqlalchemy import (
    CheckConstraint,
    Connection,
    String,
    create_engine,
    event,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    SessionTransaction,
    UOWTransaction,
    mapped_column,
)

from firestorm.database import Model, database_url_for, db
from firestorm.settings import instance_path, read_settings

WROTE = "wrote_something"
THE_ROW = 1


class LastChange(Model):
    """The one row (id 1) holding the token; the migration that made the table wrote it."""

    __tablename__ = "last_change"
    __table_args__ = (CheckConstraint(f"id = {THE_ROW}", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32))


def token() -> str:
    """The token as this request first read it ("" if there is none yet)."""
    if "last_change" not in g:
        read = select(LastChange.token).where(LastChange.id == THE_ROW)
        g.last_change = db.session.execute(read).scalar() or ""
    return g.last_change


def wrote_anything() -> bool:
    """Whether this request's transaction has written something not yet committed."""
    return db.session.info.get(WROTE, False)


def site_started() -> None:
    """A new token when the site starts (gunicorn.conf.py's on_starting), before any app is
    made: from the settings alone, so it needs none of what an app needs to start."""
    folder = instance_path()
    settings = Config(folder)
    read_settings(settings)
    engine = create_engine(database_url_for(settings["DATABASE_URL"], folder))
    try:
        with engine.begin() as connection:
            # Before the first `db upgrade` there is no table, and no page kept to forget.
            if inspect(connection).has_table(LastChange.__tablename__):
                _write_new_token(connection)
    finally:
        engine.dispose()


def _write_new_token(connection: Connection) -> None:
    new_token = secrets.token_hex(8)
    replaced = connection.execute(
        update(LastChange).where(LastChange.id == THE_ROW).values(token=new_token)
    )
    # Only emptied tables lack the row (the tests empty every table after each).
    if replaced.rowcount == 0:
        connection.execute(LastChange.__table__.insert().values(id=THE_ROW, token=new_token))


@event.listens_for(db.session, "after_flush")
def _note_flushed_changes(session: Session, flush_context: UOWTransaction) -> None:
    session.info[WROTE] = True


@event.listens_for(db.session, "do_orm_execute")
def _note_statements_that_write(state: ORMExecuteState) -> None:
    # INSERT, UPDATE and DELETE statements, and any text() since its kind is unknown.
    if not state.is_select:
        state.session.info[WROTE] = True


@event.listens_for(db.session, "before_commit")
def _replace_with_the_change(session: Session) -> None:
    # A savepoint's release is not yet the commit: the flag waits for the outer transaction.
    if session.in_nested_transaction():
        return
    # The commit flushes only after this: what is still pending must be counted now.
    session.flush()
    if session.info.pop(WROTE, False):
        # Last in the transaction: on PostgreSQL the row stays locked only until the commit,
        # so writers queue on it for no longer than their commit takes.
        _write_new_token(session.connection())


@event.listens_for(db.session, "after_transaction_end")
def _forget_rolled_back_writes(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(WROTE, None)


def register(app: Flask) -> None:
    # Read before the request reads the database. On SQLite a transaction's reads all see the
    # rows as they were at its first read: a token read later could be newer than the rows,
    # and an ETag or a cached schedule would then stand for contents it does not show.
    app.before_request(_read_token_first)


def _read_token_first() -> None:
    # Static files show nothing from the database: they need no query.
    if request.endpoint != "static":
        token()

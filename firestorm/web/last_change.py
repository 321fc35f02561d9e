"""The last change's token: a random value replaced after every transaction that committed a
change, and when the site starts, so "has anything changed since?" costs no query.

The public pages' ETags (web/caching.py) and the process's copy of the schedule
(web/clock.py) are keyed by it. It lives in a small file (LAST_CHANGE_FILE, by default
instance/last_change) beside instance/secret_key, so every worker on the machine reads the
same one; workers on several machines would need that folder shared, or the token moved
into a one-row table.

Every write through the app's session counts, whatever made it (a request, a command, a
script): an ORM flush, or an INSERT, UPDATE or DELETE sent with `session.execute`. Statements
sent on `session.connection()` directly must come with one of those in the same transaction,
as the search index's do (it writes inside a flush). Starting the site replaces it too
(gunicorn.conf.py, once, not for each worker), which covers a restored backup, new code and
new settings.
"""

import os
import secrets
from pathlib import Path

from flask import Config, Flask, current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from firestorm.database import db
from firestorm.settings import INSTANCE_PATH, read_settings

WROTE = "wrote_something"


def token() -> str:
    """The token as this request first read it ("" if there is none yet)."""
    if "last_change" not in g:
        try:
            g.last_change = _token_file(current_app.config, current_app.instance_path).read_text()
        except FileNotFoundError:
            g.last_change = ""
    return g.last_change


def wrote_anything() -> bool:
    """Whether this request's transaction has written something not yet committed."""
    return db.session.info.get(WROTE, False)


def site_started() -> None:
    """A new token when the site starts (gunicorn.conf.py's on_starting), before any app is
    made: from the settings alone, so it needs none of what an app needs to start."""
    settings = Config(INSTANCE_PATH)
    read_settings(settings)
    _write_token(_token_file(settings, INSTANCE_PATH))


def _replace_token() -> None:
    _write_token(_token_file(current_app.config, current_app.instance_path))


def _token_file(settings: Config, instance_path: str | Path) -> Path:
    return Path(settings["LAST_CHANGE_FILE"] or Path(instance_path, "last_change"))


def _write_token(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed into place: a reader never sees half a token.
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    draft.write_text(secrets.token_hex(8))
    os.replace(draft, path)


@event.listens_for(db.session, "after_flush")
def _note_flushed_changes(session: Session, flush_context: UOWTransaction) -> None:
    session.info[WROTE] = True


@event.listens_for(db.session, "do_orm_execute")
def _note_statements_that_write(state: ORMExecuteState) -> None:
    # INSERT, UPDATE and DELETE statements, and any text() since its kind is unknown.
    if not state.is_select:
        state.session.info[WROTE] = True


@event.listens_for(db.session, "after_commit")
def _replace_after_a_change(session: Session) -> None:
    # After the commit, never before: a reader seeing the new token must see the new rows. A
    # savepoint's release is not yet that commit: the flag waits for the outer transaction.
    if session.in_nested_transaction():
        return
    if session.info.pop(WROTE, False) and has_app_context():
        _replace_token()


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
    token()

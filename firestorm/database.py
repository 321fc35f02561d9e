"""The database object and what every table shares: naming rules, UTC times, id limits."""

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeGuard, cast

import psycopg
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    CursorResult,
    DateTime,
    Index,
    MetaData,
    Table,
    TypeDecorator,
    UpdateBase,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter them later, on SQLite as well as PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Ids are 32-bit integers on PostgreSQL: a larger one in a URL or form is nobody's, and would
# make the database driver refuse the query instead of finding nothing.
LARGEST_ID = 2**31 - 1


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # Every model here declares its columns, so its table is a Table (SQLAlchemy types it
        # as any FromClause, which INSERT and DELETE statements don't take).
        __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)

# The base class of every table. At run time it is db.Model, the class Flask-SQLAlchemy makes
# from Base; mypy cannot take an attribute of an object as a base class, so to it the tables
# derive from Base itself, whose typed columns (Mapped[...]) are what it checks.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


def database_url_for(url: str, instance_path: str | Path) -> str:
    """The URL SQLAlchemy connects to for the DATABASE_URL setting (the app's, or a tool's that
    has only the settings): SQLite in the instance folder when it is empty."""
    if not url:
        Path(instance_path).mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{Path(instance_path) / 'firestorm.sqlite3'}"
    # Hosting providers hand out postgres:// URLs; SQLAlchemy wants a driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


# PostgreSQL's SQLSTATEs for "the server is away": class 08 (the connection failed or broke),
# and 57P01 to 57P03 (shut down by an administrator or a crash, or still starting up).
SERVER_AWAY_STATES = ("08", "57P01", "57P02", "57P03")


def database_unreachable(error: BaseException | None) -> TypeGuard[DBAPIError]:
    """Whether `error` says the database server could not be reached (stopped, restarting, cut
    off), not that it refused a statement: the one failure that waiting a minute mends.

    A SQLite file is never away: its errors ("database is locked") are not this."""
    if not isinstance(error, DBAPIError):
        return False
    # SQLAlchemy found the connection dead and dropped it from the pool.
    if error.connection_invalidated:
        return True
    original = error.orig
    if not isinstance(original, psycopg.OperationalError):
        return False
    # No SQLSTATE: libpq's own failure (connection refused, the server closed the connection).
    return original.sqlstate is None or original.sqlstate.startswith(SERVER_AWAY_STATES)


def rows_changed(statement: UpdateBase) -> int:
    """Run an UPDATE or DELETE in the request's session: how many rows it changed."""
    # Such a statement answers with a cursor result, which counts them; Session.execute is
    # typed for statements of every kind.
    return cast(CursorResult[Any], db.session.execute(statement)).rowcount


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime, stored naive so SQLite and PostgreSQL keep the same value."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def partial_index(name: str, *columns: Any, where: Any, unique: bool = False) -> Index:
    """An index over only the rows matching `where`, on both databases. A database uses it
    only for a query whose WHERE holds the same condition: give it as the queries write it
    (an expression, such as `Book.hidden.is_(False)`, is spelled for each database)."""
    return Index(name, *columns, unique=unique, sqlite_where=where, postgresql_where=where)


def unique_where(name: str, *columns: str, where: str) -> Index:
    """A unique index over only the rows matching `where` (a partial index), on both
    databases: the rule the database keeps even when two requests race."""
    return partial_index(name, *columns, where=text(where), unique=True)


def insert_with_on_conflict(dialect: Dialect) -> Any:
    """The dialect's own INSERT, which has ON CONFLICT DO NOTHING / DO UPDATE (SQLite's and
    PostgreSQL's, the two the site runs on)."""
    return postgresql.insert if dialect.name == "postgresql" else sqlite.insert


def one_of(column: str, choices: type[StrEnum]) -> str:
    """A CHECK constraint's SQL: the column holds one of the enum's values."""
    return f"{column} IN ({', '.join(repr(c.value) for c in choices)})"

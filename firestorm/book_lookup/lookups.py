"""A lookup as the desk makes it: the kept answer while it is fresh, else Open Library asked
(open_library.py) and its answer kept, each in words a member reads.

The answer is kept in a small transaction of its own, after Open Library has answered: the
request that asked holds no write lock while it waits, and a GET or a refused form keeps it
all the same (it is what Open Library said, not a change to the shop's records).
"""

import json
import logging
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select

from firestorm.book_lookup.models import BookLookup, KeptOutcome
from firestorm.book_lookup.open_library import (
    FoundBook,
    LookupFailed,
    NotFound,
    Outcome,
    Source,
    look_up,
)
from firestorm.catalog import covers, isbn
from firestorm.database import db, insert_with_on_conflict, rows_changed

log = logging.getLogger(__name__)

# An ISBN Open Library did not know may be added there soon: asked again after a day.
NOT_FOUND_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class Answer:
    """What a lookup found, or why it found nothing."""

    isbn13: str
    outcome: Outcome
    book: FoundBook | None = None
    # The cover's thumbnail, to show before the member chooses it.
    has_cover: bool = False

    def said(self) -> str:
        """The answer in a member's words, when there is no book to show."""
        shown = isbn.hyphenated(self.isbn13)
        match self.outcome:
            case Outcome.NOT_FOUND:
                return f"Open Library doesn't know the ISBN {shown}: type the book's details."
            case Outcome.UNREACHABLE:
                return (
                    "Open Library could not be reached (is the shop's internet working?): "
                    "type the book's details, or try again later."
                )
            case Outcome.SLOW:
                return (
                    "Open Library did not answer in time: type the book's details, or try "
                    "again in a moment."
                )
            case Outcome.UNREADABLE:
                return "Open Library's answer could not be read: type the book's details."
        return f"Found on Open Library: “{self.book.title if self.book else ''}”."


def kept_answer(isbn13: str, now: datetime, kept: timedelta) -> Answer | None:
    """The answer kept for this ISBN-13 while it is fresh; None means Open Library must be
    asked (and nothing here asks it)."""
    return kept_answers([isbn13], now, kept).get(isbn13)


def kept_answers(isbns: Collection[str], now: datetime, kept: timedelta) -> dict[str, Answer]:
    """The fresh answers kept for these ISBN-13s, by ISBN, in one query (a delivery's lines)."""
    if not isbns:
        return {}
    rows = db.session.scalars(select(BookLookup).where(BookLookup.isbn13.in_(list(isbns))))
    return {row.isbn13: _answer(row) for row in rows if _fresh(row, now, kept)}


def looked_up(isbn13: str, source: Source, now: datetime, kept: timedelta) -> Answer:
    """The book with this ISBN-13 as Open Library knows it: kept for `kept` when found (a
    day when not), asked again after that or after a failure."""
    answer = kept_answer(isbn13, now, kept)
    if answer is not None:
        return answer
    try:
        found = look_up(isbn13, source)
    except NotFound:
        _keep(isbn13, KeptOutcome.NOT_FOUND, now)
        return Answer(isbn13, Outcome.NOT_FOUND)
    except LookupFailed as failure:
        log.info("Open Library lookup of %s failed (%s): %s", isbn13, failure.outcome, failure)
        return Answer(isbn13, failure.outcome)
    found, thumbnail = _with_checked_cover(isbn13, found)
    _keep(isbn13, KeptOutcome.FOUND, now, found, thumbnail)
    return Answer(isbn13, Outcome.FOUND, found, thumbnail is not None)


def cover_thumbnail(isbn13: str) -> bytes | None:
    row = db.session.get(BookLookup, isbn13)
    return row.cover_thumbnail if row is not None else None


def found_cover(isbn13: str) -> bytes | None:
    """The cover Open Library gave for this ISBN, as it sent it, while its answer is kept."""
    row = db.session.get(BookLookup, isbn13)
    return row.cover if row is not None else None


def forget_old(now: datetime, kept: timedelta) -> int:
    """Erase the answers no longer fresh (`flask purge`): how many."""
    statement = delete(BookLookup).where(
        or_(
            BookLookup.looked_up_at < now - kept,
            (BookLookup.outcome == KeptOutcome.NOT_FOUND)
            & (BookLookup.looked_up_at < now - NOT_FOUND_KEPT),
        )
    )
    return rows_changed(statement)


def _fresh(row: BookLookup, now: datetime, kept: timedelta) -> bool:
    keep_for = NOT_FOUND_KEPT if row.outcome == KeptOutcome.NOT_FOUND else kept
    return row.looked_up_at > now - keep_for


def _answer(row: BookLookup) -> Answer:
    if row.outcome == KeptOutcome.NOT_FOUND:
        return Answer(row.isbn13, Outcome.NOT_FOUND)
    book = FoundBook.from_facts(json.loads(row.facts), row.cover)
    return Answer(row.isbn13, Outcome.FOUND, book, row.cover_thumbnail is not None)


def _with_checked_cover(isbn13: str, found: FoundBook) -> tuple[FoundBook, bytes | None]:
    """The cover passes the checks an upload does, or is left out."""
    if found.cover is None:
        return found, None
    try:
        return found, covers.checked_thumbnail(found.cover)
    except covers.CoverProblem as problem:
        log.info("Open Library's cover for %s left out: %s", isbn13, problem)
        return replace(found, cover=None), None


def _keep(
    isbn13: str,
    outcome: KeptOutcome,
    now: datetime,
    found: FoundBook | None = None,
    thumbnail: bytes | None = None,
) -> None:
    values = {
        "isbn13": isbn13,
        "outcome": outcome.value,
        "facts": json.dumps(found.facts()) if found else "",
        "cover": found.cover if found else None,
        "cover_thumbnail": thumbnail,
        "looked_up_at": now,
    }
    with db.engine.begin() as connection:
        insert = insert_with_on_conflict(connection.dialect)
        statement = insert(BookLookup.__table__).values(values)
        connection.execute(statement.on_conflict_do_update(index_elements=["isbn13"], set_=values))

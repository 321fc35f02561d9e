"""Undoing a CSV import, all or nothing, and only while nothing it touched has changed since:
the books it updated get their earlier values back (the stock through the stock log), the
books it added go, and so do the shelves it added once no book sits on them. An import is
undone once; two members at once, or an edit racing the undo, find the rows locked."""

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from firestorm.catalog import shelves
from firestorm.catalog.models import Book, Shelf
from firestorm.csv.catalog import CHUNK
from firestorm.csv.history import book_states, changed_since, details_before
from firestorm.csv.models import CsvImport, ImportedBook
from firestorm.csv.rows import UPDATED, PlannedRow
from firestorm.csv.writing import write_rows
from firestorm.database import db
from firestorm.refusals import Refusal

# The reason the stock log gives for a count an undo puts back.
STOCK_REASON = "import undone"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoppingBook:
    """A book that changed since the import, so the import can't be undone: its id (None once
    deleted), its title, and what changed, in words ("edited, reviewed")."""

    book_id: int | None
    title: str
    why: str


class UndoRefused(Refusal):
    """Why an import can't be undone, in words; `stopping` names the books that stop it."""

    def __init__(self, message: str, stopping: list[StoppingBook] | None = None):
        super().__init__(message)
        self.stopping = stopping or []


class UnknownImport(LookupError):
    """No import has that number."""


def undo_problem(record: CsvImport) -> UndoRefused | None:
    """Why the import can't be undone now (undone already, or books changed since), or None.
    For the page that asks first; the undo itself checks again with the rows locked."""
    if record.undone_at is not None:
        return UndoRefused("This import has been undone already.")
    stopping = stopping_books(_entries(record.id))
    if stopping:
        return _refusal(stopping)
    return None


def undo_import(import_id: int, member_id: int, by: str, now: datetime) -> CsvImport:
    """Undo the import in the caller's transaction, or change nothing and raise UndoRefused.
    The import's record, then its books, are locked first (in that order, by id, whoever
    undoes or imports), so a second undo waits and then finds it undone, and an edit waits
    and then changes the books as they are put back."""
    locked = select(CsvImport).where(CsvImport.id == import_id).with_for_update()
    record = db.session.scalar(
        locked.options(selectinload(CsvImport.undone_by)).execution_options(populate_existing=True)
    )
    if record is None:
        raise UnknownImport(import_id)
    if record.undone_at is not None:
        raise UndoRefused("This import has been undone already.")
    entries = _entries(record.id)
    _lock_books([entry.book_id for entry in entries if entry.book_id is not None])
    stopping = stopping_books(entries)
    if stopping:
        raise _refusal(stopping)
    restored = [entry for entry in entries if entry.before is not None]
    write_rows(_put_back(restored), member_id, now, STOCK_REASON)
    # Every book_id is there: a book deleted since stops the undo (stopping_books).
    added = sorted(
        entry.book_id for entry in entries if entry.before is None and entry.book_id is not None
    )
    for start in range(0, len(added), CHUNK):
        db.session.execute(delete(Book).where(Book.id.in_(added[start : start + CHUNK])))
    _remove_shelves_left_empty(record, by)
    record.undone_at, record.undone_by_id = now, member_id
    db.session.flush()
    log.info(
        "CSV import %d undone by %s: %d books put back, %d removed",
        record.id,
        by,
        len(restored),
        len(added),
    )
    return record


def stopping_books(entries: list[ImportedBook]) -> list[StoppingBook]:
    """The import's books that changed since it left them, by title."""
    states = book_states([entry.book_id for entry in entries if entry.book_id is not None])
    stopping = []
    for entry in entries:
        now = states.get(entry.book_id) if entry.book_id is not None else None
        why = changed_since(entry.left_as, now)
        if why:
            book_id = entry.book_id if now is not None else None
            stopping.append(StoppingBook(book_id, entry.title, why))
    return sorted(stopping, key=lambda book: book.title.casefold())


def _refusal(stopping: list[StoppingBook]) -> UndoRefused:
    count = len(stopping)
    return UndoRefused(
        f"{count} {'book has' if count == 1 else 'books have'} changed since this import, so "
        "undoing it would lose those changes: nothing was undone. An import can be undone only "
        "while every book it added or updated is as it left it.",
        stopping,
    )


def _entries(import_id: int) -> list[ImportedBook]:
    statement = select(ImportedBook).where(ImportedBook.import_id == import_id)
    return list(db.session.scalars(statement.order_by(ImportedBook.id)))


def _lock_books(book_ids: list[int]) -> None:
    ids = sorted(book_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        db.session.execute(select(Book.id).where(Book.id.in_(chunk)).with_for_update()).all()


def _put_back(entries: list[ImportedBook]) -> list[PlannedRow]:
    """Each updated book as the rows an import writes: its earlier values, on the shelves it
    was on that still exist."""
    befores = [(entry, entry.before) for entry in entries if entry.before is not None]
    shelf_ids = {shelf_id for _, before in befores for shelf_id in before["shelf_ids"]}
    existing = set(db.session.scalars(select(Shelf.id).where(Shelf.id.in_(shelf_ids))))
    rows = []
    for entry, before in befores:
        details, stock = details_before(before)
        on_shelves = tuple(i for i in details.shelf_ids if i in existing)
        rows.append(
            PlannedRow(
                number=0,
                action=UPDATED,
                title=details.title,
                isbn=details.isbn,
                details=replace(details, shelf_ids=on_shelves),
                stock=stock,
                stock_before=entry.left_as["stock"][0],
                book_id=entry.book_id,
                changed=frozenset({"authors", "shelves"}),
            )
        )
    return rows


def _remove_shelves_left_empty(record: CsvImport, by: str) -> None:
    """The shelves the import made go with it, unless a book sits on one now (a member put it
    there since): then it is kept, as that member's shelf."""
    for shelf in shelves.shelves_by_ids(list(record.added_shelf_ids)):
        if shelves.books_on_shelf(shelf) == 0:
            shelves.remove_shelf(shelf, by=by)

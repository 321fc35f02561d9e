"""The record of each CSV import: who, when, which file, what it did; and for each book it added
or updated, what undoing it needs: the values the book had before, and its state as the import
left it, which tells whether anything has changed since (an edit, a stock change, a review, a
hold)."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from blinker import Signal
from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import selectinload

from firestorm.catalog import books
from firestorm.catalog.models import Book, StockChange
from firestorm.csv.catalog import CHUNK, authors_and_shelves
from firestorm.csv.models import CsvImport, ImportedBook
from firestorm.csv.rows import ADDED, LEFT, REFUSED, UNCHANGED, UPDATED, PlannedRow
from firestorm.database import db
from firestorm.pagination import Page, paginate

# What changed since the import, in words, by the part of a book's state that differs; the
# features' parts follow, named by their answers to rows_about_books.
CHANGED_SINCE = {"details": "edited", "stock": "its stock changed"}


@dataclass(frozen=True)
class RowsAboutBooks:
    """A kind of row a feature writes about a book (a review, a hold): each new one is a change
    since an import. `part` names it in the book's state, `words` say what such a change is, and
    `model` has the rows, each with its `book_id`."""

    part: str
    words: str
    model: type[Any]


# Asked whenever books' states are taken. Only the features know what they write about a book:
# each answers from its own package (reviews/, holds/ book_questions.py) with its RowsAboutBooks.
rows_about_books = Signal("the rows features write about books")


def features_rows() -> list[RowsAboutBooks]:
    return sorted((rows for _, rows in rows_about_books.send()), key=lambda rows: rows.part)


def record_import(
    counts: dict[str, int],
    summary: dict,
    written: dict[int, PlannedRow],
    file_name: str,
    member_id: int | None,
    now: datetime,
    shelf_ids: list[int],
) -> CsvImport:
    """The import's record (its counts and summary as the member decided the plan), with each
    book it wrote."""
    record = CsvImport(
        file_name=file_name,
        imported_by_id=member_id,
        imported_at=now,
        added=counts[ADDED],
        updated=counts[UPDATED],
        unchanged=counts[UNCHANGED],
        renames_left=counts[LEFT],
        refused=counts[REFUSED],
        summary=summary,
        added_shelf_ids=sorted(shelf_ids),
    )
    db.session.add(record)
    db.session.flush()
    states = book_states(list(written))
    entries = [
        {
            "import_id": record.id,
            "book_id": book_id,
            "title": row.book.title,
            "before": before_values(row) if row.action == UPDATED else None,
            "left_as": states[book_id],
        }
        for book_id, row in written.items()
    ]
    for start in range(0, len(entries), CHUNK):
        db.session.execute(insert(ImportedBook), entries[start : start + CHUNK])
    return record


def before_values(row: PlannedRow) -> dict:
    """The book's values before the import, as JSON keeps them."""
    details = row.before
    if details is None:
        raise ValueError(f"Row {row.number} is {row.action}: it has no values from before.")
    return {
        "title": details.title,
        "subtitle": details.subtitle,
        "authors": list(details.authors),
        "publisher": details.publisher,
        "release_date": details.release_date.isoformat() if details.release_date else None,
        "isbn": details.isbn,
        "description": details.description,
        "shelf_ids": list(details.shelf_ids),
        "stock": row.stock_before,
        "price": None if details.price is None else str(details.price),
        "format": details.format,
        "page_count": details.page_count,
    }


def details_before(before: dict) -> tuple[books.BookDetails, int]:
    """The book's values before the import, and its stock then."""
    released = before["release_date"]
    # Records from before books had prices have neither: the books had none then.
    price = before.get("price")
    details = books.BookDetails(
        title=before["title"],
        authors=tuple(before["authors"]),
        subtitle=before["subtitle"],
        publisher=before["publisher"],
        release_date=date.fromisoformat(released) if released else None,
        isbn=before["isbn"],
        description=before["description"],
        shelf_ids=tuple(before["shelf_ids"]),
        price=None if price is None else Decimal(price),
        format=before.get("format", ""),
        # Likewise for records from before books had page counts.
        page_count=before.get("page_count"),
    )
    return details, before["stock"]


# --- A book's state: what tells whether anything has changed since ----------------------------


def book_states(book_ids: list[int]) -> dict[int, dict]:
    """{book id: its state} for the books that exist: a fingerprint of everything a member can
    edit, the stock with the size and end of its log, and how many rows each feature has written
    about it, reviews and holds (with the newest's id). Six queries for each 500 books."""
    states = {}
    for start in range(0, len(book_ids), CHUNK):
        states.update(_states(sorted(book_ids)[start : start + CHUNK]))
    return states


def _states(ids: list[int]) -> dict[int, dict]:
    authors, shelves = authors_and_shelves(ids)
    logs = _tally(StockChange, ids)
    written = {rows.part: _tally(rows.model, ids) for rows in features_rows()}
    states = {}
    columns = (Book.id, Book.stock, Book.price, Book.format, Book.page_count, *EDITABLE)
    for book in db.session.execute(select(*columns).where(Book.id.in_(ids))):
        edited = [*book[5:], authors.get(book.id, ()), shelves.get(book.id, ())]
        if book.price is not None or book.format:
            # Only then: a book with neither has the fingerprint it had before books had
            # prices, so imports recorded then can still be undone.
            edited.append([str(book.price), book.format])
        if book.page_count is not None:
            # The same for page counts: an int, told apart from the list above.
            edited.append(book.page_count)
        states[book.id] = {
            "details": hashlib.sha256(json.dumps(edited, default=str).encode()).hexdigest(),
            "stock": [book.stock, *logs.get(book.id, (0, 0))],
            **{part: list(tally.get(book.id, (0, 0))) for part, tally in written.items()},
        }
    return states


# Everything a member can change on a book's own page (the stock apart).
EDITABLE = (
    Book.title,
    Book.subtitle,
    Book.publisher,
    Book.release_date,
    Book.isbn13,
    Book.description,
    Book.hidden,
    Book.cover_key,
)


def _tally(model: type[Any], ids: list[int]) -> dict[int, tuple[int, int]]:
    """{book id: (how many rows of the model it has, the newest's id)}."""
    statement = (
        select(model.book_id, func.count(), func.max(model.id))
        .where(model.book_id.in_(ids))
        .group_by(model.book_id)
    )
    return {book_id: (n, newest) for book_id, n, newest in db.session.execute(statement)}


def changed_since(left_as: dict, now: dict | None) -> str:
    """What changed in a book since the import left it, in words ("" for nothing)."""
    if now is None:
        return "deleted"
    said = CHANGED_SINCE | {rows.part: rows.words for rows in features_rows()}
    return ", ".join(words for part, words in said.items() if left_as[part] != now[part])


# --- Reading the records ---------------------------------------------------------------------


def with_people(statement: Select[CsvImport]) -> Select[CsvImport]:
    return statement.options(selectinload(CsvImport.imported_by), selectinload(CsvImport.undone_by))


def imports_page(page: int, per_page: int) -> Page:
    """The imports, newest first, with who made and who undid each."""
    newest_first = select(CsvImport).order_by(CsvImport.imported_at.desc(), CsvImport.id.desc())
    return paginate(with_people(newest_first), page, per_page)


def find_import(import_id: int) -> CsvImport | None:
    return db.session.scalar(with_people(select(CsvImport).where(CsvImport.id == import_id)))


def books_touched(import_id: int) -> int:
    """How many books the import added or updated."""
    return db.session.execute(
        select(func.count()).select_from(ImportedBook).where(ImportedBook.import_id == import_id)
    ).scalar_one()

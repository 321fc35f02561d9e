"""Exporting the catalog as CSV, with the columns an import reads. A cell that a spreadsheet
would run as a formula (it starts with =, +, -, @, a tab or a carriage return) is written
with a leading apostrophe, which an import takes off again."""

import csv
import re
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import Row, Select, select

from firestorm.catalog import isbn
from firestorm.catalog.models import Author, Authorship, Book, Shelf, book_shelves
from firestorm.csv.files import COLUMNS, LIST_SEPARATOR
from firestorm.database import db

# Any number of apostrophes before a formula's first character: escaping adds one more, so
# "'=x" (typed like that) comes back as "'=x", and "=x" as "=x".
FORMULA = re.compile(r"'*[=+\-@\t\r]")
BATCH = 1000


def escaped(value: str) -> str:
    """The cell as a spreadsheet shows it, never runs it."""
    return "'" + value if FORMULA.match(value) else value


def unescaped(cell: str) -> str:
    """The value an exported cell holds (a hand-written cell is left as it is)."""
    return cell[1:] if cell.startswith("'") and FORMULA.match(cell[1:]) else cell


def write_catalog(out: TextIO) -> int:
    """Every book, hidden ones too, as CSV rows under the column names; how many books."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS.values())
    written = 0
    for row in catalog_rows():
        writer.writerow([escaped(cell) for cell in row])
        written += 1
    return written


def catalog_rows() -> Iterator[list[str]]:
    """Each book's cells in column order, by title, read a thousand books at a time (three
    queries each: the books, their authors, their shelves)."""
    book_ids = db.session.scalars(select(Book.id).order_by(Book.sort_title, Book.id)).all()
    for start in range(0, len(book_ids), BATCH):
        batch = book_ids[start : start + BATCH]
        found = {
            row.id: row
            for row in db.session.execute(select(*BOOK_COLUMNS).where(Book.id.in_(batch)))
        }
        authors = _names_by_book(
            select(Authorship.book_id, Author.name)
            .join(Author, Author.id == Authorship.author_id)
            .where(Authorship.book_id.in_(batch))
            .order_by(Authorship.position)
        )
        shelves = _names_by_book(
            select(book_shelves.c.book_id, Shelf.name)
            .join(Shelf, Shelf.id == book_shelves.c.shelf_id)
            .where(book_shelves.c.book_id.in_(batch))
            .order_by(Shelf.name)
        )
        for book_id in batch:
            if book_id in found:
                yield book_cells(found[book_id], authors.get(book_id, []), shelves.get(book_id, []))


BOOK_COLUMNS = (
    Book.id,
    Book.title,
    Book.subtitle,
    Book.publisher,
    Book.release_date,
    Book.isbn13,
    Book.stock,
    Book.price,
    Book.format,
    Book.page_count,
    Book.description,
)


def _names_by_book(statement: Select[int, str]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for book_id, name in db.session.execute(statement):
        names.setdefault(book_id, []).append(name)
    return names


def book_cells(book: Row[*tuple[Any, ...]], authors: list[str], shelves: list[str]) -> list[str]:
    separator = f"{LIST_SEPARATOR} "
    return [
        book.title,
        book.subtitle,
        separator.join(authors),
        book.publisher,
        book.release_date.isoformat() if book.release_date else "",
        # Hyphenated, so a spreadsheet keeps it as text, not as 9.78185E+12.
        isbn.hyphenated(book.isbn13) if book.isbn13 else "",
        str(book.stock),
        # A plain decimal ("18.00"), whatever the locale: what an import reads in any.
        "" if book.price is None else f"{book.price:.2f}",
        book.format,
        "" if book.page_count is None else str(book.page_count),
        book.description,
        separator.join(shelves),
    ]

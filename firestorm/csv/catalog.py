"""What the rows of a CSV import are checked against, read once for the whole file: the shelves,
the file's ISBNs as ISBN-13, and the books with those ISBNs or with the titles of rows that
have none (three queries for each 500, whatever the number of rows)."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import InstrumentedAttribute

from firestorm import typed_text
from firestorm.catalog import books, isbn, prices
from firestorm.catalog.models import Author, Authorship, Book, Shelf, book_shelves
from firestorm.csv.export import unescaped
from firestorm.csv.files import CsvTable
from firestorm.database import db

# The catalog is read for the file's ISBNs and titles, and written, this many rows at a time.
CHUNK = 500


@dataclass(frozen=True)
class KnownBook:
    """A book in the catalog as a row is compared with it."""

    id: int
    sort_title: str
    details: books.BookDetails
    stock: int


@dataclass
class Catalog:
    """The shelves by their address (a name spelled with other capitals, accents or
    punctuation is the same shelf), the file's ISBNs as ISBN-13, the books it may update, and
    the shop's money, which its prices are read and described in."""

    shelves: dict[str, Shelf]
    isbn13s: dict[str, str | None]
    by_isbn: dict[str, KnownBook]
    by_title: dict[str, list[KnownBook]]
    money: prices.Money

    @classmethod
    def for_table(cls, table: CsvTable, lock: bool, money: prices.Money) -> "Catalog":
        shelves = {shelf.slug: shelf for shelf in db.session.scalars(select(Shelf))}
        isbn13s: dict[str, str | None] = {}
        titles: set[str] = set()
        for _, cells in table.rows:
            typed = typed_text.one_line(cell(cells, table, "isbn") or "")
            if typed:
                isbn13s.setdefault(typed, isbn.to_isbn13(typed))
            else:
                titles.add(
                    books.sort_key_for_title(typed_text.one_line(cell(cells, table, "title") or ""))
                )
        wanted = {isbn13 for isbn13 in isbn13s.values() if isbn13 is not None}
        by_isbn = {b.details.isbn: b for b in _known_books(Book.isbn13, wanted, lock)}
        by_title: dict[str, list[KnownBook]] = {}
        for book in _known_books(Book.sort_title, titles, lock):
            by_title.setdefault(book.sort_title, []).append(book)
        return cls(shelves, isbn13s, by_isbn, by_title, money)

    @cached_property
    def shelf_name(self) -> dict[int, str]:
        return {shelf.id: shelf.name for shelf in self.shelves.values()}

    def shelf_names(self, shelf_ids: Iterable[int]) -> str:
        return "; ".join(self.shelf_name[shelf_id] for shelf_id in shelf_ids)


def cell(cells: tuple[str, ...], table: CsvTable, column: str) -> str | None:
    """The row's value for a column, as the person wrote it; None when the file has no such
    column. A short row's missing cells are empty."""
    if column not in table.columns:
        return None
    position = table.columns[column]
    return unescaped(cells[position]) if position < len(cells) else ""


def _known_books(
    column: InstrumentedAttribute[str | None], wanted: set[str], lock: bool
) -> list[KnownBook]:
    """The books whose column has one of the values, with their authors and shelves: three
    queries for each 500 values, whatever the number of books."""
    found: list[KnownBook] = []
    values = sorted(wanted)
    for start in range(0, len(values), CHUNK):
        statement = select(Book).where(column.in_(values[start : start + CHUNK])).order_by(Book.id)
        if lock:
            statement = statement.with_for_update()
        rows = db.session.execute(statement.with_only_columns(*BOOK_COLUMNS)).all()
        if not rows:
            continue
        ids = [row.id for row in rows]
        authors, shelves = authors_and_shelves(ids)
        found.extend(_known_book(row, authors, shelves) for row in rows)
    return found


BOOK_COLUMNS = (
    Book.id,
    Book.sort_title,
    Book.title,
    Book.subtitle,
    Book.publisher,
    Book.release_date,
    Book.isbn13,
    Book.description,
    Book.stock,
    Book.price,
    Book.format,
    Book.page_count,
)


def authors_and_shelves(
    ids: list[int],
) -> tuple[dict[int, tuple[str, ...]], dict[int, tuple[int, ...]]]:
    """{book id: (author name, …)} in cover order and {book id: (shelf id, …)}, for these
    books: what a row is compared with, and what an import's fingerprint of a book covers."""
    authors = grouped(
        select(Authorship.book_id, Author.name)
        .join(Author, Author.id == Authorship.author_id)
        .where(Authorship.book_id.in_(ids))
        .order_by(Authorship.book_id, Authorship.position)
    )
    shelves = grouped(
        select(book_shelves.c.book_id, book_shelves.c.shelf_id)
        .where(book_shelves.c.book_id.in_(ids))
        .order_by(book_shelves.c.book_id, book_shelves.c.shelf_id)
    )
    return authors, shelves


def grouped(statement: Select[int, Any]) -> dict[int, tuple[Any, ...]]:
    """{book id: (value, …)} from (book id, value) rows, in their order."""
    found: dict[int, list[Any]] = {}
    for book_id, value in db.session.execute(statement):
        found.setdefault(book_id, []).append(value)
    return {book_id: tuple(values) for book_id, values in found.items()}


def _known_book(
    row: Row[*tuple[Any, ...]],
    authors: dict[int, tuple[str, ...]],
    shelves: dict[int, tuple[int, ...]],
) -> KnownBook:
    details = books.BookDetails(
        title=row.title,
        authors=authors.get(row.id, ()),
        subtitle=row.subtitle,
        publisher=row.publisher,
        release_date=row.release_date,
        isbn=row.isbn13 or "",
        description=row.description,
        shelf_ids=shelves.get(row.id, ()),
        price=row.price,
        format=row.format,
        page_count=row.page_count,
    )
    return KnownBook(row.id, row.sort_title, details, row.stock)

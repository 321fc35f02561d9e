"""CSV files for the import and export tests, and reading back what an import did: shared by
the test modules (not a test module itself)."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from stdnum import ean

from firestorm.catalog import books, prices
from firestorm.catalog.models import Book, StockChange
from firestorm.csv import importing
from firestorm.csv.files import COLUMNS, read_table
from firestorm.database import db

DATA = Path(__file__).resolve().parent / "data" / "csv"
# The store's day and time the imports in these tests happen on.
TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
HEADER = list(COLUMNS.values())
# CSV_CLEAR_MARKER's default.
MARKER = "[clear]"
# CURRENCY's and LOCALE's defaults.
MONEY = prices.Money("USD", "en_US")


def fixture_file(name: str) -> bytes:
    return (DATA / name).read_bytes()


def csv_bytes(*rows, header=HEADER, delimiter=",") -> bytes:
    """A UTF-8 CSV file with these rows under the header."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def row(title="A Book", *, authors="Some Author", isbn="", stock="", **cells) -> list[str]:
    """One row in the export's column order; cells not given are empty."""
    values = {"title": title, "authors": authors, "isbn": isbn, "stock": stock, **cells}
    return [str(values.get(name, "")) for name in COLUMNS]


def isbn13(number: int) -> str:
    """A valid ISBN-13 for a number, for as many different books as a test needs."""
    body = f"978{number:09d}"
    return body + ean.calc_check_digit(body)


def many_rows(count: int, first: int = 0) -> bytes:
    return csv_bytes(
        *(
            row(
                f"Book number {n}",
                authors=f"Author {n % 3000}; Second Person",
                isbn=isbn13(n),
                stock=n % 7,
                publisher="AK Press",
                release_date="2010-07-01",
                description="A description. " * 10,
            )
            for n in range(first, first + count)
        )
    )


@dataclass(frozen=True)
class Imported:
    plan: importing.ImportPlan
    import_id: int


def import_file(in_app, data: bytes, member_id=None, renames=False, shelves=False) -> Imported:
    """Import as the command line does: plan with the books locked, apply with every rename
    and new shelf chosen (or none), commit. The plan as the dry run shows it, and the import's
    number."""
    with in_app():
        plan = importing.plan_import(read_table(data), TODAY, MARKER, MONEY, lock=True)
        choices = importing.ImportChoices.everything(plan, renames, shelves)
        importer = importing.Importer(member_id, "a test", NOW)
        record = importing.apply_plan(plan, choices, "books.csv", importer)
        db.session.commit()
        return Imported(plan, record.id)


def stored_book(isbn13: str) -> dict | None:
    """What the catalog holds for the book with that ISBN, in plain values (in an app context)."""
    statement = books.with_authors(
        select(Book).where(Book.isbn13 == isbn13).options(selectinload(Book.shelves))
    )
    book = db.session.scalar(statement)
    if book is None:
        return None
    return {
        "title": book.title,
        "subtitle": book.subtitle,
        "authors": book.author_names,
        "publisher": book.publisher,
        "release_date": book.release_date,
        "stock": book.stock,
        "description": book.description,
        "shelves": [shelf.name for shelf in book.shelves],
        "hidden": book.hidden,
        "id": book.id,
    }


def stock_log() -> list[tuple[str, int, int, str, int | None]]:
    """Every stock change: (title, delta, stock after, reason, who), oldest first."""
    return [
        (title, change.delta, change.stock_after, change.reason, change.changed_by_id)
        for change, title in db.session.execute(
            select(StockChange, Book.title)
            .join(Book, Book.id == StockChange.book_id)
            .order_by(StockChange.id)
        )
    ]

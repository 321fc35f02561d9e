"""Prices, formats and page counts in CSV files (firestorm/csv/): the import reads a price the
export's way ("18.00") or the locale's and a page count as a whole number, refuses a bad one in
words in its row, keeps the book's value for a blank cell and empties it for the marker; the
export writes a plain decimal and the page count; undoing an import puts them all back."""

import csv
import io
from decimal import Decimal

import pytest
from csv_helpers import MARKER, MONEY, NOW, TODAY, csv_bytes, import_file, isbn13, row
from sqlalchemy import select

from firestorm.catalog import prices
from firestorm.catalog.models import Book
from firestorm.csv import importing, undoing
from firestorm.csv.export import write_catalog
from firestorm.csv.models import ImportedBook
from firestorm.database import db

KINDRED = isbn13(7)
GERMANY = prices.Money("EUR", "de_DE")


@pytest.fixture
def kindred(make_book):
    return make_book(
        "Kindred",
        ["Octavia E. Butler"],
        isbn13=KINDRED,
        stock=1,
        price=Decimal("18.00"),
        book_format="paperback",
        page_count=320,
    )


def dry_run(in_app, data: bytes, money=MONEY) -> list[tuple[int, str, str]]:
    """(row, action, notes in words) for each row, as the dry run says them."""
    with in_app():
        plan = importing.preview(data, TODAY, MARKER, money)
    return [(r.number, r.action, " ".join(r.notes)) for r in plan.rows]


def price_and_format(in_app, isbn: str) -> tuple[Decimal | None, str]:
    with in_app():
        book = db.session.scalar(select(Book).where(Book.isbn13 == isbn))
        return book.price, book.format


def page_count_of(in_app, isbn: str) -> int | None:
    with in_app():
        return db.session.scalar(select(Book.page_count).where(Book.isbn13 == isbn))


def kindred_row(**cells) -> list[str]:
    return row("Kindred", authors="Octavia E. Butler", isbn=KINDRED, **cells)


def test_a_bad_price_is_refused_in_its_row_in_words(in_app):
    data = csv_bytes(
        row("One", isbn=isbn13(1), price="-5"),
        row("Two", isbn=isbn13(2), price="free"),
        row("Three", isbn=isbn13(3), price="12,5"),
        row("Four", isbn=isbn13(4), price="18.005"),
        row("Five", isbn=isbn13(5), price="$18.00", format="hardcover"),
    )

    assert dry_run(in_app, data) == [
        (2, "refused", "Price “-5”: A price can't be below zero: write 0 for a free book."),
        (
            3,
            "refused",
            "Price “free”: Give the price as a number, like 18.00, or leave it empty for no "
            "price (0 is free).",
        ),
        (
            4,
            "refused",
            "Price “12,5”: Give the price as a number, like 18.00, or leave it empty for no "
            "price (0 is free).",
        ),
        (5, "refused", "Price “18.005”: A price in USD has at most 2 decimals, like 18.00."),
        (6, "added", "a new book, 0 copies in stock"),
    ]
    import_file(in_app, data)
    assert price_and_format(in_app, isbn13(5)) == (Decimal("18.00"), "hardcover")


def test_a_blank_cell_keeps_the_price_format_and_page_count(in_app, kindred):
    data = csv_bytes(kindred_row(price="", format="", page_count=""))

    assert dry_run(in_app, data) == [(2, "unchanged", "")]
    import_file(in_app, data)
    assert price_and_format(in_app, KINDRED) == (Decimal("18.00"), "paperback")
    assert page_count_of(in_app, KINDRED) == 320


def test_a_new_price_and_format_are_said_then_imported(in_app, kindred):
    data = csv_bytes(kindred_row(price="0", format="hardcover"))

    assert dry_run(in_app, data) == [
        (2, "updated", "price “$18.00” → “Free” format “paperback” → “hardcover”")
    ]
    import_file(in_app, data)
    assert price_and_format(in_app, KINDRED) == (Decimal("0.00"), "hardcover")


def test_the_marker_empties_the_price_and_the_format(in_app, kindred):
    data = csv_bytes(kindred_row(price=MARKER, format=MARKER))

    assert dry_run(in_app, data) == [
        (2, "updated", "price “$18.00” emptied format “paperback” emptied")
    ]
    import_file(in_app, data)
    assert price_and_format(in_app, KINDRED) == (None, "")


def test_a_bad_page_count_is_refused_in_its_row_in_words(in_app):
    data = csv_bytes(
        row("One", isbn=isbn13(1), page_count="0"),
        row("Two", isbn=isbn13(2), page_count="-3"),
        row("Three", isbn=isbn13(3), page_count="three hundred"),
        row("Four", isbn=isbn13(4), page_count="12.5"),
        row("Five", isbn=isbn13(5), page_count="100001"),
        row("Six", isbn=isbn13(6), page_count=" 1 "),
    )
    rule = "Give the number of pages as a whole number from 1 to 100,000, like 320."

    assert dry_run(in_app, data) == [
        (2, "refused", f"Pages “0”: {rule}"),
        (3, "refused", f"Pages “-3”: {rule}"),
        (4, "refused", f"Pages “three hundred”: {rule}"),
        (5, "refused", f"Pages “12.5”: {rule}"),
        (6, "refused", f"Pages “100001”: {rule}"),
        (7, "added", "a new book, 0 copies in stock"),
    ]
    import_file(in_app, data)
    assert page_count_of(in_app, isbn13(6)) == 1
    assert page_count_of(in_app, isbn13(1)) is None, "a refused row adds no book"


def test_a_new_page_count_is_said_then_imported(in_app, kindred, make_book):
    make_book("Fledgling", ["Octavia E. Butler"], isbn13=isbn13(8))
    data = csv_bytes(
        kindred_row(page_count="336"),
        row("Fledgling", authors="Octavia E. Butler", isbn=isbn13(8), page_count="317"),
    )

    assert dry_run(in_app, data) == [
        (2, "updated", "pages “320” → “336”"),
        (3, "updated", "pages “” → “317”"),
    ]
    import_file(in_app, data)
    assert (page_count_of(in_app, KINDRED), page_count_of(in_app, isbn13(8))) == (336, 317)


def test_the_marker_empties_the_page_count(in_app, kindred):
    data = csv_bytes(kindred_row(page_count=MARKER))

    assert dry_run(in_app, data) == [(2, "updated", "pages “320” emptied")]
    import_file(in_app, data)
    assert page_count_of(in_app, KINDRED) is None


def test_in_germany_a_price_is_read_the_german_way_or_the_exports(in_app):
    data = csv_bytes(
        row("One", isbn=isbn13(1), price="12,50"),
        row("Two", isbn=isbn13(2), price="18.00"),
        row("Three", isbn=isbn13(3), price="1.234,5"),
    )

    with in_app():
        plan = importing.preview(data, TODAY, MARKER, GERMANY)

    assert [r.book.price for r in plan.rows] == [
        Decimal("12.50"),
        Decimal("18.00"),
        Decimal("1234.50"),
    ]


def exported_books(in_app) -> dict[str, dict[str, str]]:
    with in_app():
        out = io.StringIO()
        write_catalog(out)
    return {cells["title"]: cells for cells in csv.DictReader(io.StringIO(out.getvalue()))}


def test_the_export_writes_a_plain_price_and_the_format(in_app, make_book, kindred):
    make_book("Zine", price=Decimal("0"), book_format="zine")
    make_book("Unpriced")

    exported = exported_books(in_app)

    assert (exported["Kindred"]["price"], exported["Kindred"]["format"]) == ("18.00", "paperback")
    assert (exported["Zine"]["price"], exported["Zine"]["format"]) == ("0.00", "zine")
    assert (exported["Unpriced"]["price"], exported["Unpriced"]["format"]) == ("", "")


def test_the_export_writes_the_page_count(in_app, make_book, kindred):
    make_book("Unknown Length")

    exported = exported_books(in_app)

    assert (exported["Kindred"]["pages"], exported["Unknown Length"]["pages"]) == ("320", "")


def test_undoing_an_import_puts_the_price_format_and_page_count_back(in_app, kindred, make_user):
    member = make_user("collective")
    data = csv_bytes(
        kindred_row(price="20", format="hardcover", page_count="336"), row("New", isbn=isbn13(9))
    )
    import_id = import_file(in_app, data, member_id=member.id).import_id
    assert price_and_format(in_app, KINDRED) == (Decimal("20.00"), "hardcover")
    assert page_count_of(in_app, KINDRED) == 336

    with in_app():
        undoing.undo_import(import_id, member.id, "user (collective)", NOW)
        db.session.commit()

    assert price_and_format(in_app, KINDRED) == (Decimal("18.00"), "paperback")
    assert page_count_of(in_app, KINDRED) == 320


def test_an_emptied_page_count_is_put_back_by_the_undo(in_app, kindred, make_user):
    member = make_user("collective")
    import_id = import_file(
        in_app, csv_bytes(kindred_row(page_count=MARKER)), member_id=member.id
    ).import_id

    with in_app():
        undoing.undo_import(import_id, member.id, "user (collective)", NOW)
        db.session.commit()

    assert page_count_of(in_app, KINDRED) == 320


def test_an_import_recorded_before_books_had_page_counts_is_still_undone(
    in_app, make_book, make_user
):
    make_book("Kindred", ["Octavia E. Butler"], isbn13=KINDRED, stock=1)
    member = make_user("collective")
    import_id = import_file(in_app, csv_bytes(kindred_row(stock="3")), member_id=member.id)
    with in_app():
        entry = db.session.scalar(select(ImportedBook).filter_by(import_id=import_id.import_id))
        # What the record kept before page counts: the book's values without one.
        entry.before = {name: value for name, value in entry.before.items() if name != "page_count"}
        db.session.commit()

    with in_app():
        undoing.undo_import(import_id.import_id, member.id, "user (collective)", NOW)
        db.session.commit()
        book = db.session.scalar(select(Book).where(Book.isbn13 == KINDRED))
        assert (book.stock, book.page_count) == (1, None)


@pytest.mark.parametrize(
    "edit", [{"price": Decimal("19.00")}, {"page_count": 321}, {"page_count": None}]
)
def test_a_price_or_page_count_changed_since_the_import_stops_its_undo(
    in_app, kindred, make_user, edit
):
    member = make_user("collective")
    import_id = import_file(in_app, csv_bytes(kindred_row(stock="3")), member_id=member.id)
    with in_app():
        db.session.execute(db.update(Book).values(**edit))
        db.session.commit()

    with in_app(), pytest.raises(undoing.UndoRefused) as refused:
        undoing.undo_import(import_id.import_id, member.id, "user (collective)", NOW)

    assert [(book.title, book.why) for book in refused.value.stopping] == [("Kindred", "edited")]

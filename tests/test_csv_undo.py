"""Every CSV import recorded, and undone all or nothing (firestorm/csv/history.py and
undoing.py): books put back, added books and shelves gone, and nothing at all when a book
changed since. The pages: test_csv_history_pages.py; two at once: test_csv_undo_races.py."""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from csv_helpers import NOW, csv_bytes, import_file, isbn13, row, stock_log, stored_book
from hold_helpers import place_hold
from shelf_helpers import add_shelves, shelve
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from firestorm.catalog import books, stock
from firestorm.catalog.models import Book, Shelf
from firestorm.csv import undoing
from firestorm.csv.export import write_catalog
from firestorm.csv.models import CsvImport, ImportedBook
from firestorm.database import db
from firestorm.holds.models import HoldKind

KINDRED = "9780807083697"
LATER = NOW + timedelta(hours=1)


@pytest.fixture
def kindred(app, make_book):
    add_shelves(app, "Science Fiction")
    book = make_book(
        "Kindred", ["Octavia E. Butler"], isbn13=KINDRED, publisher="Beacon Press", stock=1
    )
    shelve(app, book, "Science Fiction")
    return book


@pytest.fixture
def member(make_user):
    return make_user("collective", display_name="Mara")


# Kindred updated (publisher, authors, shelves, stock), and a new book on a new shelf.
FILE = csv_bytes(
    row(
        "Kindred",
        authors="Octavia E. Butler; Damian Duffy",
        isbn=KINDRED,
        publisher="Beacon",
        stock="4",
        shelves="Classics",
    ),
    row("Fledgling", authors="Octavia E. Butler", isbn=isbn13(1), stock="2", shelves="Classics"),
)


@pytest.fixture
def imported(kindred, in_app, member):
    return import_file(in_app, FILE, member_id=member.id, shelves=True).import_id


def catalog_now(in_app) -> tuple[str, list, list[str]]:
    """Everything an undo could change: the catalog as CSV, the stock log, the shelves."""
    with in_app():
        out = io.StringIO()
        write_catalog(out)
        names = sorted(db.session.scalars(select(Shelf.name)))
        return out.getvalue(), stock_log(), names


def undo(in_app, import_id, member):
    with in_app():
        record = undoing.undo_import(import_id, member.id, "user (collective)", LATER)
        db.session.commit()
        return record.undone_at, record.undone_by_id


def test_every_import_is_recorded_with_who_when_the_file_and_the_counts(imported, in_app, member):
    with in_app():
        record = db.session.get(CsvImport, imported)
        entries = db.session.scalars(select(ImportedBook).order_by(ImportedBook.title)).all()

        assert (record.file_name, record.imported_by_id, record.imported_at) == (
            "books.csv",
            member.id,
            NOW,
        )
        assert (record.added, record.updated, record.unchanged, record.refused) == (1, 1, 0, 0)
        assert record.summary["shelves_added"] == ["Classics"]
        assert [(e.title, e.before is None) for e in entries] == [
            ("Fledgling", True),
            ("Kindred", False),
        ]
        assert entries[1].before["publisher"] == "Beacon Press"


def test_undoing_puts_updated_books_back_and_removes_what_it_added(
    kindred, in_app, member, make_user
):
    before = catalog_now(in_app)
    import_id = import_file(in_app, FILE, member_id=member.id, shelves=True).import_id
    undoer = make_user("collective")

    assert undo(in_app, import_id, undoer) == (LATER, undoer.id)

    text, log, shelves = catalog_now(in_app)
    assert (text, shelves) == before[0::2], "Kindred as it was; Fledgling and Classics gone"
    assert log == [
        ("Kindred", 3, 4, "import", member.id),
        ("Kindred", -3, 1, "import undone", undoer.id),
    ], "the stock goes back through the log"
    with in_app():
        assert stored_book(KINDRED)["authors"] == ["Octavia E. Butler"]


def test_a_shelf_the_import_made_stays_when_a_book_sits_on_it_now(
    imported, in_app, member, app, make_book
):
    other = make_book("Parable of the Sower", ["Octavia E. Butler"])
    shelve(app, other, "Classics")

    undo(in_app, imported, member)

    assert "Classics" in catalog_now(in_app)[2]
    with in_app():
        assert stored_book(KINDRED)["shelves"] == ["Science Fiction"]


def edit(app, book_id, member):
    with app.app_context():
        statement = select(Book).where(Book.id == book_id).options(selectinload(Book.shelves))
        book = db.session.scalar(books.with_authors(statement))
        details = books.BookDetails(title=book.title, authors=tuple(book.author_names))
        books.update_book(book, details)
        db.session.commit()


def stock_changed(app, book_id, member):
    with app.app_context():
        stock.change_stock(book_id, 1, "Delivery", member.id, LATER)
        stock.change_stock(book_id, -1, "Sold or given away", member.id, LATER)
        db.session.commit()


def hidden(app, book_id, member):
    with app.app_context():
        books.set_hidden(db.session.get(Book, book_id), True)
        db.session.commit()


def held(app, book_id, member):
    place_hold(app, SimpleNamespace(id=book_id), LATER, kind=HoldKind.ORDER)


def deleted(app, book_id, member):
    with app.app_context():
        books.delete_book(db.session.get(Book, book_id))
        db.session.commit()


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (edit, "edited"),
        (hidden, "edited"),
        (stock_changed, "its stock changed"),
        (held, "held for a customer"),
        (deleted, "deleted"),
    ],
)
@pytest.mark.parametrize("title", ["Kindred", "Fledgling"])
def test_an_undo_changes_nothing_when_a_book_changed_since(
    imported, app, in_app, member, change, why, title
):
    isbn = KINDRED if title == "Kindred" else isbn13(1)
    with in_app():
        book_id = stored_book(isbn)["id"]
    change(app, book_id, member)
    before = catalog_now(in_app)

    with in_app(), pytest.raises(undoing.UndoRefused) as refused:
        undoing.undo_import(imported, member.id, "user (collective)", LATER)

    assert "1 book has changed since this import" in str(refused.value)
    expected_id = None if why == "deleted" else book_id
    assert refused.value.stopping == [undoing.StoppingBook(expected_id, title, why)]
    assert catalog_now(in_app) == before
    with in_app():
        assert db.session.get(CsvImport, imported).undone_at is None


def test_a_review_since_stops_the_undo(imported, in_app, member, review_of, make_user):
    with in_app():
        book_id = stored_book(isbn13(1))["id"]
    review_of(make_user("volunteer"), book=SimpleNamespace(id=book_id))

    with in_app(), pytest.raises(undoing.UndoRefused) as refused:
        undoing.undo_import(imported, member.id, "user (collective)", LATER)

    assert refused.value.stopping == [undoing.StoppingBook(book_id, "Fledgling", "reviewed")]


def test_an_import_is_undone_once(imported, in_app, member):
    undo(in_app, imported, member)
    after = catalog_now(in_app)

    with in_app(), pytest.raises(undoing.UndoRefused) as refused:
        undoing.undo_import(imported, member.id, "user (collective)", LATER)

    assert str(refused.value) == "This import has been undone already."
    assert catalog_now(in_app) == after


def test_an_unknown_import_is_said_so(in_app, member):
    with in_app(), pytest.raises(undoing.UnknownImport):
        undoing.undo_import(999, member.id, "user (collective)", LATER)


def test_a_rename_made_is_undone_too(make_book, in_app, member):
    make_book("The Grapes of Wrath", ["John Steinbeck"], isbn13="9780143039433")
    data = csv_bytes(row("Two Rows Same", authors="Someone Else", isbn="9780143039433"))
    import_id = import_file(in_app, data, renames=True).import_id

    undo(in_app, import_id, member)

    with in_app():
        book = stored_book("9780143039433")
    assert (book["title"], book["authors"]) == ("The Grapes of Wrath", ["John Steinbeck"])


def test_the_page_that_asks_first_sees_the_same_problem(imported, app, in_app, member):
    with in_app():
        assert undoing.undo_problem(db.session.get(CsvImport, imported)) is None
        book_id = stored_book(KINDRED)["id"]
    edit(app, book_id, member)

    with in_app():
        problem = undoing.undo_problem(db.session.get(CsvImport, imported))
    assert problem.stopping == [undoing.StoppingBook(book_id, "Kindred", "edited")]

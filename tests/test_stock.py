"""Stock, called directly (firestorm/catalog/stock.py): in the shop's words, +1 and −1, setting
the count after counting the shelf, never below zero, every change logged with who, when, by
how much, why and the figure after. Through the pages: test_stock_pages.py; two members at
once: test_stock_races.py."""

import logging
from datetime import timedelta

import pytest
from review_helpers import NOW

from firestorm.catalog import stock
from firestorm.catalog.models import Book, StockChange
from firestorm.catalog.stock import StockProblem, stock_in_words
from firestorm.database import db


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (0, "Out of stock — ask us to order it"),
        (1, "1 copy in stock"),
        (2, "2 copies in stock"),
        (40, "40 copies in stock"),
    ],
)
def test_stock_in_words(count, words):
    assert stock_in_words(count) == words


@pytest.fixture
def member(make_user):
    return make_user("collective", display_name="Sam")


@pytest.fixture
def shelf(app, make_book):
    """stock_of() reads the book's stock as the database holds it; log() its changes, oldest
    first, as (delta, stock after, reason, who)."""
    book = make_book("Dispersing Power", stock=2)

    class Shelf:
        id = book.id

        @staticmethod
        def stock_of() -> int:
            with app.app_context():
                return db.session.get(Book, book.id).stock

        @staticmethod
        def log() -> list[tuple]:
            with app.app_context():
                changes = db.session.scalars(
                    db.select(StockChange)
                    .where(StockChange.book_id == book.id)
                    .order_by(StockChange.id)
                )
                return [(c.delta, c.stock_after, c.reason, c.changed_by_id) for c in changes]

    return Shelf


def run(app, step, *args):
    """One step in its own transaction, as a request makes it."""
    with app.app_context():
        outcome = step(*args)
        db.session.commit()
        return outcome


def refused(app, step, *args) -> StockProblem:
    with app.app_context(), pytest.raises(StockProblem) as caught:
        step(*args)
    return caught.value


# --- Adding and taking off -----------------------------------------------------------------


def test_adding_and_taking_off_copies_is_logged_with_the_figure_after(app, shelf, member):
    run(app, stock.change_stock, shelf.id, 3, "Delivery from AK Press", member.id, NOW)
    run(app, stock.change_stock, shelf.id, -4, "Sold at the fair", member.id, NOW)

    assert shelf.stock_of() == 1
    assert shelf.log() == [
        (3, 5, "Delivery from AK Press", member.id),
        (-4, 1, "Sold at the fair", member.id),
    ]


def test_a_change_shows_on_the_book_already_loaded(app, shelf, member):
    with app.app_context():
        book = db.session.get(Book, shelf.id)
        change = stock.change_stock(shelf.id, 1, "Delivery", member.id, NOW)

        assert (book.stock, change.stock_after, change.created_at) == (3, 3, NOW)


@pytest.mark.parametrize(
    ("start", "delta", "message"),
    [
        (0, -1, "No copies left to take off: the stock is at zero and can't go below."),
        (1, -2, "Only 1 copy in stock: the stock can't go below zero."),
        (2, -3, "Only 2 copies in stock: the stock can't go below zero."),
    ],
)
def test_the_stock_never_goes_below_zero(app, make_book, member, start, delta, message):
    book = make_book(stock=start)

    problem = refused(app, stock.change_stock, book.id, delta, "Sold", member.id, NOW)

    assert str(problem) == message and problem.field is None
    with app.app_context():
        assert db.session.get(Book, book.id).stock == start
        assert db.session.scalar(db.select(db.func.count()).select_from(StockChange)) == 0


def test_more_copies_than_any_shelf_holds_is_a_typo(app, make_book, member):
    book = make_book(stock=stock.LARGEST_STOCK - 1)

    run(app, stock.change_stock, book.id, 1, "Delivery", member.id, NOW)
    problem = refused(app, stock.change_stock, book.id, 1, "Delivery", member.id, NOW)

    assert str(problem) == "That would make more than 100,000 copies: check the number."


def test_a_book_deleted_meanwhile_is_said_so(app, member):
    problem = refused(app, stock.change_stock, 999_999, 1, "Delivery", member.id, NOW)

    assert str(problem) == "This book is no longer in the catalog."


def test_plus_one_and_minus_one_log_the_everyday_reasons(app, shelf, member):
    run(app, stock.change_stock_by_one, shelf.id, 1, member.id, NOW)
    run(app, stock.change_stock_by_one, shelf.id, -1, member.id, NOW)

    assert shelf.log() == [
        (1, 3, "Delivery", member.id),
        (-1, 2, "Sold or given away", member.id),
    ]


@pytest.mark.parametrize("delta", [None, 0, 2, -2, 100])
def test_the_buttons_change_one_copy_at_a_time(app, shelf, member, delta):
    problem = refused(app, stock.change_stock_by_one, shelf.id, delta, member.id, NOW)

    assert str(problem) == "Add or take off one copy with the +1 and −1 buttons."
    assert (shelf.stock_of(), shelf.log()) == (2, [])


# --- Setting the count ---------------------------------------------------------------------


def test_setting_the_count_logs_the_difference(app, shelf, member):
    run(app, stock.set_stock, shelf.id, 7, "Counted the shelf", member.id, NOW)
    run(app, stock.set_stock, shelf.id, 0, "Water damage", member.id, NOW)

    assert shelf.stock_of() == 0
    assert shelf.log() == [
        (5, 7, "Counted the shelf", member.id),
        (-7, 0, "Water damage", member.id),
    ]


def test_setting_the_count_it_has_already_changes_nothing(app, shelf, member):
    assert run(app, stock.set_stock, shelf.id, 2, "Counted the shelf", member.id, NOW) is None

    assert (shelf.stock_of(), shelf.log()) == (2, [])


@pytest.mark.parametrize("count", [None, -1, stock.LARGEST_STOCK + 1, 10**30])
def test_a_count_out_of_range_is_refused_at_the_count(app, shelf, member, count):
    problem = refused(app, stock.set_stock, shelf.id, count, "Counted", member.id, NOW)

    assert (str(problem), problem.field) == ("Give a number of copies from 0 to 100,000.", "count")
    assert (shelf.stock_of(), shelf.log()) == (2, [])


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Say why the stock changes (a delivery, a sale, a count)."),
        ("  \t\x00 ", "Say why the stock changes (a delivery, a sale, a count)."),
        ("x" * 201, "Keep the reason under 200 characters."),
    ],
)
def test_a_change_needs_a_reason(app, shelf, member, reason, message):
    for step, figure in ((stock.set_stock, 5), (stock.change_stock, 1)):
        problem = refused(app, step, shelf.id, figure, reason, member.id, NOW)

        assert (str(problem), problem.field) == (message, "reason")
    assert (shelf.stock_of(), shelf.log()) == (2, [])


def test_a_reason_is_kept_on_one_line_without_control_characters(app, shelf, member):
    run(app, stock.set_stock, shelf.id, 3, " Found one\r\nbehind\x00the till ", member.id, NOW)

    assert shelf.log()[0][2] == "Found one behind the till"


def test_setting_the_count_of_a_book_deleted_meanwhile_is_said_so(app, member):
    problem = refused(app, stock.set_stock, 999_999, 3, "Counted", member.id, NOW)

    assert str(problem) == "This book is no longer in the catalog."


# --- The history ---------------------------------------------------------------------------


def test_the_history_is_newest_first_with_who_made_each_change(app, shelf, member, make_user):
    mara = make_user("collective", display_name="Mara")
    run(app, stock.change_stock_by_one, shelf.id, 1, member.id, NOW)
    run(app, stock.change_stock_by_one, shelf.id, -1, mara.id, NOW + timedelta(hours=1))
    run(app, stock.change_stock, shelf.id, 4, "Opening stock", None, NOW + timedelta(hours=1))

    with app.app_context():
        history = stock.stock_history(shelf.id)
        seen = [(c.reason, c.changed_by.display_name if c.changed_by else None) for c in history]

    # Two changes in the same minute: the later one first.
    assert seen == [("Opening stock", None), ("Sold or given away", "Mara"), ("Delivery", "Sam")]


def test_the_history_comes_a_page_at_a_time_with_its_book(app, shelf, member):
    for hour in range(5):
        run(app, stock.change_stock, shelf.id, 1, f"Box {hour}", member.id, NOW.replace(hour=hour))

    with app.app_context():
        book, page = stock.book_with_stock_history(shelf.id, 2, 2)
        reasons = [change.reason for change in page.items]
        assert stock.book_with_stock_history(999_999, 1, 2) is None

    assert (book.title, book.stock) == ("Dispersing Power", 7)
    assert (page.total, page.page_count, reasons) == (5, 3, ["Box 2", "Box 1"])


def test_each_change_is_logged_with_who_and_why(app, shelf, member, caplog):
    caplog.set_level(logging.INFO, logger="firestorm")

    run(app, stock.change_stock_by_one, shelf.id, -1, member.id, NOW)
    run(app, stock.set_stock, shelf.id, 4, "Counted the shelf", None, NOW)

    lines = [r.getMessage() for r in caplog.records if r.name == "firestorm.catalog.stock"]
    assert lines == [
        f"Stock of book {shelf.id}: -1 to 1 (Sold or given away) by user {member.id}",
        f"Stock of book {shelf.id}: +3 to 4 (Counted the shelf) by the command line",
    ]

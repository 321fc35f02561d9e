"""Undoing an import while someone else acts on it, through HTTP, on the real database (the file
SQLite database, or PostgreSQL with FIRESTORM_TEST_DATABASE_URL): an import is undone once,
and an undo is never half done, whoever is quicker."""

import threading
import time
from dataclasses import dataclass

import pytest
from csv_helpers import csv_bytes, import_file, isbn13, row, stored_book
from review_helpers import page_text, post_at_once

from firestorm.catalog import stock
from firestorm.catalog.models import StockChange
from firestorm.csv import undoing
from firestorm.csv.models import CsvImport
from firestorm.database import db

ROUNDS = 5
# Three books the import updates (stock 2 → 5, publisher), two it adds.
BEFORE, AFTER = 2, 5


@pytest.fixture
def members(make_user):
    return [make_user("collective", display_name=f"Member {n}") for n in range(2)]


@dataclass(frozen=True)
class AnImport:
    import_id: int
    updated: list[str]  # the ISBNs of the books it updated
    added: list[str]  # and of those it added


def an_import(in_app, make_book, round_number: int) -> AnImport:
    """Round by round, other books."""
    base = 100 * round_number
    updated = [isbn13(base + n) for n in range(3)]
    added = [isbn13(base + 50 + n) for n in range(2)]
    for n, isbn in enumerate(updated):
        make_book(f"Book {base + n}", ["Some Author"], isbn13=isbn, publisher="Old", stock=BEFORE)
    rows = [
        row(f"Book {base + n}", isbn=isbn, publisher="New", stock=AFTER)
        for n, isbn in enumerate(updated)
    ]
    rows += [row(f"New Book {base + n}", isbn=isbn, stock=1) for n, isbn in enumerate(added)]
    return AnImport(import_file(in_app, csv_bytes(*rows)).import_id, updated, added)


def state(in_app, imported: AnImport) -> tuple[bool, list, int]:
    """(undone?, each updated book's (publisher, stock), how many books it added still exist)."""
    with in_app():
        undone = db.session.get(CsvImport, imported.import_id).undone_at is not None
        books = [stored_book(isbn) for isbn in imported.updated]
        added = sum(stored_book(isbn) is not None for isbn in imported.added)
        return undone, [(b["publisher"], b["stock"]) for b in books], added


def undo_path(import_id: int) -> str:
    return f"/collective/books/imports/{import_id}/undo"


def test_two_members_undoing_at_once_undo_it_once(app, in_app, make_book, members):
    for round_number in range(ROUNDS):
        imported = an_import(in_app, make_book, round_number)

        answers = post_at_once(
            app, [(member, undo_path(imported.import_id), {}) for member in members]
        )

        assert sorted(answer.status_code for answer in answers) == [302, 409]
        loser = next(answer for answer in answers if answer.status_code == 409)
        assert "This import has been undone already." in page_text(loser)
        assert state(in_app, imported) == (True, [("Old", BEFORE)] * 3, 0)
        with in_app():
            undone = db.session.scalars(
                db.select(StockChange).where(StockChange.reason == "import undone")
            ).all()
        assert len(undone) == 3 * (round_number + 1), "each book's stock put back once"


def test_a_stock_change_racing_an_undo_never_leaves_half_an_undo(app, in_app, make_book, members):
    outcomes = set()
    for round_number in range(ROUNDS):
        imported = an_import(in_app, make_book, round_number)
        with in_app():
            raced = stored_book(imported.updated[0])["id"]

        undo, sale = post_at_once(
            app,
            [
                (members[0], undo_path(imported.import_id), {}),
                (members[1], f"/collective/books/{raced}/stock", {"step": "-1"}),
            ],
        )

        assert sale.status_code == 200
        if undo.status_code == 302:
            # The undo first, whole; then the sale, from the stock it put back.
            expected = (True, [("Old", BEFORE - 1), ("Old", BEFORE), ("Old", BEFORE)], 0)
        else:
            assert undo.status_code == 409
            assert "its stock changed since the import" in page_text(undo)
            expected = (False, [("New", AFTER - 1), ("New", AFTER), ("New", AFTER)], 2)
        assert state(in_app, imported) == expected
        outcomes.add(undo.status_code)
    assert outcomes <= {302, 409}


def one_then_the_other(monkeypatch, first, then):
    """first = (module, "function"): it runs, then holds its transaction a moment; then =
    (module, "function") waits until the first has run, and goes on into its locks."""
    done = threading.Event()
    module, name = first
    original = getattr(module, name)

    def runs_first(*args, **kwargs):
        result = original(*args, **kwargs)
        done.set()
        time.sleep(0.3)  # long enough for the other request to reach the locked rows
        return result

    monkeypatch.setattr(module, name, runs_first)
    other_module, other_name = then
    other = getattr(other_module, other_name)

    def waits(*args, **kwargs):
        done.wait(timeout=10)
        return other(*args, **kwargs)

    monkeypatch.setattr(other_module, other_name, waits)


def test_a_sale_waits_for_an_undo_that_holds_the_books(
    app, in_app, make_book, members, monkeypatch, on_a_server_database
):
    one_then_the_other(monkeypatch, (undoing, "_lock_books"), (stock, "change_stock"))
    imported = an_import(in_app, make_book, 0)
    with in_app():
        raced = stored_book(imported.updated[0])["id"]

    undo, sale = post_at_once(
        app,
        [
            (members[0], undo_path(imported.import_id), {}),
            (members[1], f"/collective/books/{raced}/stock", {"step": "-1"}),
        ],
    )

    assert (undo.status_code, sale.status_code) == (302, 200)
    assert state(in_app, imported) == (
        True,
        [("Old", BEFORE - 1), ("Old", BEFORE), ("Old", BEFORE)],
        0,
    )


def test_an_undo_waits_for_a_sale_that_holds_a_book_and_then_refuses(
    app, in_app, make_book, members, monkeypatch, on_a_server_database
):
    one_then_the_other(monkeypatch, (stock, "_logged"), (undoing, "undo_import"))
    imported = an_import(in_app, make_book, 0)
    with in_app():
        raced = stored_book(imported.updated[0])["id"]

    undo, sale = post_at_once(
        app,
        [
            (members[0], undo_path(imported.import_id), {}),
            (members[1], f"/collective/books/{raced}/stock", {"step": "-1"}),
        ],
    )

    assert (undo.status_code, sale.status_code) == (409, 200)
    assert state(in_app, imported) == (
        False,
        [("New", AFTER - 1), ("New", AFTER), ("New", AFTER)],
        2,
    )

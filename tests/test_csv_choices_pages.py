"""The dry run's ticks (firestorm/collective/csv_routes.py): a rename made, and a new shelf
added, only when the member ticks it; the import's page says what was left."""

import html
import io

import pytest
from csv_helpers import csv_bytes, isbn13, row, stored_book
from review_helpers import page_text
from sqlalchemy import select

from firestorm.catalog.models import Shelf
from firestorm.database import db

GRAPES = "9780143039433"


@pytest.fixture
def member(login_as):
    return login_as("collective")


@pytest.fixture
def upload(post):
    def upload(data: bytes, name: str = "books.csv"):
        return post(
            "/collective/books/import",
            {"file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )

    return upload


@pytest.fixture
def grapes(make_book):
    return make_book("The Grapes of Wrath", ["John Steinbeck"], isbn13=GRAPES)


def text_of(response) -> str:
    return html.unescape(page_text(response))


def carried(response) -> str:
    return page_text(response).split('name="carried" type="hidden" value="')[1].split('"')[0]


FILE = csv_bytes(
    row("Two Rows Same", authors="Someone Else", isbn=GRAPES),
    row("New Book", isbn=isbn13(1), shelves="Classics; Memoir"),
)


def stored(in_app, isbn):
    with in_app():
        return stored_book(isbn)


def shelf_names(in_app) -> list[str]:
    with in_app():
        return sorted(db.session.scalars(select(Shelf.name)))


def test_the_dry_run_offers_each_rename_and_new_shelf_as_a_tick(member, upload, grapes):
    page = text_of(upload(FILE))

    assert (
        '<input type="checkbox" id="rename-2" name="renames" value="2">\n'
        '      <label for="rename-2">Row 2 would rename “The Grapes of Wrath” (John Steinbeck) '
        "to “Two Rows Same” (Someone Else)</label>"
    ) in page
    assert '<input type="checkbox" id="shelf-1" name="shelves" value="classics">' in page
    assert '<label for="shelf-2">Add the shelf “Memoir” (row 3)</label>' in page


def test_nothing_ticked_leaves_the_book_and_makes_no_shelf(
    client, member, upload, post, grapes, in_app
):
    response = post("/collective/books/import/apply", {"carried": carried(upload(FILE))})

    assert response.status_code == 302
    assert stored(in_app, GRAPES)["title"] == "The Grapes of Wrath"
    assert stored(in_app, isbn13(1))["shelves"] == []
    assert shelf_names(in_app) == []
    page = text_of(client.get(response.headers["Location"]))
    assert "<li>1 left as it was, its rename not ticked (row 2)</li>" in page
    assert (
        "<li>Row 2 would rename “The Grapes of Wrath” (John Steinbeck) to “Two Rows Same” "
        "(Someone Else).</li>"
    ) in page
    assert "the rows naming them were imported without them" in page
    assert "<li>Classics (row 3)</li>" in page and "<li>Memoir (row 3)</li>" in page


def test_what_is_ticked_is_made(client, member, upload, post, grapes, in_app):
    token = carried(upload(FILE))

    response = post(
        "/collective/books/import/apply",
        {"carried": token, "renames": ["2"], "shelves": ["classics"]},
    )

    assert response.status_code == 302
    assert stored(in_app, GRAPES)["title"] == "Two Rows Same"
    assert stored(in_app, isbn13(1))["shelves"] == ["Classics"]
    assert shelf_names(in_app) == ["Classics"], "Memoir was not ticked"
    page = text_of(client.get(response.headers["Location"]))
    assert "Shelves added: Classics." in page
    assert "<li>Memoir (row 3)</li>" in page


def test_ticks_that_name_nothing_in_the_dry_run_change_nothing(
    member, upload, post, grapes, in_app
):
    token = carried(upload(FILE))

    response = post(
        "/collective/books/import/apply",
        {"carried": token, "renames": ["3", "x", "9" * 5000], "shelves": ["poetry", ""]},
    )

    assert response.status_code == 302
    assert stored(in_app, GRAPES)["title"] == "The Grapes of Wrath"
    assert shelf_names(in_app) == []


def test_a_file_whose_only_change_is_a_rename_still_offers_the_import(member, upload, grapes):
    page = text_of(upload(csv_bytes(row("Two Rows Same", authors="Someone Else", isbn=GRAPES))))

    assert "Import: add 0, update 0, and what you tick</button>" in page
    assert "Nothing to import" not in page

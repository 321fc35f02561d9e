"""Past imports at the catalog desk (firestorm/collective/csv_history_routes.py): the list, an
import's page, and undoing it after a page that asks first; refused in words when it can't be
undone; closed to volunteers and strangers, like every CSV import page."""

import html
import io
from urllib.parse import urlsplit

import pytest
from csv_helpers import csv_bytes, import_file, isbn13, row, stored_book
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import page_text, token_of

from firestorm.catalog import books
from firestorm.catalog.models import Book
from firestorm.csv.models import CsvImport
from firestorm.database import db

KINDRED = "9780807083697"
FILE = csv_bytes(
    row("Kindred", authors="Octavia E. Butler", isbn=KINDRED, publisher="Beacon", stock="4"),
    row("Fledgling", authors="Octavia E. Butler", isbn=isbn13(1), stock="2"),
)


@pytest.fixture
def kindred(make_book):
    return make_book("Kindred", ["Octavia E. Butler"], isbn13=KINDRED, publisher="Old", stock=1)


@pytest.fixture
def imported(kindred, in_app, make_user):
    importer = make_user("collective", display_name="Robin")
    return import_file(in_app, FILE, member_id=importer.id).import_id


@pytest.fixture
def member(login_as):
    return login_as("collective", display_name="Mara")


def text_of(response, status: int | None = None) -> str:
    return html.unescape(page_text(response, status))


def record_of(in_app, import_id) -> CsvImport:
    with in_app():
        record = db.session.get(CsvImport, import_id)
        db.session.expunge(record)
        return record


def test_the_import_page_leads_to_the_past_imports(client, member):
    page = text_of(client.get("/collective/books/import"))

    assert '<a href="/collective/books/imports">Past imports</a>' in page


def test_the_list_says_who_imported_which_file_when_and_what_it_did(client, member, imported):
    response = client.get("/collective/books/imports")

    page = text_of(response)
    assert response.status_code == 200
    assert f'<a href="/collective/books/imports/{imported}">books.csv</a>' in page
    assert '<td data-label="By">Robin</td>' in page
    assert "<td>Nov 24, 2026, 3pm</td>" in page
    assert '<td data-label="Added">1</td>\n      <td data-label="Updated">1</td>' in page


def test_the_list_comes_in_pages(client, member, imported, in_app, app, monkeypatch):
    second = import_file(in_app, csv_bytes(row("Kindred", authors="", isbn=KINDRED))).import_id
    monkeypatch.setitem(app.config, "IMPORTS_PER_PAGE", 1)

    first_page = text_of(client.get("/collective/books/imports"))
    second_page = text_of(client.get("/collective/books/imports?page=2"))

    assert f"/collective/books/imports/{second}" in first_page, "newest first"
    assert '<a rel="next" href="/collective/books/imports?page=2">' in first_page
    assert f"/collective/books/imports/{imported}" in second_page


def test_an_import_page_says_what_it_did_and_offers_the_undo(client, member, imported):
    page = text_of(client.get(f"/collective/books/imports/{imported}"))

    assert "<h1>Imported books.csv</h1>" in page
    assert "By Robin, Nov 24, 2026, 3pm." in page
    assert "<li>1 book added (row 3)</li>" in page and "<li>1 updated (row 2)</li>" in page
    assert f'<a href="/collective/books/imports/{imported}/undo">Undo this import</a>' in page


def test_the_undo_asks_first_and_then_undoes_it(client, member, imported, post, in_app):
    asking = text_of(client.get(f"/collective/books/imports/{imported}/undo"))
    assert "<h1>Undo the import of books.csv?</h1>" in asking
    assert "The 1 book it added go from the catalog" in asking
    assert record_of(in_app, imported).undone_at is None, "asking changes nothing"

    response = post(f"/collective/books/imports/{imported}/undo")

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/collective/books/imports/{imported}"
    page = text_of(client.get(response.headers["Location"]))
    assert "The import of books.csv is undone." in page
    assert "Undone by Mara, " in page
    assert "Undo this import" not in page
    with in_app():
        assert stored_book(KINDRED)["publisher"] == "Old"
        assert stored_book(isbn13(1)) is None


def test_a_second_undo_is_refused_in_words(client, member, imported, post, in_app):
    post(f"/collective/books/imports/{imported}/undo")

    response = post(f"/collective/books/imports/{imported}/undo")

    page = text_of(response)
    assert response.status_code == 409
    assert "This import has been undone already." in page
    assert "Undone by Mara, " in page
    assert "Undo the import of books.csv</button>" not in page
    assert text_of(client.get(f"/collective/books/imports/{imported}/undo")).count("undone already")


def test_an_undo_stopped_by_a_changed_book_names_it_with_a_link(
    client, member, imported, post, in_app
):
    with in_app():
        book = db.session.scalar(db.select(Book).where(Book.isbn13 == KINDRED))
        books.set_hidden(book, True)
        db.session.commit()
        book_id = book.id

    asking = text_of(client.get(f"/collective/books/imports/{imported}/undo"))
    response = post(f"/collective/books/imports/{imported}/undo")

    page = text_of(response)
    assert response.status_code == 409
    for shown in (asking, page):
        assert "1 book has changed since this import" in shown
        assert (
            f'<a href="/collective/books/{book_id}/edit">Kindred</a>: edited since the import'
            in shown
        )
        assert "Undo the import of books.csv</button>" not in shown
    assert record_of(in_app, imported).undone_at is None
    with in_app():
        assert stored_book(isbn13(1)) is not None, "nothing undone"


def test_unknown_imports_are_not_found(client, member, post):
    for path in ("/collective/books/imports/999", "/collective/books/imports/999/undo"):
        assert "We couldn't find that page" in text_of(client.get(path), status=404)
    response = post("/collective/books/imports/999/undo")
    assert "We couldn't find that page" in text_of(response, status=404)


def test_an_import_that_changed_no_book_has_nothing_to_undo(client, member, kindred, in_app):
    data = csv_bytes(row("Kindred", authors="Octavia E. Butler", isbn=KINDRED))
    import_id = import_file(in_app, data).import_id

    page = text_of(client.get(f"/collective/books/imports/{import_id}"))

    assert "From the command line, " in page
    assert "Nothing to undo: this import added or changed no book." in page


IMPORT_ROUTES = [
    ("GET", "/collective/books/import"),
    ("POST", "/collective/books/import"),
    ("POST", "/collective/books/import/apply"),
    ("GET", "/collective/books/imports"),
    ("GET", "/collective/books/imports/{id}"),
    ("GET", "/collective/books/imports/{id}/undo"),
    ("POST", "/collective/books/imports/{id}/undo"),
]


def test_volunteers_and_strangers_are_kept_out_and_nothing_changes(
    client, imported, login_as, in_app
):
    def send(method, path):
        data = {"csrf_token": token_of(client), "file": (io.BytesIO(FILE), "b.csv")}
        path = path.format(id=imported)
        return client.open(path, method=method, data=data, content_type="multipart/form-data")

    for method, path in IMPORT_ROUTES:
        response = send(method, path)
        assert response.status_code == 302, path
        assert urlsplit(response.headers["Location"]).path == "/login", path
    login_as("volunteer")
    for method, path in IMPORT_ROUTES:
        assert send(method, path).status_code == 403, path
    assert record_of(in_app, imported).undone_at is None
    with in_app():
        assert stored_book(KINDRED)["publisher"] == "Beacon"


def test_an_undo_without_the_csrf_token_is_refused(client, member, imported, in_app):
    response = client.post(f"/collective/books/imports/{imported}/undo")

    assert response.status_code == 400
    assert "This form has expired" in text_of(response)
    assert record_of(in_app, imported).undone_at is None


def test_the_past_import_pages_are_valid_html(
    tmp_path, client, member, imported, post, nu_html_checker
):
    responses = {
        "imports": client.get("/collective/books/imports"),
        "import": client.get(f"/collective/books/imports/{imported}"),
        "undo": client.get(f"/collective/books/imports/{imported}/undo"),
    }
    post(f"/collective/books/imports/{imported}/undo")
    responses["undone"] = client.get(f"/collective/books/imports/{imported}")
    responses["undone-again"] = post(f"/collective/books/imports/{imported}/undo")

    errors = check_html(nu_html_checker, save_responses(responses, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)

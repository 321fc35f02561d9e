"""CSV import and export at the catalog desk (firestorm/collective/csv_routes.py): choosing a
file, its dry run row by row, importing exactly that, the summary, and the export. Who may
open these pages at all: test_approval_access.py walks every /collective/ route."""

import html
import io

import pytest
from csv_helpers import csv_bytes, fixture_file, isbn13, row, stock_log
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import page_text
from sqlalchemy import func, select

from firestorm.catalog.models import Book
from firestorm.csv.models import CsvImport
from firestorm.database import db

DISPERSING = "9781849350112"
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


def text_of(response) -> str:
    return html.unescape(page_text(response))


def carried(response) -> str:
    return page_text(response).split('name="carried" type="hidden" value="')[1].split('"')[0]


def last_import(in_app) -> int:
    with in_app():
        return db.session.scalar(select(func.max(CsvImport.id)))


def books_in_catalog(in_app) -> int:
    with in_app():
        return db.session.scalar(select(func.count()).select_from(Book))


def test_the_books_page_links_to_import_and_export(client, member):
    page = page_text(client.get("/collective/books"))

    assert '<a href="/collective/books/import">Import from a CSV file</a>' in page
    assert '<a href="/collective/books/export">Export as CSV</a>' in page


def test_the_import_page_explains_the_columns_and_shows_a_sample(client, member):
    response = client.get("/collective/books/import")

    page = text_of(response)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    for column in ("release date", "ISBN", "price", "format", "pages", "shelves"):
        assert f"<dt>{column}</dt>" in page
    assert "separated by “;”" in page
    assert "In USD, like 18.95" in page
    assert (
        "title,subtitle,authors,publisher,release date,ISBN,stock,price,format,pages,description,"
        "shelves" in page
    )


def test_the_dry_run_shows_each_row_and_writes_nothing(client, in_app, member, upload, make_book):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)
    data = csv_bytes(
        row("Dispersing Power", authors="Raúl Zibechi", isbn=DISPERSING, stock=5),
        row("New Book", isbn="978-1-84935-260-4", stock=1),
        row("Bad Date", release_date="1/7/2010"),
        row("Same As Before", authors="Nobody", isbn="not an isbn"),
    )

    response = upload(data, "till export.csv")

    page = text_of(response)
    assert response.status_code == 200
    assert "<h1>Dry run of till export.csv</h1>" in page
    assert "Nothing has changed yet." in page
    assert "<li>1 book to add</li>" in page and "<li>1 to update</li>" in page
    assert "<li>2 rows refused, left out of the import</li>" in page
    updated = page.split('id="updated-heading"')[1]
    assert '<td data-label="Row">2</td>' in updated and "stock 2 → 5" in updated
    refused = page.split('id="refused-heading"')[1].split("</table>")[0]
    assert '<td data-label="Row">4</td>' in refused and "Give the date as year-month-day" in refused
    assert '<td data-label="Row">5</td>' in refused and "An ISBN has 10 or 13 digits" in refused
    assert "Import: add 1, update 1" in page
    assert books_in_catalog(in_app) == 1
    with in_app():
        assert stock_log() == []


def test_importing_applies_the_dry_run_and_shows_the_summary(
    client, in_app, member, upload, post, make_book
):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)
    dry_run = upload(
        csv_bytes(
            row("Dispersing Power", authors="Raúl Zibechi", isbn=DISPERSING, stock=5),
            row("New Book", isbn="978-1-84935-260-4", stock=1),
            row("Bad Date", release_date="1/7/2010"),
        )
    )

    response = post("/collective/books/import/apply", {"carried": carried(dry_run)})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/collective/books/imports/{last_import(in_app)}"
    summary = text_of(client.get(response.headers["Location"]))
    assert "<h1>Imported books.csv</h1>" in summary
    assert f"By {member.display_name}, " in summary
    assert "<li>1 book added (row 3)</li>" in summary
    assert "<li>1 updated (row 2)</li>" in summary
    assert "<li>1 row refused and left out (row 4)</li>" in summary
    assert books_in_catalog(in_app) == 2
    with in_app():
        assert sorted(stock_log()) == [
            ("Dispersing Power", 3, 5, "import", member.id),
            ("New Book", 1, 1, "import", member.id),
        ]


def test_an_import_after_the_catalog_changed_shows_the_new_dry_run_and_writes_nothing(
    client, in_app, member, upload, post, make_book
):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)
    dry_run = upload(
        csv_bytes(row("Dispersing Power", authors="Raúl Zibechi", isbn=DISPERSING, stock=5))
    )
    with in_app():
        db.session.execute(db.update(Book).values(stock=4))
        db.session.commit()

    response = post("/collective/books/import/apply", {"carried": carried(dry_run)})

    page = text_of(response)
    assert response.status_code == 409
    assert "The catalog has changed since the dry run" in page
    assert "stock 4 → 5" in page, "the dry run as it is now"
    with in_app():
        assert stock_log() == []
    again = post("/collective/books/import/apply", {"carried": carried(response)})
    assert again.status_code == 302


def test_a_tampered_or_foreign_carry_forward_is_refused(
    client, in_app, member, upload, post, login_as
):
    dry_run = upload(csv_bytes(row("New Book", isbn="978-1-84935-260-4", stock=1)))
    token = carried(dry_run)
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")

    for forged in (tampered, "", "not a token"):
        response = post("/collective/books/import/apply", {"carried": forged})
        assert response.status_code == 400
        assert "This import can't be read back" in text_of(response)
    login_as("collective")
    assert post("/collective/books/import/apply", {"carried": token}).status_code == 400
    assert books_in_catalog(in_app) == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (fixture_file("image.csv"), "This file is a PNG image, not a CSV file."),
        (fixture_file("cp1251_cyrillic.csv"), "save it again as “CSV UTF-8”"),
        (b"", "The file is empty."),
        (b"Name,Cost\r\nx,1\r\n", "The first row should name the columns"),
    ],
)
def test_a_file_that_cant_be_read_is_refused_next_to_the_field(member, upload, data, words):
    response = upload(data, "photo.csv")

    page = text_of(response)
    assert response.status_code == 422
    errors = page.split('id="file-errors"')[1].split("</ul>")[0]
    assert words in errors


def test_choosing_no_file_is_refused(member, post):
    response = post("/collective/books/import", {}, content_type="multipart/form-data")

    assert response.status_code == 422
    assert "Choose the CSV file to import." in text_of(response)


def test_a_windows_1252_file_says_how_it_was_read(member, upload):
    page = text_of(upload(fixture_file("windows1252_quotes.csv")))

    assert "Read as Windows-1252 (check that the accents below look right)" in page
    assert "separated by semicolons" in page
    assert "The “Shock” Doctrine" in page
    assert "Not in the file, so left as they are on books already in the catalog: subtitle" in page


def test_a_file_that_changes_nothing_offers_no_import(member, upload, make_book):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)

    page = text_of(
        upload(csv_bytes(row("Dispersing Power", authors="Raúl Zibechi", isbn=DISPERSING)))
    )

    assert "Nothing to import:" in page
    assert 'name="carried"' not in page
    assert "The same as in the catalog already: row 2." in page


def test_the_export_is_a_csv_download_with_a_bom_and_formulas_escaped(client, member, make_book):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)
    make_book("=HYPERLINK(1)", ["Someone"])

    response = client.get("/collective/books/export")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="firestorm-books-')
    body = response.data.decode("utf-8")
    assert body.startswith("\ufefftitle,subtitle,authors,")
    assert "Dispersing Power,,Raúl Zibechi,,,978-1-84935-011-2,2,,,,,\r\n" in body
    assert "\r\n'=HYPERLINK(1),,Someone," in body
    assert "no-store" in response.headers["Cache-Control"]


def test_the_import_pages_are_valid_html(
    tmp_path, client, member, upload, post, make_book, nu_html_checker
):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)
    make_book("The Grapes of Wrath", ["John Steinbeck"], isbn13=GRAPES)
    data = csv_bytes(
        row("Dispersing Power", authors="Raúl Zibechi", isbn=DISPERSING, stock=5),
        row("New Book", isbn="978-1-84935-260-4", shelves="Classics"),
        row("Bad Date", release_date="1/7/2010"),
        row("Dispersing Power", authors="Raúl Zibechi", isbn=DISPERSING),
        row("Two Rows Same", authors="Someone Else", isbn=GRAPES),
    )
    dry_run = upload(data)
    responses = {
        "import": client.get("/collective/books/import"),
        "import-refused": upload(fixture_file("image.csv")),
        "dry-run": dry_run,
    }
    imported = post("/collective/books/import/apply", {"carried": carried(dry_run)})
    responses["summary"] = client.get(imported.headers["Location"])
    responses["books"] = client.get("/collective/books")

    errors = check_html(nu_html_checker, save_responses(responses, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


def test_the_summary_stands_above_the_import_button(member, upload, make_book):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)
    make_book("The Grapes of Wrath", ["John Steinbeck"], isbn13=GRAPES)
    data = csv_bytes(
        row("Dispersing Power", authors="Raúl Zibechi", isbn=DISPERSING, stock=5),
        row("New Book", isbn="978-1-84935-260-4", stock=1, shelves="Classics; Memoir"),
        row("Two Rows Same", authors="Someone Else", isbn=GRAPES),
    )

    page = text_of(upload(data))

    button = page.index("Import: add 1, update 1, and what you tick</button>")
    for said in (
        "<li>1 book to add</li>",
        "<li>1 to update</li>",
        "<li>1 rename to confirm: imported only if you tick it below</li>",
        "<li>would add shelves: Classics, Memoir, only if you tick them below</li>",
        "Row 4 would rename “The Grapes of Wrath” (John Steinbeck) to “Two Rows Same” "
        "(Someone Else)",
        "Add the shelf “Classics” (row 3)",
    ):
        assert page.index(said) < button, said
    assert button < page.index('id="added-heading"') < page.index('id="updated-heading"')


def test_the_dry_run_names_the_clearing_marker(member, upload, app, monkeypatch):
    data = csv_bytes(row("New Book", isbn="978-1-84935-260-4"))

    page = text_of(upload(data))
    assert "A blank cell keeps what the book has: write [clear] in a cell to empty it" in page
    monkeypatch.setitem(app.config, "CSV_CLEAR_MARKER", "(empty)")
    assert "write (empty) in a cell to empty it" in text_of(upload(data))


def test_the_pages_say_that_a_long_file_takes_a_few_seconds(client, member, upload):
    data = csv_bytes(*(row(f"Book {n}", isbn=isbn13(n)) for n in range(3)))

    choosing = text_of(client.get("/collective/books/import"))
    dry_run = text_of(upload(data))

    assert "Checking a file of a few thousand rows takes a few seconds." in choosing
    assert 'data-busy-note="Checking the file…' in choosing
    assert "Importing takes a few seconds for a few thousand rows (this file has 3 rows)" in dry_run
    assert 'data-busy-note="Importing 3 rows…' in dry_run


def test_a_dry_run_older_than_a_shift_is_refused_in_words(in_app, member, upload, post, wall_clock):
    dry_run = upload(csv_bytes(row("New Book", isbn="978-1-84935-260-4", stock=1)))
    wall_clock.advance(8 * 3600 + 60)

    response = post("/collective/books/import/apply", {"carried": carried(dry_run)})

    assert response.status_code == 400
    assert "This dry run is more than 8 hours old" in text_of(response)
    assert books_in_catalog(in_app) == 0

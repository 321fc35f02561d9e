"""The catalog's commands (firestorm/cli/catalog.py): import-books FILE [--dry-run]
[--accept-renames] [--add-shelves], with its progress, its summary, its record and exit status
1 when a row was refused or left; export-books FILE."""

from datetime import UTC, datetime

from csv_helpers import csv_bytes, fixture_file, row, stock_log, stored_book
from sqlalchemy import func, select

from firestorm.catalog.models import Book, Shelf
from firestorm.csv.models import CsvImport
from firestorm.database import db

DISPERSING = "9781849350112"


def books_in_catalog(in_app) -> int:
    with in_app():
        return db.session.scalar(select(func.count()).select_from(Book))


def written(tmp_path, data: bytes, name="books.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_importing_adds_the_books_logs_the_stock_and_says_so(runner, in_app, tmp_path):
    path = written(tmp_path, fixture_file("utf8_bom.csv").replace(b",Anarchism", b","))

    result = runner.invoke(args=["import-books", path])

    assert result.exit_code == 0, result.output
    assert "books.csv: 2 rows, read as UTF-8, values separated by commas." in result.output
    assert "Checking rows" in result.output and "Importing" in result.output
    assert "Added 2: rows 2–3." in result.output
    assert "Updated 0." in result.output and "Refused 0." in result.output
    with in_app():
        assert stored_book(DISPERSING)["authors"] == ["Raúl Zibechi"]
        assert stock_log() == [
            ("Dispersing Power", 2, 2, "import", None),
            ("Emergent Strategy", 1, 1, "import", None),
        ]


def test_a_dry_run_says_what_would_happen_and_changes_nothing(runner, in_app, tmp_path):
    path = written(tmp_path, fixture_file("duplicate_isbns.csv"))

    result = runner.invoke(args=["import-books", path, "--dry-run"])

    assert result.exit_code == 1, "a row is refused"
    assert "Would add 2: rows 2–3." in result.output
    assert "Refused 1: row 4." in result.output
    assert "  Row 4: Row 2 has the same ISBN: each book once in a file." in result.output
    assert result.output.rstrip().endswith("Dry run: nothing was changed.")
    assert books_in_catalog(in_app) == 0


def test_refused_rows_are_listed_the_rest_imported_and_the_exit_status_is_1(
    runner, in_app, tmp_path, make_book
):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)
    path = written(
        tmp_path,
        csv_bytes(
            row("Dispersing Power", authors="Raúl Zibechi", isbn=DISPERSING, stock=4),
            row("Bad Date", release_date="1/7/2010"),
            row("Bad ISBN", isbn="978-1-84935-011-3"),
        ),
    )

    result = runner.invoke(args=["import-books", path])

    assert result.exit_code == 1
    assert "Updated 1: row 2." in result.output
    assert "Refused 2: rows 3–4." in result.output
    assert "  Row 3: Release date “1/7/2010”: Give the date as year-month-day" in result.output
    assert "  Row 4: ISBN “978-1-84935-011-3”: That ISBN's last digit" in result.output
    with in_app():
        assert stored_book(DISPERSING)["stock"] == 4
        assert stock_log() == [("Dispersing Power", 2, 4, "import", None)]
    assert books_in_catalog(in_app) == 1


def test_a_file_that_is_no_csv_is_refused_in_words(runner, in_app, tmp_path):
    path = written(tmp_path, fixture_file("image.csv"), "cover.csv")

    result = runner.invoke(args=["import-books", path])

    assert result.exit_code == 1
    assert "Error: This file is a PNG image, not a CSV file." in result.output
    assert "Traceback" not in result.output
    assert books_in_catalog(in_app) == 0


def test_a_missing_file_is_refused_by_name(runner, tmp_path):
    result = runner.invoke(args=["import-books", str(tmp_path / "nowhere.csv")])

    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_export_writes_every_book_and_an_import_of_it_changes_nothing(
    runner, tmp_path, make_book, in_app
):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)
    make_book("=SUM(A1)", ["Someone"], description="- a list")
    path = tmp_path / "catalog.csv"

    exported = runner.invoke(args=["export-books", str(path)])

    assert exported.exit_code == 0
    assert f"Exported 2 books to {path}." in exported.output
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbftitle,subtitle,authors,")
    assert "'=SUM(A1)" in data.decode("utf-8-sig")
    again = runner.invoke(args=["import-books", str(path), "--dry-run"])
    assert again.exit_code == 0
    assert "Unchanged 2: rows 2–3." in again.output
    assert "Would add 0." in again.output and "Would update 0." in again.output


GRAPES = "9780143039433"
CHOICES = csv_bytes(
    row("Two Rows Same", authors="Someone Else", isbn=GRAPES),
    row("New Book", isbn="978-1-84935-260-4", shelves="Classics; Memoir"),
)


def shelf_names(in_app) -> list[str]:
    with in_app():
        return sorted(db.session.scalars(select(Shelf.name)))


def test_a_dry_run_lists_the_renames_and_the_new_shelves(runner, tmp_path, make_book):
    make_book("The Grapes of Wrath", ["John Steinbeck"], isbn13=GRAPES)

    result = runner.invoke(args=["import-books", written(tmp_path, CHOICES), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Would rename (with --accept-renames) 1: row 2." in result.output
    assert (
        "  Row 2 would rename “The Grapes of Wrath” (John Steinbeck) to “Two Rows Same” "
        "(Someone Else)." in result.output
    )
    assert "Would add shelves (with --add-shelves): Classics (row 3); Memoir (row 3)." in (
        result.output
    )


def test_without_the_options_renames_are_left_and_no_shelf_is_made(
    runner, tmp_path, make_book, in_app
):
    make_book("The Grapes of Wrath", ["John Steinbeck"], isbn13=GRAPES)

    result = runner.invoke(args=["import-books", written(tmp_path, CHOICES)])

    assert result.exit_code == 1, "a row was left"
    assert "Left as they were 1: row 2." in result.output
    assert "Run again with --accept-renames to make it." in result.output
    assert (
        "Shelves not added, so those rows were imported without them (run again with "
        "--add-shelves to add them): Classics (row 3); Memoir (row 3)." in result.output
    )
    with in_app():
        assert stored_book(GRAPES)["title"] == "The Grapes of Wrath"
    assert shelf_names(in_app) == []


def test_the_options_make_the_renames_and_the_shelves(runner, tmp_path, make_book, in_app):
    make_book("The Grapes of Wrath", ["John Steinbeck"], isbn13=GRAPES)
    path = written(tmp_path, CHOICES)

    result = runner.invoke(args=["import-books", path, "--accept-renames", "--add-shelves"])

    assert result.exit_code == 0, result.output
    assert "Updated 1: row 2." in result.output
    assert "Shelves added: Classics, Memoir." in result.output
    with in_app():
        assert stored_book(GRAPES)["title"] == "Two Rows Same"
        assert stored_book("9781849352604")["shelves"] == ["Classics", "Memoir"]
    assert shelf_names(in_app) == ["Classics", "Memoir"]


def test_every_import_is_recorded_and_can_be_undone_from_its_page(runner, tmp_path, in_app):
    result = runner.invoke(args=["import-books", written(tmp_path, CHOICES), "--add-shelves"])

    with in_app():
        record = db.session.scalar(select(CsvImport))
        assert (record.file_name, record.imported_by_id, record.added) == ("books.csv", None, 2)
    assert (
        f"Recorded as import {record.id}: it can be undone from its page, "
        f"/collective/books/imports/{record.id}." in result.output
    )
    dry = runner.invoke(args=["import-books", written(tmp_path, CHOICES), "--dry-run"])
    with in_app():
        assert db.session.scalar(select(func.count()).select_from(CsvImport)) == 1, (
            "a dry run is no import",
            dry.output,
        )


def test_the_import_is_dated_by_the_site_s_clock(runner, tmp_path, in_app, clock):
    clock(datetime(2030, 3, 5, 15, 30, tzinfo=UTC))

    runner.invoke(args=["import-books", written(tmp_path, CHOICES), "--add-shelves"])

    with in_app():
        record = db.session.scalar(select(CsvImport))
        assert record.imported_at == datetime(2030, 3, 5, 15, 30, tzinfo=UTC)


def test_a_blank_cell_keeps_and_the_marker_empties_from_the_command_line(
    runner, tmp_path, make_book, in_app
):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, publisher="AK Press")
    make_book("Emergent Strategy", ["adrienne maree brown"], isbn13="9781849352604", publisher="AK")
    data = csv_bytes(
        row("Dispersing Power", authors="", isbn=DISPERSING, publisher=""),
        row("Emergent Strategy", authors="", isbn="9781849352604", publisher="[clear]"),
    )

    result = runner.invoke(args=["import-books", written(tmp_path, data)])

    assert result.exit_code == 0, result.output
    with in_app():
        assert stored_book(DISPERSING)["publisher"] == "AK Press"
        assert stored_book("9781849352604")["publisher"] == ""

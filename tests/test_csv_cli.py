"""The catalog's commands (firestorm/cli/catalog.py): import-books FILE [--dry-run], with its
progress, its summary and exit status 1 when a row was refused; export-books FILE."""

from csv_helpers import csv_bytes, fixture_file, row, stock_log, stored_book
from sqlalchemy import func, select

from firestorm.catalog.models import Book
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

"""Exporting the catalog as CSV (firestorm/csv/export.py): the columns an import reads,
cells a spreadsheet would run escaped, and an export read back changing nothing."""

import csv
import io
from datetime import date

import pytest
from csv_helpers import HEADER, MARKER, MONEY, TODAY, import_file, stock_log
from shelf_helpers import add_shelves, shelve

from firestorm.csv import importing
from firestorm.csv.export import escaped, unescaped, write_catalog
from firestorm.csv.files import read_table
from firestorm.csv.models import CsvImport
from firestorm.database import db


def exported(in_app) -> str:
    with in_app():
        out = io.StringIO()
        write_catalog(out)
        return out.getvalue()


def exported_rows(in_app) -> list[list[str]]:
    return list(csv.reader(io.StringIO(exported(in_app))))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("- a list item", "'- a list item"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("'=already quoted", "''=already quoted"),
        ("'quoted, but no formula", "'quoted, but no formula"),
        ("Plain title", "Plain title"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_escaped_and_read_back_as_it_was(value, cell):
    assert escaped(value) == cell
    assert unescaped(cell) == value


def test_a_hand_written_apostrophe_is_kept():
    assert unescaped("'Tis Pity") == "'Tis Pity"


def test_the_export_has_the_columns_and_each_book_in_title_order(app, in_app, make_book, bookshop):
    add_shelves(app, "Anarchism", "Latin America")
    shelve(app, bookshop["reviewed"], "Latin America", "Anarchism")
    make_book(
        "A Poetry Book",
        ["First Poet", "Second Poet"],
        release_date=date(2021, 3, 4),
        description="- one\n- two",
        stock=7,
    )

    rows = exported_rows(in_app)

    assert rows[0] == HEADER
    # By title as shelves order them: "A Poetry Book" goes under P.
    assert [r[0] for r in rows[1:]] == ["Dispersing Power", "Emergent Strategy", "A Poetry Book"]
    dispersing = dict(zip(HEADER, rows[1], strict=True))
    assert dispersing == {
        "title": "Dispersing Power",
        "subtitle": "Social Movements as Anti-State Forces",
        "authors": "Raúl Zibechi",
        "publisher": "AK Press",
        "release date": "",
        "ISBN": "978-1-84935-011-2",
        "stock": "2",
        "price": "",
        "format": "",
        "pages": "",
        "description": "How the Aymara of El Alto organise without a state.",
        "shelves": "Anarchism; Latin America",
    }
    poetry = dict(zip(HEADER, rows[3], strict=True))
    assert poetry["authors"] == "First Poet; Second Poet"
    assert poetry["release date"] == "2021-03-04"
    assert poetry["description"] == "'- one\n- two", "a Markdown list is not a formula"


def test_formulas_in_the_catalog_are_exported_escaped(in_app, make_book):
    make_book("=cmd|' /C calc'!A0", ["@Someone"], publisher="+Press")

    title, _, authors, publisher = exported_rows(in_app)[1][:4]

    assert (title, authors, publisher) == ("'=cmd|' /C calc'!A0", "'@Someone", "'+Press")


def test_an_export_imported_again_changes_nothing(app, in_app, make_book, bookshop):
    add_shelves(app, "Anarchism", "Poesía")
    shelve(app, bookshop["reviewed"], "Poesía", "Anarchism")
    make_book("=Formula Title", ["-Dash Author"], description="- a list\n\n@mention")
    make_book("'Tis Pity", ["John Ford"], subtitle="A Play, in Five Acts", stock=3, page_count=112)
    make_book("No ISBN", ["Some Author"], release_date=date(1999, 12, 31))
    before = exported(in_app)

    with in_app():
        plan = importing.preview(before.encode("utf-8-sig"), TODAY, MARKER, MONEY)
    imported = import_file(in_app, before.encode("utf-8-sig"), renames=True, shelves=True)

    assert plan.counts == {
        "added": 0,
        "updated": 0,
        "unchanged": 5,
        "rename": 0,
        "left": 0,
        "refused": 0,
    }
    assert exported(in_app) == before
    with in_app():
        assert stock_log() == []
        record = db.session.get(CsvImport, imported.import_id)
        assert (record.added, record.updated, record.unchanged) == (0, 0, 5)


def test_an_empty_catalog_exports_the_column_names_alone(in_app):
    assert exported(in_app) == ",".join(HEADER) + "\r\n"


def test_an_exported_file_reads_as_utf8_with_its_columns(in_app, make_book):
    make_book("Poesía", ["José Martí"])

    table = read_table(exported(in_app).encode("utf-8-sig"))

    assert table.encoding == "UTF-8" and table.ignored == () and table.missing == ()
    assert table.rows[0][1][:3] == ("Poesía", "", "José Martí")

"""What a CSV import changes and what it leaves (firestorm/csv/cells.py, rows.py):
a blank cell keeps the book's value and the clearing marker empties it; a row that would
rename a book, and a shelf that doesn't exist yet, wait for the member's choice."""

import pytest
from csv_helpers import (
    MARKER,
    MONEY,
    NOW,
    TODAY,
    csv_bytes,
    import_file,
    isbn13,
    row,
    stock_log,
    stored_book,
)
from shelf_helpers import add_shelves, shelve

from firestorm.catalog.models import Shelf
from firestorm.csv import importing
from firestorm.csv.files import COLUMNS, read_table
from firestorm.csv.models import CsvImport
from firestorm.database import db

KINDRED = "9780807083697"
GRAPES = "9780143039433"


@pytest.fixture
def dry_run(in_app):
    def dry_run(data: bytes, marker=MARKER) -> importing.ImportPlan:
        with in_app():
            return importing.preview(data, TODAY, marker, MONEY)

    return dry_run


@pytest.fixture
def kindred(app, make_book):
    """Kindred with every value filled in, on a shelf, 1 copy."""
    add_shelves(app, "Science Fiction", "Classics")
    book = make_book(
        "Kindred",
        ["Octavia E. Butler"],
        isbn13=KINDRED,
        subtitle="A Novel",
        publisher="Beacon Press",
        release_date=TODAY.replace(year=1979),
        description="A time-travel story.",
        stock=1,
    )
    shelve(app, book, "Science Fiction")
    return book


@pytest.fixture
def stored(in_app):
    def stored(isbn):
        with in_app():
            return stored_book(isbn)

    return stored


def said(plan) -> list[tuple[int, str, str]]:
    return [(r.number, r.action, " ".join(r.notes)) for r in plan.rows]


# --- Blank cells and the clearing marker -----------------------------------------------------


def test_a_blank_cell_keeps_what_the_book_has(kindred, dry_run, stored, in_app):
    before = stored(KINDRED)
    # The row the demo tried: every column present, most of them blank.
    data = csv_bytes(row("Kindred", authors="", isbn=KINDRED, stock="3"))

    assert said(dry_run(data)) == [(2, "updated", "stock 1 → 3")]
    import_file(in_app, data)

    assert stored(KINDRED) == {**before, "stock": 3}


def test_a_row_with_only_its_isbn_changes_nothing(kindred, dry_run):
    data = csv_bytes(row("", authors="", isbn="0-8070-8369-0"))

    assert said(dry_run(data)) == [(2, "unchanged", "")]


@pytest.mark.parametrize(
    ("column", "stored_as", "emptied", "words"),
    [
        ("subtitle", "subtitle", "", "subtitle “A Novel” emptied"),
        ("publisher", "publisher", "", "publisher “Beacon Press” emptied"),
        ("release_date", "release_date", None, "release date “1979-11-24” emptied"),
        ("description", "description", "", "description emptied"),
        ("shelves", "shelves", [], "shelves “Science Fiction” emptied"),
    ],
)
def test_the_marker_empties_each_column_that_may_be_empty(
    kindred, dry_run, stored, in_app, column, stored_as, emptied, words
):
    data = csv_bytes(row("Kindred", authors="Octavia E. Butler", isbn=KINDRED, **{column: MARKER}))

    assert said(dry_run(data)) == [(2, "updated", words)]
    import_file(in_app, data)

    assert stored(KINDRED)[stored_as] == emptied
    assert stored(KINDRED)["title"] == "Kindred"


def test_the_marker_is_read_whatever_its_capitals_and_spaces(kindred, dry_run):
    data = csv_bytes(row("Kindred", authors="", isbn=KINDRED, publisher="  [CLEAR] "))

    assert said(dry_run(data)) == [(2, "updated", "publisher “Beacon Press” emptied")]


@pytest.mark.parametrize(
    ("column", "words"),
    [
        ("title", "Title “[clear]”: A book's title can't be emptied: leave the cell blank"),
        ("authors", "Authors “[clear]”: A book's authors can't be emptied: leave the cell"),
        ("isbn", "ISBN “[clear]”: A book's ISBN can't be emptied: leave the cell blank"),
        ("stock", "Stock “[clear]”: The stock can't be emptied: write 0 for no copies"),
    ],
)
def test_the_marker_is_refused_where_every_book_has_a_value(kindred, dry_run, column, words):
    cells = {"title": "Kindred", "authors": "Octavia E. Butler", "isbn": KINDRED, column: MARKER}
    data = csv_bytes(row(**cells))

    (refused,) = dry_run(data).rows

    assert refused.action == "refused"
    assert refused.notes[0].startswith(words)


def test_a_new_book_still_needs_its_title(dry_run):
    data = csv_bytes(row("", authors="Someone", isbn=isbn13(7)))

    assert said(dry_run(data)) == [(2, "refused", "Title: Give the book's title.")]


def test_the_marker_is_a_setting_and_an_empty_one_empties_nothing(kindred, dry_run):
    data = csv_bytes(row("Kindred", authors="", isbn=KINDRED, publisher="(none)"))

    assert said(dry_run(data, marker="(none)")) == [
        (2, "updated", "publisher “Beacon Press” emptied")
    ]
    assert said(dry_run(data, marker="")) == [(2, "updated", "publisher “Beacon Press” → “(none)”")]


def test_a_cell_of_separators_alone_is_as_blank_as_an_empty_one(kindred, dry_run):
    data = csv_bytes(row("Kindred", authors=" ; ", isbn=KINDRED, shelves=";"))

    assert said(dry_run(data)) == [(2, "unchanged", "")]


# --- Renames ---------------------------------------------------------------------------------


@pytest.fixture
def grapes(make_book):
    return make_book("The Grapes of Wrath", ["John Steinbeck"], isbn13=GRAPES, stock=2)


def test_a_row_that_would_rename_a_book_is_left_unless_chosen(grapes, dry_run, stored, in_app):
    data = csv_bytes(row("Two Rows Same", authors="Someone Else", isbn=GRAPES, stock="5"))

    (rename,) = dry_run(data).rows
    assert rename.action == "rename"
    assert rename.rename == (
        "would rename “The Grapes of Wrath” (John Steinbeck) to “Two Rows Same” (Someone Else)"
    )
    imported = import_file(in_app, data)

    kept = stored(GRAPES)
    assert (kept["title"], kept["authors"], kept["stock"]) == (
        "The Grapes of Wrath",
        ["John Steinbeck"],
        2,
    )
    with in_app():
        record = db.session.get(CsvImport, imported.import_id)
        assert (record.updated, record.renames_left) == (0, 1)
        assert record.summary["renames_left"] == [f"Row 2 {rename.rename}."]
        assert stock_log() == []


def test_a_rename_chosen_is_made(grapes, stored, in_app):
    import_file(
        in_app, csv_bytes(row("Two Rows Same", authors="Someone Else", isbn=GRAPES)), renames=True
    )

    renamed = stored(GRAPES)
    assert (renamed["title"], renamed["authors"]) == ("Two Rows Same", ["Someone Else"])


@pytest.mark.parametrize(
    ("title", "authors", "action"),
    [
        # Capitals, accents and spacing are how files differ, not another book.
        ("the grapes  of WRATH", "JOHN STEINBECK", "updated"),
        ("The Grápes of Wrath", "John Steinbeck", "updated"),
        # A co-author added, or the authors in another order: the same book.
        ("The Grapes of Wrath", "John Steinbeck; Robert DeMott", "updated"),
        # Another title, or none of its authors: another book.
        ("The Grapes of Wrath, Annotated", "John Steinbeck", "rename"),
        ("The Grapes of Wrath", "Robert DeMott", "rename"),
        # Title and authors left blank: kept, so no rename.
        ("", "", "unchanged"),
    ],
)
def test_what_counts_as_a_rename(grapes, dry_run, title, authors, action):
    (planned,) = dry_run(csv_bytes(row(title, authors=authors, isbn=GRAPES))).rows

    assert planned.action == action


def test_a_book_without_authors_given_its_first_is_no_rename(make_book, dry_run):
    make_book("Anonymous Pamphlet", [], isbn13=isbn13(8))

    (planned,) = dry_run(
        csv_bytes(row("Anonymous Pamphlet", authors="Found Author", isbn=isbn13(8)))
    ).rows

    assert (planned.action, planned.notes) == ("updated", ("authors “” → “Found Author”",))


# --- New shelves -----------------------------------------------------------------------------


def shelf_names(in_app) -> list[str]:
    with in_app():
        return sorted(db.session.scalars(db.select(Shelf.name)))


@pytest.fixture
def new_shelves_file(app):
    add_shelves(app, "Anarchism")
    return csv_bytes(
        row("One", isbn=isbn13(1), shelves="Classics; anarchism"),
        row("Two", isbn=isbn13(2), shelves="Memoir; Poetyr"),
        row("Three", isbn=isbn13(3), shelves="classics"),
    )


def test_new_shelves_are_listed_by_the_dry_run(new_shelves_file, dry_run):
    plan = dry_run(new_shelves_file)

    assert plan.new_shelves == {"classics": "Classics", "memoir": "Memoir", "poetyr": "Poetyr"}
    assert plan.rows_naming("classics") == "rows 2, 4"
    assert plan.rows[0].notes == (
        "a new book, 0 copies in stock",
        "on the new shelf “Classics” if it is added",
    )


def test_without_the_choice_no_shelf_is_made_and_the_rows_go_without_it(
    new_shelves_file, in_app, stored
):
    imported = import_file(in_app, new_shelves_file)

    assert shelf_names(in_app) == ["Anarchism"], "a typo never becomes a shelf unasked"
    assert [stored(isbn13(n))["shelves"] for n in (1, 2, 3)] == [["Anarchism"], [], []]
    with in_app():
        summary = db.session.get(CsvImport, imported.import_id).summary
    assert summary["shelves_added"] == []
    assert summary["shelves_not_added"] == [
        {"name": "Classics", "rows": "rows 2, 4"},
        {"name": "Memoir", "rows": "row 3"},
        {"name": "Poetyr", "rows": "row 3"},
    ]


def test_only_the_new_shelves_chosen_are_made(new_shelves_file, in_app, stored):
    with in_app():
        plan = importing.plan_import(read_table(new_shelves_file), TODAY, MARKER, MONEY, lock=True)
        choices = importing.ImportChoices(shelves=frozenset({"classics", "memoir"}))
        importing.apply_plan(plan, choices, "b.csv", importing.Importer(None, "a test", NOW))
        db.session.commit()

    assert shelf_names(in_app) == ["Anarchism", "Classics", "Memoir"]
    assert [stored(isbn13(n))["shelves"] for n in (1, 2, 3)] == [
        ["Anarchism", "Classics"],
        ["Memoir"],
        ["Classics"],
    ]


def test_a_cell_naming_only_new_shelves_keeps_the_books_shelves_unless_they_are_added(
    kindred, dry_run, stored, in_app
):
    data = csv_bytes(row("Kindred", authors="", isbn=KINDRED, shelves="Speculative"))

    assert said(dry_run(data)) == [
        (2, "unchanged", "on the new shelf “Speculative” if it is added")
    ]
    import_file(in_app, data)
    assert stored(KINDRED)["shelves"] == ["Science Fiction"]
    import_file(in_app, data, shelves=True)
    assert stored(KINDRED)["shelves"] == ["Speculative"]


def test_a_shelf_only_a_rename_left_behind_names_is_not_made(grapes, in_app):
    data = csv_bytes(row("Two Rows Same", authors="Someone Else", isbn=GRAPES, shelves="Oddities"))

    imported = import_file(in_app, data, shelves=True)

    assert shelf_names(in_app) == []
    with in_app():
        summary = db.session.get(CsvImport, imported.import_id).summary
    assert summary["shelves_added"] == summary["shelves_not_added"] == [], "the row was left"


@pytest.mark.parametrize(
    ("name", "words"),
    [("!!!", "A shelf's name needs at least one letter or digit"), ("x" * 81, "at most 80")],
)
def test_a_name_no_shelf_could_have_refuses_the_row(dry_run, name, words):
    (refused,) = dry_run(csv_bytes(row("One", isbn=isbn13(1), shelves=name))).rows

    assert refused.action == "refused"
    assert refused.notes[0].startswith(f"{COLUMNS['shelves'].capitalize()} “")
    assert words in refused.notes[0]


def test_a_shelf_added_after_the_dry_run_changes_the_plan(new_shelves_file, dry_run, app, in_app):
    shown = dry_run(new_shelves_file)
    add_shelves(app, "Memoir")

    with in_app(), pytest.raises(importing.PlanChanged):
        importing.import_text(
            shown.table.text,
            "UTF-8",
            shown.digest,
            importing.ImportChoices(shelves=frozenset({"memoir"})),
            "b.csv",
            importing.Importer(None, "a test", NOW),
            TODAY,
            MARKER,
            MONEY,
        )

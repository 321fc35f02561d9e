"""Importing books from CSV (firestorm/csv/importing.py and rows.py): the dry run's
plan row by row, and applying it. Reading the files themselves: test_csv_files.py."""

from datetime import date

import pytest
from csv_helpers import (
    MARKER,
    MONEY,
    NOW,
    TODAY,
    csv_bytes,
    fixture_file,
    import_file,
    isbn13,
    many_rows,
    row,
    stock_log,
    stored_book,
)
from shelf_helpers import add_shelves
from sqlalchemy import func, select

from firestorm.catalog import books
from firestorm.catalog.models import Author, Book
from firestorm.csv import importing
from firestorm.csv.files import read_table
from firestorm.database import db

DISPERSING = "9781849350112"
EMERGENT = "9781849352604"


@pytest.fixture
def dry_run(in_app):
    def dry_run(data: bytes) -> importing.ImportPlan:
        with in_app():
            return importing.preview(data, TODAY, MARKER, MONEY)

    return dry_run


@pytest.fixture
def do_import(in_app):
    """do_import(data, member_id=…) -> the plan, imported as the command line does."""
    return lambda data, **options: import_file(in_app, data, **options).plan


@pytest.fixture
def catalog(in_app):
    """catalog(isbn13) -> the stored book as plain values; catalog() -> how many books."""

    def catalog(isbn=None):
        with in_app():
            if isbn is None:
                return db.session.scalar(select(func.count()).select_from(Book))
            return stored_book(isbn)

    return catalog


def said(plan) -> list[tuple[int, str, str]]:
    """(row, action, notes in words) for each row of the plan."""
    return [(r.number, r.action, " ".join(r.notes)) for r in plan.rows]


def test_a_dry_run_says_what_each_row_would_do_and_changes_nothing(dry_run, catalog, app):
    add_shelves(app, "Anarchism")

    plan = dry_run(fixture_file("utf8_bom.csv"))

    assert said(plan) == [
        (2, "added", "a new book, 2 copies in stock"),
        (3, "added", "a new book, 1 copy in stock"),
    ]
    assert catalog() == 0


def test_importing_adds_the_books_with_everything_the_file_says(do_import, catalog, app, in_app):
    add_shelves(app, "Anarchism")

    do_import(fixture_file("utf8_bom.csv"))

    assert catalog(DISPERSING) | {"id": None} == {
        "title": "Dispersing Power",
        "subtitle": "Social Movements as Anti-State Forces",
        "authors": ["Raúl Zibechi"],
        "publisher": "AK Press",
        "release_date": date(2010, 7, 1),
        "stock": 2,
        "description": "How the Aymara of El Alto organise.",
        "shelves": ["Anarchism"],
        "hidden": False,
        "id": None,
    }
    assert catalog(EMERGENT)["subtitle"] == "Shaping Change, Changing Worlds"
    with in_app():
        assert stock_log() == [
            ("Dispersing Power", 2, 2, "import", None),
            ("Emergent Strategy", 1, 1, "import", None),
        ]


def test_a_latin1_and_a_windows_1252_file_import_with_their_accents(do_import, catalog):
    do_import(fixture_file("latin1.csv"))
    do_import(fixture_file("windows1252_quotes.csv"))

    assert catalog("9782070408504")["title"] == "Les Misérables"
    assert catalog("9782070408504")["publisher"] == "Éditions Gallimard"
    shock = catalog("9780312427993")
    assert shock["title"] == "The “Shock” Doctrine"
    assert shock["description"] == "Klein’s account — of disaster capitalism."


def test_semicolon_files_give_several_authors_in_cover_order(do_import, catalog):
    do_import(fixture_file("semicolons.csv"))

    assert catalog(DISPERSING)["authors"] == ["Raúl Zibechi", "Ramor Ryan"]


def test_a_row_with_a_known_isbn_updates_that_book_and_logs_the_stock(
    do_import, dry_run, catalog, make_book, make_user, in_app
):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)
    member = make_user("collective")
    data = csv_bytes(row("Dispersing Power", authors="Raúl Zibechi", isbn="1-84935-011-6", stock=5))

    assert said(dry_run(data)) == [(2, "updated", "stock 2 → 5")]
    do_import(data, member_id=member.id)

    assert catalog(DISPERSING)["stock"] == 5
    assert catalog() == 1
    with in_app():
        assert stock_log() == [("Dispersing Power", 3, 5, "import", member.id)]


def test_an_update_says_each_change_in_words(dry_run, make_book):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, publisher="AK")
    data = csv_bytes(
        row(
            "Dispersing Power",
            authors="Raúl Zibechi; Ramor Ryan",
            isbn=DISPERSING,
            publisher="AK Press",
            description="New words.",
        )
    )

    assert said(dry_run(data)) == [
        (
            2,
            "updated",
            "publisher “AK” → “AK Press” authors “Raúl Zibechi” → “Raúl Zibechi; Ramor Ryan” "
            "a new description",
        )
    ]


def test_columns_left_out_and_an_empty_stock_keep_what_the_book_has(
    do_import, dry_run, catalog, make_book
):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=3, description="Kept.")
    data = fixture_file("missing_and_extra_columns.csv")

    assert said(dry_run(data)) == [
        (2, "unchanged", ""),
        (3, "added", "a new book, 0 copies in stock"),
    ]
    do_import(data)
    kept = catalog(DISPERSING)
    assert (kept["stock"], kept["description"]) == (3, "Kept.")
    blank_stock = csv_bytes(
        ["Dispersing Power", "Raúl Zibechi", DISPERSING, ""],
        header=["title", "authors", "ISBN", "stock"],
    )
    assert said(dry_run(blank_stock)) == [(2, "unchanged", "")]


def test_blank_rows_are_skipped(dry_run):
    plan = dry_run(fixture_file("blank_lines.csv"))

    assert [(r.number, r.action) for r in plan.rows] == [(4, "added"), (7, "added")]
    assert plan.table.blank_rows == 5


def test_bad_dates_are_refused_row_by_row(dry_run):
    plan = dry_run(fixture_file("bad_dates.csv"))

    assert said(plan) == [
        (
            2,
            "refused",
            "Release date “1/7/2010”: Give the date as year-month-day, like 2010-07-01.",
        ),
        (
            3,
            "refused",
            "Release date “2010-13-01”: Give the date as year-month-day, like 2010-07-01.",
        ),
        (
            4,
            "refused",
            "Release date “next spring”: Give the date as year-month-day, like 2010-07-01.",
        ),
        (5, "refused", "Release date: That release date is more than a year away: check the year."),
        (6, "added", "a new book, 0 copies in stock"),
    ]


def test_bad_isbns_are_refused_saying_what_is_wrong(dry_run):
    plan = dry_run(fixture_file("bad_isbns.csv"))

    assert [(r.number, r.action) for r in plan.rows] == [
        (2, "refused"),
        (3, "refused"),
        (4, "refused"),
        (5, "added"),
    ]
    assert "last digit doesn't match" in plan.rows[0].notes[0]
    assert plan.rows[0].notes[0].startswith("ISBN “978-1-84935-011-3”: ")
    assert "10 or 13 digits" in plan.rows[1].notes[0] and "10 or 13 digits" in plan.rows[2].notes[0]
    assert plan.rows[3].details.isbn == DISPERSING


def test_an_isbn_twice_in_a_file_is_refused_the_second_time(dry_run):
    plan = dry_run(fixture_file("duplicate_isbns.csv"))

    assert said(plan) == [
        (2, "added", "a new book, 2 copies in stock"),
        (3, "added", "a new book, 1 copy in stock"),
        (4, "refused", "Row 2 has the same ISBN: each book once in a file."),
    ]


def test_every_problem_of_a_row_is_told_at_once(dry_run):
    data = csv_bytes(row("", isbn="123", stock="two", release_date="soon"))

    (refused,) = dry_run(data).rows

    assert refused.action == "refused"
    assert [note.split(" ")[0] for note in refused.notes] == ["Release", "ISBN", "Stock"]
    assert refused.notes[2] == "Stock “two”: Give a number of copies from 0 to 100,000."


def test_a_row_without_a_title_is_refused(dry_run):
    assert said(dry_run(csv_bytes(row("  ")))) == [(2, "refused", "Title: Give the book's title.")]


def test_shelves_are_matched_by_their_address_whatever_the_spelling(
    do_import, dry_run, catalog, app
):
    add_shelves(app, "Anarchism", "Poesía", "Sci Fi")
    data = csv_bytes(row("One", isbn=isbn13(1), shelves="anarchism; POESIA; sci-fi"))

    assert dry_run(data).new_shelves == {}
    do_import(data)

    assert catalog(isbn13(1))["shelves"] == ["Anarchism", "Poesía", "Sci Fi"]


def test_a_row_without_an_isbn_updates_the_book_with_its_title_and_authors(
    do_import, dry_run, catalog, make_book
):
    make_book("Emergent Strategy", ["adrienne maree brown"], stock=1)
    data = csv_bytes(row("emergent strategy", authors="Adrienne Maree Brown", stock=4))

    assert said(dry_run(data)) == [
        (2, "updated", "title “Emergent Strategy” → “emergent strategy” stock 1 → 4")
    ]
    do_import(data)
    assert catalog() == 1


def test_a_title_two_books_share_needs_the_isbn(dry_run, make_book):
    make_book("Poems", ["One Poet"])
    make_book("Poems", ["Another Poet"])

    assert said(dry_run(csv_bytes(["Poems"], header=["title"]))) == [
        (2, "refused", "2 books in the catalog have this title: give the ISBN.")
    ]
    plan = dry_run(csv_bytes(row("Poems", authors="One Poet")))
    assert plan.rows[0].action == "unchanged"


def test_a_book_twice_in_a_file_without_an_isbn_is_refused_the_second_time(dry_run):
    data = csv_bytes(row("Poems", authors="One Poet"), row("POEMS", authors="one poet"))

    assert said(dry_run(data))[1] == (
        3,
        "refused",
        "Row 2 has the same title and authors, and no ISBN: each book once in a file.",
    )


def test_a_row_with_more_values_than_columns_is_refused_and_a_short_one_is_read(dry_run):
    data = (
        b"title,authors,stock\r\n"
        b"Anarchy, State and Utopia,Robert Nozick,2\r\n"
        b"Short Row,Some Author\r\n"
    )

    plan = dry_run(data)

    assert said(plan)[0] == (
        2,
        "refused",
        "This row has 4 values but the first row names 3 columns: a value with a comma in "
        "it needs quotes around it.",
    )
    assert said(plan)[1] == (3, "added", "a new book, 0 copies in stock")


def test_a_quote_never_closed_is_caught_in_the_row_it_swallows(dry_run):
    data = b'title,authors\r\n"Unclosed,Some Author\r\nNext Book,Other Author\r\n'

    (swallowed,) = dry_run(data).rows

    assert swallowed.action == "refused"
    assert "may be missing its closing quote" in swallowed.notes[0]


def test_authors_are_reused_however_they_are_capitalised_or_accented(do_import, in_app, make_book):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING)

    do_import(
        csv_bytes(
            row("Territories in Resistance", authors="raul zibechi", isbn=isbn13(3)),
            row("Brewing Hope", authors="Raul Zibechi; New Person; new person", isbn=isbn13(4)),
        )
    )

    with in_app():
        assert stored_book(isbn13(3))["authors"] == ["Raúl Zibechi"]
        assert stored_book(isbn13(4))["authors"] == ["Raúl Zibechi", "New Person"]
        assert db.session.scalar(select(func.count()).select_from(Author)) == 2


def test_refused_and_unchanged_rows_are_left_alone(do_import, catalog, make_book, in_app):
    hidden = make_book("Hidden Book", ["Some Author"], isbn13=isbn13(5), stock=1)
    with in_app():
        books.set_hidden(db.session.get(Book, hidden.id), True)
        db.session.commit()

    plan = do_import(
        csv_bytes(
            row("Hidden Book", isbn=isbn13(5), stock=1),
            row("Refused", isbn="978-0-00-000000-1", stock=3),
            row("Added", isbn=isbn13(6), stock=2),
        )
    )

    assert plan.counts == {
        "added": 1,
        "updated": 0,
        "unchanged": 1,
        "rename": 0,
        "left": 0,
        "refused": 1,
    }
    assert catalog() == 2
    assert catalog(isbn13(5))["hidden"] is True


def test_imported_books_are_found_by_the_catalog_search(do_import, client):
    do_import(fixture_file("utf8_bom.csv").replace(b",Anarchism", b","))

    page = client.get("/books?q=zibechi").get_data(as_text=True)

    assert "Dispersing Power" in page
    assert "Emergent Strategy" not in page


def test_an_import_after_the_catalog_changed_is_refused_with_the_new_plan(
    in_app, make_book, catalog
):
    make_book("Dispersing Power", ["Raúl Zibechi"], isbn13=DISPERSING, stock=2)
    data = csv_bytes(row("Dispersing Power", authors="Raúl Zibechi", isbn=DISPERSING, stock=5))
    with in_app():
        shown = importing.preview(data, TODAY, MARKER, MONEY)
        text = read_table(data).text
    with in_app():
        db.session.execute(db.update(Book).values(stock=4))
        db.session.commit()

    with in_app(), pytest.raises(importing.PlanChanged) as changed:
        importing.import_text(
            text,
            "UTF-8",
            shown.digest,
            importing.ImportChoices(),
            "books.csv",
            importing.Importer(None, "a test", NOW),
            TODAY,
            MARKER,
            MONEY,
        )

    assert said(changed.value.plan) == [(2, "updated", "stock 4 → 5")]
    assert catalog(DISPERSING)["stock"] == 4


def test_row_numbers_are_said_as_ranges():
    assert importing.row_ranges([2, 3, 4, 5, 9, 12, 13]) == "2–5, 9, 12–13"
    assert importing.row_ranges(range(2, 100, 2), most=3) == "2, 4, 6 and 46 more"


def test_the_catalog_is_read_a_few_queries_per_500_rows(dry_run, do_import, catalog, count_queries):
    # How long a long file takes is measured by bench/csv_import.py, not here.
    data = many_rows(1_500)

    with count_queries() as queries:
        plan = dry_run(data)
    assert plan.counts["added"] == 1_500
    # The shelves, then for each 500 rows their books (none yet): not a query per row.
    assert len(queries) <= 2 + 1_500 // 500, "the catalog is read once for the file"
    do_import(data)
    with count_queries() as queries:
        again = dry_run(data)
    # Now each 500 rows' books come with their authors and shelves: three queries.
    assert len(queries) <= 2 + 3 * 1_500 // 500

    assert catalog() == 1_500
    assert again.counts["unchanged"] == 1_500

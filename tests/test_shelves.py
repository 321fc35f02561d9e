"""Shelf rules: names and their addresses, adding, renaming (old addresses lead on), removing
(the books stay), and the counts the shelf lists show."""

import pytest
from shelf_helpers import BY, add_shelves, hide, shelf_named, shelve
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from firestorm.catalog import shelves
from firestorm.catalog.models import Book, OldShelfSlug
from firestorm.database import db
from firestorm.search.queries import CatalogQuery


def refusal(action) -> str:
    with pytest.raises(shelves.ShelfProblem) as refused:
        action()
    return str(refused.value)


# --- Names and addresses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Staff picks", "staff-picks"),
        ("Poesía", "poesia"),
        ("Women's Studies", "womens-studies"),
        ("Kids’ corner", "kids-corner"),
        ("Food & Drink", "food-and-drink"),
        ("  Zines -- and   comics!  ", "zines-and-comics"),
        ("Поэзия", "поэзия"),
        ("Straße", "strasse"),
        ("???", ""),
    ],
)
def test_a_shelfs_address_comes_from_its_name(name, slug):
    assert shelves.slug_for(name) == slug


def test_a_very_long_name_gives_an_address_no_longer_than_the_column():
    slug = shelves.slug_for("a" * 40 + " " + "b" * 60)

    assert len(slug) <= shelves.SLUG_MAX_LENGTH
    assert not slug.endswith("-")


# --- Adding ----------------------------------------------------------------------------------


def test_a_new_shelf_gets_its_tidied_name_and_its_address(app):
    with app.app_context():
        shelf = shelves.add_shelf("  Staff\tpicks ", by=BY)
        db.session.commit()

        assert (shelf.name, shelf.slug) == ("Staff picks", "staff-picks")
        assert shelves.find_shelf("staff-picks") == shelves.FoundShelf(shelf, moved=False)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Give the shelf a name."),
        ("   \t ", "Give the shelf a name."),
        ("x" * 81, "Use at most 80 characters for a shelf's name."),
        ("!!!", "A shelf's name needs at least one letter or digit, for its address."),
        ("Poetry", "There is already a shelf called “Poetry”."),
        (
            "poetry",
            "That name would give the same address (/shelves/poetry) as the shelf “Poetry”.",
        ),
        (
            "Poëtry!",
            "That name would give the same address (/shelves/poetry) as the shelf “Poetry”.",
        ),
    ],
)
def test_a_name_that_cannot_be_used_is_refused_in_words(app, typed, message):
    add_shelves(app, "Poetry")
    with app.app_context():
        assert refusal(lambda: shelves.add_shelf(typed, by=BY)).startswith(message)
        db.session.rollback()
        assert [shelf.name for shelf in shelves.all_shelves()] == ["Poetry"]


def test_a_name_of_exactly_the_longest_length_is_kept(app):
    with app.app_context():
        shelf = shelves.add_shelf("x" * 80, by=BY)

        assert len(shelf.name) == 80


def test_a_name_saved_by_someone_else_meanwhile_is_refused_and_the_session_goes_on(
    app, monkeypatch
):
    add_shelves(app, "Poetry")
    # Both members' checks passed before either saved: the database has the last word.
    monkeypatch.setattr(shelves, "_checked_name", lambda typed, shelf=None: (typed, "poetry"))
    with app.app_context():
        message = refusal(lambda: shelves.add_shelf("Poetry", by=BY))

        assert message.startswith("Another member has just saved a shelf called “Poetry”")
        assert [shelf.name for shelf in shelves.all_shelves()] == ["Poetry"]


# --- Renaming --------------------------------------------------------------------------------


def test_a_renamed_shelf_is_found_at_its_old_address_too(app):
    add_shelves(app, "Poetry")
    with app.app_context():
        shelf = shelf_named("Poetry")
        shelves.rename_shelf(shelf, "Verse & Song", by=BY)
        db.session.commit()

        assert shelf.slug == "verse-and-song"
        assert shelves.find_shelf("verse-and-song") == shelves.FoundShelf(shelf, moved=False)
        assert shelves.find_shelf("poetry") == shelves.FoundShelf(shelf, moved=True)


def test_a_shelf_renamed_twice_and_back_keeps_every_address_working(app):
    add_shelves(app, "Poetry")
    with app.app_context():
        shelf = shelf_named("Poetry")
        for name in ("Verse", "Poems", "Poetry"):
            shelves.rename_shelf(shelf, name, by=BY)
        db.session.commit()

        assert shelves.find_shelf("poetry") == shelves.FoundShelf(shelf, moved=False)
        assert shelves.find_shelf("verse").moved and shelves.find_shelf("poems").moved
        old = db.session.scalars(select(OldShelfSlug.slug).order_by(OldShelfSlug.slug)).all()
        assert old == ["poems", "verse"]


def test_changing_only_capitals_keeps_the_address(app):
    add_shelves(app, "Staff picks")
    with app.app_context():
        shelf = shelf_named("Staff picks")
        shelves.rename_shelf(shelf, "Staff Picks", by=BY)
        db.session.commit()

        assert (shelf.name, shelf.slug) == ("Staff Picks", "staff-picks")
        assert db.session.scalars(select(OldShelfSlug)).all() == []


def test_a_rename_to_another_shelfs_name_or_address_is_refused(app):
    add_shelves(app, "Poetry", "Kids")
    with app.app_context():
        kids = shelf_named("Kids")

        assert refusal(lambda: shelves.rename_shelf(kids, "Poetry", by=BY)) == (
            "There is already a shelf called “Poetry”."
        )
        assert "/shelves/poetry" in refusal(lambda: shelves.rename_shelf(kids, "POETRY", by=BY))
        db.session.rollback()
        assert (shelf_named("Kids").slug, shelves.find_shelf("kids").moved) == ("kids", False)


def test_a_new_shelf_may_take_an_address_another_shelf_had_before(app):
    add_shelves(app, "Kids")
    with app.app_context():
        children = shelf_named("Kids")
        shelves.rename_shelf(children, "Children", by=BY)
        kids = shelves.add_shelf("Kids", by=BY)
        db.session.commit()

        assert shelves.find_shelf("kids") == shelves.FoundShelf(kids, moved=False)
        assert shelves.find_shelf("children") == shelves.FoundShelf(children, moved=False)


# --- Removing --------------------------------------------------------------------------------


def test_removing_a_shelf_keeps_its_books_and_forgets_its_addresses(app, make_book):
    add_shelves(app, "Poetry", "Kids")
    book = make_book("Citizen")
    shelve(app, book, "Poetry", "Kids")
    with app.app_context():
        poetry = shelf_named("Poetry")
        shelves.rename_shelf(poetry, "Verse", by=BY)
        db.session.commit()
        shelves.remove_shelf(poetry, by=BY)
        db.session.commit()

        assert [shelf.name for shelf in shelves.all_shelves()] == ["Kids"]
        assert shelves.find_shelf("verse") is None and shelves.find_shelf("poetry") is None
        saved = db.session.scalar(select(Book).options(selectinload(Book.shelves)))
        assert (saved.title, [shelf.name for shelf in saved.shelves]) == ("Citizen", ["Kids"])


# --- Counts and finding ----------------------------------------------------------------------


def test_counts_leave_hidden_books_out_of_what_the_public_sees(app, make_book, count_queries):
    add_shelves(app, "Poetry", "Kids", "Zines")
    shelve(app, make_book("Citizen"), "Poetry")
    shelve(app, hide(app, make_book("Hidden poems")), "Poetry")
    shelve(app, make_book("The Lorax"), "Kids", "Poetry")

    with app.app_context(), count_queries() as statements:
        counts = shelves.shelves_with_counts()

    assert [(c.shelf.name, c.books, c.hidden_books) for c in counts] == [
        ("Kids", 1, 0),
        ("Poetry", 2, 1),
        ("Zines", 0, 0),
    ]
    # The shelves, the books on each, the hidden ones among them: however many shelves.
    sent = [statement.split()[0] for statement in statements if statement != "BEGIN"]
    assert sent == ["SELECT"] * 3


def test_books_on_a_shelf_counts_hidden_ones_too(app, make_book):
    add_shelves(app, "Poetry")
    shelve(app, make_book("Citizen"), "Poetry")
    shelve(app, hide(app, make_book("Hidden poems")), "Poetry")

    with app.app_context():
        assert shelves.books_on_shelf(shelf_named("Poetry")) == 2


@pytest.mark.parametrize(
    "address", ["", "no-such-shelf", "Poetry", "poetry/", "x" * 81, "po\x00etry", "-poetry"]
)
def test_an_address_of_no_shelf_finds_nothing(app, address):
    add_shelves(app, "Poetry")
    with app.app_context():
        assert shelves.find_shelf(address) is None


def test_an_address_no_name_could_give_is_not_even_looked_up(app, count_queries):
    with app.app_context(), count_queries() as statements:
        assert shelves.find_shelf("po\x00etry") is None
        assert shelves.find_shelf("x" * 500) is None

    assert statements == []


# --- The catalog's shelf filter --------------------------------------------------------------


def test_the_catalog_reads_a_shelf_it_knows_and_keeps_it_in_its_links():
    query = CatalogQuery.from_args({"shelf": "poetry", "page": "2"}, 200, shelf_slugs={"poetry"})

    assert query == CatalogQuery(shelf="poetry", page=2)
    assert query.url_args(page=3) == {"shelf": "poetry", "page": 3}


@pytest.mark.parametrize("shelf", ["kids", "", "Poetry", "poetry\x00"])
def test_a_shelf_the_catalog_does_not_know_is_no_filter(shelf):
    query = CatalogQuery.from_args({"shelf": shelf}, 200, shelf_slugs={"poetry"})

    assert query == CatalogQuery()
    assert query.url_args() == {}

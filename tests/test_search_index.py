"""The search index (firestorm/search/index.py) stays in step with the books: after
adding, editing, hiding, deleting a book, renaming or removing a shelf, rows written without
the ORM (rebuild), and an upgrade of a database that already has books. On SQLite, and on
PostgreSQL with FIRESTORM_TEST_DATABASE_URL. (Importing a CSV: test_csv_import.py. That no
search reads the books table: test_search_plans.py.)"""

import os

import flask_migrate
import pytest
from database_helpers import scratch_postgres_database
from review_helpers import page_text
from shelf_helpers import add_shelves
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.orm import selectinload

from firestorm.catalog.models import Author, Authorship, Book, Shelf
from firestorm.database import db
from firestorm.search import index
from firestorm.search.models import IndexedBook, IndexedWord
from firestorm.search.terms import terms_of

BEFORE_THE_INDEX = "bb8ac5828697"
DESK_FORM = {
    "title": "Dispersing Power",
    "subtitle": "Social Movements as Anti-State Forces",
    "authors": "Raúl Zibechi",
    "publisher": "AK Press",
    "release_date": "2010-07-01",
    "isbn": "978-1-84935-011-2",
    "description": "How the Aymara of El Alto organize without a state.",
    "stock": "2",
}


def public_titles(client, typed: str) -> str:
    """The catalog's results for a search, as the public reads them."""
    text = page_text(client.get("/books", query_string={"q": typed}))
    return text.split('<h2 class="visually-hidden">Search results</h2>')[1]


def desk_titles(client, typed: str) -> str:
    return page_text(client.get("/collective/books", query_string={"q": typed}))


@pytest.fixture
def member(login_as):
    return login_as("collective")


@pytest.fixture
def latin_america(app):
    return add_shelves(app, "Latin America")["Latin America"]


@pytest.fixture
def added(client, in_app, member, post, latin_america):
    """Dispersing Power, added on the desk's form and put on the shelf "Latin America"."""
    response = post("/collective/books", {**DESK_FORM, "shelves": str(latin_america)})
    assert response.status_code == 302
    with in_app():
        return db.session.scalar(select(Book.id).where(Book.title == "Dispersing Power"))


def test_a_book_added_on_the_desk_is_found_by_every_part_of_it(client, added):
    for typed in ("dispersing", "zibechi", "anti-state", "AK Press", "aymara", "latin america"):
        assert "Dispersing Power" in public_titles(client, typed), typed


def test_an_edited_book_is_found_by_its_new_words_only(client, post, added):
    edited = {**DESK_FORM, "title": "Territories in Resistance", "authors": "Raúl Zibechi"}
    edited["description"] = "Urban movements in South America."  # and on no shelf

    assert post(f"/collective/books/{added}", edited).status_code == 302

    assert "Territories in Resistance" in public_titles(client, "territories")
    assert "Territories in Resistance" in public_titles(client, "urban")
    for typed in ("dispersing", "aymara", "latin america"):
        assert "No books found" in public_titles(client, typed), typed


def test_a_hidden_book_leaves_the_public_search_but_not_the_desk(client, post, added):
    hidden = post(f"/collective/books/{added}/visibility", {"hidden": "1"})

    assert hidden.status_code == 302
    assert "No books found" in public_titles(client, "zibechi")
    assert "Dispersing Power" in desk_titles(client, "zibechi")

    post(f"/collective/books/{added}/visibility", {"hidden": "0"})
    assert "Dispersing Power" in public_titles(client, "zibechi")


def test_a_deleted_book_leaves_the_index(client, in_app, post, added):
    assert post(f"/collective/books/{added}/delete").status_code == 302

    assert "No books found" in desk_titles(client, "zibechi")
    with in_app():
        assert db.session.get(IndexedBook, added) is None
        for still_indexed, _ in index.books_matching([terms_of("zibechi")]):
            assert db.session.scalars(still_indexed).all() == []


def test_a_renamed_shelf_finds_its_books_by_the_new_name(client, post, added, latin_america):
    response = post(f"/collective/shelves/{latin_america}/rename", {"name": "Abya Yala"})

    assert response.status_code in (200, 302)
    assert "Dispersing Power" in public_titles(client, "abya yala")
    assert "No books found" in public_titles(client, "latin america")


def test_a_removed_shelf_no_longer_finds_its_books(client, post, added, latin_america):
    response = post(f"/collective/shelves/{latin_america}/remove")

    assert response.status_code in (200, 302)
    assert "No books found" in public_titles(client, "latin america")
    assert "Dispersing Power" in public_titles(client, "zibechi")


def test_changing_a_book_through_the_orm_anywhere_indexes_it(client, in_app, make_book):
    """Scripts and fixtures change books without the desk: the flush hook still follows."""
    book = make_book("Emergent Strategy", authors=["adrienne maree brown"])
    with in_app():
        stored = db.session.get(Book, book.id, options=[selectinload(Book.shelves)])
        stored.subtitle = "Shaping Change, Changing Worlds"
        stored.shelves = [Shelf(name="Organizing", slug="organizing")]
        db.session.commit()

    assert "Emergent Strategy" in public_titles(client, "shaping change")
    assert "Emergent Strategy" in public_titles(client, "organizing")


def test_a_stock_change_leaves_the_index_alone(in_app, make_book, count_queries):
    book = make_book("Mutual Aid", authors=["Dean Spade"])

    with in_app():
        db.session.get(Book, book.id).stock = 3
        with count_queries() as statements:
            db.session.commit()

    assert not [sql for sql in statements if "indexed_books" in sql]


def test_rebuild_indexes_rows_written_without_the_orm(client, in_app):
    with in_app():
        db.session.execute(insert(Author), [{"id": 1, "name": "Emma Goldman", "name_key": ""}])
        db.session.execute(
            insert(Book),
            [{"id": 1, "title": "Anarchism and Other Essays", "sort_title": "anarchism"}],
        )
        db.session.execute(insert(Authorship), [{"book_id": 1, "author_id": 1}])
        db.session.commit()
        before = db.session.scalar(select(IndexedBook).where(IndexedBook.book_id == 1))

        index.rebuild(db.session.connection())
        db.session.commit()
        words = set(db.session.scalars(select(IndexedWord.word)))

    assert before is None
    assert "Anarchism and Other Essays" in public_titles(client, "goldman")
    assert {"anarchism", "other", "essays", "emma", "goldman"} <= words


# --- Upgrading a database that already has books -------------------------------------------

OLD_ROWS = {
    "authors": [{"id": 1, "name": "Raúl Zibechi", "name_key": "raul zibechi"}],
    "books": [
        {
            "id": 1,
            "title": "Dispersing Power",
            "subtitle": "Social Movements as Anti-State Forces",
            "sort_title": "dispersing power",
            "publisher": "AK Press",
            "isbn13": "9781849350112",
            "description": "How the Aymara of El Alto organize without a state.",
            "stock": 2,
            "search_text": "dispersing power raul zibechi ak press 9781849350112",
            "created_at": "2026-11-20 14:30:00",
            "updated_at": "2026-11-20 14:30:00",
            "hidden": False,
        }
    ],
    "authorships": [{"book_id": 1, "author_id": 1, "position": 0}],
    "shelves": [{"id": 1, "name": "Latin America", "slug": "latin-america"}],
    "book_shelves": [{"book_id": 1, "shelf_id": 1}],
}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request, database_url, tmp_path):
    """An empty database of the test's own: a SQLite file, or a PostgreSQL database made
    beside the test database and dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    if not database_url.startswith("postgres"):
        pytest.skip("the PostgreSQL upgrade needs FIRESTORM_TEST_DATABASE_URL")
    with scratch_postgres_database(database_url, f"search_upgrade_{os.getpid()}") as url:
        yield url


def fill_before_the_index(connection) -> None:
    for table, rows in OLD_ROWS.items():
        columns = ", ".join(rows[0])
        values = ", ".join(f":{column}" for column in rows[0])
        connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), rows)


def test_the_upgrade_indexes_the_books_already_there_and_downgrades(fresh_database, other_app):
    shop = other_app(DATABASE_URL=fresh_database)
    with shop.app_context():
        flask_migrate.upgrade(revision=BEFORE_THE_INDEX)
        with db.engine.begin() as connection:
            fill_before_the_index(connection)
        flask_migrate.upgrade()

    for typed in ("zibechi", "aymara", "latin america", "978-1-84935-011-2", "1849350116"):
        found = shop.test_client().get("/books", query_string={"q": typed})
        assert "Dispersing Power" in page_text(found), typed

    with shop.app_context():
        flask_migrate.downgrade(revision=BEFORE_THE_INDEX)
        tables = set(inspect(db.engine).get_table_names())
        flask_migrate.upgrade()
        again = db.session.scalar(select(IndexedBook.heading))
        db.engine.dispose()
    assert not tables & {"indexed_books", "indexed_words", "book_search", "word_trigrams"}
    # Neighbouring words joined since e1f3a5c7b9d2: "raulzibechi".
    assert (
        again
        == "dispersing power raul zibechi 9781849350112 1849350116 dispersingpower raulzibechi"
    )

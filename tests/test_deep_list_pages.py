"""The public lists' deep pages: the catalog and a shelf in each order, and /reviews, walk the
partial indexes of what the public sees (an OFFSET then skips index entries, never a book or
a review), and a list's length is counted once per change, not on each of its pages. A
shelf's places keep copies of what its pages sort by, and the copies follow every change."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from query_plans import plan_of, statements_sent
from sqlalchemy import insert, select

from firestorm.catalog.models import Book, Shelf, book_shelves
from firestorm.database import db
from firestorm.people.models import Role, User
from firestorm.reviews import published
from firestorm.reviews.models import Review, ReviewState
from firestorm.search import index, queries

BOOK_COUNT = 400
PER_PAGE = 24
START = datetime(2026, 1, 1, tzinfo=UTC)
INDEX_OF_SORT = {
    "title": "ix_books_shown_by_title",
    "newest": "ix_books_shown_by_arrival",
    "reviewed": "ix_books_shown_by_review",
}


@pytest.fixture
def catalog(app):
    """BOOK_COUNT books (every tenth hidden), one reviewer and a published review of each."""
    with app.app_context():
        connection = db.session.connection()
        connection.execute(insert(Book), [book_row(n) for n in range(1, BOOK_COUNT + 1)])
        connection.execute(
            insert(User),
            [{"id": 1, "email": "r@example.org", "display_name": "Rae", "role": Role.VOLUNTEER}],
        )
        connection.execute(insert(Review), [review_row(n) for n in range(1, BOOK_COUNT + 1)])
        connection.execute(insert(Shelf), [{"id": 1, "name": "Estuaries", "slug": "estuaries"}])
        # Every other book; the database's triggers copy each one's order columns in.
        connection.execute(
            insert(book_shelves),
            [{"book_id": n, "shelf_id": 1} for n in range(1, BOOK_COUNT + 1, 2)],
        )
        # A write through the session, so the last change's token moves (web/last_change.py).
        db.session.execute(
            Book.__table__.update().where(Book.id == 1).values(publisher="Firestorm Press")
        )
        db.session.commit()
    return app


def book_row(n: int) -> dict:
    title = f"Book {n:04d}"
    return {
        "id": n,
        "title": title,
        "sort_title": title.lower(),
        "stock": n % 3,
        "hidden": n % 10 == 0,
        # Two books arrive at once, and every seventh has no review: ties and NULLs to order.
        "created_at": START + timedelta(hours=n // 2),
        "last_reviewed_at": None if n % 7 == 0 else START + timedelta(hours=n, minutes=5),
    }


def review_row(n: int) -> dict:
    published_at = START + timedelta(hours=n, minutes=5)
    return {
        "id": n,
        "book_id": n,
        "reviewer_id": 1,
        "state": ReviewState.PUBLISHED,
        "body": f"Review {n}",
        "published_body": f"Review {n}",
        "published_at": published_at,
        "submitted_at": published_at,
    }


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def walks(statement, index_name: str) -> bool:
    """Whether the list can be read in its order from that index, sorting nothing. On
    PostgreSQL, with the other ways priced out: on a table this small it rightly reads the
    table and sorts; in a real shop its statistics choose the index."""
    if is_postgresql():
        connection = db.session.connection()
        for way in ("seqscan", "bitmapscan", "sort", "incremental_sort"):
            connection.exec_driver_sql(f"SET LOCAL enable_{way} = off")
        plan = plan_of(statement)
        scans = rf"Index (Only )?Scan( Backward)? using {index_name}\b"
        ok = any(re.search(scans, line) for line in plan)
        ok = ok and not any(re.search(r"\bSort\b", line) for line in plan)
        ok = ok and not any(
            re.search(r"\bon books\b", line) for line in plan if "reviews" in index_name
        )
        return ok
    plan = plan_of(statement)
    ok = any(f"USING INDEX {index_name}" in line for line in plan)
    ok = ok and not any("TEMP B-TREE" in line for line in plan)
    if "reviews" in index_name:
        ok = ok and not any(re.search(r"\bbooks(_\d+)?\b", line) for line in plan)
    return ok


@pytest.mark.parametrize("in_stock_only", [False, True])
@pytest.mark.parametrize("sort", list(INDEX_OF_SORT))
def test_a_deep_catalog_page_walks_the_index_of_its_order(catalog, sort, in_stock_only):
    with catalog.app_context():
        query = queries.CatalogQuery(sort=sort, in_stock_only=in_stock_only)
        [found] = queries.found_books(query)
        deep_page = found.limit(PER_PAGE).offset(300)
        assert walks(deep_page, INDEX_OF_SORT[sort]), plan_of(deep_page)


@pytest.mark.parametrize("in_stock_only", [False, True])
@pytest.mark.parametrize("sort", list(INDEX_OF_SORT))
def test_a_deep_shelf_page_walks_the_shelf_s_own_index_and_reads_no_book(
    catalog, sort, in_stock_only
):
    with catalog.app_context():
        query = queries.CatalogQuery(shelf="estuaries", sort=sort, in_stock_only=in_stock_only)
        deep_page = queries.shelf_walk(query).limit(PER_PAGE).offset(150)
        shelf_index = INDEX_OF_SORT[sort].replace("ix_books_", "ix_book_shelves_")
        assert walks(deep_page, shelf_index), plan_of(deep_page)
        assert not any(re.search(r"\bbooks\b", line) for line in plan_of(deep_page))


def test_a_shelf_page_shows_its_books_in_each_order_and_filter(catalog, client):
    """Odd books are on the shelf; every tenth book is hidden (none of them odd); a book's
    stock is its number modulo 3, and later books arrived and were reviewed later."""
    by_title = client.get("/shelves/estuaries?page=2").get_data(as_text=True)
    newest = client.get("/shelves/estuaries?sort=newest").get_data(as_text=True)
    reviewed = client.get("/shelves/estuaries?sort=reviewed&in_stock=1").get_data(as_text=True)
    per_page = catalog.config["BOOKS_PER_PAGE"]
    assert (
        titles_in(by_title) == [f"Book {n:04d}" for n in range(1, 401, 2)][per_page : 2 * per_page]
    )
    assert titles_in(newest)[:3] == ["Book 0399", "Book 0397", "Book 0395"]
    # 399 % 3 == 0: out of stock, so not in the in-stock list.
    assert titles_in(reviewed)[:3] == ["Book 0397", "Book 0395", "Book 0391"]
    assert "200 books" in by_title


def titles_in(page: str) -> list[str]:
    """The books' titles in the order the page lists them (a title shows more than once)."""
    return list(dict.fromkeys(re.findall(r"Book \d{4}", page)))


def copies(book_id: int) -> list[tuple]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(
                book_shelves.c.hidden,
                book_shelves.c.stock,
                book_shelves.c.sort_title,
                book_shelves.c.created_at,
                book_shelves.c.last_reviewed_at,
            ).where(book_shelves.c.book_id == book_id)
        )
    ]


def own_columns(book_id: int) -> tuple:
    book = db.session.get_one(Book, book_id)
    db.session.refresh(book)
    return (book.hidden, book.stock, book.sort_title, book.created_at, book.last_reviewed_at)


def test_a_place_on_a_shelf_copies_its_book_and_follows_every_change(catalog):
    with catalog.app_context():
        db.session.execute(insert(Shelf).values(id=2, name="Rivers", slug="rivers"))
        db.session.execute(insert(book_shelves).values(book_id=3, shelf_id=2))
        db.session.commit()
        assert copies(3) == [own_columns(3)] * 2
        # Through the ORM, as the desk's forms write.
        book = db.session.get_one(Book, 3)
        book.stock, book.hidden, book.sort_title = 0, True, "aaa first now"
        book.last_reviewed_at = START + timedelta(days=400)
        db.session.commit()
        assert copies(3) == [own_columns(3)] * 2
        assert own_columns(3)[:3] == (True, 0, "aaa first now")
        # In one statement for many books, as an import or a script might.
        db.session.execute(
            Book.__table__.update().where(Book.id.in_([3, 5])).values(stock=6, hidden=False)
        )
        db.session.commit()
        assert copies(3) == [own_columns(3)] * 2
        assert copies(5) == [own_columns(5)]
        assert own_columns(5)[:2] == (False, 6)


def test_a_change_to_a_book_shows_on_its_shelf_page_at_once(catalog, client):
    assert "Book 0001" in client.get("/shelves/estuaries").get_data(as_text=True)
    with catalog.app_context():
        book = db.session.get_one(Book, 1)
        book.hidden = True
        db.session.get_one(Book, 3).stock = 0
        db.session.commit()
    page = client.get("/shelves/estuaries?in_stock=1").get_data(as_text=True)
    assert "Book 0001" not in page and "Book 0003" not in page
    assert "Book 0005" in page


@pytest.mark.parametrize("shelf", ["", "estuaries"])
@pytest.mark.parametrize("in_stock_only", [False, True])
@pytest.mark.parametrize("sort", list(INDEX_OF_SORT))
def test_every_page_is_the_list_s_own_slice_past_the_middle_too(
    catalog, sort, in_stock_only, shelf
):
    """Pages past the middle are walked from the end in the opposite order: each must still
    be exactly its slice of the list in order, ties and books never reviewed included."""
    query = queries.CatalogQuery(sort=sort, in_stock_only=in_stock_only, shelf=shelf)
    with catalog.app_context():
        [found] = queries.found_books(query)
        in_order = list(db.session.scalars(found.with_only_columns(Book.id)))
        pages = -(-len(in_order) // PER_PAGE)
        for number in range(1, pages + 1):
            page = queries.search_books(replace(query, page=number), PER_PAGE)
            wanted = in_order[(number - 1) * PER_PAGE : number * PER_PAGE]
            assert [book.id for book in page.items] == wanted, f"page {number} of {pages}"


def test_every_reviews_page_is_the_list_s_own_slice(catalog):
    with catalog.app_context():
        in_order = [review.id for review in db.session.scalars(published.listed_reviews())]
        for number in range(1, -(-len(in_order) // 10) + 1):
            page = published.latest_reviews(number, 10)
            assert [review.id for review in page.items] == in_order[(number - 1) * 10 : number * 10]


def test_a_deep_reviews_page_walks_the_published_reviews_index_and_reads_no_book(catalog):
    with catalog.app_context():
        page = published.latest_reviews(30, 10)
        # What paginate walks: the reviews' ids (their books and reviewers are then read
        # with the page's ten reviews, by id).
        walked = published.listed_reviews().with_only_columns(Review.id)
        deep_page = walked.limit(10).offset(290)
        assert walks(deep_page, "ix_reviews_published_newest"), plan_of(deep_page)
    # The page itself: the reviews of visible books only, newest first.
    assert [review.book_id for review in page.items][:2] == [77, 76]
    assert page.total == BOOK_COUNT - BOOK_COUNT // 10


def test_reviews_of_a_hidden_book_are_left_out_of_every_page_and_of_the_count(catalog, client):
    first = client.get("/reviews").get_data(as_text=True)
    assert "Book 0399" in first
    assert "Book 0400" not in first
    with catalog.app_context():
        listed = db.session.scalars(published.listed_reviews()).all()
    assert len(listed) == 360
    assert all(review.book_id % 10 for review in listed)


def count_statements(sent) -> int:
    return sum(1 for sql, _ in sent if re.search(r"SELECT count\(\*\)", sql, re.IGNORECASE))


def test_the_catalog_counts_its_books_once_until_something_changes(catalog, client):
    with catalog.app_context(), statements_sent() as sent:
        second = client.get("/books?page=2").get_data(as_text=True)
        third = client.get("/books?page=3").get_data(as_text=True)
    assert "360 books" in second and "360 books" in third
    assert count_statements(sent) == 1
    # A book added (through the app: the last change's token moves) is counted at once.
    with catalog.app_context():
        db.session.add(Book(**book_row(BOOK_COUNT + 1)))
        db.session.commit()
    with catalog.app_context(), statements_sent() as sent:
        fourth = client.get("/books?page=4").get_data(as_text=True)
    assert "361 books" in fourth
    assert count_statements(sent) == 1


def test_a_hidden_book_leaves_the_count_of_every_page_at_once(catalog, client):
    assert "360 books" in client.get("/books?page=2").get_data(as_text=True)
    with catalog.app_context():
        db.session.get(Book, 7).hidden = True
        db.session.commit()
    assert "359 books" in client.get("/books?page=3").get_data(as_text=True)
    assert "359 books" in client.get("/books?page=2").get_data(as_text=True)


def test_each_search_is_counted_apart_and_without_the_hidden_books(catalog, client):
    # Searches of the same shape, one word each: their counts must not be taken for another's.
    with catalog.app_context():
        index.rebuild(db.session.connection())
        db.session.commit()
    expected = {
        "/books?q=book": "360 books matching “book”",
        "/books?q=0012": "1 book matching “0012”",
        # Book 10 is hidden.
        "/books?q=0010": "No books found matching “0010”",
        # Every third book has no copy in stock; of the 360 shown, 240 have some.
        "/books?q=book&in_stock=1": "240 books matching “book”, in stock",
        "/books?q=book&page=2": "360 books matching “book”",
    }
    for address, count in expected.items():
        assert count in client.get(address).get_data(as_text=True), address


def test_the_last_page_and_a_page_past_it_show_the_last_books(catalog, client):
    last_page = -(-360 // catalog.config["BOOKS_PER_PAGE"])
    last = client.get(f"/books?page={last_page}").get_data(as_text=True)
    past = client.get("/books?page=9000").get_data(as_text=True)
    for page in (last, past):
        assert f"Page {last_page} of {last_page}" in page
        assert "Book 0399" in page
        assert "Book 0400" not in page

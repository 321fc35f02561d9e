"""The public lists' deep pages: the catalog in each order and /reviews walk the partial
indexes of what the public sees (an OFFSET then skips index entries, never a book or a
review), and a list's length is counted once per change, not on each of its pages."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from query_plans import plan_of, statements_sent
from sqlalchemy import insert

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.people.models import Role, User
from firestorm.reviews import published
from firestorm.reviews.models import Review, ReviewState
from firestorm.search import queries

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
        "created_at": START + timedelta(hours=n),
        "last_reviewed_at": START + timedelta(hours=n, minutes=5),
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
        for way in ("seqscan", "bitmapscan", "sort"):
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
        ok = ok and not any(re.search(r"\bbooks\b", line) for line in plan)
    return ok


@pytest.mark.parametrize("in_stock_only", [False, True])
@pytest.mark.parametrize("sort", list(INDEX_OF_SORT))
def test_a_deep_catalog_page_walks_the_index_of_its_order(catalog, sort, in_stock_only):
    with catalog.app_context():
        query = queries.CatalogQuery(sort=sort, in_stock_only=in_stock_only)
        deep_page = queries.found_books(query).limit(PER_PAGE).offset(300)
        assert walks(deep_page, INDEX_OF_SORT[sort]), plan_of(deep_page)


def test_a_deep_reviews_page_walks_the_published_reviews_index_and_reads_no_book(catalog):
    with catalog.app_context():
        page = published.latest_reviews(30, 10)
        deep_page = published.listed_reviews().limit(10).offset(290)
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


def test_the_last_page_and_a_page_past_it_show_the_last_books(catalog, client):
    last_page = -(-360 // catalog.config["BOOKS_PER_PAGE"])
    last = client.get(f"/books?page={last_page}").get_data(as_text=True)
    past = client.get("/books?page=9000").get_data(as_text=True)
    for page in (last, past):
        assert f"Page {last_page} of {last_page}" in page
        assert "Book 0399" in page
        assert "Book 0400" not in page

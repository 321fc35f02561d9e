"""The indexes migration e0a0d4deb984 made are the ones the app's queries read: the holds desk's
lists by state, oldest first, and its count of new holds (holds (state, created_at)); a book's
stock history, newest first (stock_changes (book_id, created_at)); a review's notices
(notices.review_id). Each plan is of the statement the app's own function sends, read as
tests/test_search_plans.py reads the searches': SQLite's EXPLAIN QUERY PLAN, without ANALYZE's
statistics and with them, and PostgreSQL's EXPLAIN with its statistics gathered."""

import re
from datetime import timedelta

import pytest
from query_plans import (
    plan_of,
    plan_of_sent,
    reads_rows_by_key,
    sqlite_statistics,
    statements_sent,
)
from review_helpers import NOW
from sqlalchemy import delete, insert, select

from firestorm.catalog import stock
from firestorm.catalog.models import Book, StockChange
from firestorm.database import db
from firestorm.holds import desk
from firestorm.holds.models import Hold, HoldState
from firestorm.notices import inbox
from firestorm.notices.models import Notice, NoticeKind
from firestorm.people.models import User
from firestorm.reviews.models import Review

HOLDS = 2_000
BOOKS = 20
CHANGES_PER_BOOK = 100
PEOPLE = 20
NOTICES_PER_REVIEW = 5
# The book and review the plans are read for, in the middle of the others.
BOOK_ID, REVIEW_ID = 10, 105


@pytest.fixture
def shop(app):
    """A shop some years in: thousands of holds, most of them ended; a stock log for each book;
    a review by each person of each book, with its notices, nearly all read."""
    with app.app_context():
        connection = db.session.connection()
        connection.execute(insert(Book), [book(n) for n in range(1, BOOKS + 1)])
        connection.execute(insert(User), [person(n) for n in range(1, PEOPLE + 1)])
        connection.execute(insert(Hold), [hold(n) for n in range(1, HOLDS + 1)])
        connection.execute(
            insert(StockChange),
            [
                stock_change(book_id, n)
                for book_id in range(1, BOOKS + 1)
                for n in range(1, CHANGES_PER_BOOK + 1)
            ],
        )
        reviews = [
            {"id": (book_id - 1) * PEOPLE + user_id, "book_id": book_id, "reviewer_id": user_id}
            for book_id in range(1, BOOKS + 1)
            for user_id in range(1, PEOPLE + 1)
        ]
        connection.execute(insert(Review), reviews)
        connection.execute(
            insert(Notice),
            [notice(review, n) for review in reviews for n in range(NOTICES_PER_REVIEW)],
        )
        db.session.commit()
        gather_statistics()
    return app


def book(n: int) -> dict:
    return {"id": n, "title": f"Book {n}", "sort_title": f"book {n}", "stock": 5}


def person(n: int) -> dict:
    role = "collective" if n == 1 else "volunteer"
    return {"id": n, "email": f"p{n}@example.org", "display_name": f"P{n}", "role": role}


def hold_state(n: int) -> HoldState:
    """One in a hundred new, one ready; the others ended, each way a hold ends."""
    if n % 100 < 2:
        return (HoldState.NEW, HoldState.READY)[n % 100]
    return (HoldState.COLLECTED, HoldState.CANCELLED, HoldState.EXPIRED)[n % 3]


def hold(n: int) -> dict:
    """The n-th hold, placed n hours after the first, with the dates its state has."""
    placed = NOW - timedelta(hours=HOLDS - n)
    state = hold_state(n)
    return {
        "reference": f"R{n:05d}",
        "request_key": f"key-{n}",
        "book_id": 1 + n % BOOKS,
        "state": state,
        "customer_name": "Robin Customer",
        "created_at": placed,
        "ready_at": None if state in (HoldState.NEW, HoldState.CANCELLED) else placed,
        "ended_at": None if state in (HoldState.NEW, HoldState.READY) else placed,
        "cancel_reason": "The customer called" if state == HoldState.CANCELLED else "",
    }


def stock_change(book_id: int, n: int) -> dict:
    return {
        "book_id": book_id,
        "delta": 1,
        "stock_after": n,
        "reason": "Delivery",
        "created_at": NOW - timedelta(days=CHANGES_PER_BOOK - n),
    }


def notice(review: dict, n: int) -> dict:
    """The last notice about each review is unread."""
    created = NOW - timedelta(days=NOTICES_PER_REVIEW - n)
    unread = n == NOTICES_PER_REVIEW - 1
    return {
        "user_id": review["reviewer_id"],
        "review_id": review["id"],
        "kind": NoticeKind.APPROVED,
        "created_at": created,
        "read_at": None if unread else created,
    }


def gather_statistics() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
            autocommit.exec_driver_sql("VACUUM ANALYZE holds, stock_changes, notices, reviews")


def plans_of_what(call, table: str) -> list[tuple[str, list[str]]]:
    """Each statement about `table` that `call` sends, with its plan; without SQLite's
    statistics, then with them (PostgreSQL always has its own)."""
    with statements_sent() as sent:
        call()
    # A page's rows read by their ids, once its keys were walked, go by the primary key.
    about_the_table = [
        (sql, parameters)
        for sql, parameters in sent
        if (f"FROM {table}" in sql.replace("\n", " ") or f"UPDATE {table}" in sql)
        and not reads_rows_by_key(sql)
    ]
    assert about_the_table, f"nothing sent about {table}"
    plans = [(sql, plan_of_sent(sql, parameters)) for sql, parameters in about_the_table]
    if db.engine.dialect.name == "sqlite":
        with sqlite_statistics():
            plans += [
                (f"{sql} (analyzed)", plan_of_sent(sql, parameters))
                for sql, parameters in about_the_table
            ]
    return plans


def shown(sql: str, plan: list[str]) -> str:
    return sql + "\n" + "\n".join(plan)


# A plan that sorts every row it found rather than reading them in order (PostgreSQL's
# Incremental Sort only puts rows of the same moment in id order, reading in index order).
SORTING = re.compile(r"^USE TEMP B-TREE FOR ORDER BY|^(\s*->\s*)?Sort\b")


def sorts(plan: list[str]) -> bool:
    return any(SORTING.search(line) for line in plan)


# --- The holds desk -------------------------------------------------------------------------------


@pytest.mark.parametrize("listed", [desk.OPEN, HoldState.NEW])
def test_the_desks_open_and_new_lists_find_their_holds_by_state_and_age(shop, listed):
    with shop.app_context():
        plans = plans_of_what(lambda: desk.holds_for_desk(listed, 2, 5), "holds")
        plans += plans_of_what(desk.new_hold_count, "holds")

        for sql, plan in plans:
            assert any("ix_holds_state_created_at" in line for line in plan), shown(sql, plan)


def test_the_new_holds_are_read_oldest_first_without_sorting_them(shop):
    # The open list (new and ready together) sorts its few rows; ended holds are listed by
    # their end, which this index does not give.
    with shop.app_context():
        if db.engine.dialect.name == "postgresql":
            pytest.skip("PostgreSQL finds the 20 new holds by the index and rightly sorts them")
        plans = plans_of_what(lambda: desk.holds_for_desk(HoldState.NEW, 2, 5), "holds")

        pages = [(sql, plan) for sql, plan in plans if "LIMIT" in sql]
        assert pages
        for sql, plan in pages:
            assert not sorts(plan), shown(sql, plan)


# --- A book's stock history ---------------------------------------------------------------------


def test_a_books_stock_history_is_read_newest_first_from_its_index(shop):
    with shop.app_context():
        plans = plans_of_what(
            lambda: stock.book_with_stock_history(BOOK_ID, 2, 20), "stock_changes"
        )

        for sql, plan in plans:
            assert any("ix_stock_changes_book_id_created_at" in line for line in plan), shown(
                sql, plan
            )
            if "LIMIT" in sql:
                assert not sorts(plan), shown(sql, plan)


# --- A review's notices -------------------------------------------------------------------------


def test_a_reviews_notices_are_found_by_its_index_when_it_goes(shop):
    # What ON DELETE CASCADE runs when a review goes (SQLite's foreign keys and PostgreSQL's
    # both look the rows up by review_id).
    with shop.app_context():
        statement = delete(Notice).where(Notice.review_id == REVIEW_ID)
        plan = plan_of(statement)
        with sqlite_statistics():
            analyzed = plan_of(statement)

    for lines in (plan, analyzed):
        assert any("ix_notices_review_id" in line for line in lines), lines


def test_a_new_notice_finds_the_unread_ones_it_replaces(shop):
    with shop.app_context():
        review = db.session.get(Review, REVIEW_ID)
        member = db.session.get(User, 1)

        def tell():
            inbox.tell_author(review, member, NoticeKind.RETURNED, NOW)
            db.session.flush()

        plans = plans_of_what(tell, "notices")
        dialect = db.engine.dialect.name

    # PostgreSQL reads them through ix_notices_user_id_read_at (the author's unread notices),
    # which serves as well; SQLite's planner picks the review's.
    for sql, plan in plans:
        assert not any(
            line.startswith("SCAN notices") or "Seq Scan on notices" in line for line in plan
        ), shown(sql, plan)
    if dialect == "sqlite":
        for sql, plan in plans:
            assert any("ix_notices_review_id" in line for line in plan), shown(sql, plan)


def test_the_shop_has_what_the_plans_are_for(shop):
    with shop.app_context():
        found = {
            "new holds": desk.new_hold_count(),
            "a book's history": stock.book_with_stock_history(BOOK_ID, 1, 20)[1].total,
            "a review's notices": db.session.scalar(
                select(db.func.count()).where(Notice.review_id == REVIEW_ID)
            ),
        }
    assert found == {
        "new holds": HOLDS // 100,
        "a book's history": CHANGES_PER_BOOK,
        "a review's notices": NOTICES_PER_REVIEW,
    }

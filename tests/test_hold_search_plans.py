"""The desk's search for a hold (firestorm/holds/finding.py) reads an index for a reference, an
email or a phone number, never the whole holds table: the plans of the statements it sends (the
page and its count), read as tests/test_schema_indexes.py reads the desk's lists' plans. Part
of a name is the one search that reads each hold's name (said in finding.py)."""

from datetime import timedelta

import pytest
from query_plans import plan_of_sent, reads_rows_by_key, sqlite_statistics, statements_sent
from review_helpers import NOW
from sqlalchemy import insert

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.holds import finding
from firestorm.holds.models import Hold, HoldState

HOLDS = 2_000


@pytest.fixture
def shop(app):
    """Some years of holds, each customer's details kept as the model keeps them, nearly all
    ended."""
    with app.app_context():
        connection = db.session.connection()
        connection.execute(insert(Book), [{"id": 1, "title": "A", "sort_title": "a", "stock": 5}])
        connection.execute(insert(Hold), [hold(n) for n in range(1, HOLDS + 1)])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            autocommit = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            with autocommit:
                autocommit.exec_driver_sql("VACUUM ANALYZE holds")
    return app


def hold(n: int) -> dict:
    placed = NOW - timedelta(hours=HOLDS - n)
    ended = n % 50 != 0
    return {
        "reference": f"R{n:05d}",
        "request_key": f"key-{n}",
        "book_id": 1,
        "state": HoldState.COLLECTED if ended else HoldState.NEW,
        "customer_name": f"Customer {n}",
        "customer_name_key": f"customer {n}",
        "customer_email": f"c{n}@example.org",
        "customer_email_key": f"c{n}@example.org",
        "customer_phone": f"828-555-{n:04d}",
        "customer_phone_digits": f"828555{n:04d}",
        "created_at": placed,
        "ready_at": placed if ended else None,
        "ended_at": placed if ended else None,
    }


def plans_of_the_search(text: str) -> list[tuple[str, list[str]]]:
    """Each statement about holds the search sends, with its plan: on SQLite without ANALYZE's
    statistics and with them; on PostgreSQL as its statistics choose, and with sequential
    scans priced out (whether an index can serve it at all)."""
    with statements_sent() as sent:
        found = finding.holds_found(text, None, 1, 50)
    assert found.total == 1, text
    # A page's rows read by their ids, once its keys were walked, go by the primary key.
    about_holds = [
        (sql, args)
        for sql, args in sent
        if "FROM holds" in sql.replace("\n", " ") and not reads_rows_by_key(sql)
    ]
    assert about_holds
    plans = [(sql, plan_of_sent(sql, args)) for sql, args in about_holds]
    if db.engine.dialect.name == "sqlite":
        with sqlite_statistics():
            plans += [(sql, plan_of_sent(sql, args)) for sql, args in about_holds]
    else:
        plans += [(sql, plan_of_sent(sql, args, index_usable=True)) for sql, args in about_holds]
    return plans


def reads_every_hold(plan: list[str]) -> bool:
    return any(line.startswith("SCAN holds") or "Seq Scan on holds" in line for line in plan)


@pytest.mark.parametrize(
    ("typed", "index"),
    [
        ("r01234", "reference"),
        ("C1234@EXAMPLE.ORG", "ix_holds_customer_email_key"),
        ("(828) 555-1234", "ix_holds_customer_phone_digits"),
    ],
)
def test_a_reference_an_email_or_a_phone_is_found_through_its_index(shop, typed, index):
    with shop.app_context():
        for sql, plan in plans_of_the_search(typed):
            shown = sql + "\n" + "\n".join(plan)
            assert not reads_every_hold(plan), shown
            assert any(index in line for line in plan), shown

"""Receiving's rules (firestorm/receiving/deliveries.py) below the pages: one open delivery per
member, kept by the database when two tabs start one at the same moment; the summary in words."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from firestorm.database import db
from firestorm.receiving import deliveries
from firestorm.receiving.models import Delivery

NOW = datetime(2026, 12, 5, 10, tzinfo=UTC)


def test_the_database_keeps_one_open_delivery_per_member(app, make_user):
    member = make_user("collective")
    with app.app_context():
        db.session.add(Delivery(member_id=member.id, started_at=NOW))
        db.session.commit()
        db.session.add(Delivery(member_id=member.id, started_at=NOW))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.add(Delivery(member_id=member.id, started_at=NOW, finished_at=NOW))
        db.session.commit()


def test_a_scan_that_finds_its_delivery_started_meanwhile_joins_it(
    app, make_user, make_book, monkeypatch
):
    """Another tab started the member's delivery between this scan's look and its insert: the
    insert is refused by the index, and the scan goes on the delivery the other tab started."""
    member = make_user("collective")
    book = make_book(isbn13="9781849350112", stock=0)
    with app.app_context():
        db.session.add(Delivery(member_id=member.id, started_at=NOW))
        db.session.commit()
        looks = iter([None])
        found = deliveries.open_delivery
        monkeypatch.setattr(
            deliveries, "open_delivery", lambda member_id: next(looks, None) or found(member_id)
        )

        scanned = deliveries.scan(member.id, "9781849350112", NOW)
        db.session.commit()

        started = db.session.scalars(select(Delivery.id)).all()
        assert started == [scanned.line.delivery_id]
        assert scanned.line.book_id == book.id


@pytest.mark.parametrize(
    ("summary", "words"),
    [
        (deliveries.Summary(1, 1, 0, ()), "1 copy of 1 book received"),
        (deliveries.Summary(38, 31, 4, ()), "38 copies of 31 books received, 4 new books added"),
        (
            deliveries.Summary(2, 1, 1, ("9780262033848",)),
            "2 copies of 1 book received, 1 new book added",
        ),
    ],
)
def test_the_summary_in_words(summary, words):
    assert summary.in_words() == words

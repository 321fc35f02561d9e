"""The database keeps the rules the code keeps (firestorm/*/models.py's CHECK constraints, made
by migration e0a0d4deb984): a row the workflows never write is refused on SQLite and on
PostgreSQL alike, whoever writes it. The rows the workflows do write, every way a hold ends
included, are accepted."""

from datetime import timedelta
from decimal import Decimal

import pytest
from hold_helpers import hold_now, hold_taken_to
from review_helpers import NOW
from sqlalchemy import CheckConstraint, inspect, update
from sqlalchemy.exc import IntegrityError

from firestorm.catalog.models import Book, StockChange
from firestorm.database import db
from firestorm.events.models import Event
from firestorm.holds.models import Hold, HoldState
from firestorm.people import invitations
from firestorm.people.models import Invitation
from firestorm.reviews.models import Review

LATER = NOW + timedelta(hours=3)


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=10)


def refused(app, statement) -> str:
    """The database refuses the statement: the message it gives, which names the rule (SQLite
    and PostgreSQL both name a CHECK constraint)."""
    with app.app_context():
        with pytest.raises(IntegrityError) as refusal:
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    return str(refusal.value.orig)


def written(app, statement) -> None:
    with app.app_context():
        db.session.execute(statement)
        db.session.commit()


def changed(hold: Hold, **values):
    return update(Hold).where(Hold.id == hold.id).values(**values)


# --- Every rule the models declare is in the database ------------------------------------------


def test_the_database_has_every_check_the_models_declare(app):
    with app.app_context():
        inspector = inspect(db.engine)
        for table in db.metadata.sorted_tables:
            declared = {
                constraint.name
                for constraint in table.constraints
                if isinstance(constraint, CheckConstraint)
            }
            in_the_database = {
                check["name"] for check in inspector.get_check_constraints(table.name)
            }
            assert declared <= in_the_database, table.name


# --- Holds: the dates and the reason follow the state ------------------------------------------


def test_every_state_the_desk_and_the_purge_reach_is_accepted(app, book, people):
    # Expired first: expiring one expires every hold ready by then.
    for state in sorted(HoldState, key=lambda state: state != HoldState.EXPIRED):
        hold = hold_taken_to(app, book, state, people["sam"], NOW - timedelta(days=30))
        assert hold.state == state


@pytest.mark.parametrize("seen", [HoldState.NEW, HoldState.READY])
def test_a_customers_own_cancellation_with_its_reason_is_accepted(app, book, people, seen):
    # Not a step yet (a later issue): cancelled with no member, from new or ready.
    hold = hold_taken_to(app, book, seen, people["sam"], NOW)
    cancelled_by_the_customer = changed(
        hold,
        state=HoldState.CANCELLED,
        ended_at=LATER,
        cancel_reason="Cancelled by the customer",
        handled_by_id=None,
    )

    written(app, cancelled_by_the_customer)


# Each row breaks one rule: (the state the desk took the hold to, what is then written, the rule).
BROKEN_HOLDS = {
    # A new hold was never ready, has not ended, and nobody gave a reason.
    "new but ready": (HoldState.NEW, {"ready_at": LATER}, "ready_at"),
    "new but ended": (HoldState.NEW, {"ended_at": LATER}, "ended_at"),
    "new with a reason": (HoldState.NEW, {"cancel_reason": "The customer called"}, "cancel_reason"),
    # Ready: since when, and not ended.
    "ready with no ready_at": (HoldState.NEW, {"state": HoldState.READY}, "ready_at"),
    "ready but ended": (HoldState.READY, {"ended_at": LATER}, "ended_at"),
    # Collected or expired: it was ready, it ended, and nobody gave a reason.
    "collected with no end": (HoldState.READY, {"state": HoldState.COLLECTED}, "ended_at"),
    "collected never ready": (
        HoldState.NEW,
        {"state": HoldState.COLLECTED, "ended_at": LATER},
        "ready_at",
    ),
    "collected with a reason": (
        HoldState.COLLECTED,
        {"cancel_reason": "The customer called"},
        "cancel_reason",
    ),
    "expired with no end": (HoldState.READY, {"state": HoldState.EXPIRED}, "ended_at"),
    "expired never ready": (
        HoldState.NEW,
        {"state": HoldState.EXPIRED, "ended_at": LATER},
        "ready_at",
    ),
    "expired with a reason": (HoldState.EXPIRED, {"cancel_reason": "Nobody came"}, "cancel_reason"),
    # Cancelled: when, and why.
    "cancelled with no end": (
        HoldState.NEW,
        {"state": HoldState.CANCELLED, "cancel_reason": "The customer called"},
        "ended_at",
    ),
    "cancelled with no reason": (
        HoldState.NEW,
        {"state": HoldState.CANCELLED, "ended_at": LATER},
        "cancel_reason",
    ),
    "cancelled, reason erased": (HoldState.CANCELLED, {"cancel_reason": ""}, "cancel_reason"),
    "cancelled, end erased": (HoldState.CANCELLED, {"ended_at": None}, "ended_at"),
}


@pytest.mark.parametrize(("taken_to", "values", "rule"), BROKEN_HOLDS.values(), ids=BROKEN_HOLDS)
def test_a_hold_whose_dates_or_reason_do_not_match_its_state_is_refused(
    app, book, people, taken_to, values, rule
):
    hold = hold_taken_to(app, book, taken_to, people["sam"], NOW - timedelta(days=30))

    message = refused(app, changed(hold, **values))

    assert f"ck_holds_{rule}_matches_state" in message
    assert hold_now(app, hold).state == taken_to


# --- Reviews: what the public reads, and since when ----------------------------------------------


@pytest.mark.parametrize("erased", ["published_at", "published_body"])
def test_a_published_review_without_its_date_or_text_is_refused(
    app, make_book, make_user, publish_review, erased
):
    review = publish_review(make_book("Mutual Aid"), make_user(), published_at=NOW)

    message = refused(app, update(Review).where(Review.id == review.id).values({erased: None}))

    assert "ck_reviews_published_has_date_and_text" in message


def test_a_review_withdrawn_after_publication_has_neither(
    app, make_book, make_user, publish_review
):
    review = publish_review(make_book("Mutual Aid"), make_user(), published_at=NOW)

    written(
        app,
        update(Review)
        .where(Review.id == review.id)
        .values(state="withdrawn", published_at=None, published_body=None),
    )


# --- The stock log ------------------------------------------------------------------------------


def test_a_stock_change_that_leaves_less_than_nothing_is_refused(app, book):
    with app.app_context():
        db.session.add(StockChange(book_id=book.id, delta=-11, stock_after=-1, reason="Miscounted"))
        with pytest.raises(IntegrityError) as refusal:
            db.session.flush()
        db.session.rollback()

    assert "ck_stock_changes_stock_after_not_negative" in str(refusal.value.orig)


# --- Invitations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("after", [timedelta(0), timedelta(days=-1)])
def test_an_invitation_that_expires_before_it_was_made_is_refused(app, make_user, after):
    # create_invitation makes it at NOW.
    inviter = make_user(role="collective")
    with app.app_context():
        invitation, _ = invitations.create_invitation(inviter, "new@example.org", "volunteer", NOW)
        db.session.commit()
        invitation_id = invitation.id

    message = refused(
        app,
        update(Invitation).where(Invitation.id == invitation_id).values(expires_at=NOW + after),
    )

    assert "ck_invitations_expires_after_made" in message


# --- Prices ---------------------------------------------------------------------------------------


def test_a_price_below_zero_is_refused(app, book):
    message = refused(app, update(Book).where(Book.id == book.id).values(price=Decimal("-0.01")))

    assert "ck_books_price_not_negative" in message


def test_no_price_and_a_free_book_are_accepted(app, book):
    for price in (None, Decimal("0.00")):
        written(app, update(Book).where(Book.id == book.id).values(price=price))


# --- Page counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page_count", [0, -1])
def test_a_page_count_of_zero_or_fewer_is_refused(app, book, page_count):
    message = refused(app, update(Book).where(Book.id == book.id).values(page_count=page_count))

    assert "ck_books_page_count_positive" in message


def test_no_page_count_and_one_page_are_accepted(app, book):
    for page_count in (None, 1):
        written(app, update(Book).where(Book.id == book.id).values(page_count=page_count))


# --- Events ---------------------------------------------------------------------------------------


@pytest.fixture
def event(app):
    with app.app_context():
        row = Event(title="Book club", starts_at=NOW, ends_at=LATER)
        db.session.add(row)
        db.session.commit()
        return row.id


@pytest.mark.parametrize(
    ("values", "rule"),
    [
        ({"ends_at": NOW}, "ck_events_ends_after_start"),
        ({"price": Decimal("-1")}, "ck_events_price_not_negative"),
        ({"capacity": 0}, "ck_events_capacity_positive"),
    ],
)
def test_an_event_ending_before_it_starts_below_zero_or_with_no_places_is_refused(
    app, event, values, rule
):
    message = refused(app, update(Event).where(Event.id == event).values(**values))

    assert rule in message


def test_a_free_event_with_no_capacity_said_is_accepted(app, event):
    written(app, update(Event).where(Event.id == event).values(price=0, capacity=None))

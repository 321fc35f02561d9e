"""A hold the customer can follow (firestorm/holds/following.py): the private link's token and
what is kept of it, what the hold's page says in each state, and the customer cancelling."""

import hashlib
import logging
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from hold_helpers import HOLD_DAYS, LINK_SECRET, hold_now, hold_taken_to, place_hold
from review_helpers import NOW
from sqlalchemy import select

from firestorm.database import db
from firestorm.holds import availability, desk, following, purge
from firestorm.holds.models import CANCELLED_BY_THE_CUSTOMER, Hold, HoldKind, HoldState
from firestorm.shop.hours import DEFAULT_WEEK, Schedule, SpecialHours

NEW_YORK = ZoneInfo("America/New_York")
STORE = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK)
# NOW is Tuesday Nov 24, 2026, 10am in New York: the shop is open.
THANKSGIVING = SpecialHours(date(2026, 11, 26), date(2026, 11, 26), "Thanksgiving")


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


def token_of(hold: Hold) -> str:
    return following.link_token(hold.request_key, LINK_SECRET)


def news(app, hold, schedule=STORE, now=NOW):
    with app.app_context():
        return following.news_of(db.session.get(Hold, hold.id), schedule, now, HOLD_DAYS)


# --- The link --------------------------------------------------------------------------------


def test_the_link_is_long_and_only_its_hash_is_kept(app, book):
    hold = place_hold(app, book, NOW)
    token = token_of(hold)

    assert len(token) == 43  # 256 bits, in URL-safe base64
    assert hold.private_link_hash == hashlib.sha256(token.encode()).hexdigest()
    with app.app_context():
        row = db.session.execute(select(Hold.__table__).where(Hold.id == hold.id)).one()
    assert not any(token in str(value) for value in row)


def test_the_link_needs_the_sites_secret_and_the_forms_key(app, book):
    hold = place_hold(app, book, NOW)

    tokens = {
        following.link_token(hold.request_key, LINK_SECRET),
        following.link_token(hold.request_key, "another secret"),
        following.link_token(hold.request_key + "x", LINK_SECRET),
        following.link_token(hold.reference, LINK_SECRET),
    }

    assert len(tokens) == 4


def test_the_token_finds_its_hold_and_nothing_else_does(app, book):
    hold = place_hold(app, book, NOW)
    other = place_hold(app, book, NOW)

    with app.app_context():
        found = following.hold_by_token(token_of(hold))
        assert (found.id, found.book.title, found.book.author_names) == (
            hold.id,
            "Dispersing Power",
            ["Raúl Zibechi"],
        )
        assert following.hold_by_token(token_of(other)).id == other.id
        for wrong in ("", hold.reference, hold.private_link_hash, token_of(hold)[:-1], "x" * 500):
            assert following.hold_by_token(wrong) is None


# --- What the page says in each state ----------------------------------------------------------


def test_a_new_hold_is_being_put_aside_with_the_closures_on_the_way(app, book):
    hold = place_hold(app, book, NOW)
    schedule = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(THANKSGIVING,))

    said = news(app, hold, schedule)

    assert said.state == "We're putting it aside"
    assert said.headline.startswith("We'll put it aside within the hour")
    assert "Please note: we are closed Nov 26 (Thanksgiving)." in said.details
    assert said.still_to_come


def test_a_new_order_is_being_ordered(app, make_book):
    hold = place_hold(app, make_book("Out", stock=0), NOW, kind=HoldKind.ORDER)

    said = news(app, hold)

    assert (said.state, said.headline) == (
        "We're ordering it",
        "We'll order it and let you know when it arrives.",
    )


def test_a_ready_hold_says_from_and_until_when(app, book, people):
    hold = hold_taken_to(app, book, HoldState.READY, people["sam"], NOW)

    said = news(app, hold, now=NOW + timedelta(hours=2))

    assert said.state == "Ready for pickup"
    # Ready an hour after NOW, kept 7 days: until Tuesday Dec 1, the shop's closing time.
    assert said.headline == (
        "Come by any time we are open, starting now, until closing time on Tuesday, Dec 1 (9pm)."
    )
    assert said.still_to_come


@pytest.mark.parametrize(
    ("state", "words", "headline"),
    [
        (HoldState.COLLECTED, "Collected", "You picked it up on Nov 24, 2026. Thank you!"),
        (HoldState.CANCELLED, "Cancelled by the shop", "We cancelled this hold on Nov 24, 2026."),
        (
            HoldState.EXPIRED,
            "Expired",
            "This hold ended on Dec 1, 2026: nobody came for it in time, so it went back on the "
            "shelf.",
        ),
    ],
)
def test_an_ended_hold_says_how_it_ended(app, book, people, state, words, headline):
    hold = hold_taken_to(app, book, state, people["sam"], NOW)

    said = news(app, hold)

    assert (said.state, said.headline, said.still_to_come) == (words, headline, False)


def test_after_the_purge_the_hold_has_ended_and_nothing_more(app, book, people):
    hold = hold_taken_to(app, book, HoldState.COLLECTED, people["sam"], NOW)
    with app.app_context():
        purge.purge(NOW + timedelta(days=31), HOLD_DAYS, 30)
        db.session.commit()

    said = news(app, hold)

    assert (said.state, said.headline, said.details) == (
        "Ended",
        "This hold has ended, and we have erased its details.",
        (),
    )


# --- The customer cancelling --------------------------------------------------------------------


@pytest.mark.parametrize("state", [HoldState.NEW, HoldState.READY])
def test_the_customer_cancels_a_new_or_ready_hold_and_its_copies_are_free_again(
    app, book, people, state, caplog
):
    hold = hold_taken_to(app, book, state, people["sam"], NOW, quantity=2)
    later = NOW + timedelta(hours=3)

    with app.app_context(), caplog.at_level(logging.INFO, logger="firestorm"):
        assert availability.availability_of(db.session.get(type(book), book.id)).available == 0
        following.cancel_by_the_customer(db.session.get(Hold, hold.id), later)
        db.session.commit()
        assert availability.availability_of(db.session.get(type(book), book.id)).available == 2

    cancelled = hold_now(app, hold)
    assert (cancelled.state, cancelled.cancel_reason, cancelled.handled_by_id) == (
        HoldState.CANCELLED,
        CANCELLED_BY_THE_CUSTOMER,
        None,
    )
    assert cancelled.ended_at == later
    assert cancelled.cancelled_by_the_customer
    assert news(app, cancelled).state == "Cancelled by you"
    assert f"hold {hold.reference} cancelled by the customer" in caplog.text
    assert "Robin" not in caplog.text


@pytest.mark.parametrize("state", [HoldState.COLLECTED, HoldState.CANCELLED, HoldState.EXPIRED])
def test_an_ended_hold_cannot_be_cancelled(app, book, people, state):
    hold = hold_taken_to(app, book, state, people["sam"], NOW)

    with app.app_context(), pytest.raises(following.CannotCancel):
        following.cancel_by_the_customer(db.session.get(Hold, hold.id), NOW + timedelta(days=9))

    assert hold_now(app, hold).state == state


def test_a_member_cancelling_after_the_customer_is_told_the_customer_did(app, book, people):
    hold = place_hold(app, book, NOW)
    with app.app_context():
        following.cancel_by_the_customer(db.session.get(Hold, hold.id), NOW)
        db.session.commit()

    with app.app_context(), pytest.raises(desk.MovedMeanwhile) as told:
        desk.cancel_hold(hold.id, people["sam"].id, "Lost", HoldState.NEW, NOW + timedelta(hours=1))

    assert str(told.value) == "The customer cancelled this hold an hour ago, on its own page."

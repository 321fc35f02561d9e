"""Special orders (firestorm/holds/special_orders.py): any book asked for by title, each bad
detail said in words, one order per form sent, the schema's rule that only an order may lack a
book, and the desk attaching the order to a book once it is in the catalog."""

import logging
import secrets

import pytest
from hold_helpers import LINK_SECRET, hold_now, hold_taken_to
from review_helpers import NOW
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from firestorm.database import db
from firestorm.holds import desk, following, placing, special_orders
from firestorm.holds.models import Hold, HoldKind, HoldState
from firestorm.holds.placing import HoldRefused, HoldRequest

KEY = "a-special-order-key-0123"


def asking(title="The Dispossessed", author="Ursula K. Le Guin", isbn="", format="", **customer):
    details = {"name": "Robin Customer", "email": "robin@example.org", "phone": "", "note": ""}
    request = HoldRequest(kind=HoldKind.ORDER, quantity=customer.pop("quantity", 1), **details)
    for name, value in customer.items():
        request = HoldRequest(**{**request.__dict__, name: value})
    return special_orders.SpecialOrderRequest(title, author, isbn, format, request)


def order(app, request=None, key=KEY):
    with app.app_context():
        placed = special_orders.place_special_order(request or asking(), key, NOW, LINK_SECRET)
        db.session.commit()
        db.session.refresh(placed.hold)
        db.session.expunge(placed.hold)
        return placed


def refusal(app, request, key=KEY) -> HoldRefused:
    with app.app_context(), pytest.raises(HoldRefused) as refused:
        special_orders.place_special_order(request, key, NOW, LINK_SECRET)
    return refused.value


def test_any_book_is_ordered_by_its_title_with_no_book_of_the_catalog(app, caplog):
    with caplog.at_level(logging.INFO, logger="firestorm"):
        placed = order(app, asking(isbn="0-06-051275-X", format=" paperback ", quantity=2))

    hold = placed.hold
    assert placed.is_new and placed.book is None
    assert (hold.book_id, hold.kind, hold.state, hold.quantity) == (
        None,
        HoldKind.ORDER,
        HoldState.NEW,
        2,
    )
    assert (hold.asked_title, hold.asked_author, hold.asked_isbn, hold.asked_format) == (
        "The Dispossessed",
        "Ursula K. Le Guin",
        "9780060512750",
        "paperback",
    )
    assert hold.private_link_hash == following.token_hash(placed.link_token)
    assert f"special order {hold.reference} placed, 2 copies" in caplog.text
    assert "Robin" not in caplog.text
    with app.app_context():
        assert following.what_was_asked(hold, None) == (
            "2 copies of “The Dispossessed” by Ursula K. Le Guin "
            "(paperback, ISBN 978-0-06-051275-0), to be ordered for you."
        )


def test_the_same_form_sent_twice_is_one_order(app):
    first = order(app)
    again = order(app)

    assert (again.is_new, again.hold.id, again.link_token) == (
        False,
        first.hold.id,
        first.link_token,
    )


BAD_DETAILS = {
    "no title": ({"title": "  "}, "title", "Give the book's title, as near as you know it."),
    "long title": ({"title": "x" * 201}, "title", "Keep the title under 200 characters."),
    "long author": ({"author": "x" * 201}, "author", "Keep the author's name under 200"),
    "bad checksum": ({"isbn": "978-0-06-051275-1"}, "isbn", "last digit doesn't match"),
    "not an isbn": ({"isbn": "twelve"}, "isbn", "An ISBN has 10 or 13 digits"),
    "long format": ({"format": "x" * 81}, "format", "Keep the format under 80 characters."),
    "no copies": ({"quantity": 0}, "quantity", "Give a number of copies from 1 to 99."),
    "a hundred": ({"quantity": 100}, "quantity", "Give a number of copies from 1 to 99."),
    "not a number": ({"quantity": None}, "quantity", "Give a number of copies from 1 to 99."),
    "no name": ({"name": ""}, "name", "Give your name"),
    "a link for a name": ({"name": "see evil.example"}, "name", "without a web or email"),
    "no way to reach": ({"email": "", "phone": ""}, "contact", "Give an email address or a phone"),
    "bad email": ({"email": "robin@"}, "email", "doesn't look like an email address"),
    "bad phone": ({"phone": "call me"}, "phone", "doesn't look like a phone number"),
    "long note": ({"note": "x" * 501}, "note", "Keep the note under 500 characters."),
}


@pytest.mark.parametrize(("typed", "field", "said"), BAD_DETAILS.values(), ids=BAD_DETAILS)
def test_each_bad_detail_is_refused_in_words_next_to_its_field(app, typed, field, said):
    refused = refusal(app, asking(**typed))

    assert list(refused.problems) == [field]
    assert said in refused.problems[field]
    with app.app_context():
        assert db.session.scalars(db.select(Hold)).all() == []


def test_a_form_without_its_key_is_refused(app):
    refused = refusal(app, asking(), key="")

    assert refused.problems == {"": "This form is missing a piece: please send it again."}


def test_a_key_already_used_for_a_book_is_not_a_special_order(app, make_book):
    book = make_book(stock=1)
    with app.app_context():
        placing.place_request(book.id, asking().customer, KEY, NOW, LINK_SECRET)
        db.session.commit()

    refused = refusal(app, asking())

    assert refused.problems == {"": "This form was sent for another book: please send it again."}


# --- The schema ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [{"asked_title": ""}, {"kind": HoldKind.HOLD}],
    ids=["an order with neither", "a hold with no book"],
)
def test_a_hold_with_no_book_must_be_an_order_with_a_title(app, values):
    hold = order(app).hold

    with app.app_context():
        with pytest.raises(IntegrityError) as refusal:
            db.session.execute(update(Hold).where(Hold.id == hold.id).values(**values))
            db.session.flush()
        db.session.rollback()

    assert "ck_holds_a_book_or_an_order_by_title" in str(refusal.value.orig)


# --- Attaching it to a book ---------------------------------------------------------------------


def test_the_desk_attaches_the_order_to_a_book_once_it_is_added(app, make_book, people, caplog):
    hold = order(app).hold
    book = make_book("The Dispossessed", authors=["Ursula K. Le Guin"], stock=0)

    with app.app_context(), caplog.at_level(logging.INFO, logger="firestorm"):
        attached = special_orders.attach_book(hold.id, book.id, people["sam"].id)
        assert attached.title == "The Dispossessed"
        db.session.commit()

    now = hold_now(app, hold)
    assert (now.book_id, now.handled_by_id, now.asked_title, now.state) == (
        book.id,
        people["sam"].id,
        "The Dispossessed",
        HoldState.NEW,
    )
    assert f"order {hold.reference} attached to book {book.id} by user {people['sam'].id}" in (
        caplog.text
    )


def test_an_order_already_attached_or_ended_is_not_attached_again(app, make_book, people):
    hold = order(app).hold
    first, second = make_book("First", stock=0), make_book("Second", stock=0)
    with app.app_context():
        special_orders.attach_book(hold.id, first.id, people["sam"].id)
        db.session.commit()
    other = order(app, key="another-order-key-0123").hold
    with app.app_context():
        desk.cancel_hold(other.id, people["sam"].id, "Out of print", HoldState.NEW, NOW)
        db.session.commit()

    for order_id, said in ((hold.id, "already for “First”"), (other.id, "This order is cancelled")):
        with app.app_context(), pytest.raises(desk.MovedMeanwhile) as told:
            special_orders.attach_book(order_id, second.id, people["mara"].id)
        assert said in str(told.value)
    assert hold_now(app, hold).book_id == first.id


def test_attaching_to_a_book_that_is_not_there_is_refused_next_to_the_choice(app, people):
    hold = order(app).hold

    for book_id in (None, 999_999):
        with app.app_context(), pytest.raises(desk.DeskProblem) as refused:
            special_orders.attach_book(hold.id, book_id, people["sam"].id)
        assert refused.value.field == "book"
    assert hold_now(app, hold).book_id is None


def test_a_hold_placed_from_a_book_page_is_no_special_order(app, make_book, people):
    hold = hold_taken_to(app, make_book(stock=2), HoldState.NEW, people["sam"], NOW)

    assert not hold.is_special_order
    with app.app_context(), pytest.raises(desk.MovedMeanwhile):
        special_orders.attach_book(hold.id, hold.book_id, people["sam"].id)


def test_a_special_order_is_cancelled_by_its_customer_like_any_hold(app):
    placed = order(app)

    with app.app_context():
        found = following.hold_by_token(placed.link_token)
        following.cancel_by_the_customer(found, NOW)
        db.session.commit()

    assert hold_now(app, placed.hold).state == HoldState.CANCELLED


def test_keys_are_made_fresh_for_each_order(app):
    placed = [order(app, key=secrets.token_urlsafe(16)) for _ in range(3)]

    assert len({p.hold.reference for p in placed}) == len({p.link_token for p in placed}) == 3

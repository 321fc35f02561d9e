"""Customers holding the same book at the same moment, through HTTP, on the real database (the
file SQLite database, or PostgreSQL with FIRESTORM_TEST_DATABASE_URL): never more copies held
than the shelf has, the others told politely, and one form sent twice at once is one hold."""

import secrets

from review_helpers import page_text, post_at_once

from firestorm.database import db
from firestorm.extensions import limiter
from firestorm.holds import placing
from firestorm.holds.models import Hold, HoldKind

ROUNDS = 10
TAKEN = "Someone has just taken the last copy"


def a_customer(number: int, **typed) -> dict:
    return {
        "kind": "hold",
        "request_key": secrets.token_urlsafe(24),
        "name": f"Customer {number}",
        "email": f"customer{number}@example.org",
        "phone": "",
        "quantity": "1",
        "note": "",
        **typed,
    }


def customers_at_once(app, book, forms: list[dict]) -> list:
    # Every test client comes from 127.0.0.1: the limit per address is not what is tested.
    limiter.reset()
    return post_at_once(app, [(None, f"/books/{book.id}/hold", form) for form in forms])


def copies_held(app, book) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Hold.quantity).where(Hold.book_id == book.id, Hold.kind == HoldKind.HOLD)
            )
        )


def assert_told_politely(answers) -> None:
    for loser in (answer for answer in answers if answer.status_code == 422):
        page = page_text(loser)
        assert TAKEN in page
        assert "<h1>Ask us to order it</h1>" in page


def test_four_customers_after_the_last_two_copies(app, make_book):
    for round_number in range(ROUNDS):
        book = make_book(f"Round {round_number}", stock=2)

        answers = customers_at_once(app, book, [a_customer(n) for n in range(4)])

        assert sorted(answer.status_code for answer in answers) == [303, 303, 422, 422]
        assert copies_held(app, book) == [1, 1]
        assert_told_politely(answers)


def test_two_customers_and_one_copy_make_one_hold(app, make_book):
    for round_number in range(ROUNDS):
        book = make_book(f"Round {round_number}", stock=1)

        answers = customers_at_once(app, book, [a_customer(1), a_customer(2)])

        assert sorted(answer.status_code for answer in answers) == [303, 422]
        assert copies_held(app, book) == [1]
        assert_told_politely(answers)


def test_one_form_sent_twice_at_once_is_one_hold(app, make_book):
    for round_number in range(ROUNDS):
        book = make_book(f"Round {round_number}", stock=1)
        form = a_customer(1)

        answers = customers_at_once(app, book, [form, form])

        # Both sent to the same hold's page.
        assert [answer.status_code for answer in answers] == [303, 303]
        assert len({answer.headers["Location"] for answer in answers}) == 1
        assert copies_held(app, book) == [1]


def test_when_both_are_about_to_count_the_free_copies_the_lock_decides(
    app, make_book, meet_before, on_a_server_database
):
    # Both requests wait there, the book found and the form read, and then count what is free
    # at once: without the row lock both would see one copy and both hold it.
    both_ready = meet_before(placing.availability, "locked_availability")
    for round_number in range(ROUNDS):
        both_ready.reset()
        book = make_book(f"Round {round_number}", stock=1)

        answers = customers_at_once(app, book, [a_customer(1), a_customer(2)])

        assert sorted(answer.status_code for answer in answers) == [303, 422]
        assert copies_held(app, book) == [1]
        assert_told_politely(answers)

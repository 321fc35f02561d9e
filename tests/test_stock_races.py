"""Members changing one book's stock at the same moment, through HTTP, on the real database
(the file SQLite database, or PostgreSQL with FIRESTORM_TEST_DATABASE_URL): the stock never
goes below zero, the log always adds up to it, and whoever finds nothing left is told so."""

import pytest
from review_helpers import page_text, post_at_once

from firestorm.catalog import stock
from firestorm.catalog.models import Book, StockChange
from firestorm.database import db

ROUNDS = 10
NOTHING_LEFT = "No copies left to take off: the stock is at zero and can&#39;t go below."


def stock_path(book_id: int) -> str:
    return f"/collective/books/{book_id}/stock"


@pytest.fixture
def members(make_user):
    return [make_user("collective", display_name=f"Member {n}") for n in range(4)]


def outcome(app, book_id) -> tuple[int, list[StockChange]]:
    """The stock and its log, oldest first."""
    with app.app_context():
        changes = list(
            db.session.scalars(
                db.select(StockChange)
                .where(StockChange.book_id == book_id)
                .order_by(StockChange.id)
            )
        )
        db.session.expunge_all()
        return db.session.get(Book, book_id).stock, changes


def assert_the_log_adds_up(start: int, now: int, changes: list[StockChange]) -> None:
    """Each change starts from the figure the one before it left: none was lost or overwritten."""
    figure = start
    for change in changes:
        figure += change.delta
        assert change.stock_after == figure >= 0, (
            start,
            [(c.delta, c.stock_after) for c in changes],
        )
    assert now == figure


def test_four_members_taking_the_last_two_copies_at_once(app, make_book, members):
    for round_number in range(ROUNDS):
        book = make_book(f"Round {round_number}", stock=2)

        answers = post_at_once(
            app, [(member, stock_path(book.id), {"step": "-1"}) for member in members]
        )

        assert sorted(answer.status_code for answer in answers) == [200, 200, 422, 422]
        now, changes = outcome(app, book.id)
        assert now == 0
        assert [(c.delta, c.stock_after) for c in changes] == [(-1, 1), (-1, 0)]
        assert_the_log_adds_up(2, now, changes)
        assert {c.changed_by_id for c in changes} < {member.id for member in members}
        for loser in (answer for answer in answers if answer.status_code == 422):
            page = page_text(loser)
            assert f'<p class="problem" role="alert">{NOTHING_LEFT}</p>' in page
            assert "Out of stock — ask us to order it" in page


def test_a_count_and_takings_at_once_keep_the_log_adding_up(app, make_book, members):
    outcomes = set()
    for round_number in range(ROUNDS):
        book = make_book(f"Round {round_number}", stock=1)
        counter, *takers = members

        answers = post_at_once(
            app,
            [(counter, stock_path(book.id), {"count": "2", "reason": "Counted the shelf"})]
            + [(member, stock_path(book.id), {"step": "-1"}) for member in takers],
        )

        now, changes = outcome(app, book.id)
        assert_the_log_adds_up(1, now, changes)
        assert answers[0].status_code == 200  # a count is never refused for what others do
        taken = [answer.status_code for answer in answers[1:]]
        assert set(taken) <= {200, 422}
        assert taken.count(200) == sum(1 for c in changes if c.delta == -1)
        for loser in (answer for answer in answers if answer.status_code == 422):
            assert NOTHING_LEFT in page_text(loser)
        outcomes.add(now)
    assert outcomes <= {0, 1, 2}


def test_when_both_are_about_to_take_the_last_copy_the_database_decides(
    app, make_book, members, meet_before, on_a_server_database
):
    # Both requests wait here, signed in and with the form read, and then take a copy at once:
    # a read-then-write would let both see 1 and both take it.
    both_ready = meet_before(stock, "change_stock")
    for round_number in range(ROUNDS):
        both_ready.reset()
        book = make_book(f"Round {round_number}", stock=1)

        answers = post_at_once(
            app, [(member, stock_path(book.id), {"step": "-1"}) for member in members[:2]]
        )

        assert sorted(answer.status_code for answer in answers) == [200, 422]
        now, changes = outcome(app, book.id)
        assert (now, [(c.delta, c.stock_after) for c in changes]) == (0, [(-1, 0)])

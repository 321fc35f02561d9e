"""Members acting on one hold at the same moment, through HTTP, on the real database (the file
SQLite database, or PostgreSQL with FIRESTORM_TEST_DATABASE_URL): a hold is collected once,
its copies come off the stock once, and everyone else is told who was quicker."""

import pytest
from hold_helpers import hold_now, place_hold, stock_and_log
from review_helpers import NOW, page_text, post_at_once

from firestorm.database import db
from firestorm.holds import desk
from firestorm.holds.models import HoldState

ROUNDS = 10


@pytest.fixture
def members(make_user):
    return [make_user("collective", display_name=f"Member {n}") for n in range(4)]


def ready_hold(app, book, member):
    hold = place_hold(app, book, NOW, quantity=2)
    with app.app_context():
        desk.mark_ready(hold.id, member.id, NOW)
        db.session.commit()
    return hold


def collected_path(hold) -> str:
    return f"/collective/holds/{hold.id}/collected"


def assert_collected_once(app, book, hold, answers, members, stock_before):
    assert sorted(answer.status_code for answer in answers) == [200] + [409] * (len(answers) - 1)
    winner = members[[answer.status_code for answer in answers].index(200)]
    saved = hold_now(app, hold)
    assert (saved.state, saved.handled_by_id) == (HoldState.COLLECTED, winner.id)
    stock, log = stock_and_log(app, book)
    assert (stock, log[-1:]) == (
        stock_before - 2,
        [(-2, f"hold {hold.reference} collected", winner.id)],
    )
    for loser in (answer for answer in answers if answer.status_code == 409):
        assert f"{winner.display_name} marked this hold collected a moment ago." in page_text(loser)


def test_four_members_collecting_one_hold_at_once_collect_it_once(app, make_book, members):
    book = make_book("Dispersing Power", stock=2 * ROUNDS)
    for round_number in range(ROUNDS):
        hold = ready_hold(app, book, members[0])
        stock_before = stock_and_log(app, book)[0]

        answers = post_at_once(app, [(member, collected_path(hold), {}) for member in members])

        assert_collected_once(app, book, hold, answers, members, stock_before)
        assert len(stock_and_log(app, book)[1]) == round_number + 1


def test_collecting_and_cancelling_at_once_do_one_or_the_other(app, make_book, members):
    book = make_book("Dispersing Power", stock=2 * ROUNDS)
    outcomes = set()
    for _ in range(ROUNDS):
        hold = ready_hold(app, book, members[0])
        stock_before = stock_and_log(app, book)[0]
        collector, canceller = members[:2]

        answers = post_at_once(
            app,
            [
                (collector, collected_path(hold), {}),
                (
                    canceller,
                    f"/collective/holds/{hold.id}/cancel",
                    {"state": "ready", "reason": "The customer called"},
                ),
            ],
        )

        assert sorted(answer.status_code for answer in answers) == [200, 409]
        state = hold_now(app, hold).state
        stock = stock_and_log(app, book)[0]
        assert (state, stock) in {
            (HoldState.COLLECTED, stock_before - 2),
            (HoldState.CANCELLED, stock_before),
        }
        outcomes.add(state)
    assert outcomes <= {HoldState.COLLECTED, HoldState.CANCELLED}


def test_when_both_are_about_to_collect_the_database_decides(
    app, make_book, members, meet_before, on_a_server_database
):
    # Both requests wait here, signed in and with the form read, then collect at once: a
    # read-then-write would let both see "ready" and both take the copies off.
    both_ready = meet_before(desk, "mark_collected")
    book = make_book("Dispersing Power", stock=2 * ROUNDS)
    for _ in range(ROUNDS):
        both_ready.reset()
        hold = ready_hold(app, book, members[0])
        stock_before = stock_and_log(app, book)[0]

        answers = post_at_once(app, [(member, collected_path(hold), {}) for member in members[:2]])

        assert_collected_once(app, book, hold, answers, members[:2], stock_before)

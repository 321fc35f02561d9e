"""The holds desk's rules (firestorm/holds/desk.py, ready_notice.py): the lists by state, the count
of new holds, ready → collected or cancelled, expiry, who is told what when someone else moved
a hold first, and what the logs say. The pages: test_hold_desk_pages.py; two members at once:
test_hold_collect_races.py."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hold_helpers import hold_now, place_hold, stock_and_log
from review_helpers import NOW

from firestorm.catalog import stock
from firestorm.database import db
from firestorm.holds import desk
from firestorm.holds.models import Hold, HoldKind, HoldState
from firestorm.holds.ready_notice import Shop, ready_notice
from firestorm.shop import hours

STORE_TIME = ZoneInfo("America/New_York")
HOLD_DAYS = 7


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=10)


@pytest.fixture
def sam(people):
    """Sam and Mara, collective members (conftest's people)."""
    return people["sam"]


@pytest.fixture
def mara(people):
    return people["mara"]


def step(app, action, *args, **kwargs):
    """One step through the domain, committed as a request would commit it."""
    with app.app_context():
        result = action(*args, **kwargs)
        db.session.commit()
        return result


def refusal(app, action, *args) -> desk.DeskProblem:
    with app.app_context(), pytest.raises(desk.DeskProblem) as refused:
        action(*args)
    return refused.value


# --- The lists -------------------------------------------------------------------------------


def test_the_desk_lists_the_open_holds_oldest_first_unless_asked_for_one_state(app, book, sam):
    later = place_hold(app, book, NOW + timedelta(hours=2), name="Later")
    earlier = place_hold(app, book, NOW, name="Earlier")
    ready = place_hold(app, book, NOW + timedelta(hours=1), name="Ready")
    collected = place_hold(app, book, NOW - timedelta(days=1), name="Collected")
    cancelled = place_hold(app, book, NOW - timedelta(days=1), name="Cancelled")
    step(app, desk.mark_ready, ready.id, sam.id, NOW)
    step(app, desk.mark_ready, collected.id, sam.id, NOW)
    step(app, desk.mark_collected, collected.id, sam.id, NOW)
    step(app, desk.cancel_hold, cancelled.id, sam.id, "Changed their mind", "new", NOW)

    def names(filter_name):
        with app.app_context():
            page = desk.holds_for_desk(filter_name, 1, 10)
            return [hold.customer_name for hold in page.items]

    assert names(desk.OPEN) == ["Earlier", "Ready", "Later"]
    assert names("new") == ["Earlier", "Later"]
    assert names("ready") == ["Ready"]
    assert names("collected") == ["Collected"]
    assert names("cancelled") == ["Cancelled"]
    assert names("expired") == []
    assert set(desk.FILTERS) == {"open", "new", "ready", "collected", "cancelled", "expired"}
    assert earlier.id and later.id


def test_the_list_comes_in_pages_with_the_book_and_who_handled_each(app, book, sam):
    for minute in range(5):
        place_hold(app, book, NOW + timedelta(minutes=minute), name=f"Customer {minute}")
    first = place_hold(app, book, NOW - timedelta(minutes=1), name="First")
    step(app, desk.mark_ready, first.id, sam.id, NOW)

    with app.app_context():
        page_one = desk.holds_for_desk(desk.OPEN, 1, 4)
        page_two = desk.holds_for_desk(desk.OPEN, 2, 4)
        # Loaded with the page: drawing them needs no more queries.
        assert page_one.items[0].book.title == "Dispersing Power"
        assert page_one.items[0].handled_by.display_name == "Sam"

    assert (page_one.total, page_one.page_count) == (6, 2)
    assert [hold.customer_name for hold in page_two.items] == ["Customer 3", "Customer 4"]


def test_an_unknown_list_is_refused(app):
    with app.app_context(), pytest.raises(desk.UnknownFilter):
        desk.holds_for_desk("waiting", 1, 10)


def test_the_navigation_counts_only_the_new_holds(app, book, sam):
    holds = [place_hold(app, book, NOW) for _ in range(3)]
    step(app, desk.mark_ready, holds[0].id, sam.id, NOW)

    with app.app_context():
        assert desk.new_hold_count() == 2


# --- Ready for pickup --------------------------------------------------------------------------


def test_marking_ready_records_when_and_by_whom(app, book, sam):
    hold = place_hold(app, book, NOW)

    step(app, desk.mark_ready, hold.id, sam.id, NOW + timedelta(hours=1))

    saved = hold_now(app, hold)
    assert saved.state == HoldState.READY
    assert (saved.ready_at, saved.handled_by_id, saved.ended_at) == (
        NOW + timedelta(hours=1),
        sam.id,
        None,
    )
    assert desk.held_until(saved, HOLD_DAYS) == NOW + timedelta(days=7, hours=1)
    assert stock_and_log(app, book) == (10, [])


def test_marking_ready_twice_says_who_did_it_first(app, book, sam, mara):
    hold = place_hold(app, book, NOW)
    step(app, desk.mark_ready, hold.id, sam.id, NOW)

    refused = refusal(app, desk.mark_ready, hold.id, mara.id, NOW + timedelta(seconds=30))

    assert isinstance(refused, desk.MovedMeanwhile)
    assert str(refused) == "Sam marked this hold ready for pickup a moment ago."
    assert hold_now(app, hold).handled_by_id == sam.id


# --- Collected ---------------------------------------------------------------------------------


def test_collecting_a_hold_takes_its_copies_off_the_stock_through_the_log(app, book, sam):
    hold = place_hold(app, book, NOW, quantity=2)
    step(app, desk.mark_ready, hold.id, sam.id, NOW)

    step(app, desk.mark_collected, hold.id, sam.id, NOW + timedelta(days=1))

    saved = hold_now(app, hold)
    assert (saved.state, saved.ended_at, saved.handled_by_id) == (
        HoldState.COLLECTED,
        NOW + timedelta(days=1),
        sam.id,
    )
    assert stock_and_log(app, book) == (8, [(-2, f"hold {hold.reference} collected", sam.id)])


def test_collecting_an_order_records_it_and_leaves_the_stock_alone(app, make_book, sam):
    # The ordered copy was the customer's from the day it arrived: never part of the stock.
    book = make_book("Emergent Strategy", stock=0)
    order = place_hold(app, book, NOW, kind=HoldKind.ORDER)
    step(app, desk.mark_ready, order.id, sam.id, NOW)

    step(app, desk.mark_collected, order.id, sam.id, NOW)

    assert hold_now(app, order).state == HoldState.COLLECTED
    assert stock_and_log(app, book) == (0, [])


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(1, "a moment ago"), (12, "12 minutes ago"), (60, "an hour ago"), (60 * 5, "5 hours ago")],
)
def test_collecting_twice_says_who_collected_it_and_when(app, book, sam, mara, minutes, words):
    hold = place_hold(app, book, NOW)
    step(app, desk.mark_ready, hold.id, sam.id, NOW)
    step(app, desk.mark_collected, hold.id, sam.id, NOW)

    refused = refusal(app, desk.mark_collected, hold.id, mara.id, NOW + timedelta(minutes=minutes))

    assert str(refused) == f"Sam marked this hold collected {words}."
    assert stock_and_log(app, book)[0] == 9


def test_a_member_pressing_collected_twice_reads_that_they_did_it(app, book, sam):
    hold = place_hold(app, book, NOW)
    step(app, desk.mark_ready, hold.id, sam.id, NOW)
    step(app, desk.mark_collected, hold.id, sam.id, NOW)

    refused = refusal(app, desk.mark_collected, hold.id, sam.id, NOW + timedelta(days=3))

    assert str(refused) == "You marked this hold collected 3 days ago."


def test_a_new_hold_is_not_collected_before_it_is_ready(app, book, sam):
    hold = place_hold(app, book, NOW)

    refused = refusal(app, desk.mark_collected, hold.id, sam.id, NOW)

    assert str(refused) == "This hold is new: mark it ready for pickup first."
    assert hold_now(app, hold).state == HoldState.NEW


def test_collecting_more_copies_than_the_stock_has_is_refused_in_words(app, make_book, sam):
    book = make_book("Sold at the till meanwhile", stock=2)
    hold = place_hold(app, book, NOW, quantity=2)
    step(app, desk.mark_ready, hold.id, sam.id, NOW)
    with app.app_context():
        stock.change_stock(book.id, -1, "Sold", sam.id, NOW)
        db.session.commit()

    refused = refusal(app, desk.mark_collected, hold.id, sam.id, NOW)

    assert not isinstance(refused, desk.MovedMeanwhile)
    assert str(refused) == (
        "Only 1 copy in stock: the stock can't go below zero. This hold is for 2 copies: "
        "count the shelf and set the stock on the book's page, then mark it collected."
    )


def test_an_unknown_hold_is_gone(app, sam):
    with app.app_context(), pytest.raises(desk.HoldGone):
        desk.mark_ready(12345, sam.id, NOW)


# --- Cancelled ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seen", ["new", "ready"])
def test_a_hold_is_cancelled_with_a_reason_from_new_or_ready(app, book, sam, seen):
    hold = place_hold(app, book, NOW)
    if seen == "ready":
        step(app, desk.mark_ready, hold.id, sam.id, NOW)

    step(app, desk.cancel_hold, hold.id, sam.id, "  The customer\tcalled  ", seen, NOW)

    saved = hold_now(app, hold)
    assert (saved.state, saved.cancel_reason, saved.ended_at, saved.handled_by_id) == (
        HoldState.CANCELLED,
        "The customer called",
        NOW,
        sam.id,
    )
    assert stock_and_log(app, book) == (10, [])


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("", "Say why the hold is cancelled (the customer called, the book is lost…)."),
        (" \t ", "Say why the hold is cancelled (the customer called, the book is lost…)."),
        ("x" * 201, "Keep the reason under 200 characters."),
    ],
)
def test_a_cancellation_needs_a_reason(app, book, sam, reason, words):
    hold = place_hold(app, book, NOW)

    refused = refusal(app, desk.cancel_hold, hold.id, sam.id, reason, "new", NOW)

    assert (str(refused), refused.field) == (words, "reason")
    assert hold_now(app, hold).state == HoldState.NEW


def test_cancelling_a_hold_someone_moved_meanwhile_says_so(app, book, sam, mara):
    hold = place_hold(app, book, NOW)
    step(app, desk.mark_ready, hold.id, sam.id, NOW)

    # Mara's page still showed it new; with or without a reason she is told what happened.
    for reason in ("The customer called", ""):
        refused = refusal(app, desk.cancel_hold, hold.id, mara.id, reason, "new", NOW)
        assert isinstance(refused, desk.MovedMeanwhile)
        assert str(refused) == "Sam marked this hold ready for pickup a moment ago."
    assert hold_now(app, hold).state == HoldState.READY


def test_a_cancelled_hold_refuses_every_step_with_the_reason_given(app, book, sam, mara):
    hold = place_hold(app, book, NOW)
    step(app, desk.cancel_hold, hold.id, sam.id, "Found it elsewhere", "new", NOW)

    for action in (desk.mark_ready, desk.mark_collected):
        refused = refusal(app, action, hold.id, mara.id, NOW)
        assert str(refused) == "Sam cancelled this hold a moment ago: “Found it elsewhere”."


@pytest.mark.parametrize("seen", ["collected", "expired", "", None, "nonsense"])
def test_only_an_open_hold_is_cancelled(app, book, sam, seen):
    hold = place_hold(app, book, NOW)

    refused = refusal(app, desk.cancel_hold, hold.id, sam.id, "Reason", seen, NOW)

    assert str(refused) == "This hold can't be cancelled from here: reload the page and try again."
    assert hold_now(app, hold).state == HoldState.NEW


# --- Expiry ------------------------------------------------------------------------------------


def test_ready_holds_expire_hold_days_after_being_ready(app, book, sam):
    overdue = place_hold(app, book, NOW)
    just_in_time = place_hold(app, book, NOW)
    never_ready = place_hold(app, book, NOW - timedelta(days=30))
    step(app, desk.mark_ready, overdue.id, sam.id, NOW)
    step(app, desk.mark_ready, just_in_time.id, sam.id, NOW + timedelta(minutes=1))
    now = NOW + timedelta(days=HOLD_DAYS)

    expired = step(app, desk.expire_overdue, now, HOLD_DAYS)

    assert expired == [overdue.reference]
    saved = hold_now(app, overdue)
    assert (saved.state, saved.ended_at, saved.handled_by_id) == (HoldState.EXPIRED, now, None)
    assert hold_now(app, just_in_time).state == HoldState.READY
    assert hold_now(app, never_ready).state == HoldState.NEW
    assert stock_and_log(app, book) == (10, [])
    refused = refusal(app, desk.mark_collected, overdue.id, sam.id, now + timedelta(hours=3))
    assert str(refused) == "This hold expired 3 hours ago: nobody collected it in time."


# --- The logs ----------------------------------------------------------------------------------


def test_the_logs_name_the_hold_and_the_member_never_the_customer(app, book, sam, caplog):
    caplog.set_level(logging.INFO, logger="firestorm")
    hold = place_hold(app, book, NOW, name="Robin Customer", email="robin@example.org")
    other = place_hold(app, book, NOW)
    late = place_hold(app, book, NOW)

    step(app, desk.mark_ready, hold.id, sam.id, NOW)
    step(app, desk.mark_collected, hold.id, sam.id, NOW)
    step(app, desk.cancel_hold, other.id, sam.id, "Called", "new", NOW)
    step(app, desk.mark_ready, late.id, sam.id, NOW)
    step(app, desk.expire_overdue, NOW + timedelta(days=HOLD_DAYS), HOLD_DAYS)

    logged = caplog.text
    assert f"hold {hold.reference} ready for pickup, marked by user {sam.id}" in logged
    assert f"hold {hold.reference} collected by user {sam.id}" in logged
    assert f"hold {other.reference} cancelled by user {sam.id}" in logged
    assert f"hold {late.reference} expired: not collected within 7 days" in logged
    for personal in ("Robin", "robin@example.org", "828-555-0134", "After work"):
        assert personal not in logged


# --- The email when a hold is ready --------------------------------------------------------------


def schedule(*closures: hours.SpecialHours) -> hours.Schedule:
    return hours.Schedule(week=hours.DEFAULT_WEEK, timezone=STORE_TIME, special_hours=closures)


def notice_for(hold: Hold, now, closures=()) -> str:
    return ready_notice(
        hold,
        "Dispersing Power",
        Shop("Firestorm Cafe & Books", "610 Haywood Rd, Asheville NC", phone="828-555-0100"),
        schedule(*closures),
        now,
        now + timedelta(days=HOLD_DAYS),
    )


def a_hold(**fields) -> Hold:
    return Hold(
        **{"reference": "ABC123", "quantity": 1, "kind": HoldKind.HOLD, "customer_name": "Robin"}
        | fields
    )


def test_the_ready_email_says_where_and_until_when():
    # Tuesday 10am at the store: open now; kept until the Tuesday after.
    notice = notice_for(a_hold(), NOW)

    assert notice.subject == "Your hold ABC123 is ready for pickup at Firestorm Cafe & Books"
    assert notice.body == (
        "Firestorm Cafe & Books has put “Dispersing Power” (1 copy) aside for you: it is ready "
        "for pickup at 610 Haywood Rd, Asheville NC.\n\n"
        "Come by any time we are open, starting now, until closing time on Tuesday, Dec 1 "
        "(9pm), and quote the reference ABC123 at the counter. If nobody collects it by then, "
        "it goes back on the shelf.\n"
        "Our hours: Tue thru Sun 8am – 9pm · Closed Monday.\n\n"
        "Questions, or a change of plans? Please call us at 828-555-0100, and give your "
        "reference ABC123.\n\n"
        "This email address was given on the hold form of our website. If you did not ask for "
        "this, ignore this email: nothing happens, you pay nothing, and the hold ends by itself "
        "after closing time on Tuesday, Dec 1 (9pm). To have it cancelled now, call us at "
        "828-555-0100.\n\n"
        "Firestorm Cafe & Books\n"
    )
    # Nothing the customer typed: anyone may give anyone's address on the hold form.
    assert "Robin" not in notice.subject + notice.body


def test_ready_on_a_sunday_night_the_email_says_tuesday_and_skips_a_closed_last_day():
    sunday_night = datetime(2026, 11, 29, 22, 0, tzinfo=STORE_TIME)

    body = notice_for(a_hold(quantity=2, kind=HoldKind.ORDER), sunday_night).body

    assert body.startswith(
        "Firestorm Cafe & Books has your order: “Dispersing Power” (2 copies) has arrived and is "
        "ready for pickup at 610 Haywood Rd, Asheville NC."
    )
    assert "and the order ends by itself after closing time on Sunday, Dec 6 (9pm)." in body
    # Kept until Sunday Dec 6 at night: Sunday is open, so that is the last day.
    assert "Come by from Tuesday, Dec 1 at 8am, until closing time on Sunday, Dec 6 (9pm)" in body

    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=STORE_TIME)
    stocktaking = hours.SpecialHours(
        saturday.date() + timedelta(days=7), saturday.date() + timedelta(days=7), "Stocktaking"
    )
    body = notice_for(a_hold(), saturday, closures=[stocktaking]).body
    # The last day (Saturday Dec 5) is a closure, the Friday before is open.
    assert "until closing time on Friday, Dec 4 (9pm)" in body

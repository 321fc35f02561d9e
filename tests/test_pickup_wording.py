"""The words a customer reads after placing a hold or an order: when it can be picked up, in
terms of the opening hours and closures (firestorm/holds/pickup.py against shop/hours.py), and
what to do with a hold email you did not ask for."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from firestorm.holds.pickup import (
    ends_once_ready,
    hold_next_steps,
    how_to_reach_us,
    if_you_did_not_ask,
    order_next_steps,
)
from firestorm.shop.hours import DEFAULT_WEEK, DayHours, Schedule, SpecialHours

NEW_YORK = ZoneInfo("America/New_York")
# Closed on Mondays, 8am – 9pm every other day.
STORE = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK)
HOLIDAYS = SpecialHours(date(2026, 12, 24), date(2026, 12, 27), "Holidays")
AT_CHRISTMAS = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(HOLIDAYS,))
REACH_US = "Questions? Ask at the counter."
KEEPING = "Once it's ready we keep it for you for 7 days; after that it goes back on the shelf."
TODAY_UNTIL_9 = (
    "We'll put it aside within the hour: pick it up today until 9pm or any day we're open."
)


def ny(year, month, day, hour=0, minute=0):
    """A moment on the store's wall clock."""
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def headline(moment, schedule=STORE):
    return hold_next_steps(schedule, moment, 7, REACH_US).headline


# --- Every day of an ordinary week: 2026-03-16 is a Monday ----------------------------------

TUESDAY_TO_SUNDAY = [(17, "Tuesday"), (18, "Wednesday"), (19, "Thursday"), (20, "Friday")]
TUESDAY_TO_SUNDAY += [(21, "Saturday"), (22, "Sunday")]
NEXT_DAY = {
    "Tuesday": "Wednesday",
    "Wednesday": "Thursday",
    "Thursday": "Friday",
    "Friday": "Saturday",
    "Saturday": "Sunday",
}


@pytest.mark.parametrize("hour", [0, 7, 12, 20, 23])
def test_on_a_monday_whatever_the_hour_it_is_ready_on_tuesday_because_we_are_closed(hour):
    assert headline(ny(2026, 3, 16, hour)) == (
        "Ready for pickup from Tuesday at 8am — we are closed on Mondays."
    )


@pytest.mark.parametrize(("day", "weekday"), TUESDAY_TO_SUNDAY)
def test_before_opening_it_is_ready_at_opening_the_same_day(day, weekday):
    assert headline(ny(2026, 3, day, 6, 45)) == "Ready for pickup from today at 8am."


@pytest.mark.parametrize(("day", "weekday"), TUESDAY_TO_SUNDAY)
@pytest.mark.parametrize(("hour", "minute"), [(8, 0), (12, 30), (19, 59), (20, 0)])
def test_during_opening_hours_it_is_put_aside_within_the_hour(day, weekday, hour, minute):
    assert headline(ny(2026, 3, day, hour, minute)) == TODAY_UNTIL_9


@pytest.mark.parametrize(("day", "weekday"), TUESDAY_TO_SUNDAY[:-1])
@pytest.mark.parametrize(("hour", "minute"), [(20, 1), (21, 0), (23, 59)])
def test_in_the_last_hour_or_after_closing_it_is_ready_the_next_morning(day, weekday, hour, minute):
    assert headline(ny(2026, 3, day, hour, minute)) == (
        f"Ready for pickup from {NEXT_DAY[weekday]} at 8am."
    )


@pytest.mark.parametrize(("hour", "minute"), [(20, 30), (21, 0), (23, 59)])
def test_late_on_a_sunday_it_is_ready_on_tuesday_because_we_are_closed_on_mondays(hour, minute):
    assert headline(ny(2026, 3, 22, hour, minute)) == (
        "Ready for pickup from Tuesday at 8am — we are closed on Mondays."
    )


def test_the_next_steps_say_how_long_a_ready_hold_is_kept_and_how_to_reach_us():
    steps = hold_next_steps(STORE, ny(2026, 3, 17, 12), 3, REACH_US)

    assert steps.details == (
        "Once it's ready we keep it for you for 3 days; after that it goes back on the shelf.",
        REACH_US,
    )
    assert steps.text == f"{TODAY_UNTIL_9}\n\n{steps.details[0]}\n\n{REACH_US}"


def test_a_week_with_other_hours_and_two_closed_days_names_both():
    week = (None, None) + (DayHours(time(10), time(18)),) * 5
    schedule = Schedule(week=week, timezone=NEW_YORK)

    assert headline(ny(2026, 3, 22, 19), schedule) == (
        "Ready for pickup from Wednesday at 10am — we are closed on Mondays and Tuesdays."
    )
    assert headline(ny(2026, 3, 18, 10, 30), schedule) == (
        "We'll put it aside within the hour: pick it up today until 6pm or any day we're open."
    )


# --- Special closures ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "placed_at",
    [ny(2026, 12, 23, 22), ny(2026, 12, 26, 12)],
    ids=["the-evening-before", "during-it"],
)
def test_before_or_during_a_special_closure_it_names_it_and_gives_the_date(placed_at):
    # Shut Thursday Dec 24 to Sunday Dec 27, and on Monday as always.
    assert headline(placed_at, AT_CHRISTMAS) == (
        "Ready for pickup from Tuesday, Dec 29 at 8am — "
        "we are closed Dec 24–27 (Holidays) and on Mondays."
    )


def test_when_the_closure_ends_on_an_open_day_it_names_only_the_closure():
    week = (DayHours(time(8), time(21)),) * 7
    schedule = Schedule(week=week, timezone=NEW_YORK, special_hours=(HOLIDAYS,))

    assert headline(ny(2026, 12, 23, 22), schedule) == (
        "Ready for pickup from Monday, Dec 28 at 8am — we are closed Dec 24–27 (Holidays)."
    )


def test_changed_hours_are_the_hours_of_the_day_and_no_closure():
    eve = date(2026, 12, 24)
    short_day = SpecialHours(eve, eve, "Christmas Eve", hours=DayHours(time(10), time(14)))
    schedule = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(short_day,))

    assert headline(ny(2026, 12, 24, 12), schedule) == (
        "We'll put it aside within the hour: pick it up today until 2pm or any day we're open."
    )
    assert headline(ny(2026, 12, 24, 13, 30), schedule) == "Ready for pickup from Friday at 8am."
    assert hold_next_steps(schedule, ny(2026, 12, 22, 12), 7, REACH_US).details == (
        KEEPING,
        REACH_US,
    )


def test_a_closure_coming_while_the_hold_waits_is_named_after_the_keeping_time():
    steps = hold_next_steps(AT_CHRISTMAS, ny(2026, 12, 22, 12), 7, REACH_US)

    assert steps.headline == TODAY_UNTIL_9
    assert steps.details == (KEEPING, "Please note: we are closed Dec 24–27 (Holidays).", REACH_US)


def test_a_closure_after_the_keeping_time_is_not_mentioned():
    steps = hold_next_steps(AT_CHRISTMAS, ny(2026, 12, 1, 12), 7, REACH_US)

    assert steps.details == (KEEPING, REACH_US)


def test_one_day_closures_without_a_reason_and_across_months_are_written_short():
    thanksgiving = SpecialHours(date(2026, 11, 26), date(2026, 11, 26))
    new_year = SpecialHours(date(2026, 12, 30), date(2027, 1, 2), "Stocktaking")
    schedule = Schedule(
        week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(thanksgiving, new_year)
    )

    assert headline(ny(2026, 11, 25, 21, 30), schedule) == (
        "Ready for pickup from Friday, Nov 27 at 8am — we are closed Nov 26."
    )
    assert headline(ny(2026, 12, 29, 21, 30), schedule) == (
        "Ready for pickup from Sunday, Jan 3 at 8am — we are closed Dec 30–Jan 2 (Stocktaking)."
    )


def test_closed_for_longer_than_a_year_it_promises_no_date():
    closed = SpecialHours(date(2026, 3, 1), date(2027, 12, 31), "Moving house")
    schedule = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(closed,))

    steps = hold_next_steps(schedule, ny(2026, 3, 17, 12), 7, REACH_US)

    assert steps.headline == (
        "We've noted your hold, but we are closed Mar 1–Dec 31 (Moving house) "
        "and can't say yet when we open again."
    )
    assert steps.details == ("We'll let you know when you can pick it up.", REACH_US)


# --- Daylight saving: clocks go forward on 2026-03-08 and back on 2026-11-01 (Sundays) ------


def test_the_night_the_clocks_go_forward_it_is_ready_at_8am_wall_clock_time():
    # Saturday 11pm EST; Sunday opens at 8am EDT (12:00 UTC, not 13:00).
    assert (
        headline(datetime(2026, 3, 8, 4, 0, tzinfo=UTC)) == "Ready for pickup from Sunday at 8am."
    )
    # 11:30 UTC on Sunday is 7:30am EDT: not open yet (it would be 6:30am by the old offset).
    assert (
        headline(datetime(2026, 3, 8, 11, 30, tzinfo=UTC)) == "Ready for pickup from today at 8am."
    )
    # 12:30 UTC is 8:30am EDT: open.
    assert headline(datetime(2026, 3, 8, 12, 30, tzinfo=UTC)) == TODAY_UNTIL_9


def test_the_day_the_clocks_go_back_it_reads_the_store_clock():
    # 12:30 UTC on Sunday Nov 1 is 7:30am EST (it would be 8:30am by the summer offset).
    assert (
        headline(datetime(2026, 11, 1, 12, 30, tzinfo=UTC)) == "Ready for pickup from today at 8am."
    )
    # 01:30 UTC on Nov 2 is 8:30pm EST on Sunday: too late today, and Monday is closed.
    assert headline(datetime(2026, 11, 2, 1, 30, tzinfo=UTC)) == (
        "Ready for pickup from Tuesday at 8am — we are closed on Mondays."
    )
    # 00:30 UTC is 7:30pm EST: still over an hour before closing.
    assert headline(datetime(2026, 11, 2, 0, 30, tzinfo=UTC)) == TODAY_UNTIL_9


# --- Orders and how to reach the shop ---------------------------------------------------


def test_an_order_says_we_will_order_it_and_how_to_reach_us():
    steps = order_next_steps(REACH_US)

    assert steps.headline == "We'll order it and let you know when it arrives."
    assert steps.details == (REACH_US,)


@pytest.mark.parametrize(
    ("phone", "email", "words"),
    [
        (
            "828-555-0100",
            "books@example.org",
            "call us at 828-555-0100 or write to books@example.org",
        ),
        ("828-555-0100", "", "call us at 828-555-0100"),
        ("", "books@example.org", "write to books@example.org"),
        ("", "", "ask us at the counter"),
    ],
)
def test_how_to_reach_us_gives_what_the_shop_has(phone, email, words):
    assert how_to_reach_us(phone, email, "K7M2QX") == (
        f"Questions, or a change of plans? Please {words}, and give your reference K7M2QX."
    )


# --- An email someone did not ask for -----------------------------------------------------

UNASKED = (
    "This email address was given on the hold form of our website. If you did not ask for "
    "this, ignore this email: nothing happens, you pay nothing, and the {kind} ends by itself "
    "{ends}."
)


@pytest.mark.parametrize(
    ("kind", "ends"),
    [("hold", "7 days after it is ready"), ("order", "7 days after the book arrives")],
)
def test_an_unasked_hold_or_order_ends_by_itself_once_ready(kind, ends):
    assert ends_once_ready(kind, 7) == ends
    assert if_you_did_not_ask(kind, ends, "", "") == UNASKED.format(kind=kind, ends=ends)


@pytest.mark.parametrize(
    ("phone", "email", "words"),
    [
        (
            "828-555-0100",
            "books@example.org",
            " To have it cancelled now, call us at 828-555-0100 or write to books@example.org.",
        ),
        ("", "books@example.org", " To have it cancelled now, write to books@example.org."),
        ("", "", ""),
    ],
)
def test_the_shops_contact_follows_when_it_has_one(phone, email, words):
    said = if_you_did_not_ask("hold", "after Tuesday, Dec 1", phone, email)

    assert said == UNASKED.format(kind="hold", ends="after Tuesday, Dec 1") + words

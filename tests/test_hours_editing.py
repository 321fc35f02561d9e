"""Changing the hours (firestorm/shop/editing.py): one weekday at a time, and closures or changed
hours on dates, each rule refused in words next to the right field. The pages:
test_hours_editor_pages.py; what the hours then say: test_hours.py."""

import logging
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from firestorm.database import db
from firestorm.shop import editing, hours
from firestorm.shop.editing import HoursProblem, TypedHours, TypedSpecialHours
from firestorm.shop.models import SpecialHoursEntry
from firestorm.shop.schedule import load_schedule

NEW_YORK = ZoneInfo("America/New_York")
TODAY = date(2026, 11, 24)  # a Tuesday
BY = "user 7 (collective)"
CLOSED = TypedHours(is_open=False, opens=None, closes=None)


def open_from(opens, closes) -> TypedHours:
    return TypedHours(is_open=True, opens=opens, closes=closes)


def typed(first_day, last_day=None, day_hours=CLOSED, reason="Thanksgiving") -> TypedSpecialHours:
    return TypedSpecialHours(first_day, last_day, day_hours, reason)


@pytest.fixture
def shop(app):
    """Inside the app, committing what each step changed as a request would."""
    with app.app_context():
        yield
        db.session.rollback()


def schedule() -> hours.Schedule:
    return load_schedule(TODAY, NEW_YORK)


def refusal(step) -> tuple[str | None, str]:
    """(field, message) of the step's refusal; the database keeps nothing of it."""
    with pytest.raises(HoursProblem) as refused:
        step()
    db.session.rollback()
    return refused.value.field, str(refused.value)


# --- One weekday -------------------------------------------------------------------------------


def test_setting_one_weekday_keeps_the_rest_of_the_default_week(shop):
    editing.set_weekday(1, open_from(time(10), time(19)), "  Kitchen   closes at 6pm ", BY)
    db.session.commit()

    week = schedule()
    assert week.week[1] == hours.DayHours(time(10), time(19))
    assert week.notes[1] == "Kitchen closes at 6pm"
    assert week.week[0] is None
    assert week.week[2:] == hours.DEFAULT_WEEK[2:]
    assert hours.week_summary(week.week) == (
        "Tue 10am – 7pm · Wed thru Sun 8am – 9pm · Closed Monday"
    )


def test_closing_a_weekday_forgets_its_times_and_opening_another_keeps_it(shop):
    editing.set_weekday(6, TypedHours(False, time(8), time(21)), "", BY)
    editing.set_weekday(0, open_from(time(12), time(18)), "Short day", BY)
    db.session.commit()

    week = schedule()
    assert week.week[6] is None
    assert week.week[0] == hours.DayHours(time(12), time(18))
    assert hours.week_summary(week.week) == (
        "Mon 12pm – 6pm · Tue thru Sat 8am – 9pm · Closed Sunday"
    )


def test_a_closed_day_can_carry_a_note(shop):
    editing.set_weekday(0, CLOSED, "Deliveries only", BY)
    db.session.commit()

    assert hours.usual_week(schedule())[0].note == "Deliveries only"


@pytest.mark.parametrize(
    "day_hours, field, message",
    [
        (open_from(time(21), time(8)), "closes", "Closing time must be after opening time (9pm)"),
        (open_from(time(10), time(10)), "closes", "Closing time must be after opening time (10am)"),
        (open_from(None, time(18)), "opens", "Give the opening time, like 8:00 or 10:30."),
        (open_from(time(10), None), "closes", "Give the closing time, like 17:00 or 21:00."),
    ],
    ids=["closing-before-opening", "closing-at-opening", "no-opening-time", "no-closing-time"],
)
def test_a_weekday_with_times_out_of_order_or_missing_is_refused(shop, day_hours, field, message):
    found = refusal(lambda: editing.set_weekday(2, day_hours, "", BY))

    assert found[0] == field and found[1].startswith(message)
    assert schedule().week == hours.DEFAULT_WEEK


def test_a_note_too_long_is_refused(shop):
    assert refusal(lambda: editing.set_weekday(2, CLOSED, "x" * 201, BY)) == (
        "note",
        "Keep the note under 200 characters.",
    )


def test_there_are_seven_weekdays(shop):
    assert refusal(lambda: editing.set_weekday(7, CLOSED, "", BY)) == (
        None,
        "There is no such day of the week.",
    )


def test_a_weekday_change_is_logged_with_who_but_not_the_note(shop, caplog):
    with caplog.at_level(logging.INFO, logger="firestorm.shop.editing"):
        editing.set_weekday(1, open_from(time(10), time(19)), "Ask for Sam", BY)

    assert "Usual hours of Tuesday set to 10:00–19:00 by user 7 (collective)" in caplog.text


# --- Special hours: adding ------------------------------------------------------------------


def test_a_one_day_closure_and_a_range_of_changed_hours_are_added(shop):
    editing.add_special_hours(typed(date(2026, 11, 26)), TODAY, BY)
    short_day = open_from(time(10), time(16))
    editing.add_special_hours(
        typed(date(2026, 12, 24), date(2026, 12, 26), short_day, " Holidays "), TODAY, BY
    )
    db.session.commit()

    assert [(c.first_day, c.last_day, c.reason, c.hours) for c in schedule().special_hours] == [
        (date(2026, 11, 26), date(2026, 11, 26), "Thanksgiving", None),
        (date(2026, 12, 24), date(2026, 12, 26), "Holidays", hours.DayHours(time(10), time(16))),
    ]


def test_a_closure_for_today_is_allowed(shop):
    editing.add_special_hours(typed(TODAY, reason="Burst pipe"), TODAY, BY)
    db.session.commit()

    assert [c.reason for c in schedule().special_hours] == ["Burst pipe"]


def test_a_closure_that_began_before_today_and_ends_today_is_allowed(shop):
    editing.add_special_hours(typed(TODAY - timedelta(days=3), TODAY, reason="Flood"), TODAY, BY)
    db.session.commit()

    assert [(c.first_day, c.reason) for c in schedule().special_hours] == [
        (TODAY - timedelta(days=3), "Flood")
    ]


def test_a_range_of_exactly_sixty_days_is_allowed(shop):
    editing.add_special_hours(typed(date(2027, 1, 1), date(2027, 3, 1)), TODAY, BY)

    assert db.session.scalar(select(func.count()).select_from(SpecialHoursEntry)) == 1


@pytest.mark.parametrize(
    "first_day, last_day, field, message",
    [
        (None, None, "first_day", "Give the first day as a date, like 2026-11-26."),
        (
            date(2026, 12, 5),
            date(2026, 12, 4),
            "last_day",
            "The last day comes before the first day.",
        ),
        (
            date(2026, 11, 23),
            None,
            "first_day",
            "Nov 23, 2026 is past: closures and changed hours must end today or later.",
        ),
        (
            date(2026, 11, 1),
            date(2026, 11, 23),
            "last_day",
            "Nov 23, 2026 is past: closures and changed hours must end today or later.",
        ),
        (
            date(2027, 1, 1),
            date(2027, 3, 2),
            "last_day",
            "That is 61 days: closures and changed hours cover at most 60."
            " Check the dates, or enter a longer time as two.",
        ),
        (
            date(2026, 12, 1),
            date(2027, 12, 1),
            "last_day",
            "That is 366 days: closures and changed hours cover at most 60."
            " Check the dates, or enter a longer time as two.",
        ),
    ],
    ids=["no-first-day", "end-before-start", "yesterday", "ended-yesterday", "61-days", "a-year"],
)
def test_dates_the_rules_refuse(shop, first_day, last_day, field, message):
    assert refusal(lambda: editing.add_special_hours(typed(first_day, last_day), TODAY, BY)) == (
        field,
        message,
    )
    assert schedule().special_hours == ()


@pytest.mark.parametrize(
    "day_hours, reason, field, message",
    [
        (open_from(time(16), time(10)), "Eve", "closes", "Closing time must be after opening"),
        (open_from(None, None), "Eve", "opens", "Give the opening time"),
        (CLOSED, "", "reason", "Say why, in a few words the public will read"),
        (CLOSED, " \t ", "reason", "Say why, in a few words the public will read"),
        (CLOSED, "x" * 201, "reason", "Keep the reason under 200 characters."),
    ],
    ids=["closing-before-opening", "no-times", "no-reason", "blank-reason", "long-reason"],
)
def test_hours_and_reasons_the_rules_refuse(shop, day_hours, reason, field, message):
    found = refusal(
        lambda: editing.add_special_hours(
            typed(date(2026, 12, 24), day_hours=day_hours, reason=reason), TODAY, BY
        )
    )

    assert found[0] == field and found[1].startswith(message)


@pytest.mark.parametrize(
    "first_day, last_day",
    [
        (date(2026, 11, 26), None),
        (date(2026, 11, 20), date(2026, 11, 26)),
        (date(2026, 11, 27), date(2026, 12, 3)),
        (date(2026, 11, 25), date(2026, 11, 30)),
    ],
    ids=["same-day", "ends-on-its-first-day", "starts-on-its-last-day", "around-it"],
)
def test_an_exception_overlapping_another_is_refused_with_its_name(shop, first_day, last_day):
    editing.add_special_hours(typed(date(2026, 11, 26), date(2026, 11, 27)), TODAY, BY)
    db.session.commit()

    found = refusal(
        lambda: editing.add_special_hours(typed(first_day, last_day, reason="Retreat"), TODAY, BY)
    )

    assert found == (
        "first_day",
        "These days overlap “Thanksgiving” (Nov 26, 2026 to Nov 27, 2026):"
        " change or remove that one first.",
    )
    assert [c.reason for c in schedule().special_hours] == ["Thanksgiving"]


def test_exceptions_side_by_side_do_not_overlap(shop):
    editing.add_special_hours(typed(date(2026, 12, 24), reason="Christmas Eve"), TODAY, BY)
    editing.add_special_hours(
        typed(date(2026, 12, 25), date(2026, 12, 26), reason="Xmas"), TODAY, BY
    )
    editing.add_special_hours(typed(date(2026, 12, 23), reason="Stocktaking"), TODAY, BY)
    db.session.commit()

    assert len(schedule().special_hours) == 3


# --- Changing and removing ------------------------------------------------------------------------


def test_an_exception_is_changed_and_does_not_overlap_itself(shop):
    special_hours = editing.add_special_hours(
        typed(date(2026, 11, 26), date(2026, 11, 27)), TODAY, BY
    )
    db.session.commit()

    editing.change_special_hours(
        special_hours,
        typed(date(2026, 11, 27), None, open_from(time(12), time(17)), "Black Friday"),
        TODAY,
        BY,
    )
    db.session.commit()

    assert schedule().special_hours == (
        hours.SpecialHours(
            date(2026, 11, 27),
            date(2026, 11, 27),
            "Black Friday",
            hours.DayHours(time(12), time(17)),
        ),
    )


def test_a_change_onto_another_exception_is_refused_and_changes_nothing(shop):
    editing.add_special_hours(typed(date(2026, 12, 24), reason="Christmas Eve"), TODAY, BY)
    moved = editing.add_special_hours(typed(date(2026, 11, 26)), TODAY, BY)
    db.session.commit()

    found = refusal(
        lambda: editing.change_special_hours(
            moved, typed(date(2026, 12, 20), date(2026, 12, 31)), TODAY, BY
        )
    )

    assert found[0] == "first_day" and "“Christmas Eve” (Dec 24, 2026)" in found[1]
    assert [c.first_day for c in schedule().special_hours] == [
        date(2026, 11, 26),
        date(2026, 12, 24),
    ]


def test_a_change_may_not_move_an_exception_into_the_past(shop):
    special_hours = editing.add_special_hours(typed(date(2026, 11, 26)), TODAY, BY)
    db.session.commit()

    found = refusal(
        lambda: editing.change_special_hours(special_hours, typed(TODAY - timedelta(1)), TODAY, BY)
    )

    assert found == (
        "first_day",
        "Nov 23, 2026 is past: closures and changed hours must end today or later.",
    )


def test_an_exception_is_removed(shop):
    special_hours = editing.add_special_hours(typed(date(2026, 11, 26)), TODAY, BY)
    db.session.commit()

    editing.remove_special_hours(special_hours, BY)
    db.session.commit()

    assert schedule().special_hours == ()


def test_each_change_is_logged_with_who_and_what(shop, caplog):
    with caplog.at_level(logging.INFO, logger="firestorm.shop.editing"):
        special_hours = editing.add_special_hours(typed(date(2026, 11, 26)), TODAY, BY)
        editing.change_special_hours(
            special_hours,
            typed(date(2026, 11, 26), day_hours=open_from(time(10), time(14))),
            TODAY,
            BY,
        )
        editing.remove_special_hours(special_hours, BY)

    lines = [record.getMessage() for record in caplog.records]
    number = special_hours.id
    assert lines == [
        f"Special hours {number} added by {BY}: 2026-11-26–2026-11-26 closed (Thanksgiving)",
        f"Special hours {number} changed by {BY}: was 2026-11-26–2026-11-26 closed (Thanksgiving),"
        " now 2026-11-26–2026-11-26 10:00–14:00 (Thanksgiving)",
        f"Special hours {number} removed by {BY}: 2026-11-26–2026-11-26 10:00–14:00 (Thanksgiving)",
    ]


# --- The editor's list ---------------------------------------------------------------------------


def test_the_coming_exceptions_leave_out_past_ones_and_come_a_page_at_a_time(shop):
    db.session.add(
        SpecialHoursEntry(first_day=date(2026, 11, 1), last_day=date(2026, 11, 2), reason="Past")
    )
    for week in range(5):
        first = date(2027, 1, 4) + timedelta(weeks=week)
        editing.add_special_hours(typed(first, reason=f"Week {week}"), TODAY, BY)
    db.session.commit()

    first_page = editing.coming_special_hours(TODAY, 1, 3)
    last_page = editing.coming_special_hours(TODAY, 2, 3)

    assert first_page.total == 5
    assert [c.reason for c in first_page.items] == ["Week 0", "Week 1", "Week 2"]
    assert [c.reason for c in last_page.items] == ["Week 3", "Week 4"]

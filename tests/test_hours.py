"""Tests for the store's opening hours and the status banner."""

import time as process_clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from firestorm.shop.hours import (
    DEFAULT_WEEK,
    WEEKDAY_NAMES,
    DayHours,
    Schedule,
    SpecialHours,
    closure_on,
    format_date,
    format_day_range,
    format_time,
    hours_on,
    is_open_at,
    next_opening_after,
    special_hours_in_words,
    special_hours_on,
    status_at,
    upcoming_special_hours,
    usual_week,
    week_summary,
    week_table,
)

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
STORE = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK)


def ny(year, month, day, hour=0, minute=0):
    """A moment on the store's wall clock in New York."""
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def utc_offset_hours(moment):
    return moment.utcoffset() / timedelta(hours=1)


# --- An ordinary week: 2026-06-15 is a Monday ---------------------------------


def test_monday_the_store_is_closed_all_day_and_says_when_it_reopens():
    status = status_at(STORE, ny(2026, 6, 15, 12))
    assert not status.is_open
    assert status.closed_today
    assert status.closure_reason == ""
    assert status.message == "Closed today — opens Tuesday at 8am"
    assert status.next_opening == ny(2026, 6, 16, 8)


@pytest.mark.parametrize("day", [16, 17, 18, 19, 20, 21])
def test_tuesday_through_sunday_at_noon_the_store_is_open_until_9pm(day):
    status = status_at(STORE, ny(2026, 6, day, 12))
    assert status.is_open
    assert not status.closed_today
    assert status.message == "Open now until 9pm"
    assert status.closes_at == ny(2026, 6, day, 21)
    assert status.next_opening is None


def test_early_on_wednesday_the_banner_says_it_opens_today():
    status = status_at(STORE, ny(2026, 6, 17, 7, 15))
    assert not status.is_open
    assert not status.closed_today
    assert status.message == "Opens today at 8am"
    assert status.next_opening == ny(2026, 6, 17, 8)


def test_late_on_tuesday_it_is_closed_for_the_night_until_wednesday():
    status = status_at(STORE, ny(2026, 6, 16, 22, 30))
    assert not status.is_open
    assert not status.closed_today
    assert status.message == "Closed for the night — opens Wednesday 8am"
    assert status.next_opening == ny(2026, 6, 17, 8)


def test_late_on_sunday_the_next_opening_skips_the_closed_monday():
    status = status_at(STORE, ny(2026, 6, 21, 21, 30))
    assert status.message == "Closed for the night — opens Tuesday 8am"
    assert status.next_opening == ny(2026, 6, 23, 8)


def test_the_doors_open_exactly_at_8am():
    assert not is_open_at(STORE, ny(2026, 6, 17, 7, 59))
    status = status_at(STORE, ny(2026, 6, 17, 8, 0))
    assert status.is_open
    assert status.message == "Open now until 9pm"


def test_one_minute_before_closing_it_is_still_open():
    status = status_at(STORE, ny(2026, 6, 17, 20, 59))
    assert status.is_open
    assert status.message == "Open now until 9pm"


def test_the_doors_close_exactly_at_9pm():
    status = status_at(STORE, ny(2026, 6, 17, 21, 0))
    assert not status.is_open
    assert status.message == "Closed for the night — opens Thursday 8am"


def test_an_opening_at_exactly_now_counts_as_open_so_next_opening_is_tomorrows():
    assert next_opening_after(STORE, ny(2026, 6, 17, 8)) == ny(2026, 6, 18, 8)
    assert next_opening_after(STORE, ny(2026, 6, 17, 7, 59)) == ny(2026, 6, 17, 8)


# --- Special closures ------------------------------------------------------------


def test_a_one_day_closure_on_wednesday_shows_its_reason_and_reopens_thursday():
    retreat = SpecialHours(date(2026, 6, 17), date(2026, 6, 17), "Staff retreat")
    schedule = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(retreat,))

    status = status_at(schedule, ny(2026, 6, 17, 12))
    assert not status.is_open
    assert status.closed_today
    assert status.closure_reason == "Staff retreat"
    assert status.message == "Closed today (Staff retreat) — opens Thursday at 8am"
    assert status.next_opening == ny(2026, 6, 18, 8)
    assert hours_on(schedule, date(2026, 6, 17)) is None
    assert closure_on(schedule, date(2026, 6, 17)) == retreat


def test_a_closure_without_a_reason_reads_like_a_weekly_closed_day():
    schedule = Schedule(
        week=DEFAULT_WEEK,
        timezone=NEW_YORK,
        special_hours=(SpecialHours(date(2026, 6, 17), date(2026, 6, 17)),),
    )
    status = status_at(schedule, ny(2026, 6, 17, 12))
    assert status.closure_reason == ""
    assert status.message == "Closed today — opens Thursday at 8am"


def test_a_closure_spanning_a_monday_reopens_the_day_after_it_ends():
    # Saturday 20 June through Tuesday 23 June; Monday is closed anyway.
    inventory = SpecialHours(date(2026, 6, 20), date(2026, 6, 23), "Inventory")
    schedule = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(inventory,))

    on_monday = status_at(schedule, ny(2026, 6, 22, 10))
    assert on_monday.closed_today
    assert on_monday.closure_reason == "Inventory"
    assert on_monday.message == "Closed today (Inventory) — opens Wednesday at 8am"
    assert on_monday.next_opening == ny(2026, 6, 24, 8)

    friday_night = status_at(schedule, ny(2026, 6, 19, 22))
    assert friday_night.message == "Closed for the night — opens Wednesday 8am"


def test_a_reopening_more_than_six_days_away_names_the_date():
    holidays = SpecialHours(date(2026, 12, 21), date(2026, 12, 29), "Holidays")
    schedule = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(holidays,))

    sunday_night = status_at(schedule, ny(2026, 12, 20, 21, 30))
    assert sunday_night.message == "Closed for the night — opens Wednesday, Dec 30 8am"

    first_day = status_at(schedule, ny(2026, 12, 21, 9))
    assert first_day.message == "Closed today (Holidays) — opens Wednesday, Dec 30 at 8am"


def test_with_no_opening_within_a_year_the_store_is_closed_until_further_notice():
    renovation = SpecialHours(date(2026, 6, 1), date(2027, 12, 31), "Renovation")
    schedule = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(renovation,))

    status = status_at(schedule, ny(2026, 6, 17, 12))
    assert not status.is_open
    assert status.closed_today
    assert status.next_opening is None
    assert status.message == "Closed (Renovation) until further notice"


def test_a_week_with_no_open_days_is_closed_until_further_notice():
    schedule = Schedule(week=(None,) * 7, timezone=NEW_YORK)
    status = status_at(schedule, ny(2026, 6, 17, 12))
    assert status.message == "Closed until further notice"
    assert next_opening_after(schedule, ny(2026, 6, 17, 12)) is None


# --- Daylight saving: 8am stays 8am on the store's wall clock ------------------------


def test_spring_forward_sunday_opens_at_8am_daylight_time():
    # 2026-03-08: clocks jump from 2am to 3am in New York.
    at_eight = status_at(STORE, ny(2026, 3, 8, 8))
    assert at_eight.is_open
    assert at_eight.closes_at.hour == 21
    assert utc_offset_hours(at_eight.closes_at) == -4

    late = status_at(STORE, ny(2026, 3, 8, 20, 59))
    assert late.is_open
    assert late.message == "Open now until 9pm"


def test_saturday_night_before_spring_forward_points_at_8am_edt():
    status = status_at(STORE, ny(2026, 3, 7, 22))
    assert utc_offset_hours(ny(2026, 3, 7, 22)) == -5
    assert status.message == "Closed for the night — opens Sunday 8am"
    assert status.next_opening.hour == 8
    assert utc_offset_hours(status.next_opening) == -4
    assert status.next_opening == datetime(2026, 3, 8, 12, tzinfo=UTC)


def test_fall_back_sunday_opens_at_8am_standard_time():
    # 2026-11-01: clocks fall back from 2am to 1am in New York.
    at_eight = status_at(STORE, ny(2026, 11, 1, 8))
    assert at_eight.is_open
    assert at_eight.closes_at.hour == 21
    assert utc_offset_hours(at_eight.closes_at) == -5

    late = status_at(STORE, ny(2026, 11, 1, 20, 59))
    assert late.is_open
    assert late.message == "Open now until 9pm"


def test_saturday_night_before_fall_back_points_at_8am_est():
    status = status_at(STORE, ny(2026, 10, 31, 22))
    assert utc_offset_hours(ny(2026, 10, 31, 22)) == -4
    assert status.next_opening.hour == 8
    assert utc_offset_hours(status.next_opening) == -5
    assert status.next_opening == datetime(2026, 11, 1, 13, tzinfo=UTC)


def test_8am_edt_given_in_utc_is_open_and_7am_is_not():
    # Just after spring forward, 8am in New York is 12:00 UTC, not 13:00.
    assert is_open_at(STORE, datetime(2026, 3, 8, 12, tzinfo=UTC))
    assert not is_open_at(STORE, datetime(2026, 3, 8, 11, 59, tzinfo=UTC))


# --- Time zones of the caller and of the server --------------------------------------


@pytest.mark.parametrize(
    "new_york_moment",
    [
        ny(2026, 6, 17, 12),
        ny(2026, 6, 17, 21),
        ny(2026, 6, 15, 23, 30),
        ny(2026, 3, 8, 8),
    ],
)
def test_the_same_instant_in_utc_or_tokyo_gives_the_same_status(new_york_moment):
    expected = status_at(STORE, new_york_moment)
    assert status_at(STORE, new_york_moment.astimezone(UTC)) == expected
    assert status_at(STORE, new_york_moment.astimezone(TOKYO)) == expected


def test_a_tokyo_evening_is_still_new_york_morning():
    # 21:30 Wednesday in Tokyo is 08:30 Wednesday in New York (summer time).
    status = status_at(STORE, datetime(2026, 6, 17, 21, 30, tzinfo=TOKYO))
    assert status.is_open
    assert status.closes_at == ny(2026, 6, 17, 21)


def test_a_server_running_on_tokyo_time_gives_the_same_answers(monkeypatch):
    moments = [
        ny(2026, 6, 15, 12),
        ny(2026, 6, 17, 7),
        ny(2026, 6, 17, 12),
        ny(2026, 11, 1, 8),
    ]
    expected = [status_at(STORE, m) for m in moments]

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    process_clock.tzset()
    try:
        assert [status_at(STORE, m) for m in moments] == expected
    finally:
        monkeypatch.undo()
        process_clock.tzset()


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        status_at(STORE, datetime(2026, 6, 17, 12))
    with pytest.raises(ValueError):
        is_open_at(STORE, datetime(2026, 6, 17, 12))
    with pytest.raises(ValueError):
        next_opening_after(STORE, datetime(2026, 6, 17, 12))


# --- Formatting ------------------------------------------------------------------


@pytest.mark.parametrize(
    "clock, text",
    [
        (time(8), "8am"),
        (time(21), "9pm"),
        (time(8, 30), "8:30am"),
        (time(12), "12pm"),
        (time(0), "12am"),
        (time(12, 5), "12:05pm"),
        (time(23, 45), "11:45pm"),
    ],
)
def test_format_time(clock, text):
    assert format_time(clock) == text


def test_week_summary_for_the_usual_week():
    assert week_summary(DEFAULT_WEEK) == "Tue thru Sun 8am – 9pm · Closed Monday"


def test_week_summary_groups_runs_of_identical_hours():
    weekday = DayHours(time(8), time(21))
    weekend = DayHours(time(10), time(18))
    week = (None, weekday, weekday, weekday, weekday, weekend, weekend)
    assert week_summary(week) == "Tue thru Fri 8am – 9pm · Sat, Sun 10am – 6pm · Closed Monday"


def test_week_summary_with_a_single_day_run_and_two_closed_days():
    usual = DayHours(time(8), time(21))
    late = DayHours(time(8), time(23, 30))
    week = (usual, usual, usual, None, late, usual, None)
    assert week_summary(week) == (
        "Mon thru Wed 8am – 9pm · Fri 8am – 11:30pm · Sat 8am – 9pm · Closed Thursday, Sunday"
    )


def test_week_summary_when_never_open():
    assert week_summary((None,) * 7) == "Closed"


# --- The hours page ------------------------------------------------------------------


def test_week_table_lists_seven_days_starting_today():
    retreat = SpecialHours(date(2026, 6, 18), date(2026, 6, 18), "Staff retreat")
    schedule = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(retreat,))

    rows = week_table(schedule, date(2026, 6, 17))

    assert len(rows) == 7
    assert [row[0] for row in rows] == [date(2026, 6, 17) + timedelta(days=i) for i in range(7)]
    assert [row[1] for row in rows] == [
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Monday",
        "Tuesday",
    ]
    wednesday, thursday, *_, monday, _ = rows
    assert wednesday[2] == DayHours(time(8), time(21)) and wednesday[3] is None
    assert thursday[2] is None and thursday[3] == retreat
    assert monday[2] is None and monday[3] is None


def test_upcoming_exceptions_skip_past_ones_and_sort_by_start():
    past = SpecialHours(date(2026, 1, 1), date(2026, 1, 2), "New Year")
    ongoing = SpecialHours(date(2026, 6, 10), date(2026, 6, 17), "Flood repairs")
    later = SpecialHours(date(2026, 12, 24), date(2026, 12, 26), "Holidays")
    sooner = SpecialHours(date(2026, 7, 4), date(2026, 7, 4), "Independence Day")
    schedule = Schedule(
        week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=(later, past, ongoing, sooner)
    )

    assert upcoming_special_hours(schedule, date(2026, 6, 17)) == [ongoing, sooner, later]
    assert upcoming_special_hours(schedule, date(2027, 1, 1)) == []


def test_weekday_names_match_date_weekday():
    assert WEEKDAY_NAMES[date(2026, 6, 15).weekday()] == "Monday"
    assert len(WEEKDAY_NAMES) == 7


def test_invalid_hours_and_closures_are_rejected():
    with pytest.raises(ValueError):
        DayHours(time(21), time(8))
    with pytest.raises(ValueError):
        SpecialHours(date(2026, 6, 18), date(2026, 6, 17))
    with pytest.raises(ValueError):
        Schedule(week=DEFAULT_WEEK[:6], timezone=NEW_YORK)
    with pytest.raises(ValueError):
        Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, notes=("",) * 6)


# --- Changed hours on a date: Christmas Eve 2026 is a Thursday -----------------------------

SHORT_DAY = DayHours(time(10), time(16))
CHRISTMAS_EVE = SpecialHours(date(2026, 12, 24), date(2026, 12, 24), "Christmas Eve", SHORT_DAY)


def with_special_hours(*special_hours, notes=("",) * 7):
    return Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK, special_hours=special_hours, notes=notes)


def test_changed_hours_replace_the_usual_ones_that_day_only():
    schedule = with_special_hours(CHRISTMAS_EVE)

    assert hours_on(schedule, date(2026, 12, 24)) == SHORT_DAY
    assert hours_on(schedule, date(2026, 12, 23)) == DayHours(time(8), time(21))
    assert special_hours_on(schedule, date(2026, 12, 24)) == CHRISTMAS_EVE
    # Changed hours are not a closure: whatever names closures (the pickup wording) skips them.
    assert closure_on(schedule, date(2026, 12, 24)) is None
    assert not CHRISTMAS_EVE.is_closed


def test_on_a_changed_hours_day_the_banner_gives_the_hours_and_the_reason():
    schedule = with_special_hours(CHRISTMAS_EVE)

    early = status_at(schedule, ny(2026, 12, 24, 8, 30))
    assert not early.is_open and not early.closed_today
    assert early.message == "Opens today at 10am (Christmas Eve)"
    assert early.next_opening == ny(2026, 12, 24, 10)

    midday = status_at(schedule, ny(2026, 12, 24, 12))
    assert midday.is_open
    assert midday.message == "Open now until 4pm (Christmas Eve)"
    assert midday.closes_at == ny(2026, 12, 24, 16)

    evening = status_at(schedule, ny(2026, 12, 24, 17))
    assert not evening.is_open and not evening.closed_today
    assert evening.message == "Closed for the night — opens Friday 8am"


def test_the_night_before_changed_hours_points_at_the_changed_opening():
    schedule = with_special_hours(CHRISTMAS_EVE)

    status = status_at(schedule, ny(2026, 12, 23, 22))

    assert status.message == "Closed for the night — opens Thursday 10am"
    assert next_opening_after(schedule, ny(2026, 12, 23, 22)) == ny(2026, 12, 24, 10)


def test_changed_hours_can_open_a_usually_closed_monday():
    book_fair = SpecialHours(
        date(2026, 12, 21), date(2026, 12, 21), "Book fair", DayHours(time(12), time(18))
    )
    schedule = with_special_hours(book_fair)

    assert status_at(schedule, ny(2026, 12, 21, 13)).message == "Open now until 6pm (Book fair)"
    sunday_night = status_at(schedule, ny(2026, 12, 20, 22))
    assert sunday_night.message == "Closed for the night — opens Monday 12pm"


def test_changed_hours_over_a_range_apply_to_every_day_of_it():
    summer = SpecialHours(
        date(2026, 7, 1), date(2026, 7, 31), "Summer hours", DayHours(time(9), time(17, 30))
    )
    schedule = with_special_hours(summer)

    assert status_at(schedule, ny(2026, 7, 15, 17)).message == (
        "Open now until 5:30pm (Summer hours)"
    )
    # Changed hours apply on a usually closed Monday too: the special hours say so.
    assert is_open_at(schedule, ny(2026, 7, 20, 10))
    assert not is_open_at(schedule, ny(2026, 8, 3, 10))


def test_changed_hours_without_a_reason_say_only_the_hours():
    quiet = SpecialHours(date(2026, 12, 24), date(2026, 12, 24), "", SHORT_DAY)

    assert (
        status_at(with_special_hours(quiet), ny(2026, 12, 24, 12)).message == "Open now until 4pm"
    )
    assert special_hours_in_words(quiet) == "Open 10am – 4pm"


def test_exceptions_in_words():
    thanksgiving = SpecialHours(date(2026, 11, 26), date(2026, 11, 27), "Thanksgiving")

    assert CHRISTMAS_EVE.in_words == "Open 10am – 4pm: Christmas Eve"
    assert thanksgiving.in_words == "Closed: Thanksgiving"
    assert SpecialHours(date(2026, 11, 26), date(2026, 11, 26)).in_words == "Closed"
    assert CHRISTMAS_EVE.days_in_words == "Dec 24, 2026"
    assert thanksgiving.days_in_words == "Nov 26, 2026 to Nov 27, 2026"
    assert format_date(date(2027, 1, 5)) == "Jan 5, 2027"
    assert format_day_range(date(2026, 12, 31), date(2027, 1, 1)) == "Dec 31, 2026 to Jan 1, 2027"


# --- Changed hours across daylight saving ----------------------------------------------------


def test_changed_hours_on_the_spring_forward_sunday_keep_their_wall_clock_times():
    # 2026-03-08: 2am becomes 3am. Open noon to 5pm, daylight time, for a reading.
    reading = SpecialHours(
        date(2026, 3, 8), date(2026, 3, 8), "Reading", DayHours(time(12), time(17))
    )
    schedule = with_special_hours(reading)

    saturday_night = status_at(schedule, ny(2026, 3, 7, 22))
    assert saturday_night.message == "Closed for the night — opens Sunday 12pm"
    assert saturday_night.next_opening == datetime(2026, 3, 8, 16, tzinfo=UTC)

    open_status = status_at(schedule, datetime(2026, 3, 8, 16, 30, tzinfo=UTC))
    assert open_status.message == "Open now until 5pm (Reading)"
    assert open_status.closes_at == datetime(2026, 3, 8, 21, tzinfo=UTC)
    assert not is_open_at(schedule, datetime(2026, 3, 8, 15, 59, tzinfo=UTC))


def test_changed_hours_on_the_fall_back_sunday_keep_their_wall_clock_times():
    # 2026-11-01: 2am becomes 1am again. Open 1am to 3am would be ambiguous; 10am to 1pm isn't.
    short = SpecialHours(
        date(2026, 11, 1), date(2026, 11, 1), "Marathon", DayHours(time(10), time(13))
    )
    schedule = with_special_hours(short)

    status = status_at(schedule, datetime(2026, 11, 1, 17, 30, tzinfo=UTC))
    assert status.is_open
    assert status.message == "Open now until 1pm (Marathon)"
    assert status.closes_at == datetime(2026, 11, 1, 18, tzinfo=UTC)
    assert utc_offset_hours(status.closes_at) == -5
    assert not is_open_at(schedule, datetime(2026, 11, 1, 18, tzinfo=UTC))


# --- Changed hours and notes on the hours page --------------------------------------------------


def test_week_table_gives_changed_hours_with_their_reason_and_usual_days_their_note():
    notes = ("", "", "", "Kitchen closes at 8pm", "", "", "")
    schedule = with_special_hours(CHRISTMAS_EVE, notes=notes)

    rows = week_table(schedule, date(2026, 12, 16))

    wednesday, thursday = rows[0], rows[1]
    assert (thursday.hours, thursday.note, thursday.in_words) == (
        DayHours(time(8), time(21)),
        "Kitchen closes at 8pm",
        "8am – 9pm",
    )
    assert wednesday.in_words == "8am – 9pm" and wednesday.note == ""
    christmas_eve = week_table(schedule, date(2026, 12, 24))[0]
    assert christmas_eve.hours == SHORT_DAY
    assert christmas_eve.special_hours == CHRISTMAS_EVE
    # The note is about the usual Thursday, which the special hours replace.
    assert christmas_eve.note == ""
    assert christmas_eve.in_words == "Open 10am – 4pm: Christmas Eve"
    monday = week_table(schedule, date(2026, 12, 21))[0]
    assert monday.in_words == "Closed"


def test_upcoming_exceptions_list_closures_and_changed_hours():
    christmas = SpecialHours(date(2026, 12, 25), date(2026, 12, 26), "Christmas")
    past = SpecialHours(date(2026, 12, 1), date(2026, 12, 1), "Inventory", SHORT_DAY)
    schedule = with_special_hours(christmas, past, CHRISTMAS_EVE)

    assert upcoming_special_hours(schedule, date(2026, 12, 10)) == [CHRISTMAS_EVE, christmas]


def test_usual_week_is_monday_to_sunday_with_notes_whatever_the_exceptions():
    notes = ("Deliveries", "", "", "", "", "", "")
    schedule = with_special_hours(CHRISTMAS_EVE, notes=notes)

    week = usual_week(schedule)

    assert [day.name for day in week] == list(WEEKDAY_NAMES)
    assert (week[0].in_words, week[0].note) == ("Closed", "Deliveries")
    assert week[3].in_words == "8am – 9pm"

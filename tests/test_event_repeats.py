"""Events that repeat (firestorm/events/series.py, planning.py): weekly, or monthly on a
weekday ("the second Tuesday", "the last Friday") until a day, at the same wall-clock time at
the shop across month ends and both daylight-saving changes; each rule refused in words naming
its field; a date cancelled or moved on its own; the lists and the cache's moments following
each date. The pages: test_event_repeat_pages.py."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from event_helpers import refusal
from sqlalchemy import select

from firestorm.database import db
from firestorm.events import listings, planning, series
from firestorm.events.models import ChangedDate, Event
from firestorm.events.planning import TypedEvent
from firestorm.shop import hours

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
# Tuesday Nov 24, 2026, 3pm at the shop. The default week: closed on Mondays, 8am–9pm else.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK)
SCHEDULE = hours.Schedule(week=hours.DEFAULT_WEEK, timezone=NEW_YORK)
# Dec 8, 2026 is the second Tuesday of December (Dec 1 the first).
SECOND_TUESDAY = date(2026, 12, 8)


def book_club(**changes) -> TypedEvent:
    typed = {
        "title": "Book club",
        "day": SECOND_TUESDAY,
        "starts": time(19),
        "ends": time(21),
        "repeat": series.MONTHLY,
        "repeat_until": date(2027, 6, 30),
    }
    return TypedEvent(**(typed | changes))


@pytest.fixture
def shop(app):
    """Inside the app; what a step changed is rolled back afterwards."""
    with app.app_context():
        yield
        db.session.rollback()


def at_shop(dates, zone=NEW_YORK) -> list[str]:
    return [shown.starts_at.astimezone(zone).strftime("%a %Y-%m-%d %H:%M") for shown in dates]


def test_the_second_tuesday_of_each_month_stays_at_7pm_across_month_ends_and_the_march_change(
    shop,
):
    event = planning.add_event(book_club(), SCHEDULE, NOW)
    dates = series.event_dates(event, NEW_YORK)

    assert at_shop(dates) == [
        "Tue 2026-12-08 19:00",
        "Tue 2027-01-12 19:00",
        "Tue 2027-02-09 19:00",
        "Tue 2027-03-09 19:00",
        "Tue 2027-04-13 19:00",
        "Tue 2027-05-11 19:00",
        "Tue 2027-06-08 19:00",
    ]
    # 7pm is midnight UTC in winter (EST) and 11pm UTC from March 14 (EDT).
    assert [shown.starts_at.astimezone(UTC).hour for shown in dates] == [0, 0, 0, 0, 23, 23, 23]
    assert all(shown.ends_at - shown.starts_at == timedelta(hours=2) for shown in dates)
    assert series.repeat_in_words(event.repeat, SECOND_TUESDAY, event.repeat_until) == (
        "Every second Tuesday of the month until Jun 30, 2027"
    )


@pytest.mark.parametrize(
    ("first_day", "until", "utc_hours", "hours_between"),
    [
        # Sundays round the March change (Mar 14, 2027, 2am): EST, then EDT.
        (date(2027, 3, 7), date(2027, 3, 21), [0, 23, 23], [167, 168]),
        # Sundays round the November change (Nov 7, 2027, 2am): EDT, then EST.
        (date(2027, 10, 31), date(2027, 11, 14), [23, 0, 0], [169, 168]),
    ],
)
def test_a_weekly_event_stays_at_7pm_across_both_daylight_saving_changes(
    shop, first_day, until, utc_hours, hours_between
):
    typed = book_club(day=first_day, repeat=series.WEEKLY, repeat_until=until)
    dates = series.event_dates(planning.add_event(typed, SCHEDULE, NOW), NEW_YORK)

    assert [shown.starts_at.astimezone(NEW_YORK).time() for shown in dates] == [time(19)] * 3
    assert [shown.ends_at.astimezone(NEW_YORK).time() for shown in dates] == [time(21)] * 3
    assert [shown.starts_at.astimezone(UTC).hour for shown in dates] == utc_hours
    # A week across a change is an hour shorter or longer than 168 hours.
    gaps = [later.starts_at - earlier.starts_at for earlier, later in itertools.pairwise(dates)]
    assert gaps == [timedelta(hours=n) for n in hours_between]


def test_a_weekly_event_in_a_european_zone_follows_its_october_change():
    starts = datetime(2027, 10, 24, 19, tzinfo=LONDON).astimezone(UTC)
    got = series.series_starts(series.WEEKLY, starts, date(2027, 11, 7), LONDON)

    assert [moment.astimezone(LONDON).hour for moment in got] == [19, 19, 19]
    # BST (UTC+1) until Oct 31, 2027, then GMT.
    assert [moment.hour for moment in got] == [18, 19, 19]


def test_the_last_friday_of_each_month_falls_on_the_month_end_weeks(shop):
    typed = book_club(
        day=date(2026, 12, 25), repeat=series.MONTHLY_LAST, repeat_until=date(2027, 4, 30)
    )
    event = planning.add_event(typed, SCHEDULE, NOW)

    assert at_shop(series.event_dates(event, NEW_YORK)) == [
        "Fri 2026-12-25 19:00",
        "Fri 2027-01-29 19:00",
        "Fri 2027-02-26 19:00",
        "Fri 2027-03-26 19:00",
        "Fri 2027-04-30 19:00",
    ]
    assert series.repeat_in_words(event.repeat, date(2026, 12, 25), None) == (
        "Every last Friday of the month"
    )


def test_a_repeat_is_kept_with_its_event(shop):
    planning.add_event(book_club(), SCHEDULE, NOW)
    db.session.commit()

    (kept,) = db.session.scalars(select(Event))
    assert (kept.repeat, kept.repeat_until) == (series.MONTHLY, date(2027, 6, 30))
    assert kept.starts_at == datetime(2026, 12, 9, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"repeat_until": None}, "repeat_until", "A repeat needs an end"),
        (
            {"repeat_until": date(2026, 12, 1)},
            "repeat_until",
            "The repeat ends before its first date: give a last day after Dec 8, 2026.",
        ),
        (
            {"repeat_until": date(2029, 1, 1)},
            "repeat_until",
            "A series runs two years at most: give a last day by Dec 8, 2028",
        ),
        ({"repeat": "daily"}, "repeat", "Choose how it repeats from the list."),
        (
            {"day": date(2026, 12, 29)},
            "repeat",
            "Dec 29, 2026 is the fifth Tuesday of its month, which most months don't have",
        ),
        (
            {"repeat": series.MONTHLY_LAST},
            "repeat",
            "Dec 8, 2026 is not the last Tuesday of its month",
        ),
        ({"day": date(2026, 11, 17)}, "day", "That is in the past"),
        ({"ends": time(18)}, "ends", "The end is before the start"),
    ],
)
def test_each_repeat_rule_is_refused_in_words_naming_its_field(shop, changes, field, words):
    got_field, message = refusal(lambda: planning.add_event(book_club(**changes), SCHEDULE, NOW))

    assert (got_field, words in message) == (field, True), message
    assert db.session.scalars(select(Event)).all() == []


def test_a_series_on_a_day_the_shop_is_closed_is_refused_naming_the_first_such_date(shop):
    closed = hours.SpecialHours(date(2027, 3, 9), date(2027, 3, 9), "Stocktaking")
    schedule = hours.Schedule(hours.DEFAULT_WEEK, NEW_YORK, special_hours=(closed,))

    field, message = refusal(lambda: planning.add_event(book_club(), schedule, NOW))

    assert field == "day"
    assert "The shop is closed: Stocktaking (Mar 9, 2027)" in message
    assert "We open for it" in message
    event = planning.add_event(book_club(opens_specially=True), schedule, NOW)
    assert len(series.event_dates(event, NEW_YORK)) == 7


def test_the_number_of_dates_is_bounded_whatever_is_asked(shop):
    far = series.series_starts(series.WEEKLY, NOW.astimezone(UTC), date(9999, 12, 31), NEW_YORK)
    assert len(far) == series.MOST_DATES + 1
    # Two years of weeks is under the cap: the cap only ever meets the two years first.
    two_years = book_club(repeat=series.WEEKLY, repeat_until=SECOND_TUESDAY + timedelta(730))
    event = planning.add_event(two_years, SCHEDULE, NOW)
    assert len(series.event_dates(event, NEW_YORK)) == 105


def test_one_date_cancelled_is_kept_struck_and_leaves_the_next_three(shop):
    event = planning.add_event(book_club(), SCHEDULE, NOW)
    january = series.date_on(event, date(2027, 1, 12), NEW_YORK)
    planning.cancel_date(january, NOW)
    db.session.commit()

    coming = listings.coming_events(NOW, 1, 20, NEW_YORK).items
    assert [(shown.title, shown.is_cancelled) for shown in coming[:3]] == [
        ("Book club", False),
        ("Book club", True),
        ("Book club", False),
    ]
    assert at_shop(listings.next_events(NOW, 3, NEW_YORK)) == [
        "Tue 2026-12-08 19:00",
        "Tue 2027-02-09 19:00",
        "Tue 2027-03-09 19:00",
    ]
    (change,) = db.session.scalars(select(ChangedDate))
    assert (change.series_starts_at, change.cancelled_at, change.starts_at) == (
        datetime(2027, 1, 13, 0, 0, tzinfo=UTC),
        NOW,
        None,
    )


def test_one_date_moved_keeps_its_name_and_is_listed_at_its_new_time(shop):
    event = planning.add_event(book_club(), SCHEDULE, NOW)
    january = series.date_on(event, date(2027, 1, 12), NEW_YORK)
    planning.move_date(january, date(2027, 1, 14), time(18), time(20), SCHEDULE, NOW)
    db.session.commit()

    dates = series.event_dates(event, NEW_YORK)
    assert at_shop(dates)[:3] == [
        "Tue 2026-12-08 19:00",
        "Thu 2027-01-14 18:00",
        "Tue 2027-02-09 19:00",
    ]
    assert dates[1].moved and dates[1].series_starts_at == datetime(2027, 1, 13, tzinfo=UTC)
    # Still found by the day the series gives it.
    assert series.date_on(event, date(2027, 1, 12), NEW_YORK).moved


@pytest.mark.parametrize(
    ("day", "starts", "ends", "field", "words"),
    [
        (None, time(19), time(21), "day", "Give the day"),
        (date(2027, 1, 14), None, time(21), "starts", "Give the time it starts"),
        (date(2027, 1, 14), time(19), time(18), "ends", "The end is before the start"),
        (date(2026, 11, 20), time(19), time(21), "day", "That is in the past"),
        (date(2027, 7, 1), time(19), time(21), "day", "The series ends on Jun 30, 2027"),
        (date(2027, 1, 11), time(19), time(21), "day", "The shop is closed on Mondays"),
    ],
)
def test_a_move_is_refused_in_words_naming_its_field(shop, day, starts, ends, field, words):
    event = planning.add_event(book_club(), SCHEDULE, NOW)
    db.session.commit()
    january = series.date_on(event, date(2027, 1, 12), NEW_YORK)

    got_field, message = refusal(
        lambda: planning.move_date(january, day, starts, ends, SCHEDULE, NOW)
    )

    assert (got_field, words in message) == (field, True), message
    assert db.session.scalars(select(ChangedDate)).all() == []


def test_a_date_that_has_started_can_no_longer_be_cancelled_or_moved(shop):
    event = planning.add_event(book_club(), SCHEDULE, NOW)
    db.session.commit()
    first = series.date_on(event, SECOND_TUESDAY, NEW_YORK)
    later = datetime(2026, 12, 8, 19, 30, tzinfo=NEW_YORK)

    assert refusal(lambda: planning.cancel_date(first, later))[1] == (
        "That date has started: it can no longer be cancelled."
    )
    assert (
        "can no longer be moved"
        in refusal(
            lambda: planning.move_date(
                first, date(2027, 1, 14), time(18), time(20), SCHEDULE, later
            )
        )[1]
    )


def test_a_change_to_the_series_drops_the_changes_of_dates_it_no_longer_has(shop):
    event = planning.add_event(book_club(), SCHEDULE, NOW)
    planning.cancel_date(series.date_on(event, date(2027, 1, 12), NEW_YORK), NOW)
    planning.cancel_date(series.date_on(event, date(2027, 5, 11), NEW_YORK), NOW)

    planning.change_event(event, book_club(repeat_until=date(2027, 3, 31)), SCHEDULE, NOW)
    db.session.commit()

    kept = db.session.scalars(select(ChangedDate.series_starts_at)).all()
    assert kept == [datetime(2027, 1, 13, tzinfo=UTC)]


def test_a_series_is_coming_until_its_last_date_ends_and_its_moments_follow_each_date(shop):
    event = planning.add_event(
        book_club(repeat=series.WEEKLY, repeat_until=date(2026, 12, 22)), SCHEDULE, NOW
    )
    planning.cancel_date(series.date_on(event, date(2026, 12, 15), NEW_YORK), NOW)
    db.session.commit()

    moments = listings.moments_after(NOW, NEW_YORK)
    assert [moment.astimezone(NEW_YORK).strftime("%d %H") for moment in moments] == [
        "08 19",
        "08 21",
        "15 19",
        "15 21",
        "22 19",
        "22 21",
    ]
    desk = listings.desk_events(datetime(2026, 12, 20, tzinfo=NEW_YORK), 1, 10).items
    assert desk == [event], "still on after its first date"
    last_end = datetime(2026, 12, 22, 21, tzinfo=NEW_YORK)
    assert listings.coming_events(last_end, 1, 10, NEW_YORK).items == []
    past = listings.past_events(last_end, 1, 10, NEW_YORK).items
    assert at_shop(past) == [
        "Tue 2026-12-22 19:00",
        "Tue 2026-12-15 19:00",
        "Tue 2026-12-08 19:00",
    ]


def test_deleting_a_series_deletes_its_changed_dates(shop):
    event = planning.add_event(book_club(), SCHEDULE, NOW)
    planning.cancel_date(series.date_on(event, date(2027, 1, 12), NEW_YORK), NOW)
    db.session.commit()

    planning.delete_event(event)
    db.session.commit()

    assert db.session.scalars(select(ChangedDate)).all() == []

"""Events as iCalendar files: /events.ics (every coming event) and /events/<id>.ics (the event
page's "Add to calendar"), parsed back with the icalendar library and read field by field: a
UID that stays, the shop's TZID with its VTIMEZONE, an RRULE for a series that gives the same
dates as the site, a cancelled or moved date as an override (RECURRENCE-ID), and
STATUS:CANCELLED for a cancelled event."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil import rrule
from review_helpers import not_found_page, page_text, token_of

from firestorm.database import db
from firestorm.events import planning, series
from firestorm.events.models import Event
from firestorm.shop.schedule import load_schedule

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK)
HOST = "books.example.org"


@pytest.fixture
def add_event(app):
    """add_event(title, day, cancel_on=(), move=None, made_at=NOW, **typed): an event at
    7pm–9pm as the desk adds it; for a series, days cancelled and one date moved ((series day,
    new day), 6pm–8pm); its id."""

    def add_event(title, day, cancel_on=(), move=None, made_at=NOW, **typed) -> int:
        with app.app_context():
            schedule = load_schedule(made_at.date(), NEW_YORK)
            event = planning.add_event(
                planning.TypedEvent(title, day, time(19), time(21), **typed), schedule, made_at
            )
            for cancelled in cancel_on:
                planning.cancel_date(series.date_on(event, cancelled, NEW_YORK), made_at)
            if move:
                moved = series.date_on(event, move[0], NEW_YORK)
                planning.move_date(moved, move[1], time(18), time(20), schedule, made_at)
            db.session.commit()
            return event.id

    return add_event


@pytest.fixture
def book_club(add_event, clock):
    """The second Tuesday of each month to June 2027, January's cancelled, February's moved
    to the Thursday; the site's clock at NOW."""
    clock(NOW)
    return add_event(
        "Book club",
        date(2026, 12, 8),
        repeat="monthly",
        repeat_until=date(2027, 6, 30),
        cancel_on=[date(2027, 1, 12)],
        move=(date(2027, 2, 9), date(2027, 2, 11)),
        description="This month: *Parable of the Sower*.",
    )


def calendar_at(client, path) -> icalendar.Calendar:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.data)


def events_in(calendar) -> list:
    return list(calendar.walk("VEVENT"))


def at_shop(year, month, day, hour) -> datetime:
    return datetime(year, month, day, hour, tzinfo=NEW_YORK)


def test_a_series_file_has_its_rule_its_zone_and_its_changed_dates(client, book_club):
    calendar = calendar_at(client, f"/events/{book_club}.ics")

    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH"
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "America/New_York"
    # It defines both offsets the series meets: EST in winter, EDT from March 14, 2027.
    defined = zone.to_tz()
    assert defined.utcoffset(datetime(2027, 1, 12, 19)) == timedelta(hours=-5)
    assert defined.utcoffset(datetime(2027, 4, 13, 19)) == timedelta(hours=-4)
    main, cancelled, moved = events_in(calendar)
    uid = f"event-{book_club}@{HOST}"

    assert main["UID"] == cancelled["UID"] == moved["UID"] == uid
    assert main["SUMMARY"] == "Book club"
    assert main["DTSTART"].params["TZID"] == "America/New_York"
    assert main["DTSTART"].dt == at_shop(2026, 12, 8, 19)
    assert main["DTEND"].dt == at_shop(2026, 12, 8, 21)
    assert main["STATUS"] == "CONFIRMED"
    assert main["LOCATION"] == "Firestorm Cafe & Books, 610 Haywood Rd, Asheville NC"
    assert main["URL"] == f"https://{HOST}/events/{book_club}"
    assert "Parable of the Sower" in main["DESCRIPTION"]
    rule = main["RRULE"]
    assert (rule["FREQ"], rule["BYDAY"]) == (["MONTHLY"], ["2TU"])
    # The end of Jun 30 at the shop, in UTC as the RFC asks.
    assert rule["UNTIL"] == [datetime(2027, 7, 1, 3, 59, 59, tzinfo=UTC)]
    assert "EXDATE" not in main, "no date is removed outright"

    assert cancelled["RECURRENCE-ID"].dt == at_shop(2027, 1, 12, 19)
    assert cancelled["RECURRENCE-ID"].params["TZID"] == "America/New_York"
    assert cancelled["STATUS"] == "CANCELLED"
    assert moved["RECURRENCE-ID"].dt == at_shop(2027, 2, 9, 19)
    assert (moved["DTSTART"].dt, moved["DTEND"].dt) == (
        at_shop(2027, 2, 11, 18),
        at_shop(2027, 2, 11, 20),
    )
    assert moved["STATUS"] == "CONFIRMED"


def test_the_rule_gives_the_same_dates_as_the_site_across_the_march_change(app, client, book_club):
    main = events_in(calendar_at(client, f"/events/{book_club}.ics"))[0]

    # As a calendar reads it: the rule at the wall-clock time of DTSTART's zone.
    expanded = rrule.rrulestr(main["RRULE"].to_ical().decode(), dtstart=main["DTSTART"].dt)
    with app.app_context():
        event = db.session.get(Event, book_club)
        site = [shown.series_starts_at for shown in series.event_dates(event, NEW_YORK)]
    from_file = [local.astimezone(UTC) for local in expanded]
    assert from_file == site
    assert [moment.hour for moment in from_file] == [0, 0, 0, 0, 23, 23, 23]


@pytest.mark.parametrize(
    ("first_day", "repeat", "by_day"),
    [(date(2026, 12, 1), "weekly", None), (date(2026, 12, 25), "monthly_last", ["-1FR"])],
)
def test_weekly_and_last_friday_rules(client, clock, add_event, first_day, repeat, by_day):
    clock(NOW)
    event_id = add_event("Series", first_day, repeat=repeat, repeat_until=date(2027, 3, 31))

    (main,) = events_in(calendar_at(client, f"/events/{event_id}.ics"))

    assert main["RRULE"]["FREQ"] == ["WEEKLY" if repeat == "weekly" else "MONTHLY"]
    assert main["RRULE"].get("BYDAY") == by_day


def test_the_uid_stays_when_the_event_changes(client, app, clock, add_event):
    clock(NOW)
    event_id = add_event("Film night", date(2026, 12, 10))
    before = events_in(calendar_at(client, f"/events/{event_id}.ics"))[0]
    with app.app_context():
        event = planning.get_event(event_id)
        typed = planning.TypedEvent("Film night: Matewan", date(2026, 12, 11), time(18), time(20))
        planning.change_event(event, typed, load_schedule(NOW.date(), NEW_YORK), NOW)
        db.session.commit()

    after = events_in(calendar_at(client, f"/events/{event_id}.ics"))[0]

    assert before["UID"] == after["UID"] == f"event-{event_id}@{HOST}"
    assert after["SUMMARY"] == "Film night: Matewan"
    assert after["DTSTART"].dt == at_shop(2026, 12, 11, 18)
    assert "RRULE" not in after


def test_a_cancelled_single_event_says_so(client, app, clock, add_event):
    clock(NOW)
    event_id = add_event("Film night", date(2026, 12, 10), place="Grail Moviehouse")
    with app.app_context():
        planning.cancel_event(db.session.get(Event, event_id), NOW)
        db.session.commit()

    (shown,) = events_in(calendar_at(client, f"/events/{event_id}.ics"))

    assert shown["STATUS"] == "CANCELLED"
    assert shown["LOCATION"] == "Grail Moviehouse"


def test_the_calendar_of_coming_events_has_each_coming_one_once(
    client, clock, add_event, book_club
):
    reading = add_event("Reading", date(2026, 12, 3))
    add_event("Zine workshop", date(2026, 11, 19), made_at=datetime(2026, 11, 1, tzinfo=UTC))

    calendar = calendar_at(client, "/events.ics")

    uids = [shown["UID"] for shown in events_in(calendar) if "RECURRENCE-ID" not in shown]
    assert uids == [f"event-{reading}@{HOST}", f"event-{book_club}@{HOST}"]
    assert len(calendar.walk("VTIMEZONE")) == 1
    cancelled = [shown for shown in events_in(calendar) if shown.get("STATUS") == "CANCELLED"]
    assert [shown["RECURRENCE-ID"].dt for shown in cancelled] == [at_shop(2027, 1, 12, 19)]


def test_an_empty_calendar_is_still_a_calendar(client, clock):
    clock(NOW)

    calendar = calendar_at(client, "/events.ics")

    assert events_in(calendar) == [] and calendar.walk("VTIMEZONE") == []


@pytest.mark.parametrize("role", [None, "volunteer", "collective"])
def test_everyone_gets_the_files_and_the_page_links_its_own(client, login_as, book_club, role):
    if role:
        login_as(role)

    assert client.get("/events.ics").status_code == 200
    assert client.get(f"/events/{book_club}.ics").status_code == 200
    page = page_text(client.get(f"/events/{book_club}"))
    assert f'<a href="/events/{book_club}.ics" download>Add to calendar</a>' in page


@pytest.mark.parametrize(
    "path", ["/events/999.ics", "/events/abc.ics", "/events/-1.ics", "/events/" + "9" * 40 + ".ics"]
)
def test_a_calendar_of_no_event_is_not_found(client, path):
    not_found_page(client.get(path))


def test_the_calendars_are_read_only(client, book_club):
    for path in ("/events.ics", f"/events/{book_club}.ics"):
        response = client.post(path, data={"csrf_token": token_of(client)})
        assert response.status_code == 405, path

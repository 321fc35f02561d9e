"""Events as iCalendar files (RFC 5545) for people's calendars, written with the icalendar
library: a VEVENT per event with a UID that never changes (so a calendar that follows the
site's updates it rather than adding it twice), its times at the shop's TZID with the
VTIMEZONE that defines it, an RRULE for a series, and a date of a series changed on its own as
an override (RECURRENCE-ID: cancelled, or at its new time). A cancelled event says
STATUS:CANCELLED. The site never removes a date outright (a cancelled one is kept, struck), so
no EXDATE is written. No Flask: the routes pass the addresses and the zone."""

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

from firestorm.events import series
from firestorm.events.models import ChangedDate, Event

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MEDIA_TYPE = "text/calendar; charset=utf-8"


def calendar_file(
    events: Sequence[Event],
    name: str,
    address: str,
    page_url: Callable[[int], str],
    uid_domain: str,
    timezone: ZoneInfo,
) -> bytes:
    """The events as one calendar: `name` is the calendar's, `address` where an event at the
    cafe (no place typed) is, `page_url(id)` each event's page; UIDs end in @`uid_domain`."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{name}//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.key)
    for event in events:
        said = _said_of(event, address, page_url(event.id), uid_domain)
        calendar.add_component(_event(event, said, timezone))
        for change in sorted(event.changed_dates, key=lambda change: change.series_starts_at):
            calendar.add_component(_changed_date(event, change, said, timezone))
    if events:
        # Only the years the events fall in: the zone's whole history would be long to write.
        first, last = _span(events, timezone)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def uid(event: Event, uid_domain: str) -> str:
    """The event's UID: the same in every file, whatever changes about the event."""
    return f"event-{event.id}@{uid_domain}"


def _said_of(event: Event, address: str, url: str, uid_domain: str) -> dict[str, object]:
    """What the event and each of its changed dates say alike."""
    said: dict[str, object] = {
        "uid": uid(event, uid_domain),
        "dtstamp": event.updated_at,
        "summary": event.title,
        "location": event.place or address,
        "url": url,
    }
    if event.description:
        said["description"] = f"{event.description}\n\n{url}"
    return said


def _with(properties: dict[str, object]) -> icalendar.Event:
    shown = icalendar.Event()
    for name, value in properties.items():
        shown.add(name, value)
    return shown


def _event(event: Event, said: dict[str, object], timezone: ZoneInfo) -> icalendar.Event:
    shown = _with(said)
    shown.add("created", event.created_at)
    shown.add("last-modified", event.updated_at)
    shown.add("dtstart", event.starts_at.astimezone(timezone))
    shown.add("dtend", event.ends_at.astimezone(timezone))
    shown.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    rule = _repeat_rule(event, timezone)
    if rule:
        shown.add("rrule", rule)
    return shown


def _repeat_rule(event: Event, timezone: ZoneInfo) -> dict[str, object] | None:
    """The series' rule as RFC 5545 writes it, UNTIL the end of its last day at the shop (in
    UTC, as the RFC asks with a DTSTART in a zone); None for a single date."""
    if not event.repeat or event.repeat_until is None:
        return None
    first_day = event.starts_at.astimezone(timezone).date()
    weekday = WEEKDAY_CODES[first_day.weekday()]
    last_moment = datetime.combine(event.repeat_until, time(23, 59, 59), tzinfo=timezone)
    rule: dict[str, object] = {"until": last_moment.astimezone(UTC)}
    if event.repeat == series.WEEKLY:
        rule["freq"] = "WEEKLY"
    elif event.repeat == series.MONTHLY:
        rule |= {"freq": "MONTHLY", "byday": f"{series.week_of_month(first_day)}{weekday}"}
    else:
        rule |= {"freq": "MONTHLY", "byday": f"-1{weekday}"}
    return rule


def _changed_date(
    event: Event, change: ChangedDate, said: dict[str, object], timezone: ZoneInfo
) -> icalendar.Event:
    """A date of the series as changed: RECURRENCE-ID names it by the start the series gives
    it; cancelled, or at its new time."""
    override = _with(said)
    override.add("recurrence-id", change.series_starts_at.astimezone(timezone))
    series_end = series.at_shop(
        change.series_starts_at.astimezone(timezone).date(),
        event.ends_at.astimezone(timezone).time(),
        timezone,
    )
    starts_at = change.starts_at or change.series_starts_at
    ends_at = change.ends_at or series_end
    override.add("dtstart", starts_at.astimezone(timezone))
    override.add("dtend", ends_at.astimezone(timezone))
    cancelled = change.cancelled_at is not None or event.is_cancelled
    override.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return override


def _span(events: Sequence[Event], timezone: ZoneInfo) -> tuple[date, date]:
    """The days the events fall in, a day either side."""
    first = min(event.starts_at for event in events).astimezone(timezone).date()
    last = max(
        max(
            [
                event.repeat_until or event.ends_at.astimezone(timezone).date(),
                *(
                    change.ends_at.astimezone(timezone).date()
                    for change in event.changed_dates
                    if change.ends_at is not None
                ),
            ]
        )
        for event in events
    )
    return first - timedelta(days=1), last + timedelta(days=1)

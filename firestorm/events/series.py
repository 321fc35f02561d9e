"""The dates of an event: one, or a series' (every week, or every month on a weekday such as
"the second Tuesday" or "the last Friday") computed with dateutil's rrule at the shop's
wall-clock time, so 7pm stays 7pm across a daylight-saving change; each with the changes the
desk made to it one by one (cancelled, moved). Bounded: a series runs at most LONGEST_SERIES
and MOST_DATES dates. No Flask: the callers pass the shop's zone."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil import rrule

from firestorm.events.models import ChangedDate, Event
from firestorm.shop import hours

WEEKLY = "weekly"
MONTHLY = "monthly"
MONTHLY_LAST = "monthly_last"
REPEATS = (WEEKLY, MONTHLY, MONTHLY_LAST)
# Two years of weeks at most: a series longer than that is two events.
LONGEST_SERIES = timedelta(days=731)
MOST_DATES = 110
ORDINALS = ("first", "second", "third", "fourth")


@dataclass(frozen=True)
class EventDate:
    """One date of an event as the pages list it: the event's own for a single one, or a
    series' (`series_starts_at` names it, whether moved or not)."""

    event: Event
    series_starts_at: datetime
    starts_at: datetime
    ends_at: datetime
    date_cancelled: bool = False
    moved: bool = False

    @property
    def is_cancelled(self) -> bool:
        return self.date_cancelled or self.event.is_cancelled

    @property
    def id(self) -> int:
        return self.event.id

    @property
    def title(self) -> str:
        return self.event.title

    @property
    def place(self) -> str:
        return self.event.place

    @property
    def price(self) -> Decimal:
        return self.event.price


def week_of_month(day: date) -> int:
    """1 for a month's first Tuesday (say), 2 for its second, up to 5."""
    return (day.day - 1) // 7 + 1


def is_last_of_month(day: date) -> bool:
    """Whether `day` is the last of its weekday in its month (the last Friday, say)."""
    return (day + timedelta(days=7)).month != day.month


def repeat_in_words(repeat: str, first_day: date, until: date | None) -> str:
    """ "Every Tuesday", "Every second Tuesday of the month", "Every last Friday of the
    month", with " until Jun 30, 2027" when it ends; "" for a single date."""
    weekday = hours.WEEKDAY_NAMES[first_day.weekday()]
    if repeat == WEEKLY:
        words = f"Every {weekday}"
    elif repeat == MONTHLY:
        words = f"Every {ORDINALS[min(week_of_month(first_day), 4) - 1]} {weekday} of the month"
    elif repeat == MONTHLY_LAST:
        words = f"Every last {weekday} of the month"
    else:
        return ""
    return f"{words} until {hours.format_date(until)}" if until else words


def series_starts(
    repeat: str, starts_at: datetime, until: date | None, timezone: ZoneInfo
) -> list[datetime]:
    """The starts (UTC) a series gives its dates, the first one's included: at the same
    wall-clock time at the shop each time; at most MOST_DATES + 1 of them (one more than a
    series may have, so a caller can tell it is too long)."""
    if repeat not in REPEATS or until is None:
        return [starts_at]
    local_start = starts_at.astimezone(timezone).replace(tzinfo=None)
    day = local_start.date()
    weekday = rrule.weekday(day.weekday())
    frequency, by_weekday = {
        WEEKLY: (rrule.WEEKLY, None),
        MONTHLY: (rrule.MONTHLY, weekday(week_of_month(day))),
        MONTHLY_LAST: (rrule.MONTHLY, weekday(-1)),
    }[repeat]
    rule = rrule.rrule(
        frequency,
        dtstart=local_start,
        byweekday=by_weekday,
        until=datetime.combine(until, time.max),
    )
    starts = (at_shop(local.date(), local.time(), timezone) for local in rule)
    return list(islice(starts, MOST_DATES + 1))


def at_shop(day: date, clock_time: time, timezone: ZoneInfo) -> datetime:
    """The wall-clock time at the shop on that day, in UTC, whatever its offset then."""
    return datetime.combine(day, clock_time, tzinfo=timezone).astimezone(UTC)


def event_dates(event: Event, timezone: ZoneInfo) -> list[EventDate]:
    """Every date of the event in order, each as the desk changed it (cancelled, moved)."""
    if not event.repeat:
        return [EventDate(event, event.starts_at, event.starts_at, event.ends_at)]
    end_time = event.ends_at.astimezone(timezone).time()
    changes = {change.series_starts_at: change for change in event.changed_dates}
    dates = []
    for start in series_starts(event.repeat, event.starts_at, event.repeat_until, timezone):
        day = start.astimezone(timezone).date()
        end = at_shop(day, end_time, timezone)
        dates.append(_as_changed(EventDate(event, start, start, end), changes.get(start)))
    return sorted(dates, key=lambda shown: (shown.starts_at, shown.series_starts_at))


def _as_changed(shown: EventDate, change: ChangedDate | None) -> EventDate:
    if change is None:
        return shown
    moved = change.starts_at is not None and change.ends_at is not None
    return EventDate(
        shown.event,
        shown.series_starts_at,
        change.starts_at if change.starts_at is not None else shown.starts_at,
        change.ends_at if change.ends_at is not None else shown.ends_at,
        date_cancelled=change.cancelled_at is not None,
        moved=moved,
    )


def date_on(event: Event, series_day: date, timezone: ZoneInfo) -> EventDate | None:
    """The series' date that falls on `series_day` at the shop (before any move), or None."""
    for shown in event_dates(event, timezone):
        if shown.series_starts_at.astimezone(timezone).date() == series_day:
            return shown
    return None

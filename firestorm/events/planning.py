"""The collective's calendar: events added, changed, cancelled and deleted, each by the rules
the desk says in words beside the field (an end after the start, nothing new in the past, no
event on a day the shop is closed unless the collective opens for it). Times are typed in the
shop's zone and kept in UTC. A series (events/series.py) is checked date by date, and its
dates are cancelled or moved one by one. No Flask: the routes pass the schedule and `now`."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy.orm import selectinload

from firestorm.catalog.models import Authorship, Book
from firestorm.database import db
from firestorm.events import series
from firestorm.events.models import ChangedDate, Event
from firestorm.refusals import Refusal
from firestorm.search import choices
from firestorm.shop import hours

TITLE_MAX_LENGTH = 200
PLACE_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 20_000
LARGEST_CAPACITY = 100_000
MOST_LINKED_BOOKS = 20


class EventProblem(Refusal):
    """An event the rules refuse, in words, naming the field at fault."""


@dataclass(frozen=True)
class TypedEvent:
    """An event as the desk's form gives it: a day and two clock times at the shop; the
    price already read in the shop's money (0 is free)."""

    title: str
    day: date | None
    starts: time | None
    ends: time | None
    description: str = ""
    place: str = ""
    price: Decimal = Decimal(0)
    capacity: int | None = None
    opens_specially: bool = False
    # The books it is about, as the picker gives their ids (events/books: linked books).
    book_ids: tuple[int, ...] = ()
    repeat: str = ""
    repeat_until: date | None = None


@dataclass(frozen=True)
class CheckedEvent:
    """A TypedEvent the rules accept, its times in UTC."""

    title: str
    starts_at: datetime
    ends_at: datetime
    description: str
    place: str
    price: Decimal
    capacity: int | None
    opens_specially: bool
    repeat: str
    repeat_until: date | None
    books: tuple[Book, ...] = ()


def add_event(typed: TypedEvent, schedule: hours.Schedule, now: datetime) -> Event:
    """A new event, or EventProblem: it can't start in the past."""
    checked = checked_event(typed, schedule, now)
    event = Event(created_at=now, updated_at=now)
    _write(event, checked)
    db.session.add(event)
    db.session.flush()
    return event


def change_event(event: Event, typed: TypedEvent, schedule: hours.Schedule, now: datetime) -> Event:
    """The event as typed; once it has started only its description changes
    (change_description), so a change here is refused like a new event."""
    if event.has_started(now):
        raise EventProblem(
            "This event has started: only its description can still be changed.", "description"
        )
    _write(event, checked_event(typed, schedule, now))
    event.updated_at = now
    # A date the series no longer has takes its change with it.
    kept = set(
        series.series_starts(event.repeat, event.starts_at, event.repeat_until, schedule.timezone)
    )
    event.changed_dates = [c for c in event.changed_dates if c.series_starts_at in kept]
    db.session.flush()
    return event


def change_description(event: Event, description: str, now: datetime) -> Event:
    """What a past event's page says: the one thing that changes once it has started."""
    event.description = _checked_description(description)
    event.updated_at = now
    db.session.flush()
    return event


def cancel_event(event: Event, now: datetime) -> Event:
    """Cancelled, and kept: its page says so, struck, for those who planned to come."""
    if event.cancelled_at is None:
        event.cancelled_at = now
        event.updated_at = now
        db.session.flush()
    return event


def delete_event(event: Event) -> None:
    db.session.delete(event)
    db.session.flush()


def get_event(event_id: int) -> Event | None:
    """The event with its linked books (and their authors) loaded."""
    books = selectinload(Event.books)
    return db.session.get(
        Event,
        event_id,
        options=[books.selectinload(Book.authorships).joinedload(Authorship.author)],
    )


def linked_books(book_ids: Sequence[int]) -> tuple[Book, ...]:
    """The books the picker chose, or EventProblem when one is not a book it could offer
    (deleted since, hidden, or no book at all)."""
    if len(set(book_ids)) > MOST_LINKED_BOOKS:
        raise EventProblem(f"Link at most {MOST_LINKED_BOOKS} books to one event.", "book_ids")
    books = choices.chosen_books(book_ids)
    if len(books) != len(set(book_ids)):
        raise EventProblem("We couldn't find one of those books. Search for it again.", "book_ids")
    return tuple(books)


def checked_event(typed: TypedEvent, schedule: hours.Schedule, now: datetime) -> CheckedEvent:
    """The event the rules accept, or EventProblem for the first field at fault."""
    title = " ".join(typed.title.split())
    if not title:
        raise EventProblem("Give the event a title.", "title")
    if len(title) > TITLE_MAX_LENGTH:
        raise EventProblem(f"Keep the title under {TITLE_MAX_LENGTH} characters.", "title")
    if typed.day is None:
        raise EventProblem("Give the day, like 2026-12-10.", "day")
    if typed.starts is None:
        raise EventProblem("Give the time it starts, like 19:00.", "starts")
    if typed.ends is None:
        raise EventProblem("Give the time it ends, like 21:00.", "ends")
    if typed.ends <= typed.starts:
        raise EventProblem(
            "The end is before the start: give an end after "
            f"{hours.format_time(typed.starts)} (an event ends by midnight).",
            "ends",
        )
    starts_at = series.at_shop(typed.day, typed.starts, schedule.timezone)
    if starts_at < now:
        raise EventProblem("That is in the past: give a day and time still to come.", "day")
    repeat_until = _checked_repeat(typed.repeat, typed.day, typed.repeat_until)
    starts = series.series_starts(typed.repeat, starts_at, repeat_until, schedule.timezone)
    if len(starts) > series.MOST_DATES:
        raise EventProblem(
            f"That makes more than {series.MOST_DATES} dates: give an earlier last day, "
            "and add another event for the dates after.",
            "repeat_until",
        )
    if not typed.opens_specially:
        for start in starts:
            _check_shop_open(start.astimezone(schedule.timezone).date(), schedule)
    place = " ".join(typed.place.split())
    if len(place) > PLACE_MAX_LENGTH:
        raise EventProblem(f"Keep the address under {PLACE_MAX_LENGTH} characters.", "place")
    if typed.capacity is not None and not 1 <= typed.capacity <= LARGEST_CAPACITY:
        raise EventProblem(
            "Give the number of places as a whole number from 1, or leave it empty.",
            "capacity",
        )
    return CheckedEvent(
        title=title,
        starts_at=starts_at,
        ends_at=series.at_shop(typed.day, typed.ends, schedule.timezone),
        description=_checked_description(typed.description),
        place=place,
        price=typed.price,
        capacity=typed.capacity,
        opens_specially=typed.opens_specially,
        books=linked_books(typed.book_ids),
        repeat=typed.repeat,
        repeat_until=repeat_until,
    )


def _checked_repeat(repeat: str, first_day: date, until: date | None) -> date | None:
    """The last day a series may have, or None for a single date; EventProblem for a repeat
    without an end, one ending before it starts or too long, or a monthly weekday that the
    first date is not."""
    if not repeat:
        return None
    if repeat not in series.REPEATS:
        raise EventProblem("Choose how it repeats from the list.", "repeat")
    weekday = hours.WEEKDAY_NAMES[first_day.weekday()]
    first = hours.format_date(first_day)
    if repeat == series.MONTHLY and series.week_of_month(first_day) > 4:
        raise EventProblem(
            f"{first} is the fifth {weekday} of its month, which most months don't have: "
            f"choose “the last {weekday} of the month”, or another day.",
            "repeat",
        )
    if repeat == series.MONTHLY_LAST and not series.is_last_of_month(first_day):
        raise EventProblem(
            f"{first} is not the last {weekday} of its month: give that day, or choose "
            "“the same weekday of the month”.",
            "repeat",
        )
    if until is None:
        raise EventProblem(
            "A repeat needs an end: give the last day it may fall on, like "
            f"{first_day.replace(day=28).isoformat()}.",
            "repeat_until",
        )
    if until < first_day:
        raise EventProblem(
            f"The repeat ends before its first date: give a last day after {first}.",
            "repeat_until",
        )
    if until > first_day + series.LONGEST_SERIES:
        raise EventProblem(
            "A series runs two years at most: give a last day by "
            f"{hours.format_date(first_day + series.LONGEST_SERIES)}, and add another event "
            "for the dates after.",
            "repeat_until",
        )
    return until


def cancel_date(event_date: series.EventDate, now: datetime) -> series.EventDate:
    """One date of a series cancelled, and kept: the pages show it struck."""
    if event_date.starts_at <= now:
        raise EventProblem("That date has started: it can no longer be cancelled.", "day")
    change = _change_of(event_date)
    if change.cancelled_at is None:
        change.cancelled_at = now
        event_date.event.updated_at = now
    db.session.flush()
    return event_date


def move_date(
    event_date: series.EventDate,
    day: date | None,
    starts: time | None,
    ends: time | None,
    schedule: hours.Schedule,
    now: datetime,
) -> series.EventDate:
    """One date of a series at another time (or day): by the rules of a new event, and by
    the series' last day, so the series still ends when it says."""
    event = event_date.event
    if event_date.starts_at <= now:
        raise EventProblem("That date has started: it can no longer be moved.", "day")
    if day is None:
        raise EventProblem("Give the day, like 2026-12-10.", "day")
    if starts is None:
        raise EventProblem("Give the time it starts, like 19:00.", "starts")
    if ends is None:
        raise EventProblem("Give the time it ends, like 21:00.", "ends")
    if ends <= starts:
        raise EventProblem(
            "The end is before the start: give an end after "
            f"{hours.format_time(starts)} (an event ends by midnight).",
            "ends",
        )
    starts_at = series.at_shop(day, starts, schedule.timezone)
    if starts_at < now:
        raise EventProblem("That is in the past: give a day and time still to come.", "day")
    if event.repeat_until is not None and day > event.repeat_until:
        raise EventProblem(
            f"The series ends on {hours.format_date(event.repeat_until)}: give a day by then.",
            "day",
        )
    if not event.opens_specially:
        _check_shop_open(day, schedule)
    change = _change_of(event_date)
    change.starts_at = starts_at
    change.ends_at = series.at_shop(day, ends, schedule.timezone)
    event.updated_at = now
    db.session.flush()
    return replace(event_date, starts_at=change.starts_at, ends_at=change.ends_at, moved=True)


def _change_of(event_date: series.EventDate) -> ChangedDate:
    event = event_date.event
    for change in event.changed_dates:
        if change.series_starts_at == event_date.series_starts_at:
            return change
    change = ChangedDate(series_starts_at=event_date.series_starts_at)
    event.changed_dates.append(change)
    return change


def closed_in_words(day: date, schedule: hours.Schedule) -> str | None:
    """Why the shop is closed on `day` ("closed on Mondays", "closed: Thanksgiving"), or None
    when it opens that day."""
    if hours.hours_on(schedule, day) is not None:
        return None
    closure = hours.closure_on(schedule, day)
    if closure:
        return f"closed: {closure.reason}" if closure.reason else "closed that day"
    return f"closed on {hours.WEEKDAY_NAMES[day.weekday()]}s"


def _check_shop_open(day: date, schedule: hours.Schedule) -> None:
    closed = closed_in_words(day, schedule)
    if closed:
        raise EventProblem(
            f"The shop is {closed} ({hours.format_date(day)}). Choose another day, "
            "or tick “We open for it”.",
            "day",
        )


def _checked_description(description: str) -> str:
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise EventProblem(
            f"Keep the description under {DESCRIPTION_MAX_LENGTH:,} characters.", "description"
        )
    return description.strip()


def _write(event: Event, checked: CheckedEvent) -> None:
    event.title = checked.title
    event.starts_at = checked.starts_at
    event.ends_at = checked.ends_at
    event.description = checked.description
    event.place = checked.place
    event.price = checked.price
    event.capacity = checked.capacity
    event.opens_specially = checked.opens_specially
    event.books = list(checked.books)
    event.repeat = checked.repeat
    event.repeat_until = checked.repeat_until

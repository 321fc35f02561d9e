"""An event's dates: the one place that says when events happen (each date of a series as the
desk changed it: events/series.py), for the banner, the hours and a book's page. Cancelled
events and cancelled dates happen on no date."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from firestorm.events import listings
from firestorm.events.models import Event, event_books


@dataclass(frozen=True)
class Occasion:
    """One time an event happens, as the banner, the hours and a book's page say it."""

    event_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    opens_specially: bool


def occasions_between(
    start: datetime,
    timezone: ZoneInfo,
    end: datetime | None = None,
    book_id: int | None = None,
    most: int | None = None,
) -> list[Occasion]:
    """The occasions not cancelled that are still going at `start` and begin before `end`
    (None: whenever), soonest first, the first `most` of them (None: all); only those with
    `book_id` linked when it is given."""
    statement = select(Event).where(listings.still_on(start), Event.cancelled_at.is_(None))
    if end is not None:
        statement = statement.where(Event.starts_at < end)
    if book_id is not None:
        statement = statement.join(event_books, event_books.c.event_id == Event.id).where(
            event_books.c.book_id == book_id
        )
    occasions = [
        Occasion(
            shown.event.id, shown.title, shown.starts_at, shown.ends_at, shown.event.opens_specially
        )
        for shown in listings.dates_of(statement, timezone)
        if not shown.date_cancelled
        and shown.ends_at > start
        and (end is None or shown.starts_at < end)
    ]
    return occasions[:most]

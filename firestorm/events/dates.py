"""An event's dates: the one place that says when events happen (each event's one evening for
now; a series' occurrences later), for the banner, the hours and a book's page. Cancelled
events happen on no date."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from firestorm.database import db
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
    start: datetime, end: datetime | None = None, book_id: int | None = None
) -> list[Occasion]:
    """The occasions not cancelled that are still going at `start` and begin before `end`
    (None: whenever), soonest first; only those with `book_id` linked when it is given."""
    statement = (
        select(Event.id, Event.title, Event.starts_at, Event.ends_at, Event.opens_specially)
        .where(Event.ends_at > start, Event.cancelled_at.is_(None))
        .order_by(Event.starts_at, Event.id)
    )
    if end is not None:
        statement = statement.where(Event.starts_at < end)
    if book_id is not None:
        statement = statement.join(event_books, event_books.c.event_id == Event.id).where(
            event_books.c.book_id == book_id
        )
    return [Occasion(*row) for row in db.session.execute(statement)]

"""Events as the pages list them: coming ones by date (the home page's next few, the public
list), past ones newest first (the archive), and the desk's list, coming first then past."""

from datetime import datetime

from sqlalchemy import case, select

from firestorm.database import db
from firestorm.events.models import Event
from firestorm.pagination import Page, paginate


def coming_events(now: datetime, page: int, per_page: int) -> Page[Event]:
    """Events not yet over, soonest first; cancelled ones stay, struck, on their date."""
    statement = select(Event).where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
    return paginate(statement, page, per_page)


def next_events(now: datetime, count: int) -> list[Event]:
    """The next `count` events not cancelled and not over: the home page's "Coming up"."""
    statement = (
        select(Event)
        .where(Event.ends_at > now, Event.cancelled_at.is_(None))
        .order_by(Event.starts_at, Event.id)
        .limit(count)
    )
    return list(db.session.scalars(statement))


def past_events(now: datetime, page: int, per_page: int) -> Page[Event]:
    """Events that are over, the latest first: the archive."""
    statement = select(Event).where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id)
    return paginate(statement, page, per_page)


def desk_events(now: datetime, page: int, per_page: int) -> Page[Event]:
    """Every event for the collective: coming ones soonest first, then past ones latest
    first."""
    is_past = case((Event.ends_at <= now, 1), else_=0)
    # Coming events ascending by start; past ones descending (ordering the start's negation
    # is not portable, so a second key orders past events only).
    statement = select(Event).order_by(
        is_past,
        case((Event.ends_at > now, Event.starts_at), else_=None),
        Event.starts_at.desc(),
        Event.id,
    )
    return paginate(statement, page, per_page)


def moments_after(since: datetime) -> list[datetime]:
    """Every start and end of an event after `since`, in order: the moments a public page
    listing events changes (an event ending leaves "Coming up"), as opening and closing do."""
    rows = db.session.execute(
        select(Event.starts_at, Event.ends_at).where(Event.ends_at > since)
    ).all()
    return sorted({moment for row in rows for moment in row if moment > since})

"""Events as the pages list them: coming dates in order (the home page's next few, the public
list, each date of a series a line of its own), past ones newest first (the archive), and the
desk's list of events, coming first then past. Dates of a series are computed
(events/series.py), so the lists are ordered and paged here, from the events still on."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, or_, select
from sqlalchemy.orm import selectinload

from firestorm.database import db
from firestorm.events import series
from firestorm.events.models import Event
from firestorm.events.series import EventDate
from firestorm.pagination import Page, page_of, paginate


def coming_events(now: datetime, page: int, per_page: int, timezone: ZoneInfo) -> Page[EventDate]:
    """Dates not yet over, soonest first; cancelled ones stay, struck, on their date."""
    coming = [
        shown
        for shown in dates_of(select(Event).where(still_on(now)), timezone)
        if shown.ends_at > now
    ]
    return page_of(coming, page, per_page)


def next_events(now: datetime, count: int, timezone: ZoneInfo) -> list[EventDate]:
    """The next `count` dates not cancelled and not over: the home page's "Coming up"."""
    dates = dates_of(select(Event).where(still_on(now), Event.cancelled_at.is_(None)), timezone)
    return [shown for shown in dates if shown.ends_at > now and not shown.is_cancelled][:count]


def past_events(now: datetime, page: int, per_page: int, timezone: ZoneInfo) -> Page[EventDate]:
    """Dates that are over, the latest first: the archive."""
    started = Event.starts_at <= now
    over = [
        shown for shown in dates_of(select(Event).where(started), timezone) if shown.ends_at <= now
    ]
    return page_of(over[::-1], page, per_page)


def desk_events(now: datetime, page: int, per_page: int) -> Page[Event]:
    """Every event for the collective: coming ones (a series still on) soonest first, then
    past ones latest first."""
    is_past = case((still_on(now), 0), else_=1)
    # Coming events ascending by start; past ones descending (ordering the start's negation
    # is not portable, so a second key orders past events only).
    statement = select(Event).order_by(
        is_past,
        case((still_on(now), Event.starts_at), else_=None),
        Event.starts_at.desc(),
        Event.id,
    )
    return paginate(statement, page, per_page)


def events_still_on(now: datetime) -> list[Event]:
    """Every event with a date not over, by its first date: the calendar file of coming
    events (a series with its changed dates)."""
    statement = (
        select(Event)
        .where(still_on(now))
        .options(selectinload(Event.changed_dates))
        .order_by(Event.starts_at, Event.id)
    )
    return list(db.session.scalars(statement))


def newest_events(count: int) -> list[Event]:
    """The `count` events added last, newest first: the feed of new events."""
    statement = select(Event).order_by(Event.created_at.desc(), Event.id.desc()).limit(count)
    return list(db.session.scalars(statement))


def coming_dates(event: Event, now: datetime, timezone: ZoneInfo) -> list[EventDate]:
    """An event's dates not yet over, soonest first (a cancelled one kept)."""
    return [shown for shown in series.event_dates(event, timezone) if shown.ends_at > now]


def moments_after(since: datetime, timezone: ZoneInfo) -> list[datetime]:
    """Every start and end of an event's date after `since`, in order: the moments a public
    page listing events changes (a date ending leaves "Coming up"), as opening and closing
    do."""
    dates = dates_of(select(Event).where(still_on(since)), timezone)
    moments = {moment for shown in dates for moment in (shown.starts_at, shown.ends_at)}
    return sorted(moment for moment in moments if moment > since)


def still_on(now: datetime) -> ColumnElement[bool]:
    """Events with a date not over at `now`: a single one by its end, a series by its last
    day (a day at the shop: a day's margin either way of UTC; moved dates stay by it)."""
    return or_(
        Event.ends_at > now,
        and_(Event.repeat != "", Event.repeat_until >= (now - timedelta(days=1)).date()),
    )


def dates_of(events: Select[Event], timezone: ZoneInfo) -> list[EventDate]:
    """Every date of these events (each series' computed), soonest first."""
    loaded = db.session.scalars(events.options(selectinload(Event.changed_dates)))
    dates = [shown for event in loaded for shown in series.event_dates(event, timezone)]
    return sorted(dates, key=lambda shown: (shown.starts_at, shown.event.id))

"""What events do to the shop's day as the site says it: the banner ("Open now until 9pm ·
Book club at 7pm"; on a closed day the collective opens for, "Open for “Book club”, 7pm –
9pm") and the week's hours. Pure: the occasions come from events/dates.py."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from firestorm.events.dates import Occasion
from firestorm.shop import hours


def status_with_occasions(
    status: hours.StoreStatus, occasions: Sequence[Occasion], now: datetime, timezone: ZoneInfo
) -> hours.StoreStatus:
    """The banner at `now` with today's occasions not yet over; one that ended says nothing."""
    today = now.astimezone(timezone).date()
    todays = [
        occasion
        for occasion in occasions
        if occasion.ends_at > now and occasion.starts_at.astimezone(timezone).date() == today
    ]
    if not todays:
        return status
    opening = next((o for o in todays if o.opens_specially), None) if status.closed_today else None
    others = " · ".join(_at_time(o, now, timezone) for o in todays if o is not opening)
    if opening is None:
        return replace(status, message=f"{status.message} · {others}")
    started = opening.starts_at <= now
    message = _opened_for(opening, timezone) + (f" · {others}" if others else "")
    return replace(
        status,
        is_open=started,
        closes_at=opening.ends_at if started else None,
        next_opening=status.next_opening if started else opening.starts_at,
        message=message,
    )


def week_with_occasions(
    week: Sequence[hours.DayRow], occasions: Sequence[Occasion], timezone: ZoneInfo
) -> list[hours.DayRow]:
    """The week's rows, a closed day the collective opens for saying so."""
    rows = []
    for row in week:
        opening = next(
            (
                o
                for o in occasions
                if o.opens_specially and o.starts_at.astimezone(timezone).date() == row.day
            ),
            None,
        )
        if row.hours is None and opening is not None:
            row = row._replace(opened_for=_opened_for(opening, timezone))
        rows.append(row)
    return rows


def _opened_for(occasion: Occasion, timezone: ZoneInfo) -> str:
    starts = hours.format_time(occasion.starts_at.astimezone(timezone).time())
    ends = hours.format_time(occasion.ends_at.astimezone(timezone).time())
    return f"Open for “{occasion.title}”, {starts} – {ends}"


def _at_time(occasion: Occasion, now: datetime, timezone: ZoneInfo) -> str:
    if occasion.starts_at <= now:
        ends = hours.format_time(occasion.ends_at.astimezone(timezone).time())
        return f"{occasion.title} now, until {ends}"
    starts = hours.format_time(occasion.starts_at.astimezone(timezone).time())
    return f"{occasion.title} at {starts}"

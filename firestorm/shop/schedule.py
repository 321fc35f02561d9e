"""The shop's schedule as the database keeps it: weekly hours and closures from a given day."""

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from firestorm.database import db
from firestorm.shop import hours
from firestorm.shop.models import Closure, OpeningHours


def load_schedule(today: date, timezone: ZoneInfo) -> hours.Schedule:
    """Weekly hours (the default week until the collective sets its own) and closures from today."""
    rows = db.session.scalars(select(OpeningHours)).all()
    week = hours.DEFAULT_WEEK if not rows else weekly_hours(rows)
    closures = db.session.scalars(
        select(Closure).where(Closure.last_day >= today).order_by(Closure.first_day)
    ).all()
    return hours.Schedule(
        week=week,
        timezone=timezone,
        closures=tuple(hours.Closure(c.first_day, c.last_day, c.reason) for c in closures),
    )


def weekly_hours(rows: list[OpeningHours]) -> tuple[hours.DayHours | None, ...]:
    by_weekday = {row.weekday: row for row in rows if row.opens and row.closes}
    return tuple(
        hours.DayHours(by_weekday[day].opens, by_weekday[day].closes) if day in by_weekday else None
        for day in range(7)
    )

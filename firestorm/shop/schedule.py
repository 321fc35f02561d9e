"""The shop's schedule as the database keeps it: weekly hours with their notes, and the dated
exceptions (closures and changed hours) from a given day."""

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from firestorm.database import db
from firestorm.shop import hours
from firestorm.shop.models import Closure, OpeningHours


def load_schedule(today: date, timezone: ZoneInfo) -> hours.Schedule:
    """Weekly hours (the default week until the collective sets its own) and the exceptions not
    yet over on `today`: past ones are of no use to anyone reading the hours."""
    rows = db.session.scalars(select(OpeningHours)).all()
    exceptions = db.session.scalars(
        select(Closure).where(Closure.last_day >= today).order_by(Closure.first_day)
    ).all()
    return hours.Schedule(
        week=weekly_hours(rows) if rows else hours.DEFAULT_WEEK,
        timezone=timezone,
        closures=tuple(dated_exception(row) for row in exceptions),
        notes=weekday_notes(rows),
    )


def weekly_hours(rows: list[OpeningHours]) -> tuple[hours.DayHours | None, ...]:
    by_weekday = {row.weekday: row for row in rows if row.opens and row.closes}
    return tuple(
        hours.DayHours(by_weekday[day].opens, by_weekday[day].closes) if day in by_weekday else None
        for day in range(7)
    )


def weekday_notes(rows: list[OpeningHours]) -> tuple[str, ...]:
    by_weekday = {row.weekday: row.note for row in rows}
    return tuple(by_weekday.get(day, "") for day in range(7))


def dated_exception(row: Closure) -> hours.Closure:
    changed = hours.DayHours(row.opens, row.closes) if row.opens and row.closes else None
    return hours.Closure(row.first_day, row.last_day, row.reason, changed)

"""The shop's schedule as the database keeps it: weekly hours with their notes, and the dated
special hours (closures and changed hours) from a given day."""

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from firestorm.database import db
from firestorm.shop import hours
from firestorm.shop.models import OpeningHours, SpecialHoursEntry


def load_schedule(today: date, timezone: ZoneInfo) -> hours.Schedule:
    """Weekly hours (the default week until the collective sets its own) and the special hours
    not yet over on `today`: past ones are of no use to anyone reading the hours."""
    rows = db.session.scalars(select(OpeningHours)).all()
    entries = db.session.scalars(
        select(SpecialHoursEntry)
        .where(SpecialHoursEntry.last_day >= today)
        .order_by(SpecialHoursEntry.first_day)
    ).all()
    return hours.Schedule(
        week=weekly_hours(rows) if rows else hours.DEFAULT_WEEK,
        timezone=timezone,
        special_hours=tuple(as_special_hours(row) for row in entries),
        notes=weekday_notes(rows),
    )


def weekly_hours(rows: Sequence[OpeningHours]) -> tuple[hours.DayHours | None, ...]:
    by_weekday = {
        row.weekday: hours.DayHours(row.opens, row.closes)
        for row in rows
        if row.opens and row.closes
    }
    return tuple(by_weekday.get(day) for day in range(7))


def weekday_notes(rows: Sequence[OpeningHours]) -> tuple[str, ...]:
    by_weekday = {row.weekday: row.note for row in rows}
    return tuple(by_weekday.get(day, "") for day in range(7))


def as_special_hours(row: SpecialHoursEntry) -> hours.SpecialHours:
    changed = hours.DayHours(row.opens, row.closes) if row.opens and row.closes else None
    return hours.SpecialHours(row.first_day, row.last_day, row.reason, changed)

"""The store as the site shows it: its schedule from the database and the header's status line."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g
from sqlalchemy import select

from firestorm import hours
from firestorm.extensions import db
from firestorm.models import Closure, OpeningHours


def current_time() -> datetime:
    """The clock every page reads; tests replace it to visit a Monday or a holiday."""
    return datetime.now(UTC)


def store_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["STORE_TIMEZONE"])


def store_now() -> datetime:
    """The store's wall-clock time now."""
    return current_time().astimezone(store_timezone())


def store_today() -> date:
    return store_now().date()


def load_schedule(today: date) -> hours.Schedule:
    """Weekly hours (the default week until the collective sets its own) and closures from today."""
    rows = db.session.scalars(select(OpeningHours)).all()
    week = hours.DEFAULT_WEEK if not rows else weekly_hours(rows)
    closures = db.session.scalars(
        select(Closure).where(Closure.last_day >= today).order_by(Closure.first_day)
    ).all()
    return hours.Schedule(
        week=week,
        timezone=store_timezone(),
        closures=tuple(hours.Closure(c.first_day, c.last_day, c.reason) for c in closures),
    )


def weekly_hours(rows: list[OpeningHours]) -> tuple[hours.DayHours | None, ...]:
    by_weekday = {row.weekday: row for row in rows if row.opens and row.closes}
    return tuple(
        hours.DayHours(by_weekday[day].opens, by_weekday[day].closes) if day in by_weekday else None
        for day in range(7)
    )


def current_schedule() -> hours.Schedule:
    """The schedule, read once per request however many parts of the page need it."""
    if "schedule" not in g:
        g.schedule = load_schedule(store_today())
    return g.schedule


def current_status() -> hours.StoreStatus:
    return hours.status_at(current_schedule(), current_time())


def register(app: Flask) -> None:
    # Functions, not values: only pages that draw the header pay for the queries.
    app.jinja_env.globals.update(
        store_status=current_status,
        store_week_summary=lambda: hours.week_summary(current_schedule().week),
    )

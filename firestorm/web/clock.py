"""The clock a request reads, in the store's time zone, and the shop's schedule and status
for this request."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g

from firestorm.shop import hours
from firestorm.shop.schedule import load_schedule


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


def current_schedule() -> hours.Schedule:
    """The schedule, read once per request however many parts of the page need it."""
    if "schedule" not in g:
        g.schedule = load_schedule(store_today(), store_timezone())
    return g.schedule


def current_status() -> hours.StoreStatus:
    return hours.status_at(current_schedule(), current_time())


def register(app: Flask) -> None:
    # Functions, not values: only pages that draw the header pay for the queries.
    app.jinja_env.globals.update(
        store_status=current_status,
        store_week_summary=lambda: hours.week_summary(current_schedule().week),
    )

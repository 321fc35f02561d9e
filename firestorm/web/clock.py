"""The clock every page and every command reads, in the store's time zone, and the shop's
schedule and status for this request (the schedule kept between requests while nothing
changes)."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g

from firestorm.events import dates, listings, shop_days
from firestorm.shop import hours
from firestorm.shop.schedule import load_schedule
from firestorm.web import last_change

T = TypeVar("T")


def current_time() -> datetime:
    """The time now, for a request or a command alike (the domain takes it as `now`); tests
    set it with the `clock` fixture to visit a Monday or a holiday."""
    return datetime.now(UTC)


def store_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["STORE_TIMEZONE"])


def store_now() -> datetime:
    """The store's wall-clock time now."""
    return current_time().astimezone(store_timezone())


def store_today() -> date:
    return store_now().date()


def current_schedule() -> hours.Schedule:
    """The schedule, read once per request however many parts of the page need it, and kept
    by the process until something changes or the day does."""
    if "schedule" not in g:
        g.schedule = _kept_schedule()
    return g.schedule


def _kept_schedule() -> hours.Schedule:
    # The token is read first (web/last_change.py): rows read afterwards are at least as new.
    key = (last_change.token(), store_today(), current_app.config["STORE_TIMEZONE"])
    kept = current_app.extensions.get("kept_schedule")
    # A request that has changed something (the hours editor, say) reads its own changes: the
    # token only moves at the commit, so the kept copy would still match, and be out of date.
    wrote = last_change.wrote_anything()
    if kept and kept[0] == key and not wrote:
        return kept[1]
    schedule = load_schedule(key[1], store_timezone())
    # Only what the database holds for everyone: not a request's own uncommitted changes.
    if not wrote:
        current_app.extensions["kept_schedule"] = (key, schedule)
    return schedule


def next_event_moment() -> datetime | None:
    """The next start or end of an event after now, when the public pages that list events
    change by themselves; the moments are read once per change and day, kept as the schedule
    is (so a 304 reads nothing more)."""
    now = current_time()
    # From the day's start, so a request whose clock is earlier in the day finds its own.
    moments = _kept_for_the_day(
        "kept_event_moments", lambda day_start: listings.moments_after(day_start, store_timezone())
    )
    return next((moment for moment in moments if moment > now), None)


def _week_occasions() -> list[dates.Occasion]:
    """The events of the seven days from today (the banner's day, the week's hours), kept as
    the moments are."""
    return _kept_for_the_day(
        "kept_week_occasions",
        lambda day_start: dates.occasions_between(
            day_start, store_timezone(), day_start + timedelta(days=8)
        ),
    )


def _kept_for_the_day(name: str, load: Callable[[datetime], T]) -> T:
    # Read once per change and day (the token first, as for the schedule), from the day's
    # start; a request that wrote something reads its own changes.
    key = (last_change.token(), store_today(), current_app.config["STORE_TIMEZONE"])
    kept = current_app.extensions.get(name)
    wrote = last_change.wrote_anything()
    if kept and kept[0] == key and not wrote:
        return kept[1]
    loaded = load(datetime.combine(key[1], time(0), tzinfo=store_timezone()))
    if not wrote:
        current_app.extensions[name] = (key, loaded)
    return loaded


def current_status() -> hours.StoreStatus:
    """The banner's status now, today's events in it."""
    now = current_time()
    status = hours.status_at(current_schedule(), now)
    return shop_days.status_with_occasions(status, _week_occasions(), now, store_timezone())


def current_week() -> list[hours.DayRow]:
    """The seven days from today as the hours table says them, events the shop opens for
    included."""
    week = hours.week_table(current_schedule(), store_today())
    return shop_days.week_with_occasions(week, _week_occasions(), store_timezone())


def register(app: Flask) -> None:
    # Functions, not values: only pages that draw the header pay for the queries.
    app.jinja_env.globals.update(
        store_status=current_status,
        store_week_summary=lambda: hours.week_summary(current_schedule().week),
        # The day at the store, for what a page dates (a printed book page's stock).
        store_today=store_today,
    )

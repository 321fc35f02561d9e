"""The clock every page and every command reads, in the store's time zone, and the shop's
schedule and status for this request (the schedule kept between requests while nothing
changes)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g

from firestorm.events import listings
from firestorm.shop import hours
from firestorm.shop.schedule import load_schedule
from firestorm.web import last_change


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
    key = (last_change.token(), store_today(), current_app.config["STORE_TIMEZONE"])
    kept = current_app.extensions.get("kept_event_moments")
    wrote = last_change.wrote_anything()
    if kept and kept[0] == key and not wrote:
        moments = kept[1]
    else:
        # From the day's start, so a request whose clock is earlier in the day finds its own.
        day_start = datetime.combine(key[1], time(0), tzinfo=store_timezone())
        moments = listings.moments_after(day_start, store_timezone())
        if not wrote:
            current_app.extensions["kept_event_moments"] = (key, moments)
    return next((moment for moment in moments if moment > now), None)


def current_status() -> hours.StoreStatus:
    return hours.status_at(current_schedule(), current_time())


def register(app: Flask) -> None:
    # Functions, not values: only pages that draw the header pay for the queries.
    app.jinja_env.globals.update(
        store_status=current_status,
        store_week_summary=lambda: hours.week_summary(current_schedule().week),
        # The day at the store, for what a page dates (a printed book page's stock).
        store_today=store_today,
    )

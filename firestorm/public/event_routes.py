"""/events: the coming events by date (each date of a series a line of its own), the past ones
in an archive of pages, each event's own page (a cancelled one kept, struck, for those who
planned to come; its schema.org Event data), and the feed of new events."""

from collections.abc import Sequence

from flask import abort, current_app, make_response, render_template, request
from flask.typing import ResponseReturnValue

from firestorm.events import calendars, listings, planning, series, signing_up
from firestorm.events.models import Event
from firestorm.pagination import page_number
from firestorm.public import bp
from firestorm.public.routes import FEED_LENGTH
from firestorm.web import clock
from firestorm.web.caching import public_page
from firestorm.web.site_address import absolute_url, site_host

EVENTS_PER_PAGE = 20
# A series' page lists its next dates, this many.
NEXT_DATES_SHOWN = 8


@bp.get("/events")
@public_page
def events_page() -> ResponseReturnValue:
    events = listings.coming_events(
        clock.current_time(),
        page_number(request.args.get("page")),
        EVENTS_PER_PAGE,
        clock.store_timezone(),
    )
    return render_template("public/events.html", events=events)


@bp.get("/events/past")
@public_page
def past_events_page() -> ResponseReturnValue:
    events = listings.past_events(
        clock.current_time(),
        page_number(request.args.get("page")),
        EVENTS_PER_PAGE,
        clock.store_timezone(),
    )
    return render_template("public/past_events.html", events=events)


@bp.get("/events.atom")
@public_page
def events_feed() -> ResponseReturnValue:
    """The events added last, newest first, for feed readers (linked from /events)."""
    events = listings.newest_events(FEED_LENGTH)
    updated = max((event.updated_at for event in events), default=clock.current_time())
    response = make_response(
        render_template("public/events.atom.xml", events=events, updated=updated)
    )
    response.mimetype = "application/atom+xml"
    return response


@bp.get("/events.ics")
@public_page
def events_calendar() -> ResponseReturnValue:
    """Every coming event, for a calendar that follows the site's."""
    return calendar_answer(listings.events_still_on(clock.current_time()), "events.ics")


@bp.get("/events/<id:event_id>.ics")
@public_page
def event_calendar(event_id: int) -> ResponseReturnValue:
    """One event (a series with all its dates): the event page's "Add to calendar"."""
    return calendar_answer([event_or_404(event_id)], f"event-{event_id}.ics")


def calendar_answer(events: Sequence[Event], filename: str) -> ResponseReturnValue:
    config = current_app.config
    body = calendars.calendar_file(
        events,
        f"Events at {config['STORE_NAME']}",
        f"{config['STORE_NAME']}, {config['STORE_ADDRESS']}",
        lambda event_id: absolute_url("public.event_page", event_id=event_id),
        # The site's own host: a UID unique to this site, stable while its address is.
        site_host(absolute_url("public.home")),
        clock.store_timezone(),
    )
    response = make_response(body)
    response.headers["Content-Type"] = calendars.MEDIA_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/events/<id:event_id>")
@public_page
def event_page(event_id: int) -> ResponseReturnValue:
    event = event_or_404(event_id)
    timezone, now = clock.store_timezone(), clock.current_time()
    coming = listings.coming_dates(event, now, timezone)[:NEXT_DATES_SHOWN]
    return render_template(
        "public/event.html",
        event=event,
        is_over=not coming,
        coming=coming,
        # What search engines read: the dates listed, or the last one of an event that is over.
        described=coming or series.event_dates(event, timezone)[-1:],
        dates_to_sign_up=signing_up.dates_to_sign_up(event, now, timezone, NEXT_DATES_SHOWN),
    )


def event_or_404(event_id: int) -> Event:
    event = planning.get_event(event_id)
    if event is None:
        abort(404)
    return event

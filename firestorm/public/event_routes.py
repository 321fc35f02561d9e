"""/events: the coming events by date, the past ones in an archive of pages, and each event's
own page (a cancelled one kept, struck, for those who planned to come)."""

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from firestorm.events import listings, planning
from firestorm.pagination import page_number
from firestorm.public import bp
from firestorm.web import clock
from firestorm.web.caching import public_page

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


@bp.get("/events/<id:event_id>")
@public_page
def event_page(event_id: int) -> ResponseReturnValue:
    event = planning.get_event(event_id)
    if event is None:
        abort(404)
    now = clock.current_time()
    coming = listings.coming_dates(event, now, clock.store_timezone())
    return render_template(
        "public/event.html",
        event=event,
        is_over=not coming,
        coming=coming[:NEXT_DATES_SHOWN],
    )

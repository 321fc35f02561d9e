"""The hold's own page, /holds/<link_token>: the confirmation a customer is sent to after the
form, and the page their private link opens later (what they asked for, its state, when to
come, how to reach us), with "Cancel this hold" (a page that asks, then a POST).

The link is all it takes to read and cancel the hold, so it is kept out of every cache, search
engine, Referer and log: no-store, noindex, no-referrer, and web/logs.py redacts it."""

from flask import (
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from firestorm.extensions import limiter
from firestorm.holds import following
from firestorm.holds.models import Hold
from firestorm.public import bp
from firestorm.public.about_routes import Contact
from firestorm.shop import hours
from firestorm.web import clock
from firestorm.web.headers import kept_private
from firestorm.web.site_address import absolute_url

# In the session of the browser that just placed a hold: its id and what became of its email,
# said once on the page the form's redirect opens.
JUST_PLACED = "just_placed_hold"
# The hold's page and what it leads to, and an event sign-up's (sign_up_routes.py): the same
# headers for each, errors included.
PRIVATE_ENDPOINTS = frozenset(
    {
        "public.place_hold",
        "public.hold_page",
        "public.cancel_form",
        "public.cancel_hold",
        "public.sign_up",
        "public.sign_up_page",
        "public.cancel_sign_up_form",
        "public.cancel_sign_up",
    }
)


@bp.after_request
def keep_private_pages_private(response: Response) -> Response:
    # Here rather than in each view: a 400 (no CSRF token), a 404 or a 429 at these addresses
    # carries the link in its address just the same.
    if request.endpoint in PRIVATE_ENDPOINTS:
        kept_private(response)
    return response


@bp.get("/holds/<link_token>")
def hold_page(link_token: str) -> ResponseReturnValue:
    hold = following.hold_by_token(link_token)
    if hold is None:
        return unknown_link()
    return render_template(
        "public/hold_page.html", **page_values(hold, link_token), mailing=just_placed(hold)
    )


@bp.get("/holds/<link_token>/cancel")
def cancel_form(link_token: str) -> ResponseReturnValue:
    hold = following.hold_by_token(link_token)
    if hold is None:
        return unknown_link()
    if not hold.is_open:
        # Nothing to cancel any more: the page says what became of it.
        return redirect(url_for(".hold_page", link_token=link_token), 303)
    return render_template("public/cancel_hold.html", **page_values(hold, link_token))


@bp.post("/holds/<link_token>/cancel")
@limiter.limit(lambda: current_app.config["HOLD_CANCEL_LIMIT"])
def cancel_hold(link_token: str) -> ResponseReturnValue:
    hold = following.hold_by_token(link_token)
    if hold is None:
        return unknown_link()
    try:
        following.cancel_by_the_customer(hold, clock.current_time())
    except following.CannotCancel:
        values = page_values(hold, link_token)
        problem = "This can't be cancelled any more: " + values["news"].headline
        return render_template("public/hold_page.html", **values, problem=problem), 409
    return redirect(url_for(".hold_page", link_token=link_token), 303)


def page_values(hold: Hold, link_token: str) -> dict:
    """What the hold's page and the cancel page show: never the customer's details."""
    config = current_app.config
    schedule = clock.current_schedule()
    news = following.news_of(hold, schedule, clock.current_time(), config["HOLD_DAYS"])
    values: dict = {
        "hold": hold,
        "news": news,
        "link": absolute_url("public.hold_page", link_token=link_token),
        "link_token": link_token,
        "contact": Contact.from_config(config),
    }
    if hold.erased_at is None:
        values["asked"] = following.what_was_asked(hold, hold.book)
    if news.still_to_come:
        today = clock.store_today()
        values["week"] = hours.week_table(schedule, today)
        values["special_hours"] = hours.upcoming_special_hours(schedule, today)
    return values


def just_placed(hold: Hold) -> str:
    """What became of the confirmation's email, when this browser has just placed the hold
    ("" otherwise, and on every later visit)."""
    placed = session.get(JUST_PLACED)
    if not placed or placed.get("hold") != hold.id:
        return ""
    session.pop(JUST_PLACED)
    return str(placed.get("mailing") or "none")


def unknown_link() -> ResponseReturnValue:
    page = render_template("public/unknown_hold_link.html")
    return make_response(page, 404)

"""Signing up for an event with a number of places: /events/<id>/sign-up, the form (the
waiting list once the date is full); once sent, the sign-up's own page at its private link,
/sign-ups/<token>, is the confirmation, with "Cancel my place" (a page that asks, then a
POST). Kept private like a hold's page (hold_page_routes.PRIVATE_ENDPOINTS, web/logs.py)."""

from datetime import datetime

from flask import (
    abort,
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

from firestorm.events import planning, signing_up
from firestorm.events.models import Event
from firestorm.events.sign_up_models import SignUp
from firestorm.extensions import limiter
from firestorm.outbox import queue
from firestorm.outbox.models import LINK_PLACEHOLDER
from firestorm.public import bp
from firestorm.public.about_routes import Contact
from firestorm.public.hold_routes import Mailing, confirmation_allowed, customer_form_page
from firestorm.public.sign_up_forms import SignUpForm
from firestorm.web import clock, transaction
from firestorm.web.site_address import absolute_url

# In the session of the browser that just signed up: the sign-up's id and what became of its
# email, said once on the page the form's redirect opens.
JUST_SIGNED_UP = "just_signed_up"


@bp.get("/events/<id:event_id>/sign-up")
def sign_up_form(event_id: int) -> ResponseReturnValue:
    try:
        event, starts_at = signing_up.event_date(
            event_id, request.args.get("date"), clock.store_timezone()
        )
    except signing_up.NoSuchDate:
        abort(404)
    except signing_up.TakesNoSignUps:
        return to_the_events_page(event_id)
    left = signing_up.places_left(event, starts_at)
    if not signing_up.open_for_sign_ups(event, starts_at, clock.current_time()):
        return to_the_events_page(event_id)
    return form_page(event, starts_at, SignUpForm.blank(starts_at, full=left == 0), left)


@bp.post("/events/<id:event_id>/sign-up")
@limiter.limit(lambda: current_app.config["EVENT_SIGNUP_LIMIT"])
def sign_up(event_id: int) -> ResponseReturnValue:
    form = SignUpForm()
    try:
        signed = signing_up.sign_up(
            event_id,
            form.date.data,
            form.typed(),
            form.request_key.data or "",
            clock.current_time(),
            current_app.config["SECRET_KEY"],
            clock.store_timezone(),
        )
    except signing_up.NoSuchDate:
        abort(404)
    except signing_up.TakesNoSignUps:
        return to_the_events_page(event_id)
    except signing_up.SignUpRefused as refused:
        transaction.discard_changes()
        form.show(refused)
        event, starts_at = signing_up.event_date(event_id, form.date.data, clock.store_timezone())
        return form_page(event, starts_at, form, refused.left, 422)
    if signed.link_token is None:
        return signed_before()
    if signed.is_new:
        mailing = send_confirmation(signed.sign_up, signed.event, signed.link_token)
        session[JUST_SIGNED_UP] = {"sign_up": signed.sign_up.id, "mailing": mailing.value}
    return redirect(url_for(".sign_up_page", sign_up_token=signed.link_token), 303)


@bp.get("/sign-ups/<sign_up_token>")
def sign_up_page(sign_up_token: str) -> ResponseReturnValue:
    signed = signing_up.sign_up_by_token(sign_up_token)
    if signed is None:
        return unknown_link()
    return render_template(
        "public/sign_up_page.html",
        **page_values(signed, sign_up_token),
        mailing=just_signed_up(signed),
    )


@bp.get("/sign-ups/<sign_up_token>/cancel")
def cancel_sign_up_form(sign_up_token: str) -> ResponseReturnValue:
    signed = signing_up.sign_up_by_token(sign_up_token)
    if signed is None:
        return unknown_link()
    if not signed.is_open:
        return redirect(url_for(".sign_up_page", sign_up_token=sign_up_token), 303)
    return render_template("public/cancel_sign_up.html", **page_values(signed, sign_up_token))


@bp.post("/sign-ups/<sign_up_token>/cancel")
@limiter.limit(lambda: current_app.config["EVENT_SIGNUP_CANCEL_LIMIT"])
def cancel_sign_up(sign_up_token: str) -> ResponseReturnValue:
    signed = signing_up.sign_up_by_token(sign_up_token)
    if signed is None:
        return unknown_link()
    try:
        moved_up = signing_up.cancel_by_the_person(signed, clock.current_time())
    except signing_up.CannotCancel:
        problem = "This sign-up was already cancelled."
        values = page_values(signed, sign_up_token)
        return render_template("public/sign_up_page.html", **values, problem=problem), 409
    for someone in moved_up:
        tell_moved_up(someone)
    return redirect(url_for(".sign_up_page", sign_up_token=sign_up_token), 303)


def to_the_events_page(event_id: int) -> Response:
    """Nothing to sign up for (no number of places, started, cancelled): its page says so."""
    return redirect(url_for(".event_page", event_id=event_id), 303)


def form_page(
    event: Event, starts_at: datetime, form: SignUpForm, left: int, status: int = 200
) -> Response:
    return customer_form_page(
        "public/sign_up_form.html", status, event=event, starts_at=starts_at, form=form, left=left
    )


def page_values(signed: SignUp, sign_up_token: str) -> dict:
    """What the sign-up's page and the cancel page show: never the person's details."""
    event = planning.get_event(signed.event_id)
    return {
        "sign_up": signed,
        "event": event,
        "link": absolute_url("public.sign_up_page", sign_up_token=sign_up_token),
        "sign_up_token": sign_up_token,
        "contact": Contact.from_config(current_app.config),
    }


def just_signed_up(signed: SignUp) -> str:
    """What became of the confirmation's email, when this browser has just signed up ("" on
    every later visit)."""
    signed_now = session.get(JUST_SIGNED_UP)
    if not signed_now or signed_now.get("sign_up") != signed.id:
        return ""
    session.pop(JUST_SIGNED_UP)
    return str(signed_now.get("mailing") or Mailing.NONE)


def send_confirmation(signed: SignUp, event: Event, sign_up_token: str) -> Mailing:
    """The confirmation in the outbox with its private link (the outbox's secret link), when
    the address has not had its confirmations for today (hold_routes.confirmation_allowed)."""
    about = f"the confirmation of event sign-up {signed.id}"
    mailing = confirmation_allowed(signed.customer_email, about)
    if mailing == Mailing.SENT:
        mail_about(signed, event, "public/sign_up_confirmation.txt", about, sign_up_token)
    return mailing


def tell_moved_up(signed: SignUp) -> None:
    """A place came free for someone on the waiting list: told by email, when the site sends
    mail and they gave an address (the desk calls the others)."""
    token = signing_up.link_made_again(signed, current_app.config["SECRET_KEY"])
    event = planning.get_event(signed.event_id)
    assert event is not None  # the sign-up's own event
    about = f"the news that event sign-up {signed.id} moved up"
    mail_about(signed, event, "public/sign_up_moved_up.txt", about, token)


def mail_about(
    signed: SignUp, event: Event, template: str, about: str, sign_up_token: str | None
) -> None:
    config = current_app.config
    link = (
        absolute_url("public.sign_up_page", sign_up_token=sign_up_token) if sign_up_token else None
    )
    queue.enqueue(
        config,
        to=signed.customer_email,
        subject=f"{event.title} at {config['STORE_NAME']}: "
        + ("your place" if not signed.is_waiting else "the waiting list"),
        body=render_template(
            template, sign_up=signed, event=event, link=LINK_PLACEHOLDER if link else ""
        ),
        about=about,
        now=clock.current_time(),
        link=link,
    )


def signed_before() -> Response:
    """The same form sent again after the site's secret changed (its link can't be made
    again)."""
    explanation = (
        "We already have this sign-up. Its page's link is in the email we sent, or on the "
        "page that opened when you first sent the form."
    )
    page = render_template(
        "errors/error.html", code=200, title="We have your sign-up", explanation=explanation
    )
    return make_response(page)


def unknown_link() -> Response:
    return make_response(render_template("public/unknown_sign_up_link.html"), 404)

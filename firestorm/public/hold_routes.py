""" "Hold a copy for pickup" and "Ask us to order it": /books/<id>/hold, the form; once sent, the
hold's own page (hold_page_routes.py) is the confirmation, and its private link is mailed to the
address given unless that address has had its hold emails for today."""

import enum

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
from flask_limiter import RateLimitExceeded
from limits.strategies import MovingWindowRateLimiter
from werkzeug.wrappers import Response

from firestorm import mail
from firestorm.catalog.models import Book
from firestorm.extensions import limiter
from firestorm.holds import following, mail_allowance, pickup, placing
from firestorm.holds.models import Hold, HoldKind
from firestorm.outbox import queue
from firestorm.outbox.models import LINK_PLACEHOLDER
from firestorm.public import bp
from firestorm.public.hold_forms import HoldForm
from firestorm.public.hold_page_routes import JUST_PLACED, kept_private
from firestorm.web import clock, transaction
from firestorm.web.site_address import absolute_url


@bp.get("/books/<id:book_id>/hold")
def hold_form(book_id: int) -> ResponseReturnValue:
    try:
        book, free = placing.book_to_hold(book_id)
    except placing.NoSuchBook:
        abort(404)
    return form_page(book, HoldForm.blank(free.kind_offered), free.available)


@bp.post("/books/<id:book_id>/hold")
@limiter.limit(lambda: current_app.config["HOLD_LIMIT"])
def place_hold(book_id: int) -> ResponseReturnValue:
    form = HoldForm()
    try:
        placed = placing.place_request(
            book_id,
            form.typed(),
            form.request_key.data or "",
            clock.current_time(),
            current_app.config["SECRET_KEY"],
        )
    except placing.NoSuchBook:
        abort(404)
    except placing.HoldRefused as refused:
        transaction.discard_changes()
        form.show(refused)
        return form_page(placing.public_book(book_id), form, refused.available, 422)
    return to_the_holds_page(placed)


def to_the_holds_page(placed: placing.Placed) -> ResponseReturnValue:
    """After a hold or an order is placed: its confirmation mailed, and the customer sent on
    (POST/redirect/GET) to the hold's own page, at an address to keep."""
    if placed.link_token is None:
        return placed_before(placed.hold)
    if placed.is_new:
        # Said once, on the page the redirect opens: the same form sent again mails nobody.
        mailing = send_confirmation(placed.hold, confirmation_words(placed), placed.link_token)
        session[JUST_PLACED] = {"hold": placed.hold.id, "mailing": mailing.value}
    return kept_private(redirect(url_for("public.hold_page", link_token=placed.link_token), 303))


def placed_before(hold: Hold) -> ResponseReturnValue:
    """The same form sent again after the site's secret changed (its link can't be made again)."""
    explanation = (
        f"We already have this {hold.kind}: its reference is {hold.reference}. Its page's link "
        "is in the email we sent, or on the page that opened when you first sent the form."
    )
    page = render_template(
        "errors/error.html", code=200, title=f"We have your {hold.kind}", explanation=explanation
    )
    return kept_private(make_response(page))


# The limits on the public pages, each said in its words: placing holds, cancelling them.
TOO_MANY = {
    "public.place_hold": (
        "Too many holds at once",
        "Many holds have been sent from your address in the last hour, so we can't take "
        "another one from here just now. Please try again later, or call or visit us.",
    ),
    "public.place_order": (
        "Too many orders at once",
        "Many orders have been sent from your address in the last hour, so we can't take "
        "another one from here just now. Please try again later, or call or visit us.",
    ),
    "public.cancel_hold": (
        "Too many cancellations at once",
        "Many holds have been cancelled from your address in the last hour, so we can't "
        "cancel another one from here just now. Please try again later, or call or visit us.",
    ),
    "public.sign_up": (
        "Too many sign-ups at once",
        "Many sign-ups have been sent from your address in the last hour, so we can't take "
        "another one from here just now. Please try again later, or call or visit us.",
    ),
    "public.cancel_sign_up": (
        "Too many cancellations at once",
        "Many sign-ups have been cancelled from your address in the last hour, so we can't "
        "cancel another one from here just now. Please try again later, or call or visit us.",
    ),
}


@bp.errorhandler(RateLimitExceeded)
def too_many_holds(error: RateLimitExceeded) -> ResponseReturnValue:
    title, explanation = TOO_MANY[request.endpoint or ""]
    page = render_template("errors/error.html", code=429, title=title, explanation=explanation)
    return page, 429


def form_page(book: Book, form: HoldForm, available: int, status: int = 200) -> ResponseReturnValue:
    return customer_form_page(
        "public/hold_form.html", status, book=book, form=form, available=available
    )


def customer_form_page(template: str, status: int, **context: object) -> Response:
    """A form a customer fills in (a hold, an order), saying whether we will email them."""
    page = render_template(template, sends_mail=mail.mail_configured(current_app.config), **context)
    response = make_response(page, status)
    # The form carries its visitor's CSRF token: never cached.
    response.headers["Cache-Control"] = "no-store"
    return response


def confirmation_words(placed: placing.Placed) -> dict:
    """What the confirmation email says (the hold's page says it from its state)."""
    config = current_app.config
    hold, book = placed.hold, placed.book
    reach_us = pickup.how_to_reach_us(config["STORE_PHONE"], config["STORE_EMAIL"], hold.reference)
    if hold.is_special_order:
        steps = pickup.special_order_next_steps(reach_us)
    elif hold.kind == HoldKind.ORDER:
        steps = pickup.order_next_steps(reach_us)
    else:
        steps = pickup.hold_next_steps(
            clock.current_schedule(), hold.created_at, config["HOLD_DAYS"], reach_us
        )
    asked = following.what_was_asked(hold, book)
    return {"hold": hold, "book": book, "steps": steps, "asked": asked}


class Mailing(enum.StrEnum):
    """What became of the confirmation's email, as the confirmation page says it."""

    SENT = "sent"
    # The address has had its hold emails for today (HOLD_EMAIL_LIMIT): the hold stands.
    WITHHELD = "withheld"
    # The site sends no mail at all: the page says so, and to keep the reference.
    NO_MAIL = "no mail"
    # The customer gave no address, or this form was sent before.
    NONE = "none"


def confirmation_allowed(address: str, about: str) -> Mailing:
    """SENT when a confirmation may go to `address` now (one more counted against its
    HOLD_EMAIL_LIMIT, holds/mail_allowance.py: whoever sends a public form, from wherever, a
    stranger's inbox gets a few of them at most); otherwise why none goes."""
    config = current_app.config
    if not mail.mail_configured(config):
        return Mailing.NO_MAIL
    if not queue.will_send(config, address):
        return Mailing.NONE
    counter = MovingWindowRateLimiter(current_app.extensions["hold_emails"])
    if not mail_allowance.may_mail(counter, address, config["HOLD_EMAIL_LIMIT"], about):
        return Mailing.WITHHELD
    return Mailing.SENT


def send_confirmation(hold: Hold, confirmation: dict, link_token: str) -> Mailing:
    """Put the confirmation in the outbox with the hold (it goes after the response), if their
    address has not had its hold emails for today (holds/mail_allowance.py): whoever sends the
    form, from wherever, a stranger's inbox gets a few of them at most. The hold's private
    link is the outbox's secret link: kept apart from the body, and only until it is sent."""
    config = current_app.config
    about = f"the confirmation of {hold.kind} {hold.reference}"
    mailing = confirmation_allowed(hold.customer_email, about)
    if mailing != Mailing.SENT:
        return mailing
    unasked = pickup.if_you_did_not_ask(
        hold.kind,
        pickup.ends_once_ready(hold.kind, config["HOLD_DAYS"]),
        config["STORE_PHONE"],
        config["STORE_EMAIL"],
    )
    queue.enqueue(
        config,
        to=hold.customer_email,
        subject=f"Your {hold.kind} at {config['STORE_NAME']}: {hold.reference}",
        body=render_template(
            "public/hold_confirmation.txt", unasked=unasked, link=LINK_PLACEHOLDER, **confirmation
        ),
        about=about,
        now=clock.current_time(),
        link=absolute_url("public.hold_page", link_token=link_token),
    )
    return Mailing.SENT

""" "Hold a copy for pickup" and "Ask us to order it": /books/<id>/hold, the form and its
confirmation, which says when to come in terms of the opening hours, and is mailed to the
address given unless that address has had its hold emails for today."""

import enum

from flask import Response, abort, current_app, make_response, render_template
from flask.typing import ResponseReturnValue
from flask_limiter import RateLimitExceeded
from limits.strategies import MovingWindowRateLimiter

from firestorm import mail
from firestorm.catalog.models import Book
from firestorm.extensions import limiter
from firestorm.holds import mail_allowance, pickup, placing
from firestorm.holds.models import Hold, HoldKind
from firestorm.outbox import queue
from firestorm.public import bp
from firestorm.public.hold_forms import HoldForm
from firestorm.web import clock, transaction


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
            book_id, form.typed(), form.request_key.data or "", clock.current_time()
        )
    except placing.NoSuchBook:
        abort(404)
    except placing.HoldRefused as refused:
        transaction.discard_changes()
        form.show(refused)
        return form_page(placing.public_book(book_id), form, refused.available, 422)
    confirmation = confirmation_words(placed)
    # A form sent again shows the hold it made the first time, and mails nobody again.
    mailing = send_confirmation(placed.hold, confirmation) if placed.is_new else Mailing.NONE
    page = render_template("public/hold_confirmation.html", mailing=mailing, **confirmation)
    return private(make_response(page))


@bp.errorhandler(RateLimitExceeded)
def too_many_holds(error: RateLimitExceeded) -> ResponseReturnValue:
    """The only limit on the public pages is the one on placing holds: said in its words."""
    explanation = (
        "Many holds have been sent from your address in the last hour, so we can't take "
        "another one from here just now. Please try again later, or call or visit us."
    )
    page = render_template(
        "errors/error.html", code=429, title="Too many holds at once", explanation=explanation
    )
    return page, 429


def form_page(book: Book, form: HoldForm, available: int, status: int = 200) -> ResponseReturnValue:
    page = render_template(
        "public/hold_form.html",
        book=book,
        form=form,
        available=available,
        sends_mail=mail.mail_configured(current_app.config),
    )
    return private(make_response(page, status))


def private(response: Response) -> Response:
    # The form carries its visitor's CSRF token, the confirmation their hold: never cached.
    response.headers["Cache-Control"] = "no-store"
    return response


def confirmation_words(placed: placing.Placed) -> dict:
    """What the confirmation page and its email both say."""
    config = current_app.config
    hold, book = placed.hold, placed.book
    reach_us = pickup.how_to_reach_us(config["STORE_PHONE"], config["STORE_EMAIL"], hold.reference)
    if hold.kind == HoldKind.ORDER:
        steps = pickup.order_next_steps(reach_us)
    else:
        steps = pickup.hold_next_steps(
            clock.current_schedule(), hold.created_at, config["HOLD_DAYS"], reach_us
        )
    asked = pickup.request_in_words(hold.kind, hold.quantity, book.title, book.author_names)
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


def send_confirmation(hold: Hold, confirmation: dict) -> Mailing:
    """Put the confirmation in the outbox with the hold (it goes after the response), if their
    address has not
    had its hold emails for today (holds/mail_allowance.py): whoever sends the form, from
    wherever, a stranger's inbox gets a few of them at most."""
    config = current_app.config
    if not mail.mail_configured(config):
        return Mailing.NO_MAIL
    if not queue.will_send(config, hold.customer_email):
        return Mailing.NONE
    about = f"the confirmation of {hold.kind} {hold.reference}"
    counter = MovingWindowRateLimiter(current_app.extensions["hold_emails"])
    if not mail_allowance.may_mail(counter, hold.customer_email, config["HOLD_EMAIL_LIMIT"], about):
        return Mailing.WITHHELD
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
        body=render_template("public/hold_confirmation.txt", unasked=unasked, **confirmation),
        about=about,
        now=clock.current_time(),
    )
    return Mailing.SENT

"""A hold the customer can follow: the private link to its own page (a token only its hash of
is kept), what the page says of the hold in each state, and the customer cancelling it."""

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from firestorm.catalog import isbn
from firestorm.catalog.models import Authorship, Book
from firestorm.database import db
from firestorm.holds import desk
from firestorm.holds.models import CANCELLED_BY_THE_CUSTOMER, OPEN_STATES, Hold, HoldKind, HoldState
from firestorm.holds.pickup import (
    hold_next_steps,
    order_next_steps,
    request_in_words,
    special_order_next_steps,
)
from firestorm.holds.ready_notice import from_when, until_when
from firestorm.shop.hours import Schedule, format_date

# Longer than any token we hand out (43 characters); anything longer is not worth hashing.
TOKEN_MAX_LENGTH = 100
# What the link's HMAC is for, so the same secret signs nothing else the same way.
LINK_PURPOSE = b"firestorm hold page\x00"

log = logging.getLogger(__name__)


def link_token(request_key: str, secret: str | bytes, purpose: bytes = LINK_PURPOSE) -> str:
    """The token in the hold's private link (or, with another `purpose`, another page's, such
    as an event sign-up's): 256 bits, unguessable without the site's secret.

    It is derived from the form's request key rather than drawn at random so that the same
    form sent twice (a double click, Back and send again) leads to the same page: only the
    token's hash is stored, so a token drawn the first time could not be shown the second."""
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, purpose + request_key.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_made_again(hold: Hold, secret: str | bytes) -> str | None:
    """The token of the hold's private link, made again from its request key; None when it
    can't be (the site's secret has changed since, or the hold was placed before such links)."""
    token = link_token(hold.request_key, secret)
    return token if hold.private_link_hash == token_hash(token) else None


def hold_by_token(token: str) -> Hold | None:
    """The hold whose private link carries `token`, with its book and authors; None for a token
    nobody was given."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return db.session.scalar(
        select(Hold)
        .where(Hold.private_link_hash == token_hash(token))
        .options(joinedload(Hold.book).selectinload(Book.authorships).joinedload(Authorship.author))
        .execution_options(populate_existing=True)
    )


def what_was_asked(hold: Hold, book: Book | None) -> str:
    """ "2 copies of “Dispersing Power” by Raúl Zibechi, held for pickup." for a hold of `book`
    (the hold's, with its authors), or a special order's book as the customer named it, with
    the format and ISBN they gave."""
    if book is not None:
        return request_in_words(hold.kind, hold.quantity, book.title, book.author_names)
    details = [hold.asked_format] if hold.asked_format else []
    details += [f"ISBN {isbn.hyphenated(hold.asked_isbn)}"] if hold.asked_isbn else []
    authors = [hold.asked_author] if hold.asked_author else []
    return request_in_words(hold.kind, hold.quantity, hold.asked_title, authors, ", ".join(details))


@dataclass(frozen=True)
class HoldNews:
    """The hold's state as its page says it: the state in a few words ("Ready for pickup"),
    the sentence that says what comes next, the ones after it, and whether the customer is
    still to come (then the page shows the hours and the way to cancel)."""

    state: str
    headline: str
    details: tuple[str, ...] = ()
    still_to_come: bool = False


def news_of(hold: Hold, schedule: Schedule, now: datetime, hold_days: int) -> HoldNews:
    """What the hold's page says of it at `now`. Never the customer's details: anyone the link
    reaches reads it; once the purge erased them, not even the book."""
    what = "order" if hold.kind == HoldKind.ORDER else "hold"
    if hold.erased_at is not None:
        return HoldNews("Ended", f"This {what} has ended, and we have erased its details.")
    if hold.state == HoldState.NEW:
        return _news_while_new(hold, schedule, now, hold_days)
    if hold.state == HoldState.READY:
        held_until = desk.held_until(hold, hold_days)
        assert held_until is not None  # a ready hold has its ready_at (the schema's rule)
        return HoldNews(
            "Ready for pickup",
            f"Come by {from_when(schedule, now)}, until {until_when(schedule, now, held_until)}.",
            (
                "Give your reference at the counter; you pay when you pick it up. If nobody "
                "comes by then, it goes back on the shelf.",
            ),
            still_to_come=True,
        )
    assert hold.ended_at is not None  # every ended hold has its end (the schema's rule)
    return _news_once_ended(
        hold, what, format_date(hold.ended_at.astimezone(schedule.timezone).date())
    )


def _news_while_new(hold: Hold, schedule: Schedule, now: datetime, hold_days: int) -> HoldNews:
    if hold.kind == HoldKind.ORDER:
        steps = special_order_next_steps("") if hold.is_special_order else order_next_steps("")
        details = tuple(sentence for sentence in steps.details if sentence)
        return HoldNews("We're ordering it", steps.headline, details, still_to_come=True)
    steps = hold_next_steps(schedule, now, hold_days, "")
    # pickup.py's sentences end with how to reach us: the page shows that apart, with links.
    details = tuple(sentence for sentence in steps.details if sentence)
    return HoldNews("We're putting it aside", steps.headline, details, still_to_come=True)


def _news_once_ended(hold: Hold, what: str, day: str) -> HoldNews:
    if hold.state == HoldState.COLLECTED:
        return HoldNews("Collected", f"You picked it up on {day}. Thank you!")
    if hold.state == HoldState.CANCELLED and hold.cancelled_by_the_customer:
        return HoldNews("Cancelled by you", f"You cancelled this {what} on {day}.")
    if hold.state == HoldState.CANCELLED:
        return HoldNews(
            "Cancelled by the shop",
            f"We cancelled this {what} on {day}.",
            ("If you didn't expect this, please get in touch with us.",),
        )
    return HoldNews(
        "Expired",
        f"This {what} ended on {day}: nobody came for it in time, so it went back on the shelf.",
    )


class CannotCancel(Exception):
    """The hold is no longer new or ready: someone at the shop moved it on first."""


def cancel_by_the_customer(hold: Hold, now: datetime) -> Hold:
    """The customer cancels their own hold from its page, new or ready: its copies are free to
    hold again at once (the stock counts only open holds), and the desk reads that the
    customer cancelled it (no member, CANCELLED_BY_THE_CUSTOMER). One conditional UPDATE, like
    the desk's steps: of the customer and a member at once, the database lets one through."""
    cancelled = db.session.execute(
        update(Hold)
        .where(Hold.id == hold.id, Hold.state.in_(OPEN_STATES))
        .values(
            state=HoldState.CANCELLED,
            ended_at=now,
            cancel_reason=CANCELLED_BY_THE_CUSTOMER,
            handled_by_id=None,
        )
        .returning(Hold.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    db.session.refresh(hold)
    if cancelled is None:
        raise CannotCancel(hold.reference)
    log.info("%s %s cancelled by the customer", hold.kind, hold.reference)
    return hold

"""Special orders: any book a customer names on /order, the catalog's or not, asked for by
title (author, ISBN and format when they know them); and the desk attaching such an order to a
book of the catalog once it is added."""

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import update

from firestorm import typed_text
from firestorm.catalog import isbn
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.holds import following
from firestorm.holds.desk import DeskProblem, HoldGone, MovedMeanwhile, hold_for_desk
from firestorm.holds.models import OPEN_STATES, Hold, HoldKind
from firestorm.holds.pickup import copies
from firestorm.holds.placing import (
    MISSING_PIECE,
    REQUEST_KEY_SHAPE,
    SENT_FOR_ANOTHER_BOOK,
    HoldRefused,
    HoldRequest,
    Placed,
    customer_problems,
    new_reference,
    order_quantity_problems,
    placed_before,
)

TITLE_MAX_LENGTH = 200
AUTHOR_MAX_LENGTH = 200
FORMAT_MAX_LENGTH = 80

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SpecialOrderRequest:
    """The book as the customer names it, and who they are (`customer`, an order's request)."""

    title: str
    author: str
    isbn: str
    format: str
    customer: HoldRequest

    def tidied(self) -> "SpecialOrderRequest":
        return replace(
            self,
            title=typed_text.one_line(self.title),
            author=typed_text.one_line(self.author),
            isbn=typed_text.one_line(self.isbn),
            format=typed_text.one_line(self.format),
            customer=self.customer.tidied(),
        )


def place_special_order(
    typed: SpecialOrderRequest, request_key: str, now: datetime, link_secret: str | bytes
) -> Placed:
    """An order for the book the customer named, with no book of the catalog until the desk
    attaches one; its private link made as a hold's is (placing.place_request). A form sent
    twice finds its order by its key."""
    if not REQUEST_KEY_SHAPE.fullmatch(request_key or ""):
        raise HoldRefused({"": MISSING_PIECE}, 0)
    earlier, token = placed_before(request_key, link_secret)
    if earlier is not None and earlier.is_special_order and earlier.book_id is None:
        return Placed(earlier, None, is_new=False, link_token=token)
    if earlier is not None:
        raise HoldRefused({"": SENT_FOR_ANOTHER_BOOK}, 0)
    typed = typed.tidied()
    problems = book_problems(typed) | customer_problems(typed.customer)
    problems |= order_quantity_problems(typed.customer.quantity)
    if problems:
        raise HoldRefused(problems, 0)
    token = following.link_token(request_key, link_secret)
    order = Hold(
        reference=new_reference(),
        request_key=request_key,
        private_link_hash=following.token_hash(token),
        book_id=None,
        kind=HoldKind.ORDER,
        quantity=typed.customer.quantity,
        asked_title=typed.title,
        asked_author=typed.author,
        asked_isbn=(isbn.to_isbn13(typed.isbn) or "") if typed.isbn else "",
        asked_format=typed.format,
        customer_name=typed.customer.name,
        customer_email=typed.customer.email,
        customer_phone=typed.customer.phone,
        note=typed.customer.note,
        created_at=now,
    )
    db.session.add(order)
    db.session.flush()
    # The title is no customer's detail, but the log names the order by its reference alone.
    log.info("special order %s placed, %s", order.reference, copies(order.quantity))
    return Placed(order, None, is_new=True, link_token=token)


def book_problems(typed: SpecialOrderRequest) -> dict[str, str]:
    """What is wrong with the book as the customer named it."""
    problems = {}
    if not typed.title:
        problems["title"] = "Give the book's title, as near as you know it."
    elif len(typed.title) > TITLE_MAX_LENGTH:
        problems["title"] = f"Keep the title under {TITLE_MAX_LENGTH} characters."
    if len(typed.author) > AUTHOR_MAX_LENGTH:
        problems["author"] = f"Keep the author's name under {AUTHOR_MAX_LENGTH} characters."
    if typed.isbn and (isbn_problem := isbn.problem(typed.isbn)):
        problems["isbn"] = isbn_problem
    if len(typed.format) > FORMAT_MAX_LENGTH:
        problems["format"] = f"Keep the format under {FORMAT_MAX_LENGTH} characters."
    return problems


# --- At the desk --------------------------------------------------------------------------------


def attach_book(hold_id: int, book_id: int | None, member_id: int) -> Hold:
    """The special order is for this book of the catalog, now that it is in it: from here on it
    is an order like those placed from a book's page (its copies never counted as free to
    hold). What the customer typed stays, for the desk. Only an open order with no book yet:
    one UPDATE on that, so of two members attaching at once, one does."""
    book = db.session.get(Book, book_id) if book_id is not None else None
    if book is None:
        raise DeskProblem("That book is no longer in the catalog: choose another.", "book")
    attached = db.session.execute(
        update(Hold)
        .where(Hold.id == hold_id, Hold.book_id.is_(None), Hold.state.in_(OPEN_STATES))
        .values(book_id=book_id, handled_by_id=member_id)
        .returning(Hold.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    hold = hold_for_desk(hold_id)
    if hold is None:
        raise HoldGone(hold_id)
    if attached is None:
        raise MovedMeanwhile(_why_not_attached(hold))
    log.info("order %s attached to book %d by user %d", hold.reference, book_id, member_id)
    return hold


def _why_not_attached(hold: Hold) -> str:
    if hold.book is not None:
        return f"This order is already for “{hold.book.title}”."
    return f"This order is {hold.state}: there is nothing to attach any more."

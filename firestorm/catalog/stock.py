"""Stock: how many copies are on the shelf, in the shop's words, and every change to it, logged
with who, when, by how much and why. Never below zero, even with two members at once."""

import logging
from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.orm import selectinload

from firestorm import typed_text
from firestorm.catalog.models import Book, StockChange
from firestorm.database import db
from firestorm.pagination import Page, paginate
from firestorm.refusals import Refusal

REASON_MAX_LENGTH = 200
# More copies than any shop shelves: a typo (a barcode in the count field), not a delivery.
LARGEST_STOCK = 100_000
COUNT_RULE = f"Give a number of copies from 0 to {LARGEST_STOCK:,}."
# What +1 and -1 log without asking: the everyday reasons at the till.
ONE_COPY_REASONS = {1: "Delivery", -1: "Sold or given away"}

log = logging.getLogger(__name__)


class StockProblem(Refusal):
    """A change the rules refuse, said in words the member can act on; `field` names what was
    typed wrong ("count" or "reason"), or is None when it is the change itself."""


def stock_in_words(stock: int) -> str:
    if stock <= 0:
        return "Out of stock — ask us to order it"
    if stock == 1:
        return "1 copy in stock"
    return f"{stock} copies in stock"


def change_stock(
    book_id: int, delta: int, reason: str, member_id: int | None, now: datetime
) -> StockChange:
    """Add copies (delta > 0) or take them off (delta < 0).

    One conditional UPDATE: of two members taking the last copy at the same moment, the
    database lets one through and the other finds nothing left to take.
    """
    reason = _checked_reason(reason)
    stock_after = db.session.execute(
        update(Book)
        .where(Book.id == book_id, Book.stock + delta >= 0, Book.stock + delta <= LARGEST_STOCK)
        .values(stock=Book.stock + delta)
        .returning(Book.stock)
    ).scalar_one_or_none()
    if stock_after is None:
        raise StockProblem(_refusal(book_id, delta))
    return _logged(book_id, delta, stock_after, reason, member_id, now)


def change_stock_by_one(
    book_id: int, delta: int | None, member_id: int | None, now: datetime
) -> StockChange:
    """+1 (a delivery) or -1 (sold or given away): the buttons, which need no typing."""
    if delta not in ONE_COPY_REASONS:
        raise StockProblem("Add or take off one copy with the +1 and −1 buttons.")
    return change_stock(book_id, delta, ONE_COPY_REASONS[delta], member_id, now)


def set_stock(
    book_id: int, count: int | None, reason: str, member_id: int | None, now: datetime
) -> StockChange | None:
    """Set the count after counting the shelf; None when it was right already. A count of
    None is what the form makes of something that is not a number.

    The row is locked while it is read and written (SQLite's write requests are serialised
    already), so a change landing meanwhile is never overwritten unlogged.
    """
    if count is None or not 0 <= count <= LARGEST_STOCK:
        raise StockProblem(COUNT_RULE, "count")
    reason = _checked_reason(reason)
    before = db.session.scalar(select(Book.stock).where(Book.id == book_id).with_for_update())
    if before is None:
        raise StockProblem("This book is no longer in the catalog.")
    if count == before:
        return None
    db.session.execute(update(Book).where(Book.id == book_id).values(stock=count))
    return _logged(book_id, count - before, count, reason, member_id, now)


def _checked_reason(reason: str) -> str:
    reason = typed_text.one_line(reason)
    if not reason:
        raise StockProblem("Say why the stock changes (a delivery, a sale, a count).", "reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise StockProblem(f"Keep the reason under {REASON_MAX_LENGTH} characters.", "reason")
    return reason


def _refusal(book_id: int, delta: int) -> str:
    stock = db.session.scalar(select(Book.stock).where(Book.id == book_id))
    if stock is None:
        return "This book is no longer in the catalog."
    if delta < 0 and stock == 0:
        return "No copies left to take off: the stock is at zero and can't go below."
    if delta < 0:
        copies = "1 copy" if stock == 1 else f"{stock} copies"
        return f"Only {copies} in stock: the stock can't go below zero."
    return f"That would make more than {LARGEST_STOCK:,} copies: check the number."


def _logged(
    book_id: int, delta: int, stock_after: int, reason: str, member_id: int | None, now: datetime
) -> StockChange:
    change = StockChange(
        book_id=book_id,
        changed_by_id=member_id,
        delta=delta,
        stock_after=stock_after,
        reason=reason,
        created_at=now,
    )
    db.session.add(change)
    db.session.flush()
    # The book, if loaded, shows the new figure.
    book = db.session.get(Book, book_id)
    db.session.refresh(book, ["stock"])
    log.info(
        "Stock of book %d: %+d to %d (%s) by %s",
        book_id,
        delta,
        stock_after,
        reason,
        f"user {member_id}" if member_id else "the command line",
    )
    return change


def _history(book_id: int) -> Select[StockChange]:
    return (
        select(StockChange)
        .where(StockChange.book_id == book_id)
        .options(selectinload(StockChange.changed_by))
        .order_by(StockChange.created_at.desc(), StockChange.id.desc())
    )


def stock_history(book_id: int, limit: int = 200) -> list[StockChange]:
    """The book's stock changes, newest first, with who made them."""
    return list(db.session.scalars(_history(book_id).limit(limit)))


def book_with_stock_history(book_id: int, page: int, per_page: int) -> tuple[Book, Page] | None:
    """A book (hidden ones too: the collective still counts them) and one page of its stock
    changes, newest first, with who made them."""
    book = db.session.get(Book, book_id)
    if book is None:
        return None
    return book, paginate(_history(book_id), page, per_page)

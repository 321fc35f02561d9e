"""Copies free to hold: a book's stock minus the copies already put aside on open holds.

Orders are not counted: they are for copies the shop does not have yet.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Select, func, select

from firestorm.catalog.models import Book
from firestorm.catalog.stock import stock_in_words
from firestorm.database import db
from firestorm.holds.models import OPEN_STATES, Hold, HoldKind


@dataclass(frozen=True)
class Availability:
    """A book's copies: on the shelf (stock), put aside on holds, and free to hold."""

    stock: int
    on_hold: int

    @property
    def available(self) -> int:
        # Stock taken off at the till while copies are held can leave fewer on the shelf
        # than are held: then none are free, never a negative number.
        return max(self.stock - self.on_hold, 0)

    @property
    def kind_offered(self) -> HoldKind:
        """What the book page offers the public: a copy to hold while one is free, else an order."""
        return HoldKind.HOLD if self.available else HoldKind.ORDER

    @property
    def in_words(self) -> str:
        """What a customer can do, as the public pages say it: "3 copies in stock", "1 copy
        free to hold (2 on hold)", "All 3 copies are on hold — ask us to order one", "Out of
        stock — ask us to order it"."""
        if not self.stock or not self.on_hold:
            return stock_in_words(self.stock)
        if not self.available:
            if self.stock == 1:
                return "Our only copy is on hold — ask us to order one"
            return f"All {self.stock} copies are on hold — ask us to order one"
        copies = "1 copy" if self.available == 1 else f"{self.available} copies"
        return f"{copies} free to hold ({self.on_hold} on hold)"


def _copies_on_hold(book_ids: Iterable[int]) -> Select[int, int]:
    # Holds with no book (special orders) are left out by the IN: every row has a book_id.
    return cast(
        "Select[int, int]",
        select(Hold.book_id, func.sum(Hold.quantity))
        .where(
            Hold.book_id.in_(book_ids),
            Hold.kind == HoldKind.HOLD,
            Hold.state.in_(OPEN_STATES),
        )
        .group_by(Hold.book_id),
    )


def copies_on_hold(book_id: int) -> int:
    """The copies of one book put aside on new and ready holds."""
    return copies_on_hold_by_book([book_id]).get(book_id, 0)


def copies_on_hold_by_book(book_ids: Iterable[int]) -> dict[int, int]:
    """Copies on hold for each of the books, in one query; books with none are left out."""
    book_ids = list(book_ids)
    if not book_ids:
        return {}
    return {
        book_id: int(on_hold) for book_id, on_hold in db.session.execute(_copies_on_hold(book_ids))
    }


def availability_of(book: Book) -> Availability:
    """A loaded book's availability (one query for its holds)."""
    return Availability(stock=book.stock, on_hold=copies_on_hold(book.id))


def availability_by_book(books: Iterable[Book]) -> dict[int, Availability]:
    """Each loaded book's availability, by book id, in one query whatever their number."""
    books = list(books)
    on_hold = copies_on_hold_by_book(book.id for book in books)
    return {book.id: Availability(book.stock, on_hold.get(book.id, 0)) for book in books}


def locked_availability(book_id: int) -> Availability | None:
    """The book's availability with its row locked until the transaction ends; None when the
    book is gone.

    Whoever changes what is free to hold (placing a hold, collecting one, changing stock)
    takes this lock first, so two customers after the last copy are served one after the
    other: the second sees the first one's hold. PostgreSQL locks the row (FOR UPDATE); on
    SQLite, requests that write hold the database's write lock from their first statement
    (BEGIN IMMEDIATE, web/sqlite.py), which serialises them just the same.
    """
    stock = db.session.scalar(select(Book.stock).where(Book.id == book_id).with_for_update())
    if stock is None:
        return None
    return Availability(stock=stock, on_hold=copies_on_hold(book_id))

"""Receiving a delivery: each scan of an ISBN is a line of the member's open delivery.

A book the catalog has gets its copy at once (+1 stock, logged "Received"); an ISBN it lacks
waits on its line, its copies counted, until the member adds the book (from Open Library's
facts, book_lookup/, or by hand on the book form). Every line can be undone one copy at a time.
A member's delivery stays open, on the server, until they finish it.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from firestorm.book_lookup.lookups import Answer
from firestorm.book_lookup.open_library import FoundBook
from firestorm.catalog import books, covers, isbn, stock
from firestorm.catalog.cover_storage import CoverNotStored, CoverStorage
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.holds.desk import orders_waiting
from firestorm.holds.models import Hold
from firestorm.receiving.models import Delivery, DeliveryLine
from firestorm.refusals import Refusal

RECEIVED = "Received"
UNDONE = "Receiving undone (scanned by mistake)"

log = logging.getLogger(__name__)


class ReceivingProblem(Refusal, field="isbn"):
    """A scan or a step the rules refuse, in words the member can act on."""


class LineGone(Exception):
    """The line is not in the member's open delivery (finished, undone, or another's)."""


@dataclass
class Line:
    """A line as the page shows it: the book (with its authors) once there is one, the new
    orders a copy of it can serve, and for an unknown ISBN what Open Library said, if kept."""

    line: DeliveryLine
    book: Book | None
    waiting: list[Hold] = field(default_factory=list)
    lookup: Answer | None = None


@dataclass(frozen=True)
class Summary:
    copies: int
    books: int
    new_books: int
    # ISBNs scanned and never added to the catalog.
    not_added: tuple[str, ...]

    def in_words(self) -> str:
        """ "38 copies of 31 books received, 4 new books added"."""
        copies = "1 copy" if self.copies == 1 else f"{self.copies} copies"
        of_books = "1 book" if self.books == 1 else f"{self.books} books"
        said = f"{copies} of {of_books} received"
        if self.new_books:
            added = "1 new book" if self.new_books == 1 else f"{self.new_books} new books"
            said += f", {added} added"
        return said


def open_delivery(member_id: int) -> Delivery | None:
    return db.session.scalar(
        select(Delivery).where(Delivery.member_id == member_id, Delivery.finished_at.is_(None))
    )


def scan(member_id: int, typed: str, now: datetime) -> Line:
    """One copy of the book with this ISBN received: +1 stock when the catalog has it, else
    counted on its line until the book is added. ReceivingProblem for what is not an ISBN."""
    isbn13 = _isbn_of(typed)
    delivery = _open_or_started(member_id, now)
    book = books.book_with_isbn(isbn13)
    line = db.session.scalar(
        select(DeliveryLine).where(
            DeliveryLine.delivery_id == delivery.id, DeliveryLine.isbn13 == isbn13
        )
    )
    if line is None:
        line = DeliveryLine(delivery_id=delivery.id, isbn13=isbn13, copies=0)
        db.session.add(line)
    elif book is not None and line.book_id is None:
        # Added by hand on the book form since its last scan (with the copies counted there).
        line.added_book = True
    line.copies += 1
    line.last_scanned_at = now
    if book is not None:
        line.book_id = book.id
        stock.change_stock(book.id, 1, RECEIVED, member_id, now)
    db.session.flush()
    log.info("Delivery %s: ISBN %s scanned (%s)", delivery.id, isbn13, book and book.id)
    return Line(line, book)


def undo_one(member_id: int, line_id: int, now: datetime) -> DeliveryLine | None:
    """One copy of the line taken back (off the stock when it went on): the line, or None once
    it has no copies left. StockProblem when the copy has been sold since."""
    line = member_line(member_id, line_id)
    if line.book_id is not None:
        stock.change_stock(line.book_id, -1, UNDONE, member_id, now)
    line.copies -= 1
    if line.copies == 0:
        db.session.delete(line)
        db.session.flush()
        return None
    return line


def add_found_book(
    member_id: int,
    line_id: int,
    found: FoundBook,
    today: date,
    now: datetime,
    storage: CoverStorage,
) -> Book:
    """The line's book added to the catalog from Open Library's facts and cover, with the
    line's copies in stock. ReceivingProblem when the facts break the catalog's rules (the
    member then adds it by hand)."""
    line = member_line(member_id, line_id)
    if line.book_id is not None or books.book_with_isbn(line.isbn13) is not None:
        # Added by this line already, or by hand since it was scanned.
        raise ReceivingProblem("This book is in the catalog already: scan it to count a copy.")
    details = books.BookDetails(
        title=found.title,
        authors=found.authors,
        subtitle=found.subtitle,
        publisher=found.publisher,
        release_date=found.release_date,
        page_count=found.page_count,
        isbn=line.isbn13,
        description=found.description,
    )
    try:
        book = books.add_checked_book(details.checked(today))
    except books.BookProblem as problem:
        raise ReceivingProblem(f"{problem} Add it by hand instead.") from None
    stock.set_stock(book.id, line.copies, RECEIVED, member_id, now)
    if found.cover is not None:
        _store_found_cover(book, found.cover, storage)
    line.book_id, line.added_book = book.id, True
    db.session.flush()
    return book


def finish(member_id: int, now: datetime) -> Delivery | None:
    """The member's open delivery finished (None when there was none)."""
    delivery = open_delivery(member_id)
    if delivery is not None:
        delivery.finished_at = now
        db.session.flush()
    return delivery


def lines_of(delivery: Delivery) -> list[Line]:
    """The delivery's lines, the last scanned first, each with its book and the new orders
    its copies can serve (three queries, however many lines)."""
    lines = list(
        db.session.scalars(
            select(DeliveryLine)
            .where(DeliveryLine.delivery_id == delivery.id)
            .order_by(DeliveryLine.last_scanned_at.desc(), DeliveryLine.id.desc())
        )
    )
    book_ids = {line.book_id for line in lines if line.book_id is not None}
    found = db.session.scalars(books.with_authors(select(Book).where(Book.id.in_(book_ids))))
    by_id = {book.id: book for book in found}
    waiting = orders_waiting(book_ids, {line.isbn13 for line in lines}) if lines else []
    return [
        Line(
            line,
            by_id.get(line.book_id) if line.book_id else None,
            [order for order in waiting if _serves(order, line)],
        )
        for line in lines
    ]


def _serves(order: Hold, line: DeliveryLine) -> bool:
    if order.book_id is None:
        return order.asked_isbn == line.isbn13
    return order.book_id == line.book_id


def summary(lines: list[Line]) -> Summary:
    received = [line.line for line in lines if line.book is not None]
    return Summary(
        copies=sum(line.copies for line in received),
        books=len(received),
        new_books=sum(line.added_book for line in received),
        not_added=tuple(line.line.isbn13 for line in lines if line.book is None),
    )


def member_line(member_id: int, line_id: int) -> DeliveryLine:
    """A line of the member's open delivery, or LineGone."""
    line = db.session.scalar(
        select(DeliveryLine)
        .join(Delivery)
        .where(
            DeliveryLine.id == line_id,
            Delivery.member_id == member_id,
            Delivery.finished_at.is_(None),
        )
    )
    if line is None:
        raise LineGone
    return line


def _isbn_of(typed: str) -> str:
    if not typed.strip():
        raise ReceivingProblem("Scan or type an ISBN.")
    problem = isbn.problem(typed)
    isbn13 = isbn.to_isbn13(typed)
    if problem or isbn13 is None:
        raise ReceivingProblem(problem or "That is not an ISBN.")
    return isbn13


def _open_or_started(member_id: int, now: datetime) -> Delivery:
    delivery = open_delivery(member_id)
    if delivery is not None:
        return delivery
    try:
        # Two tabs starting at once on PostgreSQL: the index keeps one open delivery.
        with db.session.begin_nested():
            delivery = Delivery(member_id=member_id, started_at=now)
            db.session.add(delivery)
    except IntegrityError:
        delivery = open_delivery(member_id)
        if delivery is None:
            raise
    return delivery


def _store_found_cover(book: Book, data: bytes, storage: CoverStorage) -> None:
    """The found cover, through the upload's checks; the book stands without it otherwise."""
    try:
        covers.store_cover(book, data, storage)
    except (covers.CoverProblem, CoverNotStored) as problem:
        log.info("Found cover for book %s left out: %s", book.id, problem)

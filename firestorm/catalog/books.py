"""Books in the catalog: adding them with their authors, and loading them with their authors."""

import logging
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from blinker import Signal
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from firestorm import typed_text
from firestorm.catalog import isbn
from firestorm.catalog.models import Author, Authorship, Book
from firestorm.catalog.shelves import shelves_by_ids
from firestorm.database import db
from firestorm.refusals import Refusal
from firestorm.typed_text import fold

log = logging.getLogger(__name__)

LEADING_ARTICLES = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def sort_key_for_title(title: str) -> str:
    return fold(LEADING_ARTICLES.sub("", title.strip()))


# --- Adding and changing books -------------------------------------------------------------

TITLE_MAX_LENGTH = 300
NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 20_000
FORMAT_MAX_LENGTH = 40
# Offered on the book form before the formats books already have.
USUAL_FORMATS = ("paperback", "hardcover", "zine")
# More pages than any book has: a typo (an ISBN in the pages field), not a big book.
LARGEST_PAGE_COUNT = 100_000
PAGE_COUNT_RULE = (
    f"Give the number of pages as a whole number from 1 to {LARGEST_PAGE_COUNT:,}, like 320."
)
# A release date this far ahead is a typo, not a book announced for next season.
LATEST_RELEASE = timedelta(days=366)


class BookProblem(Refusal):
    """A book the rules refuse, in words the member can act on; `field` names the form field."""


class DeletionRefused(BookProblem):
    """Why a book stays in the catalog. `open_holds` counts the customers' holds and orders it
    waits for (0 when it is its reviews that keep it): the holds desk is where they end."""

    def __init__(self, message: str, open_holds: int = 0):
        super().__init__(message)
        self.open_holds = open_holds


class IsbnTaken(BookProblem):
    """The ISBN belongs to a book already in the catalog: the message links to it."""

    def __init__(self, book: Book):
        super().__init__("That ISBN is already in the catalog.", "isbn")
        self.book_id, self.title = book.id, book.title


@dataclass(frozen=True)
class BookDetails:
    """What the book form says about a book, tidied: the rules check it before any change."""

    title: str
    authors: tuple[str, ...] = ()
    subtitle: str = ""
    publisher: str = ""
    release_date: date | None = None
    isbn: str = ""
    description: str = ""
    shelf_ids: tuple[int, ...] = ()
    # Read already, the locale's way (catalog/prices.py): None for no price.
    price: Decimal | None = None
    format: str = ""
    # None for not known.
    page_count: int | None = None

    def checked(self, today: date, book_id: int | None = None) -> "BookDetails":
        """The same details with the ISBN as ISBN-13, or BookProblem for the first fault."""
        title = typed_text.one_line(self.title)
        if not title:
            raise BookProblem("Give the book's title.", "title")
        for field, value in (("title", title), ("subtitle", self.subtitle)):
            if len(value) > TITLE_MAX_LENGTH:
                raise BookProblem(f"Keep it under {TITLE_MAX_LENGTH} characters.", field)
        authors = tuple(filter(None, (typed_text.one_line(name) for name in self.authors)))
        for field, names in (("authors", authors), ("publisher", [self.publisher])):
            if any(len(name) > NAME_MAX_LENGTH for name in names):
                raise BookProblem(f"Keep each name under {NAME_MAX_LENGTH} characters.", field)
        if self.release_date and self.release_date > today + LATEST_RELEASE:
            raise BookProblem(
                "That release date is more than a year away: check the year.", "release_date"
            )
        if len(self.description) > DESCRIPTION_MAX_LENGTH:
            raise BookProblem(
                f"Keep the description under {DESCRIPTION_MAX_LENGTH:,} characters.", "description"
            )
        book_format = typed_text.one_line(self.format)
        if len(book_format) > FORMAT_MAX_LENGTH:
            raise BookProblem(
                f"Keep the format under {FORMAT_MAX_LENGTH} characters, like “paperback”.", "format"
            )
        if self.page_count is not None and not is_page_count(self.page_count):
            raise BookProblem(PAGE_COUNT_RULE, "page_count")
        return replace(
            self,
            title=title,
            authors=authors,
            subtitle=typed_text.one_line(self.subtitle),
            publisher=typed_text.one_line(self.publisher),
            isbn=checked_isbn(self.isbn, book_id),
            description=typed_text.paragraphs(self.description),
            format=book_format,
        )


def is_page_count(count: int) -> bool:
    return 1 <= count <= LARGEST_PAGE_COUNT


def pages_in_words(count: int | None) -> str:
    """ "320 pages", "1 page"; "" for a book whose page count is not known."""
    if count is None:
        return ""
    return "1 page" if count == 1 else f"{count:,} pages"


def checked_isbn(typed: str, book_id: int | None = None) -> str:
    """The ISBN-13 for what was typed ("" for none), or BookProblem / IsbnTaken saying why not."""
    if not typed.strip():
        return ""
    problem = isbn.problem(typed)
    isbn13 = isbn.to_isbn13(typed)
    if problem or isbn13 is None:  # one is None exactly when the other is not
        raise BookProblem(problem or "", "isbn")
    taken = book_with_isbn(isbn13)
    if taken is not None and taken.id != book_id:
        raise IsbnTaken(taken)
    return isbn13


def book_with_isbn(isbn13: str) -> Book | None:
    return db.session.scalar(select(Book).where(Book.isbn13 == isbn13))


def add_book(
    *,
    title: str,
    authors: list[str],
    subtitle: str = "",
    publisher: str = "",
    release_date: date | None = None,
    isbn13: str | None = None,
    description: str = "",
    stock: int = 0,
    price: Decimal | None = None,
    book_format: str = "",
    page_count: int | None = None,
) -> Book:
    book = Book(
        title=title,
        subtitle=subtitle,
        publisher=publisher,
        release_date=release_date,
        isbn13=isbn13,
        description=description,
        stock=stock,
        price=price,
        format=book_format,
        page_count=page_count,
    )
    set_authors(book, authors)
    db.session.add(book)
    return book


def add_checked_book(details: BookDetails) -> Book:
    """A new book from checked details (stock starts at 0: the caller logs the first count)."""
    # Read before the book is added: a query once it is would flush it, and a flushed book's
    # shelves could no longer be set without loading them (lazy="raise").
    shelves = shelves_by_ids(list(details.shelf_ids))
    book = add_book(
        title=details.title,
        authors=list(details.authors),
        subtitle=details.subtitle,
        publisher=details.publisher,
        release_date=details.release_date,
        isbn13=details.isbn or None,
        description=details.description,
        price=details.price,
        book_format=details.format,
        page_count=details.page_count,
    )
    book.shelves = shelves
    db.session.flush()
    log.info("Book %d added: %s", book.id, book.title)
    return book


def update_book(book: Book, details: BookDetails) -> None:
    """Change a book (loaded with its authors and shelves) to checked details."""
    book.title = details.title
    book.subtitle = details.subtitle
    book.publisher = details.publisher
    book.release_date = details.release_date
    book.isbn13 = details.isbn or None
    book.description = details.description
    book.price = details.price
    book.format = details.format
    book.page_count = details.page_count
    set_authors(book, list(details.authors))
    book.shelves = shelves_by_ids(list(details.shelf_ids))
    db.session.flush()
    log.info("Book %d changed: %s", book.id, book.title)


def format_suggestions() -> list[str]:
    """The formats the book form offers: the usual ones, then those books have, each once
    (capitals and accents aside; the first hundred, more than any shop has)."""
    used = select(Book.format).where(Book.format != "").distinct().order_by(Book.format)
    suggestions = list(USUAL_FORMATS)
    offered = {fold(name) for name in suggestions}
    for name in db.session.scalars(used.limit(100)):
        if fold(name) not in offered:
            offered.add(fold(name))
            suggestions.append(name)
    return suggestions


def set_authors(book: Book, names: list[str]) -> None:
    """Link the book to its authors in cover order. An author already in the catalog is reused,
    matched ignoring case and accents ("raul zibechi" is Raúl Zibechi); others are created."""
    keys = {fold(name) for name in names}
    known: dict[str, Author] = {}
    for author in db.session.scalars(
        select(Author).where(Author.name_key.in_(keys)).order_by(Author.id)
    ):
        known.setdefault(author.name_key, author)
    authorships = []
    for position, name in enumerate(dict.fromkeys(names)):
        found = known.get(fold(name))
        if found is None:
            found = known[fold(name)] = Author(name=name, name_key=fold(name))
        authorships.append(Authorship(author=found, position=position))
    book.authorships = authorships
    book.sort_title = sort_key_for_title(book.title)


# --- Hiding and deleting -------------------------------------------------------------------


# Asked before a book is deleted. Only the features that keep rows about books know why one
# must stay: each answers from its own package (reviews/, holds/ book_questions.py) with a
# DeletionRefused, or None.
asked_before_deleting = Signal("why a book must stay in the catalog")


def deletion_problem(book: Book) -> DeletionRefused | None:
    """Why the book can't be deleted (it has reviews, or customers waiting for it), or None: it
    can be, after a confirmation."""
    refusals = [refusal for _, refusal in asked_before_deleting.send(book) if refusal]
    # Receivers answer in no set order: a lasting reason (no open holds: its reviews) is said
    # first, before one the holds desk can end.
    return min(refusals, key=lambda refusal: refusal.open_holds, default=None)


def delete_book(book: Book) -> None:
    problem = deletion_problem(book)
    if problem:
        raise problem
    db.session.delete(book)
    db.session.flush()
    log.info("Book %d deleted: %s", book.id, book.title)


def set_hidden(book: Book, hidden: bool) -> None:
    book.hidden = hidden
    log.info("Book %d %s: %s", book.id, "hidden" if hidden else "shown again", book.title)


# --- Loading books ---------------------------------------------------------------------------


def with_authors(statement: Select) -> Select:
    return statement.options(selectinload(Book.authorships).joinedload(Authorship.author))

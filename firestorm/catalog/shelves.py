"""Shelves: the collective's named sections of the catalog. A book can sit on several.

A shelf's address (/shelves/<slug>) comes from its name; a renamed shelf keeps its old
addresses in OldShelfSlug, so links people saved lead to it still.
"""

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from blinker import Signal
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from firestorm import typed_text
from firestorm.catalog.models import Book, OldShelfSlug, Shelf, book_shelves
from firestorm.database import db
from firestorm.refusals import Refusal
from firestorm.typed_text import fold

NAME_MAX_LENGTH = 80
SLUG_MAX_LENGTH = 80
# Letters and digits of any script: "Poesía" is at /shelves/poesia, "Поэзия" at its own word.
_WORD = re.compile(r"[^\W_]+")
_SLUG = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

log = logging.getLogger(__name__)

# Sent with the ids of the books whose shelf was renamed or removed, once the change is
# flushed: what keeps a copy of a book's shelf names (the search index) brings it up to date.
shelf_names_changed = Signal("the shelves some books sit on were renamed or removed")


class ShelfProblem(Refusal, field="name"):
    """A name the rules refuse, said in words the member can act on."""


@dataclass(frozen=True)
class ShelfCount:
    """A shelf and how many books sit on it: those the public sees, and the hidden ones."""

    shelf: Shelf
    books: int
    hidden_books: int = 0


@dataclass(frozen=True)
class FoundShelf:
    """The shelf an address leads to; `moved` when the address is one it had before a rename."""

    shelf: Shelf
    moved: bool


# --- Reading ---------------------------------------------------------------------------------


def all_shelves() -> list[Shelf]:
    """Every shelf, by name: for the book form's choices and the shelves' counts."""
    return list(db.session.scalars(select(Shelf).order_by(Shelf.name)))


def shelves_by_ids(shelf_ids: list[int]) -> list[Shelf]:
    if not shelf_ids:
        return []
    return list(db.session.scalars(select(Shelf).where(Shelf.id.in_(shelf_ids))))


def shelves_with_counts() -> list[ShelfCount]:
    """Every shelf by name with its number of visible and of hidden books.

    Three queries, none of which reads a visible book: the books on each shelf counted from
    book_shelves' index alone, then the hidden ones among them (ix_books_hidden_ids: a few),
    rather than one join reading every book on a shelf (230 ms at 100,000 books)."""
    on_shelf = select(book_shelves.c.shelf_id, func.count()).group_by(book_shelves.c.shelf_id)
    hidden_books = select(Book.id).where(Book.hidden.is_(True))
    hidden_on_shelf = (
        select(book_shelves.c.shelf_id, func.count())
        .where(book_shelves.c.book_id.in_(hidden_books))
        .group_by(book_shelves.c.shelf_id)
    )
    every = {shelf_id: count for shelf_id, count in db.session.execute(on_shelf)}
    hidden = {shelf_id: count for shelf_id, count in db.session.execute(hidden_on_shelf)}
    return [
        ShelfCount(
            shelf,
            books=every.get(shelf.id, 0) - hidden.get(shelf.id, 0),
            hidden_books=hidden.get(shelf.id, 0),
        )
        for shelf in all_shelves()
    ]


def find_shelf(slug: str) -> FoundShelf | None:
    """The shelf at /shelves/<slug>, or the one that had this address before a rename."""
    if not looks_like_a_slug(slug):
        # Never a query for what no name can give (a NUL, a slash, 10,000 characters).
        return None
    shelf = db.session.scalar(select(Shelf).where(Shelf.slug == slug))
    if shelf is not None:
        return FoundShelf(shelf, moved=False)
    renamed = select(Shelf).join(OldShelfSlug, OldShelfSlug.shelf_id == Shelf.id)
    shelf = db.session.scalar(renamed.where(OldShelfSlug.slug == slug))
    return FoundShelf(shelf, moved=True) if shelf is not None else None


def get_shelf(shelf_id: int) -> Shelf | None:
    return db.session.get(Shelf, shelf_id)


def books_on_shelf(shelf: Shelf) -> int:
    """How many books sit on the shelf, hidden ones included: what removing it touches."""
    return db.session.execute(
        select(func.count()).select_from(book_shelves).where(book_shelves.c.shelf_id == shelf.id)
    ).scalar_one()


# --- Names and addresses ---------------------------------------------------------------------


def slug_for(name: str) -> str:
    """The address a name gives: lower case, accents folded, words joined by hyphens.
    "Women's Studies" → "womens-studies", "Food & Drink" → "food-and-drink"."""
    folded = fold(name).replace("'", "").replace("’", "").replace("&", " and ")
    return "-".join(_WORD.findall(folded))[:SLUG_MAX_LENGTH].strip("-")


def looks_like_a_slug(text: str) -> bool:
    return len(text) <= SLUG_MAX_LENGTH and _SLUG.fullmatch(text) is not None


def tidied_name(typed: str) -> tuple[str, str]:
    """The name tidied and its slug, or why no shelf can have it (empty, too long, no letter or
    digit for its address). Two names with one slug are one shelf: "Sci-Fi" is "sci fi"."""
    name = typed_text.one_line(typed)
    if not name:
        raise ShelfProblem("Give the shelf a name.")
    if len(name) > NAME_MAX_LENGTH:
        raise ShelfProblem(f"Use at most {NAME_MAX_LENGTH} characters for a shelf's name.")
    slug = slug_for(name)
    if not slug:
        raise ShelfProblem("A shelf's name needs at least one letter or digit, for its address.")
    return name, slug


def _checked_name(typed: str, shelf: Shelf | None = None) -> tuple[str, str]:
    """The name tidied and its slug, or why neither can be used (a name another shelf has,
    or one that would give another shelf's address)."""
    name, slug = tidied_name(typed)
    others = select(Shelf).where(or_(Shelf.name == name, Shelf.slug == slug))
    if shelf is not None:
        others = others.where(Shelf.id != shelf.id)
    other = db.session.scalars(others).first()
    if other is not None and other.name == name:
        raise ShelfProblem(f"There is already a shelf called “{name}”.")
    if other is not None:
        raise ShelfProblem(
            f"That name would give the same address (/shelves/{slug}) as the shelf "
            f"“{other.name}”. Choose a name that differs in more than capitals or accents."
        )
    return name, slug


def _take_slug(shelf: Shelf, slug: str) -> None:
    """Give the shelf this address; an older shelf's redirect from it (or this shelf's own,
    when it is renamed back) gives way."""
    db.session.execute(delete(OldShelfSlug).where(OldShelfSlug.slug == slug))
    shelf.slug = slug


@contextmanager
def _saved_now(name: str) -> Iterator[None]:
    """Write the changes made inside at once, in a savepoint: a member saving the same name at
    the same moment is told in words, and the request's transaction stays usable."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError:
        raise ShelfProblem(
            f"Another member has just saved a shelf called “{name}” or one with the same address."
        ) from None


# --- The collective's changes ----------------------------------------------------------------


def add_shelf(typed_name: str, by: str) -> Shelf:
    """A new, empty shelf; `by` names the member in the log (accounts.who)."""
    name, slug = _checked_name(typed_name)
    shelf = Shelf(name=name)
    with _saved_now(name):
        _take_slug(shelf, slug)
        db.session.add(shelf)
    log.info("Shelf %d “%s” added by %s", shelf.id, name, by)
    return shelf


def rename_shelf(shelf: Shelf, typed_name: str, by: str) -> None:
    """A new name, and the address that goes with it; the old address redirects to the new."""
    name, slug = _checked_name(typed_name, shelf)
    old_name, old_slug = shelf.name, shelf.slug
    with _saved_now(name):
        if slug != old_slug:
            _take_slug(shelf, slug)
            db.session.add(OldShelfSlug(slug=old_slug, shelf_id=shelf.id))
        shelf.name = name
    shelf_names_changed.send(_book_ids_on(shelf))
    log.info("Shelf %d renamed from “%s” to “%s” by %s", shelf.id, old_name, name, by)


def remove_shelf(shelf: Shelf, by: str) -> None:
    """The shelf goes, with its old addresses; its books stay in the catalog."""
    book_ids = _book_ids_on(shelf)
    db.session.execute(delete(book_shelves).where(book_shelves.c.shelf_id == shelf.id))
    db.session.execute(delete(OldShelfSlug).where(OldShelfSlug.shelf_id == shelf.id))
    db.session.delete(shelf)
    db.session.flush()
    shelf_names_changed.send(book_ids)
    log.info("Shelf %d “%s” removed by %s", shelf.id, shelf.name, by)


def _book_ids_on(shelf: Shelf) -> list[int]:
    on_shelf = select(book_shelves.c.book_id).where(book_shelves.c.shelf_id == shelf.id)
    return list(db.session.scalars(on_shelf))

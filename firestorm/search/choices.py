"""Books to choose from, for a picker (a volunteer's review, an event's books): the first
books a search finds, and the books already chosen, never hidden ones."""

from collections.abc import Collection
from dataclasses import dataclass, replace

from sqlalchemy import select

from firestorm.catalog.books import with_authors
from firestorm.catalog.models import Book
from firestorm.database import LARGEST_ID, db
from firestorm.search.queries import CatalogQuery, page_of_books


@dataclass(frozen=True)
class FoundChoices:
    """The first books a picker's search found, best matches first; `more` when it found more."""

    books: list[Book]
    more: bool = False


def first_found(query: CatalogQuery, limit: int) -> FoundChoices:
    """The first `limit` books matching the search (the catalog's own), none for no words."""
    if not query.text:
        return FoundChoices(books=[])
    page = page_of_books(replace(query, page=1), limit)
    return FoundChoices(books=page.items, more=page.total > limit)


def chosen_books(book_ids: Collection[int]) -> list[Book]:
    """The books with these ids that a picker offers (not hidden), by title; an id of no such
    book is left out."""
    wanted = {book_id for book_id in book_ids if 0 < book_id <= LARGEST_ID}
    if not wanted:
        return []
    statement = select(Book).where(Book.id.in_(wanted), Book.hidden.is_(False))
    return list(db.session.scalars(with_authors(statement).order_by(Book.title, Book.id)))

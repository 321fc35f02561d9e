"""Searching the catalog: what a visitor asked for, the matching books, sorts and pages."""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from sqlalchemy import Select, exists, select

from firestorm import typed_text
from firestorm.catalog import isbn
from firestorm.catalog.books import with_authors
from firestorm.catalog.models import Book, Shelf, book_shelves
from firestorm.database import db
from firestorm.pagination import Page, page_number, paginate
from firestorm.typed_text import fold

SORTS = {
    "title": "Title",
    "newest": "Newest arrivals",
    "reviewed": "Recently reviewed",
}
DEFAULT_SORT = "title"


@dataclass(frozen=True)
class CatalogQuery:
    """What a visitor asked the catalog for, already made sensible."""

    text: str = ""
    in_stock_only: bool = False
    sort: str = DEFAULT_SORT
    page: int = 1
    # A shelf's slug: only its books.
    shelf: str = ""

    @classmethod
    def from_args(
        cls, args: Mapping[str, str], max_length: int, shelf_slugs: Collection[str] = ()
    ) -> "CatalogQuery":
        """Read query-string arguments, replacing nonsense with the defaults; a shelf that is
        not one of `shelf_slugs` (removed, renamed, mistyped) is no filter."""
        sort = args.get("sort", DEFAULT_SORT)
        shelf = args.get("shelf", "")
        return cls(
            text=typed_text.one_line(args.get("q", ""))[:max_length],
            in_stock_only=args.get("in_stock", "") in {"1", "on", "true", "yes"},
            sort=sort if sort in SORTS else DEFAULT_SORT,
            page=page_number(args.get("page")),
            shelf=shelf if shelf in shelf_slugs else "",
        )

    def url_args(self, **changes) -> dict:
        """Query-string arguments for a link to this search with some changes."""
        query = replace(self, **changes)
        args = {"q": query.text, "shelf": query.shelf, "sort": query.sort, "page": query.page}
        if query.in_stock_only:
            args["in_stock"] = "1"
        return {key: value for key, value in args.items() if value not in ("", 1, DEFAULT_SORT)}


def search_terms(text: str) -> list[str]:
    """The words to look for, folded; a word of digits and hyphens is (part of) an ISBN: its
    digits are looked for. A lone hyphen, which leaves no digits, is no term at all."""
    terms = (
        word.replace("-", "") if re.fullmatch(r"[\d-]+[xX]?", word) else word
        for word in fold(text).split()
    )
    return [term for term in terms if term]


def filtered_books(query: CatalogQuery, include_hidden: bool = False) -> Select:
    """The books matching the query; hidden ones only for the collective's own list."""
    statement = select(Book) if include_hidden else visible_books()
    whole_isbn = isbn.to_isbn13(query.text)
    if whole_isbn:
        # The unique index answers at once; a substring search would read every book.
        statement = statement.where(Book.isbn13 == whole_isbn)
    else:
        for term in search_terms(query.text):
            statement = statement.where(Book.search_text.contains(term, autoescape=True))
    if query.in_stock_only:
        statement = statement.where(Book.stock > 0)
    if query.shelf:
        statement = statement.where(
            exists().where(
                book_shelves.c.book_id == Book.id,
                book_shelves.c.shelf_id == Shelf.id,
                Shelf.slug == query.shelf,
            )
        )
    return statement


def ordered(statement: Select, sort: str) -> Select:
    if sort == "newest":
        return statement.order_by(Book.created_at.desc(), Book.id.desc())
    if sort == "reviewed":
        return statement.order_by(
            Book.last_reviewed_at.desc().nulls_last(), Book.sort_title, Book.id
        )
    return statement.order_by(Book.sort_title, Book.id)


def search_books(query: CatalogQuery, per_page: int, include_hidden: bool = False) -> Page:
    """One page of matching books, with their authors."""
    statement = with_authors(ordered(filtered_books(query, include_hidden), query.sort))
    return paginate(statement, query.page, per_page)


def visible_books() -> Select:
    """Books the public sees: all but the hidden ones."""
    return select(Book).where(Book.hidden.is_(False))


def newest_books(limit: int) -> list[Book]:
    statement = ordered(visible_books(), "newest")
    return list(db.session.scalars(with_authors(statement).limit(limit)))


def recently_reviewed_books(limit: int) -> list[Book]:
    statement = visible_books().where(Book.last_reviewed_at.is_not(None))
    return list(db.session.scalars(with_authors(ordered(statement, "reviewed")).limit(limit)))

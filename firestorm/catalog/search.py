"""Searching the catalog: what a visitor asked for, the matching books, sorts and pages."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import Select, select

from firestorm import typed_text
from firestorm.catalog import isbn
from firestorm.catalog.books import fold, with_authors
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.pagination import Page, page_number, paginate

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

    @classmethod
    def from_args(cls, args: Mapping[str, str], max_length: int) -> "CatalogQuery":
        """Read query-string arguments, replacing nonsense with the defaults."""
        sort = args.get("sort", DEFAULT_SORT)
        return cls(
            text=typed_text.one_line(args.get("q", ""))[:max_length],
            in_stock_only=args.get("in_stock", "") in {"1", "on", "true", "yes"},
            sort=sort if sort in SORTS else DEFAULT_SORT,
            page=page_number(args.get("page")),
        )

    def url_args(self, **changes) -> dict:
        """Query-string arguments for a link to this search with some changes."""
        query = replace(self, **changes)
        args = {"q": query.text, "sort": query.sort, "page": query.page}
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


def filtered_books(query: CatalogQuery) -> Select:
    statement = select(Book)
    whole_isbn = isbn.to_isbn13(query.text)
    if whole_isbn:
        # The unique index answers at once; a substring search would read every book.
        statement = statement.where(Book.isbn13 == whole_isbn)
    else:
        for term in search_terms(query.text):
            statement = statement.where(Book.search_text.contains(term, autoescape=True))
    if query.in_stock_only:
        statement = statement.where(Book.stock > 0)
    return statement


def ordered(statement: Select, sort: str) -> Select:
    if sort == "newest":
        return statement.order_by(Book.created_at.desc(), Book.id.desc())
    if sort == "reviewed":
        return statement.order_by(
            Book.last_reviewed_at.desc().nulls_last(), Book.sort_title, Book.id
        )
    return statement.order_by(Book.sort_title, Book.id)


def search_books(query: CatalogQuery, per_page: int) -> Page:
    """One page of matching books, with their authors."""
    statement = with_authors(ordered(filtered_books(query), query.sort))
    return paginate(statement, query.page, per_page)


def newest_books(limit: int) -> list[Book]:
    return list(db.session.scalars(with_authors(ordered(select(Book), "newest")).limit(limit)))


def recently_reviewed_books(limit: int) -> list[Book]:
    statement = select(Book).where(Book.last_reviewed_at.is_not(None))
    return list(db.session.scalars(with_authors(ordered(statement, "reviewed")).limit(limit)))

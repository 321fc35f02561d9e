"""Searching the catalog: what a visitor asked for, the matching books, sorts and pages.

One function, `found_books`, answers the public catalog, the shelves, the review picker and
the collective's list. A whole ISBN (10 or 13 digits, hyphens or not) goes straight to its
book through the ISBN's unique index; any other text is matched word by word through the
search index (search/terms.py says what a word matches, search/index.py
how each database finds it), so no search reads the books table from end to end. When
nothing is found, `search_books` offers a corrected search (search/spelling.py) that finds
something, if there is one.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import QueryableAttribute

from firestorm import typed_text
from firestorm.catalog import isbn
from firestorm.catalog.books import with_authors
from firestorm.catalog.models import Book, Shelf, book_shelves
from firestorm.database import db
from firestorm.pagination import Page, page_number, paginate
from firestorm.search import index, spelling
from firestorm.search.terms import Term, readings, terms_of

# The orders a list of books can be browsed in; a search adds "relevance" before them.
SORTS = {
    "title": "Title",
    "newest": "Newest arrivals",
    "reviewed": "Recently reviewed",
}
SEARCH_SORTS = {"relevance": "Relevance", **SORTS}
# The catalog desk's list adds the stock: what runs out first, or what there is most of.
DESK_SORTS = {
    **SEARCH_SORTS,
    "stock": "Stock, lowest first",
    "stock-highest": "Stock, highest first",
}
# Best matches first when searching; with nothing to match, relevance is title order. One
# default for both, so a search typed into a page drawn without one is still ranked.
DEFAULT_SORT = "relevance"
# The desk's shelf filter for books on no shelf: not a shelf's slug, which never starts with "_".
NO_SHELF = "_none"


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
        cls,
        args: Mapping[str, str],
        max_length: int,
        shelf_slugs: Collection[str] = (),
        sorts: Collection[str] = tuple(SEARCH_SORTS),
    ) -> "CatalogQuery":
        """Read query-string arguments, replacing nonsense with the defaults; a shelf that is
        not one of `shelf_slugs` (removed, renamed, mistyped; NO_SHELF where the page offers
        it) is no filter, nor is a sort that is not one of `sorts`."""
        sort = args.get("sort", DEFAULT_SORT)
        shelf = args.get("shelf", "")
        return cls(
            text=typed_text.one_line(args.get("q", ""))[:max_length],
            in_stock_only=args.get("in_stock", "") in {"1", "on", "true", "yes"},
            sort=sort if sort in sorts else DEFAULT_SORT,
            page=page_number(args.get("page")),
            shelf=shelf if shelf in shelf_slugs else "",
        )

    def url_args(self, **changes: Any) -> dict[str, str | int]:
        """Query-string arguments for a link to this search with some changes."""
        query = replace(self, **changes)
        args: dict[str, str | int] = {
            "q": query.text,
            "shelf": query.shelf,
            "sort": query.sort,
            "page": query.page,
        }
        if query.in_stock_only:
            args["in_stock"] = "1"
        return {key: value for key, value in args.items() if value not in ("", 1, DEFAULT_SORT)}


@dataclass(frozen=True)
class Results(Page):
    """A page of found books; when there are none, perhaps a corrected search that finds some.
    For an ISBN whose last digit doesn't match, that is said, with the catalog's books whose
    ISBN differs from it in one digit."""

    correction: CatalogQuery | None = None
    mistyped_isbn: bool = False
    isbn_one_digit_away: tuple[Book, ...] = ()


# A book's mapped attribute (Book.stock) or a table's column (book_shelves.c.stock).
Column = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class OrderColumns:
    """What the lists filter and sort by: the books' own columns, or the copies of them that
    each place on a shelf keeps (catalog/models.py's book_shelves)."""

    hidden: Column
    stock: Column
    sort_title: Column
    created_at: Column
    last_reviewed_at: Column
    id: Column


BOOK_COLUMNS = OrderColumns(
    Book.hidden, Book.stock, Book.sort_title, Book.created_at, Book.last_reviewed_at, Book.id
)
SHELVED_COLUMNS = OrderColumns(
    book_shelves.c.hidden,
    book_shelves.c.stock,
    book_shelves.c.sort_title,
    book_shelves.c.created_at,
    book_shelves.c.last_reviewed_at,
    book_shelves.c.book_id,
)


def found_books(query: CatalogQuery, include_hidden: bool = False) -> list[Select]:
    """The books matching the query in its order, hidden ones only for the collective: in
    parts listed one after the other. A search of words by relevance has two, its best tier
    apart (search/index.py); any other query one.

    A shelf's books with no text to match are read through that shelf's own places in
    book_shelves, in the order their copies keep (and paged by `shelf_walk`)."""
    if _walks_a_shelf(query):
        places = book_shelves.c
        on_shelf = select(Book).join(book_shelves, places.book_id == Book.id)
        statement = on_shelf.where(*_shelf_places(query, include_hidden))
        return [ordered(statement, query.sort, None, SHELVED_COLUMNS)]
    return [
        ordered(_filtered(statement, query, include_hidden), query.sort, relevance)
        for statement, relevance in _matching(query.text, by_relevance=query.sort == "relevance")
    ]


def found_book_ids(query: CatalogQuery, include_hidden: bool = False) -> Select:
    """The ids of the books the query finds, in no order."""
    [found] = found_books(replace(query, sort="title"), include_hidden)
    return found.with_only_columns(Book.id).order_by(None)


def _filtered(statement: Select, query: CatalogQuery, include_hidden: bool) -> Select:
    """Only the books the query's filters let through: visible, in stock, on its shelf."""
    if not include_hidden:
        statement = statement.where(Book.hidden.is_(False))
    if query.in_stock_only:
        statement = statement.where(Book.stock > 0)
    if query.shelf == NO_SHELF:
        statement = statement.where(~exists().where(book_shelves.c.book_id == Book.id))
    elif query.shelf:
        statement = statement.where(
            exists().where(
                book_shelves.c.book_id == Book.id,
                book_shelves.c.shelf_id == Shelf.id,
                Shelf.slug == query.shelf,
            )
        )
    return statement


def shelf_walk(query: CatalogQuery, include_hidden: bool = False) -> Select | None:
    """For a shelf's books with no text to match: their ids in the query's order, from the
    shelf's places alone (an index of book_shelves for each order), reading no book; for
    `paginate`, so a deep page of a shelf skips index entries only. None for other queries."""
    if not _walks_a_shelf(query):
        return None
    walk = select(book_shelves.c.book_id).where(*_shelf_places(query, include_hidden))
    return ordered(walk, query.sort, None, SHELVED_COLUMNS)


def _walks_a_shelf(query: CatalogQuery) -> bool:
    return bool(query.shelf) and query.shelf != NO_SHELF and not query.text


def _shelf_places(query: CatalogQuery, include_hidden: bool) -> list[ColumnElement[bool]]:
    """The conditions on book_shelves' rows (and their copies) for the query's shelf."""
    places = book_shelves.c
    shelf_id = select(Shelf.id).where(Shelf.slug == query.shelf).scalar_subquery()
    conditions = [places.shelf_id == shelf_id]
    if not include_hidden:
        conditions.append(places.hidden.is_(False))
    if query.in_stock_only:
        conditions.append(places.stock > 0)
    return conditions


def search_books(
    query: CatalogQuery, per_page: int, include_hidden: bool = False, kept_as_of: str = ""
) -> Results:
    """One page of matching books, with their authors; a correction when none match.
    kept_as_of: as for `paginate`, the last change's token from a page that writes nothing."""
    page = page_of_books(query, per_page, include_hidden, kept_as_of)
    correction = None
    if page.total == 0 and query.text:
        correction = _correction(query, include_hidden)
    mistyped_isbn = isbn.has_wrong_check_digit(query.text)
    return Results(
        **{field.name: getattr(page, field.name) for field in fields(page)},
        correction=correction,
        mistyped_isbn=mistyped_isbn,
        isbn_one_digit_away=_one_digit_away(query.text, include_hidden) if mistyped_isbn else (),
    )


def page_of_books(
    query: CatalogQuery, per_page: int, include_hidden: bool = False, kept_as_of: str = ""
) -> Page[Book]:
    """One page of the books the query finds, with their authors."""
    # The page's books are read by id once its ids are walked: a search's matches (or a
    # shelf's places) are looked up once, not again for the rows.
    walk = shelf_walk(query, include_hidden)
    most = current_app.config["MOST_BOOKS_FOUND"] if _searches_words(query.text) else None
    if walk is not None:
        keys, counted = [walk], None
    else:
        parts = found_books(query, include_hidden)
        keys = [part.with_only_columns(Book.id) for part in parts]
        counted = counted_in_index(query, include_hidden, most)
    return paginate(
        with_authors(select(Book)),
        query.page,
        per_page,
        kept_as_of,
        keys=keys,
        counted=counted,
        most=most,
    )


def counted_in_index(
    query: CatalogQuery, include_hidden: bool, most: int | None = None
) -> Select | None:
    """How many books a search of words finds, from the search index alone, no further than
    one more than `most`: its matches but those of hidden books (usually none; looked up by
    their own index). Joining every match to its book to check `hidden` took 13 of the 17 ms
    of counting "anarchy" at 100,000 books. None for other queries: an ISBN, or a filter by
    stock or shelf, is counted with the books."""
    readings = _readings(query.text)
    if readings is None or query.in_stock_only or query.shelf:
        return None
    matches = index.matching_ids(readings)
    if not include_hidden:
        hidden = select(Book.id).where(Book.hidden.is_(True))
        matches = matches.where(matches.selected_columns[0].not_in(hidden))
    if most is not None:
        matches = matches.limit(most + 1)
    return select(func.count()).select_from(matches.subquery())


def _searches_words(text: str) -> bool:
    """Whether the text is a search of words (not an ISBN, nor empty)."""
    return bool(text) and isbn.to_isbn13(text) is None


def _one_digit_away(text: str, include_hidden: bool) -> tuple[Book, ...]:
    """The books whose ISBN differs from the mistyped one in one digit (the ISBN's unique
    index finds each of the dozen or so candidates)."""
    statement = select(Book) if include_hidden else visible_books()
    statement = statement.where(Book.isbn13.in_(isbn.one_digit_away(text)))
    return tuple(db.session.scalars(with_authors(statement.order_by(Book.sort_title, Book.id))))


def ordered(
    statement: Select,
    sort: str,
    relevance: ColumnElement | None = None,
    columns: OrderColumns = BOOK_COLUMNS,
) -> Select:
    """In the order asked for; "relevance" needs a search's relevance, else is title order."""
    by_title = (columns.sort_title, columns.id)
    if sort == "relevance" and relevance is not None:
        return statement.order_by(relevance.desc(), *by_title)
    if sort == "newest":
        return statement.order_by(columns.created_at.desc(), columns.id.desc())
    if sort == "stock":
        return statement.order_by(columns.stock, *by_title)
    if sort == "stock-highest":
        return statement.order_by(columns.stock.desc(), *by_title)
    if sort == "reviewed":
        return statement.order_by(columns.last_reviewed_at.desc().nulls_last(), *by_title)
    return statement.order_by(*by_title)


def _matching(text: str, by_relevance: bool) -> list[tuple[Select, ColumnElement | None]]:
    """Every book for no text; the book with a whole ISBN; else the index's matches, in
    parts with their relevance where ranked (search/index.py). Text with no letter or digit
    ("%", "-") matches nothing."""
    if not text:
        return [(select(Book), None)]
    whole_isbn = isbn.to_isbn13(text)
    if whole_isbn:
        return [(select(Book).where(Book.isbn13 == whole_isbn), None)]
    found = _readings(text)
    if found is None:
        # No id at all: both databases see at once that nothing matches, and read nothing.
        return [(select(Book).where(Book.id.in_([])), None)]
    return index.books_matching(found, by_relevance)


def _readings(text: str) -> list[list[Term]] | None:
    """What a search of words matches (search/terms.py's readings, with each word's typos);
    None for no text, an ISBN, or text with no letter or digit ("%", "-")."""
    if not text or isbn.to_isbn13(text):
        return None
    language = current_app.config["CATALOG_LANGUAGE"]
    terms = terms_of(text, language)
    return readings(spelling.with_typos(terms), language) if terms else None


def _correction(query: CatalogQuery, include_hidden: bool) -> CatalogQuery | None:
    corrected_text = spelling.corrected(query.text, current_app.config["CATALOG_LANGUAGE"])
    if corrected_text is None:
        return None
    corrected = replace(query, text=corrected_text, page=1)
    finds_some = found_book_ids(corrected, include_hidden).limit(1)
    return corrected if db.session.scalar(finds_some) is not None else None


def visible_books() -> Select:
    """Books the public sees: all but the hidden ones."""
    return select(Book).where(Book.hidden.is_(False))


def newest_books(limit: int, leaving_out: Collection[int] = ()) -> list[Book]:
    """The books that came in last, but those in `leaving_out` (shown elsewhere on the page)."""
    statement = ordered(visible_books(), "newest")
    if leaving_out:
        statement = statement.where(Book.id.not_in(leaving_out))
    return list(db.session.scalars(with_authors(statement).limit(limit)))


def recently_reviewed_books(limit: int) -> list[Book]:
    statement = visible_books().where(Book.last_reviewed_at.is_not(None))
    return list(db.session.scalars(with_authors(ordered(statement, "reviewed")).limit(limit)))

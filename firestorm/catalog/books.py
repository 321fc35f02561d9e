"""Books in the catalog: adding them with their authors, and loading them with their authors."""

import re
import unicodedata
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from firestorm.catalog import isbn
from firestorm.catalog.models import Author, Authorship, Book
from firestorm.database import db

LEADING_ARTICLES = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case without accents, so "raul" finds "Raúl"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sort_key_for_title(title: str) -> str:
    return fold(LEADING_ARTICLES.sub("", title.strip()))


# --- Adding books -------------------------------------------------------------------------


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
) -> Book:
    book = Book(
        title=title,
        subtitle=subtitle,
        publisher=publisher,
        release_date=release_date,
        isbn13=isbn13,
        description=description,
        stock=stock,
    )
    set_authors(book, authors)
    db.session.add(book)
    return book


def set_authors(book: Book, names: list[str]) -> None:
    """Link the book to its authors in cover order, creating authors not seen before."""
    known = {
        author.name: author
        for author in db.session.scalars(select(Author).where(Author.name.in_(names)))
    }
    book.authorships = [
        Authorship(author=known.get(name) or Author(name=name), position=position)
        for position, name in enumerate(names)
    ]
    refresh_search_fields(book, names)


def refresh_search_fields(book: Book, author_names: list[str]) -> None:
    book.sort_title = sort_key_for_title(book.title)
    isbns = [book.isbn13, isbn.isbn10(book.isbn13)] if book.isbn13 else []
    parts = [book.title, book.subtitle, *author_names, book.publisher, *filter(None, isbns)]
    book.search_text = fold(" ".join(part for part in parts if part))


# --- Loading books ---------------------------------------------------------------------------


def with_authors(statement: Select) -> Select:
    return statement.options(selectinload(Book.authorships).joinedload(Authorship.author))

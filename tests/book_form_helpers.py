"""The desk's book form in tests (not a test module): the form that adds "Dispersing Power",
the same with a cover, and a book as the database then holds it."""

import io

from sqlalchemy import select

from firestorm.catalog.models import Book
from firestorm.database import db

GOOD_FORM = {
    "title": "Dispersing Power",
    "authors": "Raúl Zibechi",
    "publisher": "AK Press",
    "isbn": "1-84935-011-6",
    "stock": "2",
}


def with_cover(data: bytes, name: str = "cover.jpg", **form) -> dict:
    return {**GOOD_FORM, **form, "cover": (io.BytesIO(data), name)}


def stored(in_app, **where) -> Book | None:
    """The book the columns in `where` find (GOOD_FORM's title when none are given), detached
    from the session; None when there is none."""
    with in_app():
        found = select(Book).filter_by(**(where or {"title": GOOD_FORM["title"]}))
        book = db.session.scalar(found)
        if book is not None:
            db.session.expunge(book)
        return book

"""Arranging shelves for the tests, shared by the test modules (not a test module itself)."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from firestorm.catalog import shelves
from firestorm.catalog.models import Book, Shelf
from firestorm.database import db

# How the logs name the member in domain tests.
BY = "user 1 (collective)"


def shelf_named(name: str) -> Shelf:
    return db.session.scalar(select(Shelf).where(Shelf.name == name))


def add_shelves(app, *names: str) -> dict[str, int]:
    """The shelves added as a member would add them: {name: id}."""
    with app.app_context():
        added = [shelves.add_shelf(name, by=BY) for name in names]
        db.session.commit()
        return {shelf.name: shelf.id for shelf in added}


def shelve(app, book, *names: str) -> None:
    """Put the book on those shelves too, as the book form does."""
    with app.app_context():
        saved = db.session.scalar(
            select(Book).where(Book.id == book.id).options(selectinload(Book.shelves))
        )
        saved.shelves = [*saved.shelves, *(shelf_named(name) for name in names)]
        db.session.commit()


def hide(app, book):
    """The book, hidden from the public by the collective."""
    with app.app_context():
        db.session.get(Book, book.id).hidden = True
        db.session.commit()
    return book

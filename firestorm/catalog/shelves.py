"""Shelves: the collective's named sections of the catalog. A book can sit on several."""

from sqlalchemy import select

from firestorm.catalog.models import Shelf
from firestorm.database import db


def all_shelves() -> list[Shelf]:
    """Every shelf, by name: for the book form's choices."""
    return list(db.session.scalars(select(Shelf).order_by(Shelf.name)))


def shelves_by_ids(shelf_ids: list[int]) -> list[Shelf]:
    if not shelf_ids:
        return []
    return list(db.session.scalars(select(Shelf).where(Shelf.id.in_(shelf_ids))))

"""Arranging and reading holds, shared by the holds desk's test modules (not a test module)."""

import secrets
from datetime import datetime

from firestorm.catalog.models import Book, StockChange
from firestorm.database import db
from firestorm.holds import placing
from firestorm.holds.models import Hold, HoldKind


def place_hold(
    app,
    book,
    at: datetime,
    quantity: int = 1,
    kind: HoldKind = HoldKind.HOLD,
    name: str = "Robin Customer",
    email: str = "robin.customer@example.org",
    phone: str = "828-555-0134",
    note: str = "After work, if that's all right.",
) -> Hold:
    """A new hold placed through the customer's form's own function, at `at` (detached)."""
    typed = placing.HoldRequest(kind, name, email, phone, quantity, note)
    with app.app_context():
        hold = placing.place_request(book.id, typed, secrets.token_urlsafe(16), at).hold
        db.session.commit()
        db.session.refresh(hold)
        db.session.expunge(hold)
        return hold


def hold_now(app, hold) -> Hold:
    """The hold as the database holds it now (detached)."""
    with app.app_context():
        found = db.session.get(Hold, hold.id)
        db.session.expunge(found)
        return found


def stock_and_log(app, book) -> tuple[int, list[tuple[int, str, int | None]]]:
    """The book's stock, and its stock log as (delta, reason, member id), oldest first."""
    with app.app_context():
        changes = db.session.scalars(
            db.select(StockChange).where(StockChange.book_id == book.id).order_by(StockChange.id)
        )
        log = [(c.delta, c.reason, c.changed_by_id) for c in changes]
        return db.session.get(Book, book.id).stock, log

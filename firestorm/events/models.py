"""The events table: one row per event, its times in UTC; event_books, the books an event is
about (a reading's book, a book club's pick)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from firestorm.catalog.models import Book
from firestorm.database import Model, UTCDateTime, db, utcnow

# Deleting a book or an event removes its links (ON DELETE CASCADE on both sides); the index
# on book_id finds a book's events for its page.
event_books = Table(
    "event_books",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("book_id", ForeignKey("books.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Event(Model):
    """A reading, a book club, a film night. `place` empty is the cafe itself; `price` 0 is
    free (never none: an event is free or costs something); `capacity` None is no limit said;
    a cancelled event keeps its row, and its page says "Cancelled"."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(0))
    capacity: Mapped[int | None] = mapped_column(Integer)
    opens_specially: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    books: Mapped[list[Book]] = relationship(
        secondary=event_books, order_by=Book.title, lazy="raise"
    )

    @property
    def shown_books(self) -> list[Book]:
        """The linked books the public sees: hidden ones are not shown."""
        return [book for book in self.books if not book.hidden]

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def has_started(self, now: datetime) -> bool:
        return self.starts_at <= now

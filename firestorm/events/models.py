"""The events table: one row per event, its times in UTC (a series' first date); the dates of
a series changed one by one (cancelled or moved), each named by the start the series gives
it; event_books, the books an event is about (a reading's book, a book club's pick)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
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
    a cancelled event keeps its row, and its page says "Cancelled". `repeat` empty is one
    date; otherwise a series (events/series.py: "weekly", "monthly", "monthly_last") from
    `starts_at` until `repeat_until`, a day at the shop."""

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

    repeat: Mapped[str] = mapped_column(String(20), default="", server_default="")
    repeat_until: Mapped[date | None] = mapped_column(Date)
    changed_dates: Mapped[list["ChangedDate"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def has_started(self, now: datetime) -> bool:
        return self.starts_at <= now


class ChangedDate(Model):
    """One date of a series cancelled or moved, named by the start the series gives it
    (`series_starts_at`, UTC): moved when `starts_at` and `ends_at` are given, cancelled when
    `cancelled_at` is (a moved date can be cancelled too)."""

    __tablename__ = "event_changed_dates"
    __table_args__ = (
        UniqueConstraint(
            "event_id", "series_starts_at", name="uq_event_changed_dates_event_id_series_starts_at"
        ),
        CheckConstraint("(starts_at IS NULL) = (ends_at IS NULL)", name="moved_start_and_end"),
        CheckConstraint("ends_at > starts_at", name="moved_end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    series_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event: Mapped[Event] = relationship(back_populates="changed_dates")

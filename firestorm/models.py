"""The catalog's tables: books and authors, people, reviews, opening hours and the stock log."""

import enum
from datetime import UTC, date, datetime, time

from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from firestorm.extensions import db

# Ids are 32-bit integers on PostgreSQL: a larger one in a URL or form is nobody's, and would
# make the database driver refuse the query instead of finding nothing.
LARGEST_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime, stored naive so SQLite and PostgreSQL keep the same value."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


class Role(enum.StrEnum):
    VOLUNTEER = "volunteer"
    COLLECTIVE = "collective"


class ReviewState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


def _sql_choices(column: str, choices: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(c.value) for c in choices)})"


class Author(db.Model):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Authorship(db.Model):
    """One author of one book; `position` keeps the order the cover gives them."""

    __tablename__ = "authorships"

    book_id: Mapped[int] = mapped_column(
        ForeignKey("books.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    author: Mapped[Author] = relationship(lazy="raise")


class Book(db.Model):
    __tablename__ = "books"
    __table_args__ = (CheckConstraint("stock >= 0", name="stock_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str] = mapped_column(String(300), default="")
    # The title as shelves order it: lower case, without a leading "The", "A" or "An".
    sort_title: Mapped[str] = mapped_column(String(300), index=True)
    publisher: Mapped[str] = mapped_column(String(200), default="")
    release_date: Mapped[date | None] = mapped_column(Date)
    isbn13: Mapped[str | None] = mapped_column(String(13), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Content hash of an uploaded cover image in instance/covers; None draws a typographic cover.
    cover_key: Mapped[str | None] = mapped_column(String(80))
    stock: Mapped[int] = mapped_column(Integer, default=0, index=True)
    # Lower-cased, accent-free title, subtitle, authors, publisher and ISBNs, for search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When a review of this book was last published; drives "recently reviewed".
    last_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    authorships: Mapped[list[Authorship]] = relationship(
        order_by=Authorship.position, cascade="all, delete-orphan", lazy="raise"
    )
    reviews: Mapped[list["Review"]] = relationship(back_populates="book", lazy="raise")

    @property
    def author_names(self) -> list[str]:
        return [authorship.author.name for authorship in self.authorships]


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_sql_choices("role", Role), name="known_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased so sign-in is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.VOLUNTEER)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped when the password changes, at sign-out and at deactivation: sessions and
    # remember-me cookies carry it, so older ones stop working everywhere at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Kept in the database, not in a worker's memory, so the count holds across workers.
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reviews: Mapped[list["Review"]] = relationship(back_populates="reviewer", lazy="raise")

    @property
    def is_collective(self) -> bool:
        return self.role == Role.COLLECTIVE

    def get_id(self) -> str:
        # Sessions and remember-me cookies hold the version too; see access.load_user.
        return f"{self.id}:{self.session_version}"


class Invitation(db.Model):
    """A one-time link that lets a new volunteer or member choose a name and password."""

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(_sql_choices("role", Role), name="known_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(20))
    # Only a hash of the token is kept: a copy of the database does not hold usable links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invited_by: Mapped[User] = relationship(lazy="raise")


class Review(db.Model):
    """A volunteer's review of a book.

    `body` is the text being worked on; `published_body` is what the public reads. They
    differ while a revision of a published review waits for approval.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("book_id", "reviewer_id", name="uq_reviews_book_id_reviewer_id"),
        CheckConstraint(_sql_choices("state", ReviewState), name="known_state"),
        Index("ix_reviews_book_id_published_at", "book_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=ReviewState.DRAFT, index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    published_body: Mapped[str | None] = mapped_column(Text)
    # When the public first read it; an approved revision keeps this date and sets revised_at.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Counts submissions; approvals only count towards the round they were given in.
    round: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped on every change, so two people deciding at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)

    book: Mapped[Book] = relationship(back_populates="reviews", lazy="raise")
    reviewer: Mapped[User] = relationship(back_populates="reviews", lazy="raise")
    events: Mapped[list["ReviewEvent"]] = relationship(
        back_populates="review", order_by="ReviewEvent.id", lazy="raise"
    )

    __mapper_args__ = {"version_id_col": version}


class ReviewAction(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class ReviewEvent(db.Model):
    """One step in a review's history: who did what, when, in which round, with what note."""

    __tablename__ = "review_events"
    __table_args__ = (
        CheckConstraint(_sql_choices("action", ReviewAction), name="known_action"),
        # One approval per member per round, guaranteed even when two requests race.
        Index(
            "ix_review_events_one_approval_per_round",
            "review_id",
            "round",
            "actor_id",
            unique=True,
            sqlite_where=text("action = 'approved'"),
            postgresql_where=text("action = 'approved'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20))
    round: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    review: Mapped[Review] = relationship(back_populates="events", lazy="raise")
    actor: Mapped[User] = relationship(lazy="raise")


class OpeningHours(db.Model):
    """The usual hours of one weekday (0 = Monday); no row or no times means closed."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint(
            "(opens IS NULL AND closes IS NULL) OR (opens < closes)", name="opens_before_closes"
        ),
    )

    weekday: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    opens: Mapped[time | None] = mapped_column(Time)
    closes: Mapped[time | None] = mapped_column(Time)


class Closure(db.Model):
    """Days the store is closed outside the weekly pattern (holidays, a staff retreat)."""

    __tablename__ = "closures"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="days_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")


class StockChange(db.Model):
    """One change to a book's stock: who, when, by how much and why."""

    __tablename__ = "stock_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"), index=True)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    delta: Mapped[int] = mapped_column(Integer)
    stock_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    book: Mapped[Book] = relationship(lazy="raise")

"""The review tables: each volunteer's review of a book, and every step in its history."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from firestorm.catalog.models import Book
from firestorm.database import Model, UTCDateTime, one_of, partial_index, unique_where, utcnow
from firestorm.people.models import User


class ReviewState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class ReviewAction(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Review(Model):
    """A volunteer's review of a book.

    `body` is the text being worked on; `published_body` is what the public reads. They
    differ while a revision of a published review waits for approval.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("book_id", "reviewer_id", name="uq_reviews_book_id_reviewer_id"),
        CheckConstraint(one_of("state", ReviewState), name="known_state"),
        # What the public reads of a published review, and since when (approvals.py).
        CheckConstraint(
            "state <> 'published' OR (published_at IS NOT NULL AND published_body IS NOT NULL)",
            name="published_has_date_and_text",
        ),
        Index("ix_reviews_book_id_published_at", "book_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=ReviewState.DRAFT, index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    published_body: Mapped[str | None] = mapped_column(Text)
    # When the public first read it; an approved revision keeps this date and sets revised_at.
    # Indexed for the public with the review's id and book (ix_reviews_published_newest).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Counts submissions; approvals only count towards the round they were given in.
    round: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped on every change, so two people deciding at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)

    book: Mapped[Book] = relationship(lazy="raise")
    reviewer: Mapped[User] = relationship(lazy="raise")
    events: Mapped[list["ReviewEvent"]] = relationship(
        back_populates="review", order_by="ReviewEvent.id", lazy="raise"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_public(self) -> bool:
        return self.published_body is not None

    @property
    def has_pending_revision(self) -> bool:
        """Published once, and changed since: the public reads the approved text meanwhile."""
        return self.is_public and self.state != ReviewState.PUBLISHED

    @property
    def last_published_at(self) -> datetime | None:
        """When the text the public reads went out: the approved revision's date, if any."""
        return self.revised_at or self.published_at


# /reviews and the feed, newest first (reviews/published.py): a deep page's OFFSET skips
# index entries without reading a review. The condition is written as the list's own.
partial_index(
    "ix_reviews_published_newest",
    Review.published_at.desc(),
    Review.id.desc(),
    Review.book_id,
    where=Review.published_body.is_not(None),
)


class ReviewEvent(Model):
    """One step in a review's history: who did what, when, in which round, with what note."""

    __tablename__ = "review_events"
    __table_args__ = (
        CheckConstraint(one_of("action", ReviewAction), name="known_action"),
        # One approval per member per round, guaranteed even when two requests race.
        unique_where(
            "ix_review_events_one_approval_per_round",
            "review_id",
            "round",
            "actor_id",
            where="action = 'approved'",
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

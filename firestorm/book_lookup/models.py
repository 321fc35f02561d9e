"""Open Library's answers, kept: each ISBN is asked once while its answer is fresh, whichever
app server asks (the database is shared), and a looked-up cover waits here until the book it
was found for is added."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from firestorm.database import Model, UTCDateTime, one_of


class KeptOutcome(enum.StrEnum):
    """The answers worth keeping: a failure to answer is asked again next time."""

    FOUND = "found"
    NOT_FOUND = "not found"


class BookLookup(Model):
    __tablename__ = "book_lookups"
    __table_args__ = (CheckConstraint(one_of("outcome", KeptOutcome), name="outcome_known"),)

    isbn13: Mapped[str] = mapped_column(String(13), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(20))
    # open_library.FoundBook.facts() as JSON; empty when not found.
    facts: Mapped[str] = mapped_column(Text, default="")
    # The cover as Open Library sent it (checked as an upload is when the book is added), and
    # the thumbnail the form shows for checking, made by the same checks.
    cover: Mapped[bytes | None] = mapped_column(LargeBinary)
    cover_thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary)
    looked_up_at: Mapped[datetime] = mapped_column(UTCDateTime)

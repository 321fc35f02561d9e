"""A notice to one person about one of their reviews, shown on their dashboard until read."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from firestorm.database import Model, UTCDateTime, one_of, utcnow
from firestorm.people.models import User
from firestorm.reviews.models import Review


class NoticeKind(enum.StrEnum):
    APPROVED = "approved"
    RETURNED = "returned"
    PUBLISHED = "published"


class Notice(Model):
    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint(one_of("kind", NoticeKind), name="known_kind"),
        # The dashboard asks for one person's unread notices.
        Index("ix_notices_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Indexed for the notices about one review: the newest replaces the unread ones, and
    # they go when their review does (ON DELETE CASCADE).
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="raise")
    review: Mapped[Review] = relationship(lazy="raise")

"""A delivery being received, and its lines: one per ISBN scanned, counting the copies."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from firestorm.database import Model, UTCDateTime


class Delivery(Model):
    """One member's delivery, from the first scan until they finish it: a member has one open
    delivery at most (a reload, a second tab or a lost connection find the same one)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index(
            "ix_deliveries_one_open_per_member",
            "member_id",
            unique=True,
            sqlite_where=text("finished_at IS NULL"),
            postgresql_where=text("finished_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeliveryLine(Model):
    """An ISBN of a delivery: how many copies were scanned, and the catalog's book once there is
    one (none while an unknown ISBN waits to be added)."""

    __tablename__ = "delivery_lines"
    __table_args__ = (
        UniqueConstraint("delivery_id", "isbn13", name="uq_delivery_lines_delivery_id_isbn13"),
        CheckConstraint("copies > 0", name="copies_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("deliveries.id", ondelete="CASCADE"), index=True
    )
    isbn13: Mapped[str] = mapped_column(String(13))
    # The book the copies went to; None while the ISBN is not in the catalog (or its book was
    # deleted since).
    book_id: Mapped[int | None] = mapped_column(ForeignKey("books.id", ondelete="SET NULL"))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    # The book was added to the catalog from this line (its looked-up facts).
    added_book: Mapped[bool] = mapped_column(default=False)
    last_scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)

    delivery: Mapped[Delivery] = relationship(lazy="raise")

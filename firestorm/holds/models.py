"""Holds: a customer's request to collect copies of a book, or to have one ordered in."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from firestorm import typed_text
from firestorm.catalog.models import Book
from firestorm.database import Model, UTCDateTime, one_of, utcnow
from firestorm.people.models import EMAIL_MAX_LENGTH, User


class HoldKind(enum.StrEnum):
    # Copies the shop has, put aside for the customer.
    HOLD = "hold"
    # A book the shop does not have in stock, to be ordered in for the customer: one of the
    # catalog's, or any book the customer names (a special order, with no book until the desk
    # attaches one).
    ORDER = "order"


class HoldState(enum.StrEnum):
    NEW = "new"
    READY = "ready"
    COLLECTED = "collected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


# A hold in one of these states still has copies put aside (or on their way).
OPEN_STATES = (HoldState.NEW, HoldState.READY)

# The reason a hold the customer cancelled from its own page gives (with no member).
CANCELLED_BY_THE_CUSTOMER = "Cancelled by the customer"


class Hold(Model):
    """One customer's hold or order, from the public form to collected, cancelled or expired.

    The customer's name, email, phone and note are personal data: only collective members see
    them, and `flask purge` blanks them HOLD_RETENTION_DAYS after the hold ends.
    """

    __tablename__ = "holds"
    __table_args__ = (
        CheckConstraint(one_of("kind", HoldKind), name="known_kind"),
        CheckConstraint(one_of("state", HoldState), name="known_state"),
        CheckConstraint("quantity >= 1", name="at_least_one_copy"),
        # A hold is for a book of the catalog; only an order may be for a book the customer
        # named instead (a special order), which then has its title.
        CheckConstraint(
            "book_id IS NOT NULL OR (kind = 'order' AND asked_title <> '')",
            name="a_book_or_an_order_by_title",
        ),
        # Each state's dates and reason, as the desk's steps and the purge write them
        # (desk.py): ready, collected and expired holds were ready at some moment; every hold
        # that ended has its end; a cancelled one, and only that, says why. A new state must
        # say here which of them it has.
        CheckConstraint(
            "(state = 'new' AND ready_at IS NULL)"
            " OR (state IN ('ready', 'collected', 'expired') AND ready_at IS NOT NULL)"
            " OR state = 'cancelled'",
            name="ready_at_matches_state",
        ),
        CheckConstraint(
            "(state IN ('new', 'ready') AND ended_at IS NULL)"
            " OR (state IN ('collected', 'cancelled', 'expired') AND ended_at IS NOT NULL)",
            name="ended_at_matches_state",
        ),
        CheckConstraint(
            "(state = 'cancelled' AND cancel_reason <> '')"
            " OR (state <> 'cancelled' AND cancel_reason = '')",
            name="cancel_reason_matches_state",
        ),
        # The public book page counts the copies on hold for its book.
        Index("ix_holds_book_id_state", "book_id", "state"),
        # The desk's lists: the holds in a state, oldest first; the count of new holds.
        Index("ix_holds_state_created_at", "state", "created_at"),
        # The desk's search (holds/finding.py): an email in any case, a phone by its digits.
        Index("ix_holds_customer_email_key", "customer_email_key"),
        Index("ix_holds_customer_phone_digits", "customer_phone_digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The short code the customer quotes at the counter ("ABC123").
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    # From a hidden field of the form: posting the same form twice makes one hold.
    request_key: Mapped[str] = mapped_column(String(64), unique=True)
    # The SHA-256 (hex) of the token in the customer's private link to the hold's own page,
    # /holds/<token> (holds/following.py): the token itself is never stored. None for holds
    # placed before holds had a page.
    private_link_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # None for a special order of a book the catalog doesn't have (yet): asked_* say which.
    book_id: Mapped[int | None] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10), default=HoldKind.HOLD)
    state: Mapped[str] = mapped_column(String(10), default=HoldState.NEW)
    quantity: Mapped[int] = mapped_column(Integer, default=1)

    customer_name: Mapped[str] = mapped_column(String(80))
    customer_email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), default="")
    customer_phone: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    # What the desk's search compares (holds/finding.py), kept in step with the three above:
    # the name folded (no case, no accents), the email in lower case, the phone's digits alone.
    customer_name_key: Mapped[str] = mapped_column(String(240), default="")
    customer_email_key: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), default="")
    customer_phone_digits: Mapped[str] = mapped_column(String(40), default="")

    # A special order: the book as the customer named it on /order ("" for holds and orders
    # placed from a book's page). Kept when the desk attaches the order to a book.
    asked_title: Mapped[str] = mapped_column(String(200), default="")
    asked_author: Mapped[str] = mapped_column(String(200), default="")
    # As ISBN-13, checked when typed; "" when none was given.
    # Indexed: receiving a delivery asks which special orders wait for a scanned ISBN.
    asked_isbn: Mapped[str] = mapped_column(String(13), default="", index=True)
    asked_format: Mapped[str] = mapped_column(String(80), default="")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When it was collected, cancelled or expired.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    # The member who last moved it on; None for the customer and the command line.
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Set by `flask purge` when the customer's details were erased.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    book: Mapped[Book | None] = relationship(lazy="raise")
    handled_by: Mapped[User | None] = relationship(lazy="raise")

    @validates("customer_name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.customer_name_key = typed_text.fold(name)[:240]
        return name

    @validates("customer_email")
    def _keep_email_key(self, _key: str, email: str) -> str:
        self.customer_email_key = email.lower()[:EMAIL_MAX_LENGTH]
        return email

    @validates("customer_phone")
    def _keep_phone_digits(self, _key: str, phone: str) -> str:
        self.customer_phone_digits = digits_of(phone)
        return phone

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_special_order(self) -> bool:
        """Asked for by title on /order, rather than from a book's page."""
        return bool(self.asked_title)

    @property
    def title(self) -> str:
        """The book's title as the desk and the customer's page name it (the book loaded)."""
        return self.book.title if self.book else self.asked_title

    @property
    def cancelled_by_the_customer(self) -> bool:
        """Cancelled from the hold's own page, not by a member at the desk."""
        return (
            self.state == HoldState.CANCELLED
            and self.handled_by_id is None
            and self.cancel_reason == CANCELLED_BY_THE_CUSTOMER
        )


def digits_of(phone: str) -> str:
    """A phone number's digits alone: "(828) 555 0143" and "828-555-0143" are one number."""
    return "".join(char for char in phone if char in "0123456789")[:40]

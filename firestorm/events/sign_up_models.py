"""The event sign-ups table: one row per person signed up (or waiting) for one date of an
event with a number of places."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from firestorm.database import Model, UTCDateTime, one_of, utcnow
from firestorm.people.models import EMAIL_MAX_LENGTH


class SignUpState(enum.StrEnum):
    # Has places: counted against the event's capacity for that date.
    SIGNED_UP = "signed up"
    # The date was full: moves up, in turn, when places come free.
    WAITING = "waiting"
    CANCELLED = "cancelled"


# A sign-up in one of these states can still be cancelled.
OPEN_STATES = (SignUpState.SIGNED_UP, SignUpState.WAITING)


class SignUp(Model):
    """One person's places at one date of an event, or their turn on its waiting list.

    Keyed by the event and the date's start (`starts_at`, the occurrence's start in UTC): an
    event on several dates has one list per date. The name, email and phone are personal data:
    only collective members see them, and `flask purge` blanks them
    EVENT_SIGNUP_RETENTION_DAYS after the date.
    """

    __tablename__ = "event_sign_ups"
    __table_args__ = (
        CheckConstraint(one_of("state", SignUpState), name="known_state"),
        CheckConstraint("places >= 1", name="at_least_one_place"),
        CheckConstraint(
            "(state = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_at_matches_state"
        ),
        # A date's lists, in the order people signed up: the waiting list's turn.
        Index("ix_event_sign_ups_date_state", "event_id", "starts_at", "state", "created_at"),
        # The purge: dates long past.
        Index("ix_event_sign_ups_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    # The date signed up for: its start, in UTC.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10), default=SignUpState.SIGNED_UP)
    places: Mapped[int] = mapped_column(Integer, default=1)
    # From a hidden field of the form: posting the same form twice makes one sign-up.
    request_key: Mapped[str] = mapped_column(String(64), unique=True)
    # The SHA-256 (hex) of the token in the private link, /sign-ups/<token>; never the token.
    private_link_hash: Mapped[str] = mapped_column(String(64), unique=True)
    customer_name: Mapped[str] = mapped_column(String(80))
    customer_email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), default="")
    customer_phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When a place came free and this sign-up moved up from the waiting list.
    moved_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by `flask purge` when the person's details were erased.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_waiting(self) -> bool:
        return self.state == SignUpState.WAITING

"""The people who sign in, their roles, and the invitations that bring new ones in."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from firestorm.database import Model, UTCDateTime, one_of, unique_where, utcnow

# The longest address an email can have (RFC 5321's path limit less its angle brackets).
EMAIL_MAX_LENGTH = 254


class Role(enum.StrEnum):
    VOLUNTEER = "volunteer"
    COLLECTIVE = "collective"


class User(UserMixin, Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(one_of("role", Role), name="known_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased so sign-in is case-insensitive.
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.VOLUNTEER)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped when the password changes, at sign-out and at deactivation: sessions and
    # remember-me cookies carry it, so older ones stop working everywhere at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Shown to the collective on /collective/people.
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_collective(self) -> bool:
        return self.role == Role.COLLECTIVE

    def get_id(self) -> str:
        # Sessions and remember-me cookies hold the version too; see web.access.load_user.
        return f"{self.id}:{self.session_version}"


class Invitation(Model):
    """A one-time link that lets a new volunteer or member choose a name and password."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint(one_of("role", Role), name="known_role"),
        CheckConstraint("expires_at > created_at", name="expires_after_made"),
        # At most one open link per address, even when two members invite at the same moment:
        # a new invitation cancels the open one first, and the database refuses a second.
        unique_where(
            "ix_invitations_one_open_per_email",
            "email",
            where="accepted_at IS NULL AND cancelled_at IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), index=True)
    role: Mapped[str] = mapped_column(String(20))
    # Only a hash of the token is kept: a copy of the database does not hold usable links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when a newer invitation to the same address replaced this one.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invited_by: Mapped[User] = relationship(lazy="raise")


class AccountChange(Model):
    """One change to someone's account by a member (role, deactivated, reactivated), in words."""

    __tablename__ = "account_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Who made the change; None for the command line.
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    description: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")
    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id], lazy="raise")


class PasswordReset(Model):
    """A one-time link that lets someone who forgot their password choose a new one."""

    __tablename__ = "password_resets"
    __table_args__ = (
        CheckConstraint("expires_at > created_at", name="expires_after_made"),
        CheckConstraint("used_at IS NULL OR used_at >= created_at", name="used_after_made"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Only a hash of the token is kept: a copy of the database does not hold usable links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="raise")

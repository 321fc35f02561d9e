"""A forgotten password: one-hour, single-use links to choose a new one, asked for by email
(the same answer whether or not the address has an account) or made by a collective member
for someone else; using one ends every session of the account."""

import enum
import logging
import secrets
from datetime import datetime, timedelta

from limits import parse
from limits.strategies import RateLimiter
from sqlalchemy import delete, select, update

from firestorm.database import db, rows_changed
from firestorm.people.accounts import (
    EMAIL_SHAPE,
    AccountError,
    check_new_password,
    email_digest,
    end_sessions,
    find_user,
    normalize_email,
    who,
)
from firestorm.people.invitations import TOKEN_BYTES, TOKEN_MAX_LENGTH, token_hash
from firestorm.people.models import EMAIL_MAX_LENGTH, AccountChange, PasswordReset, User
from firestorm.people.passwords import hash_password

LINK_LIFETIME = timedelta(hours=1)
# How often the form may be sent: per typed address (counted whether or not it has an
# account, so the count tells nobody), which keeps a stranger from filling someone's inbox,
# and per client address, which keeps one machine from trying many addresses.
FOR_ONE_EMAIL = parse("3 per hour")
FROM_ONE_PLACE = parse("10 per hour")

log = logging.getLogger(__name__)


class LinkProblem(enum.StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


class UnusableReset(Exception):
    """The link can't be used; `problem` says whether it is unknown, expired or used."""

    def __init__(self, problem: LinkProblem):
        super().__init__(problem.value)
        self.problem = problem


class TooManyRequests(AccountError):
    """The form was sent too often for this address or from this place."""


def check_typed_email(email: str) -> str:
    """The address, normalised, if it looks like one (whether or not it has an account)."""
    email = normalize_email(email)
    if not EMAIL_SHAPE.match(email) or len(email) > EMAIL_MAX_LENGTH:
        raise AccountError(f"“{email}” doesn't look like an email address.", "email")
    return email


def count_request(counter: RateLimiter, email: str, place: str | None) -> None:
    """Count one more request for `email` from `place`; TooManyRequests, counting nothing, when
    either allowance is used up. The storage keeps a digest of the address, never the address."""
    keys = [
        (FOR_ONE_EMAIL, ("password-reset-email", email_digest(email))),
        (FROM_ONE_PLACE, ("password-reset-place", place or "unknown")),
    ]
    if not all(counter.test(limit, *key) for limit, key in keys):
        log.info("Password reset refused: asked for too often")
        raise TooManyRequests(
            "Too many reset links have been asked for just now. Wait an hour and try again, "
            "or ask a collective member."
        )
    for limit, key in keys:
        counter.hit(limit, *key)


def account_for_reset(email: str) -> User | None:
    """The active account the address opens, or None: no link is made for a deactivated one."""
    user = find_user(email)
    return user if user is not None and user.is_active else None


def create_reset(user: User, now: datetime) -> str:
    """A new link's token; only its hash is stored, so hand the link over now."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    reset = PasswordReset(
        user_id=user.id,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    db.session.add(reset)
    db.session.flush()
    log.info("Password reset link %d made for %s", reset.id, who(user))
    return token


def create_reset_for(person: User, member: User, now: datetime) -> str:
    """A link a collective member makes for someone else (never for themselves: a member who
    knows their password uses the account page), written in the account's history."""
    if person.id == member.id:
        raise AccountError(
            "You can't make a reset link for your own account: change your password on "
            "your account page, or ask another collective member."
        )
    if not person.is_active:
        raise AccountError(f"{person.display_name}'s account is deactivated: reactivate it first.")
    token = create_reset(person, now)
    db.session.add(
        AccountChange(
            user_id=person.id,
            changed_by_id=member.id,
            description="Password reset link made",
            created_at=now,
        )
    )
    return token


def find_reset(token: str, now: datetime) -> PasswordReset:
    """The reset a link opens, or UnusableReset saying why it doesn't."""
    reset = None
    if len(token) <= TOKEN_MAX_LENGTH:
        reset = db.session.scalar(
            select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
        )
    if reset is None:
        raise UnusableReset(LinkProblem.UNKNOWN)
    if problem := _link_problem(reset, now):
        raise UnusableReset(problem)
    return reset


def erase_ended(now: datetime, retention_days: int) -> int:
    """Erase the links that stopped working (expired) over `retention_days` ago (`flask
    purge`): how many. Until then an old link says it has expired, not that it is unknown."""
    statement = delete(PasswordReset).where(
        PasswordReset.expires_at < now - timedelta(days=retention_days)
    )
    return rows_changed(statement)


def _link_problem(reset: PasswordReset, now: datetime) -> LinkProblem | None:
    if reset.used_at is not None:
        return LinkProblem.USED
    if reset.expires_at <= now:
        return LinkProblem.EXPIRED
    user = db.session.get_one(User, reset.user_id)
    # Deactivated since the link was made: it opens nothing, as an unknown link.
    if not user.is_active:
        return LinkProblem.UNKNOWN
    return None


def use_reset(token: str, new_password: str, now: datetime) -> User:
    """Set the new password, use the link up, and end every session of the account.

    Raises UnusableReset or AccountError; the caller rolls back on either."""
    reset = find_reset(token, now)
    check_new_password(new_password)
    # Claimed in one conditional statement: of two tabs sending the form at once, the second
    # finds the link used.
    claimed = rows_changed(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed != 1:
        raise UnusableReset(LinkProblem.USED)
    user = db.session.get_one(User, reset.user_id)
    user.password_hash = hash_password(new_password)
    end_sessions(user)
    # A newer link made before this one was used must not work after it.
    _use_up_others(user, now)
    db.session.add(
        AccountChange(
            user_id=user.id,
            changed_by_id=user.id,
            description="Password reset by email link",
            created_at=now,
        )
    )
    log.info("Password reset by link %d for %s", reset.id, who(user))
    return user


def _use_up_others(user: User, now: datetime) -> None:
    rows_changed(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )

"""People who sign in: accounts, signing in with a lockout, and ending an account's sessions."""

import logging
import math
import re
from datetime import datetime, timedelta

from sqlalchemy import select, update

from firestorm import typed_text
from firestorm.database import db
from firestorm.people.models import EMAIL_MAX_LENGTH, Role, User
from firestorm.people.passwords import (
    MAX_LENGTH,
    hash_password,
    needs_rehash,
    password_problem,
    verify_nothing,
    verify_password,
)

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DISPLAY_NAME_MAX_LENGTH = 80
# Five wrong passwords in a row lock the account for a quarter of an hour: slow enough to stop
# guessing, short enough that a volunteer who mistyped can still open the shift.
MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)
# One message for an unknown email and a wrong password, so it tells nobody who has an account.
WRONG_EMAIL_OR_PASSWORD = (
    "That email and password don't match an account. Check both and try again."
)

log = logging.getLogger(__name__)


class AccountError(ValueError):
    """A person's mistake, said in words they can act on; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class AccountLocked(AccountError):
    """Too many wrong passwords in a row: the account waits before it accepts another try."""

    def __init__(self, locked_until: datetime, now: datetime):
        self.seconds_left = max(1, math.ceil((locked_until - now).total_seconds()))
        minutes = math.ceil(self.seconds_left / 60)
        super().__init__(
            f"Too many wrong passwords for this account, so it is locked for now. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
        )


def normalize_email(email: str) -> str:
    return typed_text.one_line(email).lower()


def check_email(email: str) -> str:
    """The address, normalised, if it looks like one and has no account yet."""
    email = normalize_email(email)
    if not EMAIL_SHAPE.match(email) or len(email) > EMAIL_MAX_LENGTH:
        raise AccountError(f"“{email}” doesn't look like an email address.", "email")
    if find_user(email) is not None:
        raise AccountError(f"There is already an account for {email}.", "email")
    return email


def check_display_name(display_name: str) -> str:
    display_name = typed_text.one_line(display_name)
    if not display_name or len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        raise AccountError(
            f"Give a display name of 1 to {DISPLAY_NAME_MAX_LENGTH} characters.", "display_name"
        )
    return display_name


def check_role(role: str) -> str:
    if role not in set(Role):
        raise AccountError(f"The role must be one of: {', '.join(Role)}.", "role")
    return role


def check_new_password(password: str, field: str = "password") -> str:
    if problem := password_problem(password):
        raise AccountError(problem, field)
    return password


def who(user: User) -> str:
    """How logs name a person: by id and role, which identify them without their address."""
    return f"user {user.id} ({user.role})"


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(email: str, display_name: str, role: str, password: str) -> User:
    user = User(
        email=check_email(email),
        display_name=check_display_name(display_name),
        role=check_role(role),
        password_hash=hash_password(check_new_password(password)),
    )
    db.session.add(user)
    return user


def authenticate(email: str, password: str, now: datetime) -> User:
    """The account these credentials open, or AccountLocked / AccountError saying why not.

    Failures are counted in the database (the caller commits even when this raises), so the
    count holds across every worker and server.
    """
    user = find_user(email)
    if user is None or not user.is_active or len(password) > MAX_LENGTH:
        verify_nothing(password)
        # What was typed is not logged: people type their password into the email field.
        log.info("Sign-in refused: no active account for that address")
        raise AccountError(WRONG_EMAIL_OR_PASSWORD)
    if is_locked(user, now):
        log.info("Sign-in refused: %s is locked", who(user))
        raise AccountLocked(user.locked_until, now)
    if not verify_password(user.password_hash, password):
        record_failed_sign_in(user, now)
        if is_locked(user, now):
            log.warning("Sign-in refused: wrong password, %s is now locked", who(user))
            raise AccountLocked(user.locked_until, now)
        log.info("Sign-in refused: wrong password for %s", who(user))
        raise AccountError(WRONG_EMAIL_OR_PASSWORD)
    record_sign_in(user, password)
    log.info("Signed in: %s", who(user))
    return user


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def record_failed_sign_in(user: User, now: datetime) -> None:
    if user.locked_until is not None:
        # An earlier lock has run out: the count starts again.
        user.failed_sign_ins, user.locked_until = 0, None
        db.session.flush()
    # Counted by the database, so two workers refusing at once both count.
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_sign_ins=User.failed_sign_ins + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user)
    if user.failed_sign_ins >= MAX_FAILED_SIGN_INS:
        user.locked_until = now + LOCKOUT


def record_sign_in(user: User, password: str) -> None:
    user.failed_sign_ins, user.locked_until = 0, None
    # Hashes made with older, weaker parameters are upgraded while the password is at hand.
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)


def change_display_name(user: User, display_name: str) -> None:
    user.display_name = check_display_name(display_name)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password and end the account's sessions; the caller signs this browser in again."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError("That isn't your current password.", "current_password")
    user.password_hash = hash_password(check_new_password(new_password, "new_password"))
    end_sessions(user)
    log.info("Password changed by %s", who(user))


def reset_password(email: str, new_password: str) -> User:
    """For a forgotten password, from the command line: a new one, every session ended and any
    lockout lifted."""
    user = find_user(normalize_email(email))
    if user is None:
        raise AccountError(f"There is no account for {normalize_email(email)}.", "email")
    user.password_hash = hash_password(check_new_password(new_password))
    user.failed_sign_ins = 0
    user.locked_until = None
    end_sessions(user)
    log.info("Password set from the command line for %s", who(user))
    return user


def end_sessions(user: User) -> None:
    """Sign the account out everywhere: every session and remember-me cookie carries the
    version, and access.load_user refuses older ones."""
    user.session_version = user.session_version + 1


def sign_out(user: User) -> None:
    """Signing out ends the account's sessions on every device, not just this browser's."""
    end_sessions(user)
    log.info("Signed out everywhere: %s", who(user))


def deactivate_user(user: User) -> None:
    user.is_active = False
    end_sessions(user)
    log.info("Deactivated: %s", who(user))

"""People who sign in: accounts, checking their passwords, and ending an account's sessions."""

import hashlib
import logging
import re
import unicodedata
from datetime import datetime
from typing import Protocol

from sqlalchemy import select

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
from firestorm.refusals import Refusal

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DISPLAY_NAME_MAX_LENGTH = 80
# One message for an unknown email and a wrong password, so it tells nobody who has an account.
WRONG_EMAIL_OR_PASSWORD = (
    "That email and password don't match an account. Check both and try again."
)

log = logging.getLogger(__name__)


class AccountError(Refusal):
    """A person's mistake, said in words they can act on; `field` names the form field at fault."""


def normalize_email(email: str) -> str:
    """The one spelling of an address: the account keeps it, sign-in looks it up by it, and
    the sign-in guard counts wrong passwords under it, so a spelling that reaches an account
    is always counted as that account's address.

    Invisible format characters go (zero-width spaces and joiners, direction marks, soft
    hyphens, the byte-order mark), compatibility forms are folded (NFKC: full-width letters,
    ligatures, no-break spaces), then control characters and the spaces at the ends, and it
    is lower-cased. Normalising it again changes nothing (a test checks)."""
    visible = "".join(char for char in email if unicodedata.category(char) != "Cf")
    return typed_text.one_line(unicodedata.normalize("NFKC", visible)).lower()


def email_digest(email: str) -> str:
    """An address as counts keep it (wrong passwords, hold emails): normalised as accounts are
    looked up, so no spelling of it is counted apart, and hashed, so no store holds it."""
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


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


class Guard(Protocol):
    """The failed-sign-in counts for one email, place and browser (people/sign_in_guard.py)."""

    def check(self, account: User | None) -> None: ...
    def record_failure(self) -> None: ...
    def record_success(self) -> None: ...


def authenticate(email: str, password: str, guard: Guard, now: datetime) -> User:
    """The account these credentials open, signed in at `now`, or TooManyTries / AccountError
    saying why not. A deactivated account gets the answer an unknown address gets.

    An unknown email, a wrong password and too many tries cost the same: one password hash.
    """
    user = find_user(email)
    try:
        # The account is read first: whether this browser is one it knows decides which
        # count the try goes to.
        guard.check(user)
    except AccountError:
        verify_nothing(password)
        log.info("Sign-in refused: too many wrong passwords for that email")
        raise
    if user is None or not user.is_active or len(password) > MAX_LENGTH:
        verify_nothing(password)
        guard.record_failure()
        # What was typed is not logged: people type their password into the email field.
        log.info("Sign-in refused: no active account for that address")
        raise AccountError(WRONG_EMAIL_OR_PASSWORD)
    if not verify_password(user.password_hash, password):
        guard.record_failure()
        log.info("Sign-in refused: wrong password for %s", who(user))
        raise AccountError(WRONG_EMAIL_OR_PASSWORD)
    guard.record_success()
    record_sign_in(user, password, now)
    log.info("Signed in: %s", who(user))
    return user


def record_sign_in(user: User, password: str, now: datetime) -> None:
    # Shown to the collective on /collective/people.
    user.last_signed_in_at = now
    # Hashes made with older, weaker parameters are upgraded while the password is at hand.
    if user.password_hash is not None and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)


def change_display_name(user: User, display_name: str) -> None:
    user.display_name = check_display_name(display_name)


def change_password(user: User, current_password: str, new_password: str, guard: Guard) -> None:
    """Set a new password and end the account's sessions; the caller signs this browser in again.

    The current password is checked like a sign-in: someone at an unattended, signed-in
    computer must not get unlimited guesses at it here either.
    """
    try:
        guard.check(user)
    except AccountError as too_many:
        too_many.field = "current_password"
        raise
    if not verify_password(user.password_hash, current_password):
        guard.record_failure()
        log.info("Password change refused: wrong current password for %s", who(user))
        raise AccountError("That isn't your current password.", "current_password")
    guard.record_success()
    user.password_hash = hash_password(check_new_password(new_password, "new_password"))
    end_sessions(user)
    log.info("Password changed by %s", who(user))


def reset_password(email: str, new_password: str) -> User:
    """For a forgotten password, from the command line: a new one, and every session ended."""
    user = find_user(normalize_email(email))
    if user is None:
        raise AccountError(f"There is no account for {normalize_email(email)}.", "email")
    user.password_hash = hash_password(check_new_password(new_password))
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


def deactivate_user(user: User, by: User | None = None) -> None:
    """Sign the account out everywhere, and refuse its sign-ins from now on (see authenticate:
    the refusal is the one an unknown address gets, so it tells nobody the account exists)."""
    user.is_active = False
    end_sessions(user)
    log.info("Deactivated: %s, by %s", who(user), who(by) if by else "the command line")

"""Passwords: Argon2id hashes with OWASP's parameters, and the rules a new password must meet."""

import gzip
import secrets
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's recommended floor for Argon2id: 19 MiB of memory, 2 passes, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

MIN_LENGTH = 8
# Long enough for any passphrase (NIST asks for at least 64), short enough to bound hashing.
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_nothing(password: str) -> bool:
    """Spend the time a real check takes, and fail.

    Signing in with an unknown email then takes as long as with a wrong password, so the
    answer's timing doesn't tell who has an account.
    """
    verify_password(_dummy_hash(), password[:MAX_LENGTH])
    return False


@cache
def common_passwords() -> frozenset[str]:
    """The most common passwords, lower case; read on first use, then kept."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def is_common(password: str) -> bool:
    return password.strip().lower() in common_passwords()


def password_problem(password: str) -> str | None:
    """What is wrong with a new password, in plain words, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if is_common(password):
        return (
            "That is one of the most common passwords, so it is among the first anyone "
            "would guess. Choose another: a few unrelated words make a good one."
        )
    return None

"""Guessing passwords: failed sign-ins counted per email address and per place (the visitor's
network address), with a looser ceiling per email that slows guessing down instead of
locking the owner out.

Every count is kept for the email as typed, whether or not it has an account, and every
answer costs one password hash: neither the answer nor its timing tells who has an account.
The counts live in the rate limiter's storage (memory, or Redis with several workers), not
in the database, so a refused sign-in writes nothing.
"""

import hashlib
import math
import time

from limits import RateLimitItem, parse
from limits.strategies import RateLimiter

from firestorm.people.accounts import AccountError, normalize_email

# Five wrong passwords for one email from one place: that place waits a quarter of an hour.
# Anyone else, the owner at the cafe included, can still sign in meanwhile.
FROM_ONE_PLACE = parse("5 per 15 minutes")
# Past this many wrong passwords for one email from anywhere, guessing is slowed to one try a
# minute for everyone: too slow to guess a password, fast enough for the owner to get in.
FROM_EVERYWHERE = parse("20 per hour")
SLOWED_PACE = parse("1 per minute")


class TooManyTries(AccountError):
    """Wait before trying this email again; `seconds_left` is for the Retry-After header."""

    def __init__(self, seconds_left: int):
        self.seconds_left = max(1, seconds_left)
        minutes = math.ceil(self.seconds_left / 60)
        super().__init__(
            "Too many wrong passwords for this email address, so we are not checking it for "
            f"now. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
        )


def email_key(email: str) -> str:
    # Under the spelling the account lookup uses, so no other spelling of an address gets
    # fresh counts; and as a digest: the limiter's storage holds no email addresses.
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


class SignInGuard:
    """The counts for one request's email and place, over the limiter's storage."""

    def __init__(self, counter: RateLimiter, email: str, place: str):
        self.counter = counter
        self.email = email_key(email)
        self.place = place or "unknown"

    def check(self) -> None:
        """Raise TooManyTries when this try must not be checked at all."""
        if not self.counter.test(FROM_ONE_PLACE, "place", self.email, self.place):
            raise TooManyTries(
                self._seconds_until_reset(FROM_ONE_PLACE, "place", self.email, self.place)
            )
        slowed = not self.counter.test(FROM_EVERYWHERE, "everywhere", self.email)
        if slowed and not self.counter.hit(SLOWED_PACE, "slowed", self.email):
            raise TooManyTries(self._seconds_until_reset(SLOWED_PACE, "slowed", self.email))

    def record_failure(self) -> None:
        self.counter.hit(FROM_ONE_PLACE, "place", self.email, self.place)
        self.counter.hit(FROM_EVERYWHERE, "everywhere", self.email)

    def record_success(self) -> None:
        """The owner is in: this place's count starts again (the ceiling keeps its count)."""
        self.counter.clear(FROM_ONE_PLACE, "place", self.email, self.place)

    def _seconds_until_reset(self, limit: RateLimitItem, *identifiers: str) -> int:
        reset_at = self.counter.get_window_stats(limit, *identifiers).reset_time
        return math.ceil(reset_at - time.time())

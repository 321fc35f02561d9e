"""Guessing passwords: wrong passwords counted per email, apart for each browser the account
knows (OWASP's device cookies, people/trusted_devices.py) and for all the others together.

- A browser the account knows (it signed in there before) has its own allowance: five wrong
  passwords in a quarter of an hour, then that browser waits. Nothing anyone does elsewhere
  touches it, so guessing from elsewhere can never keep the owner out of their own browser.
- Every other browser shares the account's allowance for new browsers: ten wrong passwords
  in an hour from anywhere, then new browsers wait; and five in a quarter of an hour from one
  place (network address), then that place waits.

Every count is kept for the email as typed (in the spelling the account lookup uses), whether
or not it has an account, and every answer costs one password hash: neither the answer nor its
timing tells who has an account. The counts live in the rate limiter's storage (memory, or
Redis with several workers), not in the database, so a refused sign-in writes nothing.
"""

import math
import time
from typing import NamedTuple, Protocol

from limits import RateLimitItem, parse
from limits.strategies import RateLimiter

from firestorm.people.accounts import AccountError, email_digest
from firestorm.people.models import User

FROM_A_KNOWN_BROWSER = parse("5 per 15 minutes")
FROM_NEW_BROWSERS = parse("10 per hour")
FROM_ONE_PLACE = parse("5 per 15 minutes")


class TooManyTries(AccountError):
    """Wait before trying this email again; `seconds_left` is for the Retry-After header."""

    def __init__(self, seconds_left: int, known_browser: bool):
        self.seconds_left = max(1, seconds_left)
        minutes = math.ceil(self.seconds_left / 60)
        wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
        if known_browser:
            words = (
                "Too many wrong passwords have been tried for this account on this browser, "
                f"so we are not checking them here for now. Try again in {wait}."
            )
        else:
            words = (
                "Too many wrong passwords have been tried for this email address, so we are "
                "not checking it from a new browser for now. Sign in on a computer or phone "
                f"where you have signed in before, or try again in {wait}."
            )
        super().__init__(words)


class Browser(Protocol):
    def device_for(self, account: User | None) -> str | None:
        """This browser's name with the account if the account knows it, else None."""


class SignedInBrowser:
    """A browser signed in to the account, asked for the current password (the account page):
    it proved the password when it signed in, so its wrong tries are counted as a known
    browser's, one count for all the account's signed-in browsers."""

    def device_for(self, account: User | None) -> str | None:
        return "signed in" if account else None


class Allowance(NamedTuple):
    limit: RateLimitItem
    key: tuple[str, ...]


class SignInGuard:
    """The counts for one try at an email, from one place and browser (None: a browser no
    account knows), over the limiter's storage."""

    def __init__(
        self,
        counter: RateLimiter,
        email: str,
        place: str | None,
        browser: Browser | None = None,
    ) -> None:
        self.counter = counter
        # A digest: the limiter's storage holds no email addresses.
        self.email = email_digest(email)
        self.place = place or "unknown"
        self.browser = browser
        self.device: str | None = None

    def check(self, account: User | None) -> None:
        """Raise TooManyTries when this try at `account` (None: no such account) must not be
        checked at all."""
        self.device = self.browser.device_for(account) if self.browser else None
        waits = [
            self._seconds_until_reset(allowance)
            for allowance in self._allowances()
            if not self.counter.test(allowance.limit, *allowance.key)
        ]
        if waits:
            raise TooManyTries(max(waits), known_browser=self.device is not None)

    def record_failure(self) -> None:
        for allowance in self._allowances():
            self.counter.hit(allowance.limit, *allowance.key)

    def record_success(self) -> None:
        """The owner is in: this browser's count, or this place's, starts again (the count for
        new browsers keeps going: the owner's success forgives nobody else's guesses)."""
        allowance = self._allowances()[0]
        self.counter.clear(allowance.limit, *allowance.key)

    def _allowances(self) -> list[Allowance]:
        if self.device is not None:
            return [Allowance(FROM_A_KNOWN_BROWSER, ("device", self.email, self.device))]
        return [
            Allowance(FROM_ONE_PLACE, ("place", self.email, self.place)),
            Allowance(FROM_NEW_BROWSERS, ("new_browsers", self.email)),
        ]

    def _seconds_until_reset(self, allowance: Allowance) -> int:
        reset_at = self.counter.get_window_stats(allowance.limit, *allowance.key).reset_time
        return math.ceil(reset_at - time.time())

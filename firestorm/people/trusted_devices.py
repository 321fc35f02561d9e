"""Browsers an account knows (OWASP's device cookies): a browser that signed in to an account
is given a signed cookie for it, and from then on its tries at that account's password are
counted on their own, apart from the tries of every browser the account does not know
(people/sign_in_guard.py). Someone guessing from elsewhere can then shut out new browsers for
a while, but never the owner's own.

A browser keeps one cookie per account, for the newest few accounts signed in on it. Each is
named by a keyed digest of the account (never its address or id in clear) and holds a random
name for this browser with that account, a keyed digest of the password it was earned with
(a new password, changed on the account page or set from the command line, makes every older
cookie worthless, a stolen copy too), and when it was given. The cookie is only ever given for
the right password, so it tells nothing to anyone who does not know it.
"""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

from firestorm.people.models import User

# The accounts one browser is known to: a shared computer at the cafe keeps the newest ten,
# so the cookies sent with a sign-in stay small (about 160 bytes each, 1.6 kB in all) however
# many people use it.
ACCOUNTS_PER_BROWSER = 10
DIGEST_LENGTH = 16


@dataclass(frozen=True)
class DeviceCookie:
    name: str
    value: str


@dataclass(frozen=True)
class Earned:
    """What a valid device cookie says: the browser's name with the account, a digest of the
    password that earned it, and when (seconds since the epoch)."""

    device: str
    password: str
    given_at: int


class KnownBrowser:
    """What one browser's device cookies prove, read with the site's secret at `now`."""

    def __init__(
        self,
        secret: str | bytes,
        cookie_name: str,
        lifetime: timedelta,
        cookies: Mapping[str, str],
        now: datetime,
    ):
        # SECRET_KEY, which Flask takes as text or bytes.
        self.secret = secret.encode() if isinstance(secret, str) else secret
        self.prefix = f"{cookie_name}-"
        self.lifetime = lifetime.total_seconds()
        self.now = int(now.timestamp())
        self.serializer = URLSafeSerializer(secret, salt="device cookie")
        self.cookies = {
            name: value for name, value in cookies.items() if name.startswith(self.prefix)
        }

    def device_for(self, account: User | None) -> str | None:
        """This browser's name with the account when it holds a valid device cookie for it,
        earned with the account's present password; None for a browser the account does not
        know (no cookie, or one forged, expired, for another account or an older password)."""
        if account is None:
            return None
        earned = self._read(self._cookie_name(account))
        if earned is None or earned.password != self._password_digest(account):
            return None
        return earned.device

    def cookie_for(self, account: User) -> DeviceCookie:
        """A new device cookie for the account, which has just proved its password here."""
        name = self._cookie_name(account)
        device = secrets.token_urlsafe(12)
        value = self.serializer.dumps([name, device, self._password_digest(account), self.now])
        return DeviceCookie(name, value)

    def cookies_to_forget(self, newest: DeviceCookie) -> list[str]:
        """The device cookies to drop as `newest` is given: those no longer valid, and the
        oldest past ACCOUNTS_PER_BROWSER."""
        others = [name for name in self.cookies if name != newest.name]
        earned = {name: self._read(name) for name in others}
        valid = sorted((e.given_at, name) for name, e in earned.items() if e is not None)
        invalid = [name for name, e in earned.items() if e is None]
        too_many = max(0, len(valid) + 1 - ACCOUNTS_PER_BROWSER)
        return invalid + [name for _, name in valid[:too_many]]

    def _read(self, name: str) -> Earned | None:
        """The cookie `name`, if this site signed it under that name and it has not expired."""
        try:
            signed_name, device, password, given_at = self.serializer.loads(self.cookies[name])
            age = self.now - int(given_at)
        except (KeyError, BadSignature, TypeError, ValueError):
            return None
        if signed_name != name or age >= self.lifetime:
            return None
        return Earned(device, password, int(given_at))

    def _cookie_name(self, account: User) -> str:
        return self.prefix + self._digest(f"account {account.id}")

    def _password_digest(self, account: User) -> str:
        return self._digest(f"password {account.password_hash}")

    def _digest(self, text: str) -> str:
        mac = hmac.new(self.secret, f"device {text}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).decode()[:DIGEST_LENGTH]

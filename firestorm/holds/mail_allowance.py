"""How many hold confirmations one email address gets: HOLD_EMAIL_LIMIT a day, whoever sends the
form and from wherever, so the hold form can't be used to fill a stranger's inbox.

Counted in the rate limiter's storage (Redis, shared by every worker, in production) under a
digest of the address normalised as accounts are looked up: the storage keeps no address, and
no spelling of one ("Robin@Example.org ") is counted apart.
"""

import logging

from limits import parse
from limits.strategies import RateLimiter

from firestorm.people.accounts import email_digest

log = logging.getLogger(__name__)


def may_mail(counter: RateLimiter, address: str, limit: str, about: str) -> bool:
    """Count one more hold email to `address` if today's allowance (`limit`, in Flask-Limiter's
    notation) has room for it; False, counting nothing, when it has none. `about` names the
    email in the log, never by its address."""
    if counter.hit(parse(limit), "hold-emails", email_digest(address)):
        return True
    log.info("Mail withheld, %s: that address has had today's hold emails (%s)", about, limit)
    return False

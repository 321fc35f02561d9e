"""HTTP caching of the public pages for people who are not signed in: an ETag made from what
the page shows, 304 Not Modified when it is unchanged, and a short shared cache that never
outlives the status banner.

The ETag is decided before the page is drawn, from values a request has at hand: the last
change's token (web/last_change.py: any committed change to books, stock, reviews, holds,
hours or people), the banner's message and the moment it next changes (the process keeps
the schedule), the address with its query, and whether htmx asked for a fragment. A 304
therefore reads no database and draws no template.
"""

import hashlib
from datetime import datetime, time, timedelta
from functools import wraps

from flask import current_app, g, make_response, request, session
from flask.typing import ResponseReturnValue

from firestorm.web import clock, last_change
from firestorm.web.access import is_signed_out
from firestorm.web.htmx import is_htmx_request

# What an anonymous visitor's session may hold without changing any page: the CSRF token a
# sign-in or hold form left there. Anything else (a flash message, a signed-in user) is shown.
UNSEEN_SESSION_KEYS = frozenset({"csrf_token"})


def public_page(view):
    """For a public GET route whose page is the same for every visitor who is not signed in:
    an ETag and a short shared cache, and 304 when the visitor's copy is still right."""

    @wraps(view)
    def answer(*args, **kwargs) -> ResponseReturnValue:
        # In debug mode templates and code change under a running server: always draw afresh.
        if current_app.debug or not _same_for_every_visitor():
            return view(*args, **kwargs)
        etag, fresh_for = _etag_and_freshness()
        if request.if_none_match.contains_weak(etag):
            response = current_app.response_class(status=304)
        else:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200 or _shown_to_this_visitor_only():
                return response
        response.set_etag(etag, weak=True)
        response.cache_control.public = True
        response.cache_control.max_age = fresh_for
        response.cache_control.must_revalidate = True
        # A signed-in member, at the same address, is shown other pages: keep them apart.
        response.vary.add("Cookie")
        return response

    return answer


def _same_for_every_visitor() -> bool:
    return is_signed_out() and session.keys() <= UNSEEN_SESSION_KEYS


def _etag_and_freshness() -> tuple[str, int]:
    """The ETag, and how many seconds a cache may keep the page without asking again."""
    now = clock.current_time()
    status = clock.current_status()
    banner_changes_at = min(
        moment
        for moment in (status.closes_at, status.next_opening, _next_midnight())
        if moment is not None
    )
    shown = [
        last_change.token(),
        status.message,
        banner_changes_at.isoformat(),
        request.full_path,
        "fragment" if is_htmx_request() else "page",
    ]
    etag = hashlib.blake2b("\n".join(shown).encode(), digest_size=12).hexdigest()
    seconds_left = int((banner_changes_at - now).total_seconds())
    return etag, max(0, min(current_app.config["PUBLIC_CACHE_SECONDS"], seconds_left))


def _next_midnight() -> datetime:
    # Dates on the pages ("opens Tuesday", the week's hours from today) move on at midnight.
    tomorrow = clock.store_today() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=clock.store_timezone())


def _shown_to_this_visitor_only() -> bool:
    """Whether the page drawn says something to this visitor alone: a flash message, or a
    form whose CSRF token belongs to their session."""
    has_csrf_token = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g
    return has_csrf_token or not _same_for_every_visitor()

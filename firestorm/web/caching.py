"""HTTP caching of the public pages for people who are not signed in: an ETag made from what
the page shows, 304 Not Modified when it is unchanged, and a short shared cache that never
outlives the status banner.

The ETag is decided before the page is drawn, from values a request has at hand: the last
change's token (web/last_change.py: any committed change to books, stock, reviews, holds,
hours or people), the banner's message and the moment it next changes (the process keeps
the schedule), the address with its query, and whether htmx asked for a fragment. A 304
therefore reads one row (the token's) and draws no template.

The same ETag names the page in each worker's own small cache of drawn pages (PageCache): a
page asked for again before anything changed is sent as it was drawn, not drawn again.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import wraps
from typing import ParamSpec

from flask import Response, current_app, g, make_response, request, session
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import Headers

from firestorm.web import clock, last_change
from firestorm.web.access import is_signed_out
from firestorm.web.htmx import is_htmx_request

# What an anonymous visitor's session may hold without changing any page: the CSRF token a
# sign-in or hold form left there. Anything else (a flash message, a signed-in user) is shown.
UNSEEN_SESSION_KEYS = frozenset({"csrf_token"})


Params = ParamSpec("Params")


def public_page(
    view: Callable[Params, ResponseReturnValue],
) -> Callable[Params, ResponseReturnValue]:
    """For a public GET route whose page is the same for every visitor who is not signed in:
    an ETag and a short shared cache, and 304 when the visitor's copy is still right."""

    @wraps(view)
    def answer(*args: Params.args, **kwargs: Params.kwargs) -> ResponseReturnValue:
        # In debug mode templates and code change under a running server: always draw afresh.
        if current_app.debug or not _same_for_every_visitor():
            return view(*args, **kwargs)
        etag, shared_for = _etag_and_freshness()
        if request.if_none_match.contains_weak(etag):
            response = current_app.response_class(status=304)
        elif drawn := drawn_pages().get(etag):
            response = current_app.response_class(drawn.body, headers=drawn.headers)
        else:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200 or _shown_to_this_visitor_only():
                return response
            drawn_pages().keep(etag, response)
        response.set_etag(etag, weak=True)
        # Browsers ask every time (max-age=0, must-revalidate): a visitor who saw the page
        # before must not be shown their own copy after a hold or an approval. A shared cache
        # in front may answer for a few seconds (s-maxage), never past the banner's change.
        response.cache_control.public = True
        response.cache_control.max_age = 0
        response.cache_control.must_revalidate = True
        response.cache_control.s_maxage = shared_for
        # A signed-in member, at the same address, is shown other pages: keep them apart.
        response.vary.add("Cookie")
        return response

    return answer


def _same_for_every_visitor() -> bool:
    return is_signed_out() and session.keys() <= UNSEEN_SESSION_KEYS


def _etag_and_freshness() -> tuple[str, int]:
    """The ETag, and how many seconds a shared cache may keep the page without asking again."""
    now = clock.current_time()
    status = clock.current_status()
    # The banner changes at opening and closing; the lists of events when one starts or ends.
    banner_changes_at = min(
        moment
        for moment in (
            status.closes_at,
            status.next_opening,
            _next_midnight(),
            clock.next_event_moment(),
        )
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
    has_csrf_token = current_app.config["WTF_CSRF_FIELD_NAME"] in g
    return has_csrf_token or not _same_for_every_visitor()


class DrawnPage:
    """A page as its view returned it: the after-request steps (security headers, Vary, the
    transaction's end) run again each time it is sent."""

    def __init__(self, response: Response):
        self.body = response.get_data()
        self.headers = Headers(response.headers)


class PageCache:
    """The pages this worker drew lately, by ETag, the least recently sent dropped first.

    An ETag changes with anything the page shows, so an entry is never stale: pages drawn
    before a change are simply never asked for again and fall out. PAGE_CACHE_ENTRIES bounds
    the memory (pages weigh 10–60 kB); 0 turns the cache off.
    """

    def __init__(self) -> None:
        self._pages: OrderedDict[str, DrawnPage] = OrderedDict()
        # gunicorn's sync workers serve one request at a time; threaded servers need the lock.
        self._lock = threading.Lock()

    def get(self, etag: str) -> DrawnPage | None:
        with self._lock:
            page = self._pages.get(etag)
            if page is not None:
                self._pages.move_to_end(etag)
            return page

    def keep(self, etag: str, response: Response) -> None:
        room = current_app.config["PAGE_CACHE_ENTRIES"]
        if room <= 0 or response.is_streamed:
            return
        with self._lock:
            self._pages[etag] = DrawnPage(response)
            while len(self._pages) > room:
                self._pages.popitem(last=False)


def drawn_pages() -> PageCache:
    """This app's cache: apps made side by side (tests, tools) never share pages."""
    return current_app.extensions.setdefault("firestorm_drawn_pages", PageCache())

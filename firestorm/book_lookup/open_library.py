"""Open Library's answers about one ISBN, read into the book form's terms.

The edition is `/isbn/{isbn}.json` (Open Library answers with a redirect to the edition's own
address), its authors' names `/authors/{key}.json`, and, when the edition has no description,
its work's (`/works/{key}.json`). The cover is `/b/isbn/{isbn}-L.jpg?default=false` on the
covers server: without `default=false` a missing cover comes back as a blank image.

Every request is bounded: one deadline for the facts (a server that answers slowly, byte by
byte, is cut off as surely as one that never answers), another for the cover, and a size limit
on each answer. Whatever goes wrong is a LookupFailed saying so in a member's words.
"""

import enum
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import urllib3

# The largest answers read: an edition's JSON is a few kilobytes; a cover at most the size of
# an upload (catalog/covers.py checks it again).
MAX_JSON_BYTES = 1024 * 1024
MAX_COVER_BYTES = 5 * 1024 * 1024
# An edition lists a handful of authors; a list of hundreds is not one book's.
MAX_AUTHORS = 10
CHUNK = 64 * 1024
# Open Library's /isbn/… answers with one redirect; a chain longer than this is not its.
MAX_REDIRECTS = 3
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# The ways Open Library's editions write a whole day (its publish_date is free text).
WHOLE_DATES = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")


class Outcome(enum.StrEnum):
    """What became of a lookup, as the cache keeps it and the page says it."""

    FOUND = "found"
    NOT_FOUND = "not found"
    # Not kept: the next lookup asks again.
    UNREACHABLE = "unreachable"
    SLOW = "slow"
    UNREADABLE = "unreadable"


class LookupFailed(Exception):
    """Open Library could not answer this time (not "it doesn't know the book")."""

    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome


class NotFound(Exception):
    """Open Library answered that it has no such edition."""


@dataclass(frozen=True)
class Source:
    """Where and how to ask: the two base addresses (BOOK_LOOKUP_URL, COVER_LOOKUP_URL), the
    seconds each part may take, and the User-Agent Open Library asks callers to send."""

    book_url: str
    cover_url: str
    timeout: float
    user_agent: str


@dataclass(frozen=True)
class FoundBook:
    """An edition's facts, in the book form's terms; empty where Open Library has nothing."""

    title: str
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    release_date: date | None = None
    # The date as Open Library writes it when it is not a whole day ("2017", "May 2017"): the
    # member types the day if they know it.
    published: str = ""
    page_count: int | None = None
    description: str = ""
    cover: bytes | None = field(default=None, repr=False)

    def facts(self) -> dict[str, Any]:
        """What the cache keeps as JSON (the cover apart)."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "authors": list(self.authors),
            "publisher": self.publisher,
            "release_date": self.release_date.isoformat() if self.release_date else None,
            "published": self.published,
            "page_count": self.page_count,
            "description": self.description,
        }

    @classmethod
    def from_facts(cls, facts: dict[str, Any], cover: bytes | None) -> "FoundBook":
        released = facts.get("release_date")
        return cls(
            title=facts["title"],
            subtitle=facts.get("subtitle", ""),
            authors=tuple(facts.get("authors", ())),
            publisher=facts.get("publisher", ""),
            release_date=date.fromisoformat(released) if released else None,
            published=facts.get("published", ""),
            page_count=facts.get("page_count"),
            description=facts.get("description", ""),
            cover=cover,
        )


def look_up(isbn13: str, source: Source) -> FoundBook:
    """The edition with this ISBN-13 and its cover; NotFound, or LookupFailed."""
    with _client(source) as client:
        deadline = time.monotonic() + source.timeout
        edition = _json(client, f"{source.book_url}/isbn/{isbn13}.json", deadline)
        book = _read_edition(edition)
        authors = _author_names(client, source, edition, deadline)
        description = book.description or _work_description(client, source, edition, deadline)
        cover = _cover(client, f"{source.cover_url}/b/isbn/{isbn13}-L.jpg?default=false", source)
    return replace(book, authors=authors, description=description, cover=cover)


# --- Reading the answers --------------------------------------------------------------------


def _read_edition(edition: Any) -> FoundBook:
    if not isinstance(edition, dict):
        raise LookupFailed(Outcome.UNREADABLE, "the edition is not a JSON object")
    title = _text(edition.get("title"))
    if not title:
        raise LookupFailed(Outcome.UNREADABLE, "the edition has no title")
    publishers = edition.get("publishers")
    published = _text(edition.get("publish_date"))
    release_date = _whole_date(published)
    pages = edition.get("number_of_pages")
    return FoundBook(
        title=title,
        subtitle=_text(edition.get("subtitle")),
        publisher=_text(publishers[0]) if isinstance(publishers, list) and publishers else "",
        release_date=release_date,
        published="" if release_date else published,
        page_count=pages if isinstance(pages, int) and 0 < pages <= 100_000 else None,
        description=_description(edition.get("description")),
    )


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _description(value: Any) -> str:
    """A description is a string, or {"type": "/type/text", "value": "…"}."""
    if isinstance(value, dict):
        value = value.get("value")
    return value.strip() if isinstance(value, str) else ""


def _whole_date(published: str) -> date | None:
    """A date Open Library gives to the day ("July 1, 2010", "2010-07-01", "1 Jul 2010");
    None for a year or a month alone, which a day would only invent."""
    for pattern in WHOLE_DATES:
        try:
            return datetime.strptime(published.replace(".", ""), pattern).date()
        except ValueError:
            continue
    return None


def _author_names(
    client: urllib3.PoolManager, source: Source, edition: dict, deadline: float
) -> tuple[str, ...]:
    keys = [
        author["key"]
        for author in edition.get("authors") or []
        if isinstance(author, dict) and isinstance(author.get("key"), str)
    ][:MAX_AUTHORS]
    names = []
    for key in keys:
        try:
            author = _json(client, f"{source.book_url}{_path(key)}.json", deadline)
        except NotFound:
            continue
        name = _text(author.get("name")) if isinstance(author, dict) else ""
        if name:
            names.append(name)
    return tuple(names)


def _work_description(
    client: urllib3.PoolManager, source: Source, edition: dict, deadline: float
) -> str:
    works = edition.get("works")
    if not (isinstance(works, list) and works and isinstance(works[0], dict)):
        return ""
    key = works[0].get("key")
    if not isinstance(key, str):
        return ""
    try:
        work = _json(client, f"{source.book_url}{_path(key)}.json", deadline)
    except NotFound:
        return ""
    return _description(work.get("description")) if isinstance(work, dict) else ""


def _path(key: str) -> str:
    """An Open Library key ("/authors/OL1A") as a path, with nothing in it that could leave
    the server it names."""
    return "/" + quote(key.strip("/"), safe="/")


# --- HTTP -------------------------------------------------------------------------------------


@contextmanager
def _client(source: Source) -> Iterator[urllib3.PoolManager]:
    client = urllib3.PoolManager(
        headers={"User-Agent": source.user_agent, "Accept": "application/json"},
        # Nothing retried: a failure is said at once. Redirects are followed by _get.
        retries=False,
    )
    try:
        yield client
    finally:
        client.clear()


def _json(client: urllib3.PoolManager, url: str, deadline: float) -> Any:
    body = _get(client, url, deadline, MAX_JSON_BYTES)
    try:
        return json.loads(body)
    except ValueError:
        raise LookupFailed(Outcome.UNREADABLE, "the answer is not JSON") from None


def _cover(client: urllib3.PoolManager, url: str, source: Source) -> bytes | None:
    """The cover's bytes, or None when there is none or it did not come in time (the facts
    are worth having without it)."""
    try:
        return _get(client, url, time.monotonic() + source.timeout, MAX_COVER_BYTES)
    except (NotFound, LookupFailed):
        return None


def _get(client: urllib3.PoolManager, url: str, deadline: float, limit: int) -> bytes:
    """The body of a 200 answer within the deadline and the size limit. Redirects are followed
    (Open Library sends /isbn/… on to the edition's own address) on the server first asked
    only: an answer can't send the site to another machine, its own network's included."""
    for _ in range(MAX_REDIRECTS + 1):
        response = _response(client, url, deadline)
        try:
            if response.status in REDIRECTS:
                url = _same_server(url, response.headers.get("Location", ""))
                continue
            if response.status == 404:
                raise NotFound
            if response.status != 200:
                raise LookupFailed(Outcome.UNREACHABLE, f"HTTP {response.status}")
            return _body(response, deadline, limit)
        finally:
            response.release_conn()
    raise LookupFailed(Outcome.UNREADABLE, "too many redirects")


def _response(client: urllib3.PoolManager, url: str, deadline: float) -> urllib3.BaseHTTPResponse:
    try:
        return client.request(
            "GET",
            url,
            preload_content=False,
            redirect=False,
            timeout=urllib3.Timeout(_left(deadline)),
        )
    except urllib3.exceptions.HTTPError as error:
        raise _failure(error) from None


def _same_server(url: str, location: str) -> str:
    """Where a redirect leads, if it stays on the server `url` is on."""
    target = urljoin(url, location)
    if urlsplit(target)[:2] != urlsplit(url)[:2]:
        raise LookupFailed(Outcome.UNREADABLE, "redirected to another server")
    return target


def _failure(error: urllib3.exceptions.HTTPError) -> LookupFailed:
    """A failed request in the outcome's terms: nobody there, or nothing in time."""
    cause: Exception = error
    if isinstance(error, urllib3.exceptions.MaxRetryError) and error.reason is not None:
        cause = error.reason
    # urllib3's refused connection is also a kind of connect timeout: asked first.
    if isinstance(cause, urllib3.exceptions.NewConnectionError):
        return LookupFailed(Outcome.UNREACHABLE, type(cause).__name__)
    if isinstance(cause, urllib3.exceptions.TimeoutError):
        return LookupFailed(Outcome.SLOW, "no answer in time")
    return LookupFailed(Outcome.UNREACHABLE, type(cause).__name__)


def _body(response: urllib3.BaseHTTPResponse, deadline: float, limit: int) -> bytes:
    body = bytearray()
    try:
        # read1 returns what has come so far, so a server that drips its answer meets the
        # deadline between chunks (each wait on the socket is bounded by the read timeout).
        while chunk := response.read1(CHUNK):
            body += chunk
            if len(body) > limit:
                raise LookupFailed(Outcome.UNREADABLE, "the answer is too large")
            _left(deadline)
    except urllib3.exceptions.HTTPError as error:
        raise _failure(error) from None
    return bytes(body)


def _left(deadline: float) -> float:
    """The seconds left before the deadline; LookupFailed once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise LookupFailed(Outcome.SLOW, "no answer in time")
    return left

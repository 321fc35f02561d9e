"""The site's own address (the SITE_URL setting), from which every absolute link is built:
canonical links, JSON-LD, the sitemap, robots.txt, the feeds, Open Graph, shelf-talkers' QR
codes, invitation links and emails.

Never from the request: its Host header (or X-Forwarded-Host) is whatever the visitor sent,
and a public page drawn for one visitor is kept and sent to the next (web/caching.py).
`url_for(..., _external=True)` takes the request's host, so the project never calls it.

And the other way round: a path a form carries ("next") is followed only when it stays on
this site (safe_next_path), so signing in or a plain post never sends anyone away.
"""

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from werkzeug.routing import MapAdapter

# Longer than any page of ours: a "next" path this long is not one.
NEXT_MAX_LENGTH = 2000
# Where `make run` serves the site: development's address when SITE_URL is not set.
DEVELOPMENT_SITE_URL = "http://127.0.0.1:5000"


class BadSiteUrl(ValueError):
    """SITE_URL is not an address the site could be reached at; the message says why."""


def checked_site_url(url: str) -> str:
    """The setting as links are built from it (no trailing slash), or BadSiteUrl."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadSiteUrl(
            f"FIRESTORM_SITE_URL: {url!r} is not a web address; write the address people "
            "type to reach the site, e.g. https://books.example.org"
        )
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise BadSiteUrl(
            f"FIRESTORM_SITE_URL: {url!r} carries more than an address; leave out anything "
            "after ? or #, and any user name"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def site_host(url: str) -> str:
    """The host name in the site's address, as TRUSTED_HOSTS names it."""
    return urlsplit(url).hostname or ""


def absolute_url(endpoint: str, **values: Any) -> str:
    """`url_for` at the site's own address: the same link whoever asked, and outside a
    request too (the command line, mail sent after the response)."""
    current_app.inject_url_defaults(endpoint, values)
    return _site_adapter(current_app).build(endpoint, values, force_external=True)


def _site_adapter(app: Flask) -> MapAdapter:
    # Bound once per address: a page of 24 books builds 24 links.
    site_url = app.config["SITE_URL"]
    bound = app.extensions.get("firestorm_site_adapter")
    if bound is None or bound[0] != site_url:
        parts = urlsplit(site_url)
        adapter = app.url_map.bind(
            parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
        )
        bound = app.extensions["firestorm_site_adapter"] = (site_url, adapter)
    return bound[1]


def safe_next_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: signing in never sends anyone away."""
    if not target or len(target) > NEXT_MAX_LENGTH or not target.startswith("/"):
        return None
    # Browsers read "\" as "/" and drop tabs and newlines, so "/\evil.example" and
    # "/\t/evil.example" would leave the site.
    if "\\" in target or any(char.isspace() or not char.isprintable() for char in target):
        return None
    parts = urlsplit(target)
    if target.startswith("//") or parts.scheme or parts.netloc:
        return None
    return target

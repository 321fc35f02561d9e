"""Pages for machines: /sitemap.xml (an index of /sitemaps/<n>.xml when it grows too long),
/robots.txt, /favicon.ico and the feed of new arrivals."""

from typing import Any

from flask import abort, current_app, make_response, render_template, send_from_directory
from flask.typing import ResponseReturnValue

from firestorm.public import bp, sitemap
from firestorm.public.routes import FEED_LENGTH
from firestorm.search import queries
from firestorm.web import clock
from firestorm.web.caching import public_page
from firestorm.web.site_address import absolute_url

# The icon is not named by its content, so it is kept a day rather than for ever.
FAVICON_CACHE = "public, max-age=86400"


def _xml(template: str, **context: Any) -> ResponseReturnValue:
    response = make_response(render_template(template, **context))
    response.mimetype = "application/xml"
    return response


def _addresses(entries: list[sitemap.Entry]) -> list[tuple[str, str | None]]:
    return [
        (
            absolute_url(entry.endpoint, **entry.values),
            entry.lastmod.isoformat(timespec="seconds") if entry.lastmod else None,
        )
        for entry in entries
    ]


@bp.get("/sitemap.xml")
@public_page
def sitemap_xml() -> ResponseReturnValue:
    counted = sitemap.Sitemap.counted(current_app.config["SITEMAP_URLS_PER_FILE"])
    if counted.needs_an_index:
        return _xml("public/sitemap_index.xml", file_count=counted.file_count)
    return _xml("public/sitemap.xml", addresses=_addresses(counted.file(1)))


@bp.get("/sitemaps/<int:number>.xml")
@public_page
def sitemap_file(number: int) -> ResponseReturnValue:
    counted = sitemap.Sitemap.counted(current_app.config["SITEMAP_URLS_PER_FILE"])
    if not 1 <= number <= counted.file_count:
        abort(404)
    return _xml("public/sitemap.xml", addresses=_addresses(counted.file(number)))


@bp.get("/robots.txt")
@public_page
def robots_txt() -> ResponseReturnValue:
    response = make_response(render_template("public/robots.txt"))
    response.mimetype = "text/plain"
    return response


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    # Browsers ask for /favicon.ico whatever the page links to; the SVG is for those that read it.
    if current_app.static_folder is None:
        abort(404)  # an app made without its static folder has no icon either
    response = send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon"
    )
    response.headers["Cache-Control"] = FAVICON_CACHE
    return response


@bp.get("/new-arrivals.atom")
@public_page
def new_arrivals_feed() -> ResponseReturnValue:
    books = queries.newest_books(FEED_LENGTH)
    updated = max((book.created_at for book in books), default=clock.current_time())
    response = make_response(
        render_template("public/new_arrivals.atom.xml", books=books, updated=updated)
    )
    response.mimetype = "application/atom+xml"
    return response

"""What the <head> of a public page tells machines besides the JSON-LD: the page's canonical
address, and the absolute address of a book's cover for shared links."""

from flask import request

from firestorm.catalog import covers
from firestorm.catalog.models import Book
from firestorm.pagination import page_number
from firestorm.public import bp
from firestorm.web.cover_files import cover_absolute_url
from firestorm.web.site_address import absolute_url


@bp.app_template_global()
def canonical_url() -> str | None:
    """The page's address without its query string: a searched, filtered or sorted list shows
    the same books as the list itself. A page number alone is kept (page 2 is other books).
    None off the public pages."""
    if request.blueprint != "public" or request.endpoint is None:
        return None
    kept = {}
    if request.args.keys() == {"page"} and page_number(request.args["page"]) > 1:
        kept["page"] = page_number(request.args["page"])
    return absolute_url(request.endpoint, **(request.view_args or {}), **kept)


@bp.app_template_global()
def cover_url(book: Book) -> str | None:
    """The book's uploaded cover at its absolute address, or None (a typographic cover is
    drawn by the page, not an image another site could show)."""
    image = covers.cover_image(book)
    if image is None:
        return None
    return cover_absolute_url(image)

"""What the <head> of a public page tells machines besides the JSON-LD: the page's canonical
address, the shop's description, and the picture a shared link shows (Open Graph)."""

from dataclasses import dataclass

from flask import current_app, request

from firestorm.catalog import covers
from firestorm.catalog.models import Book
from firestorm.pagination import page_number
from firestorm.public import bp
from firestorm.public.share_card_routes import book_card, store_card
from firestorm.sharing import cards
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
def store_description() -> str:
    """The shop in a sentence: the description of pages that have none of their own."""
    config = current_app.config
    return (
        f"{config['STORE_NAME']}, a collective-run cafe and bookstore at "
        f"{config['STORE_ADDRESS']}: books in stock, reviews by our volunteers, and opening hours."
    )


@bp.app_template_global()
def cover_url(book: Book) -> str | None:
    """The book's uploaded cover at its absolute address, or None (a typographic cover is
    drawn by the page, not an image another site could show)."""
    image = covers.cover_image(book)
    if image is None:
        return None
    return cover_absolute_url(image)


@dataclass(frozen=True)
class SharedImage:
    """The picture a shared link shows, as Open Graph describes it."""

    url: str
    content_type: str
    width: int
    height: int
    alt: str


@bp.app_template_global()
def book_share_image(book: Book) -> SharedImage:
    """The book's uploaded cover as JPEG (many social sites read no WebP), or its share card:
    its title and authors, drawn."""
    image = covers.cover_image(book)
    if image is not None:
        url = absolute_url("public.cover_file", name=image.jpeg_name)
        return SharedImage(url, "image/jpeg", image.width, image.height, f"Cover of {book.title}")
    card = book_card(book)
    url = absolute_url("public.book_share_card", book_id=book.id, digest=card.digest)
    by = f" by {card.byline}" if card.byline else ""
    return SharedImage(url, cards.CONTENT_TYPE, *cards.SIZE, f"{book.title}{by}")


@bp.app_template_global()
def store_share_image() -> SharedImage:
    """The shop's card: its name and address, drawn."""
    card = store_card()
    url = absolute_url("public.store_share_card", digest=card.digest)
    return SharedImage(url, cards.CONTENT_TYPE, *cards.SIZE, f"{card.heading}, {card.footer}")

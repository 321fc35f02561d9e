"""Share cards (sharing/cards.py) at addresses named by what they show, so each is cached for
a year: /books/<id>/share-<digest>.png for a book, /share-<digest>.png for the shop. A card is
drawn on its first request and stored, after the answer has gone, where the covers are; every
worker of every server then answers with the stored card (cards.stored_png)."""

from functools import partial

from flask import Response, abort, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue

from firestorm.catalog.cover_storage import CACHE_FOR_EVER
from firestorm.catalog.models import Book
from firestorm.public import bp
from firestorm.sharing import cards
from firestorm.web import transaction
from firestorm.web.cover_files import cover_storage


@bp.get("/books/<id:book_id>/share-<digest>.png")
def book_share_card(book_id: int, digest: str) -> ResponseReturnValue:
    book = cards.book_to_share(book_id)
    if book is None:
        abort(404)
    return card_answer(book_card(book), digest, book_id)


@bp.get("/share-<digest>.png")
def store_share_card(digest: str) -> ResponseReturnValue:
    return card_answer(store_card(), digest, None)


def book_card(book: Book) -> cards.Card:
    return cards.book_card(book.title, book.author_names, book.id, current_app.config["STORE_NAME"])


def store_card() -> cards.Card:
    return cards.store_card(current_app.config["STORE_NAME"], current_app.config["STORE_ADDRESS"])


def card_answer(card: cards.Card, digest: str, book_id: int | None) -> ResponseReturnValue:
    """The card (a book's, or the shop's for book_id None), stored or drawn and then stored."""
    if digest != card.digest:
        # An address from before the title, the authors or the drawing changed: the card as it
        # is now, so a link shared then still shows a picture.
        if book_id is None:
            return redirect(url_for("public.store_share_card", digest=card.digest))
        return redirect(url_for("public.book_share_card", book_id=book_id, digest=card.digest))
    storage, name = cover_storage(), cards.stored_name(book_id)
    png = cards.stored_png(card, storage, name)
    drawn = png is None
    if png is None:
        png = cards.card_png(card)
    # A Response of the bytes, not send_file's passthrough, whose closing runs no callback.
    response = Response(png, mimetype=cards.CONTENT_TYPE)
    response.set_etag(card.digest)
    response.headers["Cache-Control"] = CACHE_FOR_EVER
    response.make_conditional(request)
    if drawn:
        # In a transaction of its own: a GET's is never committed (web/transaction.py).
        store = partial(cards.store_png, storage, name, png)
        transaction.after_response(response, store, "Storing a share card")
    return response

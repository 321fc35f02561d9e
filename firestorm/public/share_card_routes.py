"""Share cards (sharing/cards.py) at addresses named by what they show, so each is cached for
a year: /books/<id>/share-<digest>.png for a book, /share-<digest>.png for the shop. A card is
drawn on its first request and kept in the worker (cards.card_png)."""

import io
from typing import Any

from flask import abort, current_app, redirect, send_file, url_for
from flask.typing import ResponseReturnValue

from firestorm.catalog.cover_storage import CACHE_FOR_EVER
from firestorm.catalog.models import Book
from firestorm.public import bp
from firestorm.sharing import cards


@bp.get("/books/<id:book_id>/share-<digest>.png")
def book_share_card(book_id: int, digest: str) -> ResponseReturnValue:
    book = cards.book_to_share(book_id)
    if book is None:
        abort(404)
    return card_answer(book_card(book), digest, "public.book_share_card", book_id=book_id)


@bp.get("/share-<digest>.png")
def store_share_card(digest: str) -> ResponseReturnValue:
    return card_answer(store_card(), digest, "public.store_share_card")


def book_card(book: Book) -> cards.Card:
    return cards.book_card(book.title, book.author_names, book.id, current_app.config["STORE_NAME"])


def store_card() -> cards.Card:
    return cards.store_card(current_app.config["STORE_NAME"], current_app.config["STORE_ADDRESS"])


def card_answer(card: cards.Card, digest: str, endpoint: str, **values: Any) -> ResponseReturnValue:
    if digest != card.digest:
        # An address from before the title, the authors or the drawing changed: the card as it
        # is now, so a link shared then still shows a picture.
        return redirect(url_for(endpoint, digest=card.digest, **values))
    response = send_file(
        io.BytesIO(cards.card_png(card)),
        mimetype=cards.CONTENT_TYPE,
        etag=card.digest,
        conditional=True,
    )
    response.headers["Cache-Control"] = CACHE_FOR_EVER
    return response

"""Short texts about books: a review's excerpt in lists, and the one line a search result or a
shared link shows of a book page (its meta description)."""

import re
from collections.abc import Sequence
from typing import NamedTuple

from firestorm.catalog.models import Book
from firestorm.public import bp
from firestorm.reviews.models import Review
from firestorm.reviews.rendering import cut_at_word, plain_text

# Search engines show about this much of a description; a longer sentence is cut at a word.
DESCRIPTION_CHARS = 160
# A review's excerpt on /reviews and the home page: two or three lines on a phone.
EXCERPT_CHARS = 200
# The end of a sentence: its stop, then a space and the next sentence's first letter, so
# "U.S." or "3.5" inside a sentence does not end it.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'‘(]?[A-Z0-9])")


def first_sentence(markdown_text: str, max_chars: int = DESCRIPTION_CHARS) -> str:
    """The first sentence of a text written in Markdown, as plain words within max_chars."""
    words = plain_text(markdown_text)
    sentence = _SENTENCE_END.split(words, maxsplit=1)[0]
    return cut_at_word(sentence, max_chars)


def book_summary(book: Book, reviews: Sequence[Review]) -> str:
    """A book page's description: the first sentence of the book's description, else of its
    newest review (reviews come newest first), else who wrote it; "" when there is nothing."""
    if book.description.strip():
        return first_sentence(book.description)
    newest = reviews[0].published_body if reviews else None
    if newest is not None:
        return first_sentence(newest)
    if book.author_names:
        return f"{book.title} by {', '.join(book.author_names)}."
    return ""


class Excerpt(NamedTuple):
    words: str
    # Whether words were left out, so the list offers "Read the whole review".
    is_cut: bool


@bp.app_template_filter("excerpt")
def review_excerpt(markdown_text: str) -> Excerpt:
    """The start of a review for a list of reviews, as plain words cut at a word with "…"."""
    words = plain_text(markdown_text)
    excerpt = cut_at_word(words, EXCERPT_CHARS)
    return Excerpt(excerpt, is_cut=excerpt != words)

"""Which reviews a member may print as shelf-talkers, the choice as the page's query string
gives it, and each card's words: title, authors, a short excerpt, the reviewer's name."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from firestorm import typed_text
from firestorm.database import LARGEST_ID, db
from firestorm.pagination import Page, page_number, paginate
from firestorm.refusals import Refusal
from firestorm.reviews.models import Review
from firestorm.reviews.published import listed_reviews
from firestorm.reviews.rendering import plain_text
from firestorm.search.queries import CatalogQuery, found_book_ids
from firestorm.shelf_talkers.fitting import fit_card

# A sheet holds six cards (two across, three down, on Letter and on A4 alike).
CARDS_PER_SHEET = 6
# Eight sheets at a time: enough for a shelf, short enough for one print job.
MOST_CARDS = 8 * CARDS_PER_SHEET
# The most of a review a card quotes, however short its title (fitting.py cuts it to the
# lines the title, authors and price leave).
EXCERPT_CHARS = 260
PAPER_SIZES = {"letter": "Letter (8.5 × 11 in)", "a4": "A4 (210 × 297 mm)"}
DEFAULT_PAPER = "letter"


class ShelfTalkerError(Refusal):
    """A choice that cannot be printed; the message says why, in words."""


@dataclass(frozen=True)
class ShelfTalkerChoice:
    """What a member chose on the page: reviews by id, in the order ticked, and the paper;
    the search that finds more and the page of it shown."""

    review_ids: tuple[int, ...] = ()
    # Ids in the address that are no id at all ("x", -1, too large): refused like unknown ones.
    unreadable: int = 0
    paper: str = DEFAULT_PAPER
    text: str = ""
    page: int = 1

    @classmethod
    def from_args(
        cls, args: Mapping[str, str], typed_ids: Sequence[str], max_length: int
    ) -> "ShelfTalkerChoice":
        ids = [typed_text.whole_number(typed) or 0 for typed in typed_ids]
        readable = [review_id for review_id in ids if 0 < review_id <= LARGEST_ID]
        paper = args.get("paper", DEFAULT_PAPER)
        return cls(
            review_ids=tuple(dict.fromkeys(readable)),
            unreadable=len(ids) - len(readable),
            paper=paper if paper in PAPER_SIZES else DEFAULT_PAPER,
            text=typed_text.one_line(args.get("q", ""))[:max_length],
            page=page_number(args.get("page")),
        )


@dataclass(frozen=True)
class ShelfTalker:
    """One card's words; the book's id makes the link its QR code carries."""

    review_id: int
    book_id: int
    title: str
    authors: list[str]
    excerpt: str
    reviewer_name: str
    # The book's price (None: none given, and the card says nothing) and format.
    price: Decimal | None = None
    format: str = ""


@dataclass(frozen=True)
class Picker:
    """The page a member chooses on: the reviews already chosen, and a page of the others."""

    chosen: list[Review]
    others: Page


def picker(choice: ShelfTalkerChoice, per_page: int) -> Picker:
    """The chosen reviews that can still be printed, and a page of the others whose books
    match the search (the catalog's own search: title, author, ISBN…)."""
    chosen = _printable(choice.review_ids)
    others = listed_reviews().where(Review.id.not_in([review.id for review in chosen]))
    if choice.text:
        book_ids = found_book_ids(CatalogQuery(text=choice.text))
        others = others.where(Review.book_id.in_(book_ids))
    return Picker(chosen=chosen, others=paginate(others, choice.page, per_page))


def shelf_talkers(choice: ShelfTalkerChoice) -> list[ShelfTalker]:
    """The cards for the chosen reviews, in the order chosen; refused, saying why, when none
    is chosen, too many are, or one is not published (or not any more)."""
    if not choice.review_ids and not choice.unreadable:
        raise ShelfTalkerError("Choose at least one review to print.")
    if len(choice.review_ids) > MOST_CARDS:
        raise ShelfTalkerError(
            f"That is {len(choice.review_ids)} reviews: print at most {MOST_CARDS} at a time "
            f"({MOST_CARDS // CARDS_PER_SHEET} sheets)."
        )
    reviews = _printable(choice.review_ids)
    missing = len(choice.review_ids) - len(reviews) + choice.unreadable
    if missing:
        raise ShelfTalkerError(
            "One of the chosen reviews is not published, or not any more: it is left out. "
            "Check the choice below and print again."
            if missing == 1
            else f"{missing} of the chosen reviews are not published, or not any more: they "
            "are left out. Check the choice below and print again."
        )
    return [_card(review) for review in reviews]


def _printable(review_ids: Sequence[int]) -> list[Review]:
    """Those of the reviews that can be printed, in the order given: the ones the public
    reads (a hidden book's page would answer nobody who scans its code)."""
    if not review_ids:
        return []
    found = db.session.scalars(listed_reviews().where(Review.id.in_(review_ids)))
    by_id = {review.id: review for review in found}
    return [by_id[review_id] for review_id in review_ids if review_id in by_id]


def _card(review: Review) -> ShelfTalker:
    book = review.book
    fitted = fit_card(
        book.title,
        book.author_names,
        has_price=book.price is not None or bool(book.format),
        # What the public reads: a revision waiting for approval is not printed.
        words=plain_text(review.published_body or ""),
        reviewer=review.reviewer.display_name,
        most_chars=EXCERPT_CHARS,
    )
    return ShelfTalker(
        review_id=review.id,
        book_id=book.id,
        title=fitted.title,
        authors=fitted.authors,
        excerpt=fitted.excerpt,
        reviewer_name=review.reviewer.display_name,
        price=book.price,
        format=book.format,
    )

"""The review workflow: who may start, edit, submit and withdraw a review, and what it leaves."""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from firestorm import typed_text
from firestorm.catalog import books
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.people.accounts import who
from firestorm.people.models import User
from firestorm.refusals import Refusal
from firestorm.reviews.models import Review, ReviewAction, ReviewEvent, ReviewState
from firestorm.search import choices, queries

DRAFT, SUBMITTED, RETURNED, PUBLISHED, WITHDRAWN = (
    ReviewState.DRAFT,
    ReviewState.SUBMITTED,
    ReviewState.RETURNED,
    ReviewState.PUBLISHED,
    ReviewState.WITHDRAWN,
)

log = logging.getLogger(__name__)

# The states each step may start from: the one place that says what can happen when.
ALLOWED_FROM = {
    "edit": {DRAFT, RETURNED, PUBLISHED, WITHDRAWN},
    "submit": {DRAFT, RETURNED},
    "withdraw": {DRAFT, SUBMITTED, RETURNED, PUBLISHED},
    # The collective's approve and return (firestorm/approvals.py).
    "decide": {SUBMITTED},
}

REFUSALS: dict[tuple[str, str], str] = {
    ("edit", SUBMITTED): (
        "This review is waiting for the collective's approval. "
        "Withdraw it first if you want to change it."
    ),
    ("submit", SUBMITTED): "This review is already waiting for the collective's approval.",
    ("submit", PUBLISHED): "This review is published as it is. Change the text to send a revision.",
    ("submit", WITHDRAWN): "This review is withdrawn. Save it as a draft to take it up again.",
    ("withdraw", WITHDRAWN): "This review is already withdrawn.",
    ("decide", PUBLISHED): "This review has just been published: nothing is left to decide.",
    ("decide", RETURNED): "This review has just been returned to its author.",
    ("decide", WITHDRAWN): "Its author has withdrawn this review.",
    ("decide", DRAFT): "Its author has taken this review back to work on it.",
}


class ReviewError(Refusal):
    """A step the workflow refuses, said in words the author can act on."""


class TextProblem(ReviewError, field="body"):
    """The text itself is refused (too short, too long): the message goes next to the field."""


class ChangedMeanwhile(ReviewError):
    """Saved over a newer version: another tab or person changed it after the page was drawn."""

    def __init__(self) -> None:
        super().__init__("This review changed meanwhile; reload and try again.")


class AlreadyReviewed(ReviewError):
    """One review per book and person: the existing one is where to carry on."""

    def __init__(self, review_id: int, book_title: str):
        super().__init__(f"You already have a review of “{book_title}”: here it is.")
        self.review_id = review_id


# --- The steps ------------------------------------------------------------------------------


def may(review: Review, step: str) -> bool:
    return review.state in ALLOWED_FROM[step]


def start_review(author: User, book: Book) -> Review:
    """A new, empty draft of the author's review of the book."""
    existing = review_id_of(author.id, book.id)
    if existing is not None:
        raise AlreadyReviewed(existing, book.title)
    review = Review(book_id=book.id, reviewer_id=author.id, state=DRAFT, body="", round=0)
    try:
        with db.session.begin_nested():
            db.session.add(review)
    except IntegrityError:
        # Started twice at once (two tabs, a double click): the first one is the review.
        existing = review_id_of(author.id, book.id)
        if existing is None:  # some other rule refused the row: not a second review
            raise
        raise AlreadyReviewed(existing, book.title) from None
    return review


def save_draft(
    review: Review, author: User, body: str, *, max_length: int, seen_version: int
) -> None:
    """Keep the author's text. Editing a published review starts a revision: the public keeps
    the published text until the collective approves the new one. `seen_version` is the
    version the author's page showed: any other (0 for a page that said none) is refused."""
    _require(review, author, "edit", seen_version)
    body = typed_text.paragraphs(body)
    _check_length(body, 0, max_length)
    review.body = body
    review.state = _state_after_edit(review)
    check_with_database()


def submit_review(
    review: Review, author: User, now: datetime, min_length: int, max_length: int
) -> None:
    """Send the review to the collective: a new round of approval starts."""
    _require(review, author, "submit")
    _check_length(review.body, min_length, max_length)
    review.state = SUBMITTED
    review.round += 1
    review.submitted_at = now
    record_event(review, author, ReviewAction.SUBMITTED, now)
    check_with_database()
    log.info("Review %d submitted by %s (round %d)", review.id, who(author), review.round)


def withdraw_review(review: Review, author: User, now: datetime) -> None:
    """Take the review back: out of the approval queue and off the public pages. The text stays
    with its author, who may take it up again."""
    _require(review, author, "withdraw")
    was_public = review.is_public
    # Only a withdrawal that takes something away from others is history worth keeping; a
    # draft nobody saw is simply put aside.
    seen_by_others = was_public or review.state in {SUBMITTED, RETURNED}
    review.state = WITHDRAWN
    review.published_body = None
    review.published_at = None
    review.revised_at = None
    if was_public:
        _refresh_last_reviewed(review)
    if seen_by_others:
        record_event(review, author, ReviewAction.WITHDRAWN, now)
    check_with_database()
    log.info("Review %d withdrawn by its author, %s", review.id, who(author))


def check_with_database() -> None:
    """Send the step to the database now, so a concurrent change shows up here as
    StaleDataError (the review's version moved on) or IntegrityError (a unique rule), while the
    caller can still answer in words. The request's end commits it."""
    db.session.flush()


def length_problem(body: str, min_length: int, max_length: int) -> str | None:
    length = len(body)
    if length > max_length:
        return f"A review can be at most {max_length} characters; this one has {length}."
    if length < min_length:
        return (
            f"A review needs at least {min_length} characters before it goes to the "
            f"collective; this one has {length}."
        )
    return None


def _require(review: Review, author: User, step: str, seen_version: int | None = None) -> None:
    """The author's own steps: only theirs to take, and only from the states that allow them."""
    if review.reviewer_id != author.id:
        raise ReviewError("Only the author of a review can change it.")
    require_step(review, step, seen_version)


def require_step(review: Review, step: str, seen_version: int | None = None) -> None:
    # The version first: a page left open elsewhere is the likeliest reason for both refusals.
    if seen_version is not None and seen_version != review.version:
        raise ChangedMeanwhile()
    if not may(review, step):
        raise ReviewError(REFUSALS.get((step, review.state), "That can't be done to this review."))


def _check_length(body: str, min_length: int, max_length: int) -> None:
    problem = length_problem(body, min_length, max_length)
    if problem:
        raise TextProblem(problem)


def _state_after_edit(review: Review) -> ReviewState:
    if review.is_public and review.body == review.published_body:
        return PUBLISHED  # back to the approved text: no revision left to approve
    if review.state == RETURNED:
        return RETURNED  # keeps the collective's note in view until it is sent again
    return DRAFT


def record_event(
    review: Review, actor: User, action: ReviewAction, now: datetime, note: str = ""
) -> None:
    """One step in the review's history, in the round it belongs to."""
    db.session.add(
        ReviewEvent(
            review_id=review.id,
            actor_id=actor.id,
            action=action,
            round=review.round,
            note=note,
            created_at=now,
        )
    )


def _refresh_last_reviewed(review: Review) -> None:
    """The book's "recently reviewed" date, from the reviews the public still sees."""
    book = db.session.get_one(Book, review.book_id)
    book.last_reviewed_at = db.session.scalar(
        select(func.max(Review.published_at)).where(
            Review.book_id == review.book_id,
            Review.id != review.id,
            Review.published_body.is_not(None),
        )
    )


# --- What the author's pages show ----------------------------------------------------------


def review_id_of(author_id: int, book_id: int) -> int | None:
    """The id of this person's review of this book, if they started one."""
    return db.session.scalar(
        select(Review.id).where(Review.reviewer_id == author_id, Review.book_id == book_id)
    )


def own_review(author: User, review_id: int) -> Review | None:
    """The review with its book, if it is this author's; anyone else's is as good as missing."""
    return db.session.scalar(
        select(Review)
        .where(Review.id == review_id, Review.reviewer_id == author.id)
        .options(joinedload(Review.book))
    )


def collective_notes(review_ids: list[int]) -> dict[int, str]:
    """The note of the latest return of each review, for the reviews that have one."""
    if not review_ids:
        return {}
    events = db.session.execute(
        select(ReviewEvent.review_id, ReviewEvent.note)
        .where(ReviewEvent.review_id.in_(review_ids), ReviewEvent.action == ReviewAction.RETURNED)
        .order_by(ReviewEvent.id)
    )
    return {review_id: note for review_id, note in events}


def collective_note(review: Review) -> str | None:
    if review.state != RETURNED:
        return None
    return collective_notes([review.id]).get(review.id)


@dataclass(frozen=True)
class MyReviews:
    """An author's reviews by state, most recently changed first, with the collective's notes."""

    by_state: dict[str, list[Review]]
    notes: dict[int, str] = field(default_factory=dict)


def reviews_of(author: User) -> MyReviews:
    found = db.session.scalars(
        select(Review)
        .where(Review.reviewer_id == author.id)
        .options(joinedload(Review.book))
        .order_by(Review.updated_at.desc(), Review.id.desc())
    ).all()
    by_state: dict[str, list[Review]] = {state: [] for state in ReviewState}
    for review in found:
        by_state[review.state].append(review)
    returned = [review.id for review in by_state[RETURNED]]
    return MyReviews(by_state=by_state, notes=collective_notes(returned))


@dataclass(frozen=True)
class BookChoices:
    """Books a search found for the picker, and which of them the author already reviews."""

    books: list[Book]
    more: bool = False
    my_reviews: dict[int, int] = field(default_factory=dict)


def book_choices(author: User, query: queries.CatalogQuery, limit: int) -> BookChoices:
    """The first books matching the search, best matches first (the catalog's own search)."""
    found = choices.first_found(query, limit)
    return BookChoices(
        books=found.books, more=found.more, my_reviews=_my_reviews_of(author, found.books)
    )


def chosen_book(author: User, book_id: int) -> BookChoices:
    """One book chosen already, from its page's "Write a review" link."""
    book = book_to_review(book_id)
    if book is None:
        return BookChoices(books=[])
    return BookChoices(books=[book], my_reviews=_my_reviews_of(author, [book]))


def book_to_review(book_id: int) -> Book | None:
    return db.session.scalar(books.with_authors(select(Book).where(Book.id == book_id)))


def _my_reviews_of(author: User, books: list[Book]) -> dict[int, int]:
    if not books:
        return {}
    rows = db.session.execute(
        select(Review.book_id, Review.id).where(
            Review.reviewer_id == author.id, Review.book_id.in_([book.id for book in books])
        )
    )
    return {book_id: review_id for book_id, review_id in rows}

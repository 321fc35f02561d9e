"""Published reviews as the public reads them: on a book's page, newest first, by one reviewer,
and in the feed."""

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import joinedload, selectinload

from firestorm.catalog import books
from firestorm.catalog.models import Authorship, Book
from firestorm.database import db
from firestorm.pagination import Page, paginate
from firestorm.people.models import User
from firestorm.reviews.models import Review
from firestorm.search import queries


def with_book_authors(review_statement: Select) -> Select:
    """For a query of reviews: load each one's book with it (a join; a page's reviews are
    walked by id first, see pagination.paginate, so no skipped review's book is read) and
    the books' authors after them."""
    return review_statement.options(
        joinedload(Review.book).selectinload(Book.authorships).joinedload(Authorship.author)
    )


def published_reviews() -> Select:
    """Reviews the public can read, newest first, with their reviewer's name (joined: each
    query loaded after the reviews cost a page about a third of a millisecond)."""
    return (
        select(Review)
        .where(Review.published_body.is_not(None))
        .options(joinedload(Review.reviewer).load_only(User.display_name))
        .order_by(Review.published_at.desc(), Review.id.desc())
    )


def listed_reviews() -> Select:
    """Published reviews for lists that mix books: each with its book and the book's authors,
    leaving out the reviews of hidden books.

    The hidden books with published reviews are looked up first (ix_books_hidden_ids: a
    few, usually none) and left out by id: a list walking ix_reviews_published_newest then
    reads no book for the reviews it skips."""
    has_published = exists().where(Review.book_id == Book.id, Review.published_body.is_not(None))
    hidden = db.session.scalars(select(Book.id).where(Book.hidden.is_(True), has_published))
    statement = published_reviews()
    if hidden_ids := list(hidden):
        statement = statement.where(Review.book_id.not_in(hidden_ids))
    return with_book_authors(statement)


def book_with_reviews(
    book_id: int, include_hidden: bool = False
) -> tuple[Book, list[Review]] | None:
    """A book with its authors, and its published reviews newest first with their reviewers.
    A hidden book is found only for the collective."""
    statement = select(Book).where(Book.id == book_id)
    if not include_hidden:
        statement = statement.where(Book.hidden.is_(False))
    # With its shelves, which the page links to.
    book = db.session.scalar(books.with_authors(statement).options(selectinload(Book.shelves)))
    if book is None:
        return None
    reviews = db.session.scalars(published_reviews().where(Review.book_id == book_id)).all()
    return book, list(reviews)


class ReviewedBook(NamedTuple):
    book: Book
    review: Review


def recently_reviewed(limit: int) -> list[ReviewedBook]:
    """The books most recently reviewed (with their authors), each with its newest published
    review and the reviewer's name: three queries however many there are."""
    reviewed = queries.recently_reviewed_books(limit)
    reviews = db.session.scalars(
        published_reviews().where(Review.book_id.in_([book.id for book in reviewed]))
    )
    newest: dict[int, Review] = {}
    for review in reviews:
        newest.setdefault(review.book_id, review)
    return [ReviewedBook(book, newest[book.id]) for book in reviewed if book.id in newest]


def latest_reviews(page: int, per_page: int, kept_as_of: str = "") -> Page:
    """kept_as_of: as for `paginate`, the last change's token from a page that writes nothing."""
    return paginate(listed_reviews(), page, per_page, kept_as_of)


def reviewer_with_reviews(
    reviewer_id: int, page: int, per_page: int, kept_as_of: str = ""
) -> tuple[User, Page] | None:
    """A reviewer's public page; people with nothing published have none."""
    has_published = exists().where(
        Review.reviewer_id == User.id, Review.published_body.is_not(None)
    )
    reviewer = db.session.scalar(select(User).where(User.id == reviewer_id, has_published))
    if reviewer is None:
        return None
    statement = listed_reviews().where(Review.reviewer_id == reviewer_id)
    return reviewer, paginate(statement, page, per_page, kept_as_of)


def feed_updated(reviews: list[Review], default: datetime) -> datetime:
    """When the feed last changed: its newest publication or approved revision."""
    # A review in the feed is published: it has a date.
    return max((review.last_published_at or default for review in reviews), default=default)


def feed_reviews(limit: int) -> list[Review]:
    return list(db.session.scalars(listed_reviews().limit(limit)))

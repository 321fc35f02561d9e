"""Published reviews as the public reads them: newest first, by one reviewer, and in the feed."""

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import joinedload

from firestorm import catalog
from firestorm.extensions import db
from firestorm.models import Review, User
from firestorm.pagination import Page, paginate


def published_reviews() -> Select:
    """Reviews the public can read, newest first, with their book, authors and reviewer."""
    return catalog.with_book_authors(
        select(Review)
        .where(Review.published_body.is_not(None))
        .options(joinedload(Review.reviewer).load_only(User.display_name))
        .order_by(Review.published_at.desc(), Review.id.desc())
    )


def latest_reviews(page: int, per_page: int) -> Page:
    return paginate(published_reviews(), page, per_page)


def reviewer_with_reviews(reviewer_id: int, page: int, per_page: int) -> tuple[User, Page] | None:
    """A reviewer's public page; people with nothing published have none."""
    has_published = exists().where(
        Review.reviewer_id == User.id, Review.published_body.is_not(None)
    )
    reviewer = db.session.scalar(select(User).where(User.id == reviewer_id, has_published))
    if reviewer is None:
        return None
    statement = published_reviews().where(Review.reviewer_id == reviewer_id)
    return reviewer, paginate(statement, page, per_page)


def feed_reviews(limit: int) -> list[Review]:
    return list(db.session.scalars(published_reviews().limit(limit)))

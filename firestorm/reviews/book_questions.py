"""The catalog's questions about a book, answered for reviews: a reviewed book stays in the
catalog, and a review since a CSV import is a change the import's undo must not lose."""

from sqlalchemy import func, select

from firestorm.catalog import books
from firestorm.catalog.models import Book
from firestorm.csv import history
from firestorm.database import db
from firestorm.reviews.models import Review


@books.asked_before_deleting.connect
def reviews_keep_it(book: Book) -> books.DeletionRefused | None:
    reviews = db.session.scalar(
        select(func.count()).select_from(Review).where(Review.book_id == book.id)
    )
    if not reviews:
        return None
    return books.DeletionRefused(
        f"“{book.title}” has {reviews} review{'s' if reviews != 1 else ''}, so it stays in "
        "the catalog. Hide it instead: the public stops seeing it, and you can show it again."
    )


@history.rows_about_books.connect
def reviews_written(_sender: object) -> history.RowsAboutBooks:
    return history.RowsAboutBooks("reviews", "reviewed", Review)

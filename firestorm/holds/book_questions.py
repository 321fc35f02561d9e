"""The catalog's questions about a book, answered for holds: a book customers wait for stays in
the catalog until their holds end, and a hold since a CSV import is a change the import's undo
must not lose."""

from sqlalchemy import func, select

from firestorm.catalog import books
from firestorm.catalog.models import Book
from firestorm.csv import history
from firestorm.database import db
from firestorm.holds.models import OPEN_STATES, Hold


@books.asked_before_deleting.connect
def open_holds_keep_it(book: Book) -> books.DeletionRefused | None:
    waiting = db.session.scalar(
        select(func.count())
        .select_from(Hold)
        .where(Hold.book_id == book.id, Hold.state.in_(OPEN_STATES))
    )
    if not waiting:
        return None
    return books.DeletionRefused(
        f"“{book.title}” has {waiting} open hold{'s' if waiting != 1 else ''} or "
        f"order{'s' if waiting != 1 else ''}, so it stays in the catalog until "
        f"{'they are' if waiting != 1 else 'it is'} collected or cancelled at the holds desk.",
        open_holds=waiting,
    )


@history.rows_about_books.connect
def holds_written(_sender: object) -> history.RowsAboutBooks:
    return history.RowsAboutBooks("holds", "held for a customer", Hold)

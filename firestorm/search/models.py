"""The search index's tables: each book's words, and the words books have had."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from firestorm.database import Model


class IndexedBook(Model):
    """A book's words as the search index reads them (search/index.py keeps them).

    The words are folded (lower case, no accents) and split, in three groups that rank
    differently. The index itself is per database, made by the migration: an FTS5 table over
    these rows on SQLite, a weighted tsvector column with a GIN index on PostgreSQL.
    """

    __tablename__ = "indexed_books"

    book_id: Mapped[int] = mapped_column(
        ForeignKey("books.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    # Title, authors and ISBNs: what people search by most, ranked highest.
    heading: Mapped[str] = mapped_column(Text, default="")
    # Subtitle, publisher and the names of the shelves the book sits on.
    details: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")


class IndexedWord(Model):
    """A word some book had when it was indexed: where "Did you mean …?" finds its corrections.

    Words are only added (a correction is offered only when it finds books); rebuilding the
    index starts the list afresh. A trigram index makes a misspelling's neighbours quick to find.
    """

    __tablename__ = "indexed_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(100), unique=True)

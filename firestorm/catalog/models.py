"""The catalog's tables: books, their authors in cover order, shelves, the stock log, and the
record of each CSV import."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from firestorm.database import UTCDateTime, db, utcnow
from firestorm.people.models import User


class Author(db.Model):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The name folded (lower case, no accents): "raul zibechi" finds "Raúl Zibechi" when a book
    # is added, so one author is not entered twice.
    name_key: Mapped[str] = mapped_column(String(200), index=True, default="")


class Authorship(db.Model):
    """One author of one book; `position` keeps the order the cover gives them."""

    __tablename__ = "authorships"

    book_id: Mapped[int] = mapped_column(
        ForeignKey("books.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    author: Mapped[Author] = relationship(lazy="raise")


# Which shelves a book sits on: a book can sit on several.
book_shelves = Table(
    "book_shelves",
    db.metadata,
    Column("book_id", ForeignKey("books.id", ondelete="CASCADE"), primary_key=True),
    Column("shelf_id", ForeignKey("shelves.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Shelf(db.Model):
    """One of the collective's sections (Anarchism, Appalachia, Kids…), at /shelves/<slug>."""

    __tablename__ = "shelves"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)


class OldShelfSlug(db.Model):
    """The address a shelf had before it was renamed: it redirects to the shelf's new one."""

    __tablename__ = "old_shelf_slugs"

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    shelf_id: Mapped[int] = mapped_column(ForeignKey("shelves.id", ondelete="CASCADE"), index=True)


class Book(db.Model):
    __tablename__ = "books"
    __table_args__ = (CheckConstraint("stock >= 0", name="stock_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str] = mapped_column(String(300), default="")
    # The title as shelves order it: lower case, without a leading "The", "A" or "An".
    sort_title: Mapped[str] = mapped_column(String(300), index=True)
    publisher: Mapped[str] = mapped_column(String(200), default="")
    release_date: Mapped[date | None] = mapped_column(Date)
    isbn13: Mapped[str | None] = mapped_column(String(13), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Content hash of an uploaded cover image in instance/covers; None draws a typographic cover.
    cover_key: Mapped[str | None] = mapped_column(String(80))
    # The display image's size, so pages reserve its space before it loads.
    cover_width: Mapped[int | None] = mapped_column(Integer)
    cover_height: Mapped[int | None] = mapped_column(Integer)
    # Hidden books are kept (they have reviews or holds) but the public no longer sees them.
    hidden: Mapped[bool] = mapped_column(default=False)
    stock: Mapped[int] = mapped_column(Integer, default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When a review of this book was last published; drives "recently reviewed".
    last_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    authorships: Mapped[list[Authorship]] = relationship(
        order_by=Authorship.position, cascade="all, delete-orphan", lazy="raise"
    )
    shelves: Mapped[list[Shelf]] = relationship(
        secondary=book_shelves, order_by=Shelf.name, lazy="raise"
    )

    @property
    def author_names(self) -> list[str]:
        return [authorship.author.name for authorship in self.authorships]


class StockChange(db.Model):
    """One change to a book's stock: who, when, by how much and why."""

    __tablename__ = "stock_changes"
    __table_args__ = (
        # The log follows the stock, which never goes below zero (Book's own rule).
        CheckConstraint("stock_after >= 0", name="stock_after_not_negative"),
        # A book's history, newest first (stock.py).
        Index("ix_stock_changes_book_id_created_at", "book_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    delta: Mapped[int] = mapped_column(Integer)
    stock_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    book: Mapped[Book] = relationship(lazy="raise")
    # Who made the change; None for the command line (demo data, imports).
    changed_by: Mapped[User | None] = relationship(lazy="raise")


class CsvImport(db.Model):
    """One CSV import: who, when, which file and what it did; and its undoing, if it was."""

    __tablename__ = "csv_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(100))
    # None for the command line.
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    # Rows whose rename was not chosen: left as the book was.
    renames_left: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    # What the summary says beyond the counts: which rows, the renames left, the shelves.
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    # The shelves the import made: an undo removes those no book sits on.
    added_shelf_ids: Mapped[list] = mapped_column(JSON, default=list)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    imported_by: Mapped[User | None] = relationship(foreign_keys=[imported_by_id], lazy="raise")
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id], lazy="raise")


class ImportedBook(db.Model):
    """A book an import added or updated, with what undoing it needs: the book's values before
    (None for a book it added), and its state as the import left it, which tells whether
    anything has changed since (catalog/csv_history.py)."""

    __tablename__ = "csv_import_books"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("csv_imports.id", ondelete="CASCADE"), index=True
    )
    # None once the book is deleted.
    book_id: Mapped[int | None] = mapped_column(
        ForeignKey("books.id", ondelete="SET NULL"), index=True
    )
    # The title the import gave it: the book's name if it is deleted since.
    title: Mapped[str] = mapped_column(String(300))
    before: Mapped[dict | None] = mapped_column(JSON)
    left_as: Mapped[dict] = mapped_column(JSON)


class IndexedBook(db.Model):
    """A book's words as the search index reads them (catalog/search_index.py keeps them).

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


class IndexedWord(db.Model):
    """A word some book had when it was indexed: where "Did you mean …?" finds its corrections.

    Words are only added (a correction is offered only when it finds books); rebuilding the
    index starts the list afresh. A trigram index makes a misspelling's neighbours quick to find.
    """

    __tablename__ = "indexed_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(100), unique=True)

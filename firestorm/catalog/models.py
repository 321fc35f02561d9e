"""The catalog's tables: books, their authors in cover order, shelves and the stock log."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from firestorm.database import Model, UTCDateTime, db, partial_index, utcnow
from firestorm.people.models import User


class Author(Model):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The name folded (lower case, no accents): "raul zibechi" finds "Raúl Zibechi" when a book
    # is added, so one author is not entered twice.
    name_key: Mapped[str] = mapped_column(String(200), index=True, default="")


class Authorship(Model):
    """One author of one book; `position` keeps the order the cover gives them."""

    __tablename__ = "authorships"

    book_id: Mapped[int] = mapped_column(
        ForeignKey("books.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    author: Mapped[Author] = relationship(lazy="raise")


# Which shelves a book sits on: a book can sit on several. Each place keeps a copy of what a
# shelf's pages filter and sort by, written by the database's own triggers (migration
# a4c6e8f0b2d4) whenever a book is shelved or those columns of it change, however the change
# is made; the app never writes them. So a shelf's page walks an index of that shelf's books
# in order (search/queries.py), never the whole catalog's.
book_shelves = Table(
    "book_shelves",
    db.metadata,
    Column("book_id", ForeignKey("books.id", ondelete="CASCADE"), primary_key=True),
    Column("shelf_id", ForeignKey("shelves.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("hidden", Boolean),
    Column("stock", Integer),
    Column("sort_title", String(300)),
    Column("created_at", UTCDateTime),
    Column("last_reviewed_at", UTCDateTime),
)


class Shelf(Model):
    """One of the collective's sections (Anarchism, Appalachia, Kids…), at /shelves/<slug>."""

    __tablename__ = "shelves"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)


class OldShelfSlug(Model):
    """The address a shelf had before it was renamed: it redirects to the shelf's new one."""

    __tablename__ = "old_shelf_slugs"

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    shelf_id: Mapped[int] = mapped_column(ForeignKey("shelves.id", ondelete="CASCADE"), index=True)


class Book(Model):
    __tablename__ = "books"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("page_count > 0", name="page_count_positive"),
    )

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
    # The list price in the shop's currency (CURRENCY; catalog/prices.py writes it): None is
    # not known, and the pages say nothing about it; 0 is free.
    price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    # Paperback, hardcover, zine…: free text, the formats already used offered on the form.
    format: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # How many pages the book has: None is not known, and the pages say nothing about it.
    page_count: Mapped[int | None] = mapped_column(Integer)
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


# The public lists walk these, never the books table: the catalog and its sorts (search/
# queries.py `ordered`) over the books the public sees, with the stock for "in stock only".
# Partial, so a deep page's OFFSET skips index entries without reading a book; their
# condition is written exactly as the lists' `Book.hidden.is_(False)`, which each database
# must find in a query to use them. (A whole-column index on `hidden` once misled SQLite:
# migration c5267934923d.)
_SHOWN = Book.hidden.is_(False)
partial_index("ix_books_shown_by_title", Book.sort_title, Book.id, Book.stock, where=_SHOWN)
partial_index(
    "ix_books_shown_by_arrival", Book.created_at.desc(), Book.id.desc(), Book.stock, where=_SHOWN
)
partial_index(
    "ix_books_shown_by_review",
    # As the "reviewed" order sorts. SQLite puts NULLs last in DESC already and refuses the
    # words in an index, so the migration leaves them out there.
    Book.last_reviewed_at.desc().nulls_last(),
    Book.sort_title,
    Book.id,
    Book.stock,
    where=_SHOWN,
)
# A shelf's books in the same three orders, from the copies in book_shelves.
_PLACE = book_shelves.c
_SHELVED_SHOWN = _PLACE.hidden.is_(False)
partial_index(
    "ix_book_shelves_shown_by_title",
    _PLACE.shelf_id,
    _PLACE.sort_title,
    _PLACE.book_id,
    _PLACE.stock,
    where=_SHELVED_SHOWN,
)
partial_index(
    "ix_book_shelves_shown_by_arrival",
    _PLACE.shelf_id,
    _PLACE.created_at.desc(),
    _PLACE.book_id.desc(),
    _PLACE.stock,
    where=_SHELVED_SHOWN,
)
partial_index(
    "ix_book_shelves_shown_by_review",
    _PLACE.shelf_id,
    _PLACE.last_reviewed_at.desc().nulls_last(),
    _PLACE.sort_title,
    _PLACE.book_id,
    _PLACE.stock,
    where=_SHELVED_SHOWN,
)
# The few hidden books: the reviews list leaves out their reviews (reviews/published.py).
partial_index("ix_books_hidden_ids", Book.id, where=Book.hidden.is_(True))


class StockChange(Model):
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


class CoverFile(Model):
    """One cover image kept in the database (COVER_STORAGE = "database"): named as the folder
    would name its file, written and deleted in the transaction that changes the books."""

    __tablename__ = "cover_files"

    # covers.FILE_NAME: 32 hex digits of the image's hash, perhaps "-thumb", then ".webp".
    name: Mapped[str] = mapped_column(String(48), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)

"""The record of each CSV import: who, when, what it did, and what undoing it needs."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from firestorm.database import Model, UTCDateTime
from firestorm.people.models import User


class CsvImport(Model):
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


class ImportedBook(Model):
    """A book an import added or updated, with what undoing it needs: the book's values before
    (None for a book it added), and its state as the import left it, which tells whether
    anything has changed since (csv/history.py)."""

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

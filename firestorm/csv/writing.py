"""Writing planned rows into the catalog, 500 to a statement: books added and updated, their
authors and shelves, each stock change logged. An import writes its rows this way, and its
undoing writes the books' earlier values back the same way."""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table, delete, insert, select, update

from firestorm.catalog import books
from firestorm.catalog.models import Author, Authorship, Book, StockChange, book_shelves
from firestorm.csv.catalog import CHUNK
from firestorm.csv.rows import ADDED, UPDATED, PlannedRow
from firestorm.database import db
from firestorm.search import index
from firestorm.typed_text import fold

Item = TypeVar("Item")

# Batches of rows as they are written: a command's progress bar counts them.
Progress = Callable[[Sequence[list[PlannedRow]]], Iterable[list[PlannedRow]]]


def each(items: Iterable[Item]) -> Iterable[Item]:
    """No progress shown: the rows or batches as they are."""
    return items


def write_rows(
    rows: list[PlannedRow],
    member_id: int | None,
    now: datetime,
    reason: str,
    progress: Progress = each,
) -> dict[int, PlannedRow]:
    """Add and update the rows' books (actions ADDED and UPDATED) in the caller's transaction;
    each stock change is logged with `reason`. {book id: row} for every book written."""
    authors = _authors_for(name for row in rows for name in row.book.authors)
    batches = [rows[start : start + CHUNK] for start in range(0, len(rows), CHUNK)]
    written: dict[int, PlannedRow] = {}
    for batch in progress(batches):
        written.update(_write_batch(batch, authors, member_id, now, reason))
    return written


def _write_batch(
    batch: list[PlannedRow],
    authors: dict[str, tuple[int, str]],
    member_id: int | None,
    now: datetime,
    reason: str,
) -> list[tuple[int, PlannedRow]]:
    added = [row for row in batch if row.action == ADDED]
    updated = [row for row in batch if row.action == UPDATED]
    new_ids: Sequence[int] = []
    if added:
        inserted = insert(Book).returning(Book.id, sort_by_parameter_order=True)
        new_ids = db.session.scalars(
            inserted, [{**_book_values(row), "created_at": now} for row in added]
        ).all()
    if updated:
        db.session.execute(
            update(Book),
            [{**_book_values(row), "id": row.book_id, "updated_at": now} for row in updated],
        )
    written = list(zip(new_ids, added, strict=True)) + [(row.updated_id, row) for row in updated]
    _replace_links(written, authors)
    # Written without the ORM, so the search index's flush hook doesn't see these books.
    index.reindex_books(db.session(), [book_id for book_id, _ in written])
    stock_changes = [
        {
            "book_id": book_id,
            "changed_by_id": member_id,
            "delta": row.stock - row.stock_before,
            "stock_after": row.stock,
            "reason": reason,
            "created_at": now,
        }
        for book_id, row in written
        if row.stock is not None and row.stock != row.stock_before
    ]
    if stock_changes:
        db.session.execute(insert(StockChange), stock_changes)
    return written


def _book_values(row: PlannedRow) -> dict[str, Any]:
    details = row.book
    values: dict[str, Any] = {
        "title": details.title,
        "subtitle": details.subtitle,
        "publisher": details.publisher,
        "release_date": details.release_date,
        "isbn13": details.isbn or None,
        "description": details.description,
        "price": details.price,
        "format": details.format,
        "page_count": details.page_count,
        "sort_title": books.sort_key_for_title(details.title),
    }
    if row.stock is not None:
        values["stock"] = row.stock
    return values


def _replace_links(
    written: list[tuple[int, PlannedRow]], authors: dict[str, tuple[int, str]]
) -> None:
    """The authors and the shelves of the books whose authors or shelves change."""

    def authorships(row: PlannedRow) -> list[dict[str, int]]:
        return [
            {"author_id": author_id, "position": position}
            for position, author_id in enumerate(_author_ids(row, authors))
        ]

    _replace(written, "authors", Authorship.__table__, authorships)
    _replace(
        written,
        "shelves",
        book_shelves,
        lambda row: [{"shelf_id": shelf_id} for shelf_id in dict.fromkeys(row.book.shelf_ids)],
    )


def _replace(
    written: list[tuple[int, PlannedRow]],
    column: str,
    links: Table,
    values: Callable[[PlannedRow], list[dict[str, int]]],
) -> None:
    changing = [(i, row) for i, row in written if row.action == ADDED or column in row.changed]
    old = [book_id for book_id, row in changing if row.action == UPDATED]
    if old:
        db.session.execute(delete(links).where(links.c.book_id.in_(old)))
    new = [{"book_id": book_id, **link} for book_id, row in changing for link in values(row)]
    if new:
        db.session.execute(insert(links), new)


def _author_ids(row: PlannedRow, authors: dict[str, tuple[int, str]]) -> list[int]:
    """The row's authors in cover order, each once ("bell hooks" and "Bell Hooks" are one)."""
    return list(dict.fromkeys(authors[fold(name)][0] for name in row.book.authors))


def _authors_for(names: Iterable[str]) -> dict[str, tuple[int, str]]:
    """(id, name) for each folded name: the author already in the catalog, matched as
    set_authors matches them ("raul zibechi" is Raúl Zibechi), or a new one, added."""
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(fold(name), name)
    keys = sorted(wanted)
    known: dict[str, tuple[int, str]] = {}
    for start in range(0, len(keys), CHUNK):
        found = select(Author.name_key, Author.id, Author.name).where(
            Author.name_key.in_(keys[start : start + CHUNK])
        )
        for key, author_id, name in db.session.execute(found.order_by(Author.id.desc())):
            known[key] = (author_id, name)
    missing = [{"name": wanted[key], "name_key": key} for key in keys if key not in known]
    if missing:
        inserted = insert(Author).returning(Author.id, sort_by_parameter_order=True)
        ids = db.session.scalars(inserted, missing).all()
        known.update((a["name_key"], (i, a["name"])) for i, a in zip(ids, missing, strict=True))
    return known

"""Importing books from a CSV file: every row checked into a plan that a dry run shows (added,
updated, unchanged or refused, and why), and that plan applied in one transaction.

The catalog is read once for the whole file (a query per 500 rows, never one per row), and
written in one flush, so 10,000 rows take seconds.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from firestorm.catalog import books, search_index
from firestorm.catalog.csv_files import CsvTable, read_table, table_from_text
from firestorm.catalog.csv_rows import (
    ADDED,
    CHUNK,
    REFUSED,
    UNCHANGED,
    UPDATED,
    Catalog,
    Claims,
    PlannedRow,
    planned_row,
)
from firestorm.catalog.models import Author, Authorship, Book, StockChange, book_shelves
from firestorm.database import db
from firestorm.typed_text import fold

# The reason every stock change made by an import is logged with.
STOCK_REASON = "import"

log = logging.getLogger(__name__)

Progress = Callable[[Iterable], Iterable]


def each(rows: Iterable) -> Iterable:
    """No progress shown: the rows as they are."""
    return rows


class ImportProblem(ValueError):
    """An import that can't go ahead, in words the member can act on."""


class PlanChanged(ImportProblem):
    """The catalog changed since the dry run: this plan is what the file would do now."""

    def __init__(self, plan: "ImportPlan"):
        super().__init__(
            "The catalog has changed since the dry run (another member or import changed some "
            "of these books), so nothing was imported. Here is what the file would do now."
        )
        self.plan = plan


@dataclass
class ImportPlan:
    table: CsvTable
    rows: list[PlannedRow]

    def having(self, action: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {action: len(self.having(action)) for action in (ADDED, UPDATED, UNCHANGED, REFUSED)}

    def rows_in_words(self, action: str) -> str:
        return row_ranges(row.number for row in self.having(action))

    @property
    def changes(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action in (ADDED, UPDATED)]

    @property
    def digest(self) -> str:
        """What the plan would do, as a fingerprint: the import applies a plan only when it is
        the one the dry run showed."""
        said = [(r.number, r.action, r.title, r.isbn, r.notes, r.book_id) for r in self.rows]
        return hashlib.sha256(json.dumps(said).encode()).hexdigest()


def row_ranges(numbers: Iterable[int], most: int = 30) -> str:
    """ "2–5, 9, 12–13": row numbers as a person reads them; past `most` ranges, how many
    more rows there are."""
    ranges: list[list[int]] = []
    for number in sorted(numbers):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    said = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges[:most])
    more = sum(b - a + 1 for a, b in ranges[most:])
    return f"{said} and {more:,} more" if more else said


# --- The plan --------------------------------------------------------------------------------


def plan_import(
    table: CsvTable, today: date, progress: Progress = each, lock: bool = False
) -> ImportPlan:
    """What importing the table would do, row by row; changes nothing. `lock` holds the books
    it would update until the transaction ends (for the import itself)."""
    catalog = Catalog.for_table(table, lock)
    claims = Claims()
    rows = []
    for number, cells in progress(table.rows):
        rows.append(planned_row(number, cells, table, catalog, claims, today))
    return ImportPlan(table, rows)


# --- Applying the plan -----------------------------------------------------------------------


def preview(data: bytes, today: date) -> ImportPlan:
    """The dry run of an uploaded file: what importing it would do. Changes nothing."""
    return plan_import(read_table(data), today)


def import_text(
    text: str, encoding: str, expected: str, today: date, member_id: int | None, now: datetime
) -> ImportPlan:
    """Import the text a dry run showed, exactly as it showed it: the plan is made again with
    the books it updates locked, and applied only when it is the same (`expected`, its
    digest); otherwise PlanChanged, holding the plan as it is now."""
    plan = plan_import(table_from_text(text, encoding), today, lock=True)
    if plan.digest != expected:
        raise PlanChanged(plan)
    apply_plan(plan, member_id, now)
    return plan


def apply_plan(
    plan: ImportPlan, member_id: int | None, now: datetime, progress: Progress = each
) -> None:
    """Add and update the plan's books in the caller's transaction, 500 rows to a statement;
    each stock change is logged with the reason "import". Refused and unchanged rows are left
    alone. The plan must have been made in this transaction, with lock=True."""
    changes = plan.changes
    authors = _authors_for(name for row in changes for name in row.details.authors)
    batches = [changes[start : start + CHUNK] for start in range(0, len(changes), CHUNK)]
    try:
        with db.session.begin_nested():
            for batch in progress(batches):
                _apply_batch(batch, authors, member_id, now)
    except IntegrityError:
        raise ImportProblem(
            "Another member added some of the same books while this import ran, so nothing "
            "was imported. Upload the file again to see what it would do now."
        ) from None
    log.info(
        "CSV import by %s: %d added, %d updated, %d unchanged, %d refused",
        f"user {member_id}" if member_id else "the command line",
        *plan.counts.values(),
    )


def _apply_batch(batch: list[PlannedRow], authors: dict, member_id, now: datetime) -> None:
    added = [row for row in batch if row.action == ADDED]
    updated = [row for row in batch if row.action == UPDATED]
    new_ids = []
    if added:
        inserted = insert(Book).returning(Book.id, sort_by_parameter_order=True)
        new_ids = db.session.scalars(
            inserted, [{**_book_values(row, authors), "created_at": now} for row in added]
        ).all()
    if updated:
        db.session.execute(
            update(Book),
            [
                {**_book_values(row, authors), "id": row.book_id, "updated_at": now}
                for row in updated
            ],
        )
    written = list(zip(new_ids, added, strict=True)) + [(row.book_id, row) for row in updated]
    _replace_links(written, authors)
    # Written without the ORM, so the search index's flush hook doesn't see these books.
    search_index.reindex_books(db.session, [book_id for book_id, _ in written])
    stock_changes = [
        {
            "book_id": book_id,
            "changed_by_id": member_id,
            "delta": row.stock - row.stock_before,
            "stock_after": row.stock,
            "reason": STOCK_REASON,
            "created_at": now,
        }
        for book_id, row in written
        if row.stock is not None and row.stock != row.stock_before
    ]
    if stock_changes:
        db.session.execute(insert(StockChange), stock_changes)


def _book_values(row: PlannedRow, authors: dict[str, tuple[int, str]]) -> dict:
    details = row.details
    values = {
        "title": details.title,
        "subtitle": details.subtitle,
        "publisher": details.publisher,
        "release_date": details.release_date,
        "isbn13": details.isbn or None,
        "description": details.description,
        "sort_title": books.sort_key_for_title(details.title),
    }
    if row.stock is not None:
        values["stock"] = row.stock
    return values


def _replace_links(written: list[tuple[int, PlannedRow]], authors: dict) -> None:
    """The authors and the shelves of the books whose authors or shelves change."""

    def authorships(row):
        return [
            {"author_id": author_id, "position": position}
            for position, author_id in enumerate(_author_ids(row, authors))
        ]

    _replace(written, "authors", Authorship.__table__, authorships)
    _replace(
        written,
        "shelves",
        book_shelves,
        lambda row: [{"shelf_id": shelf_id} for shelf_id in row.details.shelf_ids],
    )


def _replace(written, column: str, links, values) -> None:
    changing = [(i, row) for i, row in written if row.action == ADDED or column in row.changed]
    old = [book_id for book_id, row in changing if row.action == UPDATED]
    if old:
        db.session.execute(delete(links).where(links.c.book_id.in_(old)))
    new = [{"book_id": book_id, **link} for book_id, row in changing for link in values(row)]
    if new:
        db.session.execute(insert(links), new)


def _author_ids(row: PlannedRow, authors: dict) -> list[int]:
    """The row's authors in cover order, each once ("bell hooks" and "Bell Hooks" are one)."""
    return list(dict.fromkeys(authors[fold(name)][0] for name in row.details.authors))


def _authors_for(names: Iterable[str]) -> dict[str, tuple[int, str]]:
    """(id, name) for each folded name: the author already in the catalog, matched as
    set_authors matches them ("raul zibechi" is Raúl Zibechi), or a new one, added."""
    wanted = {}
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

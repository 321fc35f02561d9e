"""Importing books from a CSV file: every row checked into a plan that a dry run shows (added,
updated, unchanged, a rename to confirm, or refused, and why), then that plan applied in one
transaction as the member chose (the renames and the new shelves they ticked) and recorded,
so that it can be undone (history.py, undoing.py).

The catalog is read once for the whole file (a query per 500 rows, never one per row), and
written 500 rows to a statement, so thousands of rows take seconds.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from sqlalchemy.exc import IntegrityError

from firestorm.catalog import prices, shelves
from firestorm.csv import history
from firestorm.csv.catalog import Catalog
from firestorm.csv.files import CsvTable, read_table, table_from_text
from firestorm.csv.models import CsvImport
from firestorm.csv.rows import (
    ACTIONS,
    ADDED,
    LEFT,
    RENAME,
    UNCHANGED,
    UPDATED,
    Claims,
    PlannedRow,
    planned_row,
)
from firestorm.csv.writing import Progress, each, write_rows
from firestorm.database import db
from firestorm.refusals import Refusal

# The reason every stock change made by an import is logged with.
STOCK_REASON = "import"
# Rows that import whatever the member chooses (a rename only when it is ticked).
IMPORTED = (ADDED, UPDATED, UNCHANGED)

log = logging.getLogger(__name__)

# The file's rows as they are planned, (row number, cells): a command's progress bar counts them.
TableRows = Iterable[tuple[int, tuple[str, ...]]]
RowProgress = Callable[[TableRows], TableRows]


class ImportProblem(Refusal):
    """An import that can't go ahead, in words the member can act on."""


class PlanChanged(ImportProblem):
    """The catalog changed since the dry run: this plan is what the file would do now."""

    def __init__(self, plan: "ImportPlan"):
        super().__init__(
            "The catalog has changed since the dry run (another member or import changed some "
            "of these books or shelves), so nothing was imported. Here is what the file would "
            "do now."
        )
        self.plan = plan


@dataclass(frozen=True)
class ImportChoices:
    """What the member ticked on the dry run: the rows whose rename to make, and the new
    shelves to add (by their address). Nothing ticked: no rename, no new shelf."""

    renames: frozenset[int] = frozenset()
    shelves: frozenset[str] = frozenset()

    @classmethod
    def everything(cls, plan: "ImportPlan", renames: bool, shelves: bool) -> "ImportChoices":
        """Every rename or every new shelf of the plan, or none (the command's options)."""
        return cls(
            frozenset(row.number for row in plan.having(RENAME)) if renames else frozenset(),
            frozenset(plan.new_shelves) if shelves else frozenset(),
        )


@dataclass
class ImportPlan:
    table: CsvTable
    rows: list[PlannedRow]
    # Once decided: the new shelves the member chose to add, {address: name}.
    shelves_added: dict[str, str] = field(default_factory=dict)

    def having(self, action: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {action: len(self.having(action)) for action in ACTIONS}

    def rows_in_words(self, action: str) -> str:
        return row_ranges(row.number for row in self.having(action))

    @property
    def changes(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action in (ADDED, UPDATED)]

    @cached_property
    def new_shelves(self) -> dict[str, str]:
        """{address: name as first written} of the shelves that rows which may be imported
        name and that don't exist yet."""
        named: dict[str, str] = {}
        for row in self.rows:
            if row.action in (*IMPORTED, RENAME):
                for slug, name in row.new_shelves:
                    named.setdefault(slug, name)
        return named

    def rows_naming(self, slug: str) -> str:
        """The rows that may be imported and name a new shelf, in words: "row 4", "rows 3, 7"."""
        numbers = [
            r.number
            for r in self.rows
            if r.action in (*IMPORTED, RENAME) and slug in dict(r.new_shelves)
        ]
        return f"{'row' if len(numbers) == 1 else 'rows'} {row_ranges(numbers)}"

    @property
    def offers_import(self) -> bool:
        """Whether importing would change anything, or could, as the member chooses."""
        return bool(self.changes or self.having(RENAME) or self.new_shelves)

    @property
    def digest(self) -> str:
        """What the plan would do, as a fingerprint: the import applies a plan only when it is
        the one the dry run showed."""
        said = [
            (r.number, r.action, r.title, r.isbn, r.notes, r.book_id, r.rename, r.new_shelves)
            for r in self.rows
        ]
        return hashlib.sha256(json.dumps(said).encode()).hexdigest()

    def decided(self, renames: frozenset[int], shelf_ids: dict[str, int]) -> "ImportPlan":
        """The plan as the member chose: see PlannedRow.decided."""
        rows = [row.decided(renames, shelf_ids) for row in self.rows]
        added = {slug: self.new_shelves[slug] for slug in shelf_ids}
        return ImportPlan(self.table, rows, added)

    def summary(self) -> dict:
        """What a decided plan did beyond its counts, as the import's record keeps it: the rows
        of each kind, the renames left, the new shelves added and those that weren't."""
        not_added: dict[str, str] = {}
        for row in self.rows:
            if row.action in IMPORTED:
                for slug, name in row.new_shelves:
                    if slug not in self.shelves_added:
                        not_added.setdefault(slug, name)
        return {
            "rows": {action: self.rows_in_words(action) for action in ACTIONS},
            "renames_left": [f"Row {row.number} {row.rename}." for row in self.having(LEFT)],
            "shelves_added": sorted(self.shelves_added.values()),
            "shelves_not_added": [
                {"name": name, "rows": self.rows_naming(slug)}
                for slug, name in sorted(not_added.items(), key=lambda item: item[1].casefold())
            ],
        }


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
    table: CsvTable,
    today: date,
    marker: str,
    money: prices.Money,
    progress: RowProgress = each,
    lock: bool = False,
) -> ImportPlan:
    """What importing the table would do, row by row; changes nothing. `marker` is the cell
    that empties a value (CSV_CLEAR_MARKER), `money` how prices are written (CURRENCY,
    LOCALE). `lock` holds the books it would update until the transaction ends (for the
    import itself)."""
    catalog = Catalog.for_table(table, lock, money)
    claims = Claims()
    rows = []
    for number, cells in progress(table.rows):
        rows.append(planned_row(number, cells, table, catalog, claims, today, marker))
    return ImportPlan(table, rows)


def preview(data: bytes, today: date, marker: str, money: prices.Money) -> ImportPlan:
    """The dry run of an uploaded file: what importing it would do. Changes nothing."""
    return plan_import(read_table(data), today, marker, money)


# --- Applying the plan -----------------------------------------------------------------------


@dataclass(frozen=True)
class Importer:
    """Who imports, and when: a member (id, and how logs name them) or the command line."""

    member_id: int | None
    by: str
    now: datetime


def import_text(
    text: str,
    encoding: str,
    expected: str,
    choices: ImportChoices,
    file_name: str,
    importer: Importer,
    today: date,
    marker: str,
    money: prices.Money,
) -> CsvImport:
    """Import the text a dry run showed, exactly as it showed it: the plan is made again with
    the books it updates locked, and applied with the member's choices only when it is the
    same (`expected`, its digest); otherwise PlanChanged, holding the plan as it is now."""
    plan = plan_import(table_from_text(text, encoding), today, marker, money, lock=True)
    if plan.digest != expected:
        raise PlanChanged(plan)
    return apply_plan(plan, choices, file_name, importer)


def apply_plan(
    plan: ImportPlan,
    choices: ImportChoices,
    file_name: str,
    importer: Importer,
    progress: Progress = each,
) -> CsvImport:
    """Add the chosen new shelves, then add and update the books as the member chose, in the
    caller's transaction; each stock change is logged with the reason "import"; and record
    the import. The plan must have been made in this transaction, with lock=True."""
    try:
        with db.session.begin_nested():
            shelf_ids = _add_shelves(plan, choices, importer.by)
            decided = plan.decided(choices.renames, shelf_ids)
            written = write_rows(
                decided.changes, importer.member_id, importer.now, STOCK_REASON, progress
            )
            record = history.record_import(
                decided.counts,
                decided.summary(),
                written,
                file_name,
                importer.member_id,
                importer.now,
                list(shelf_ids.values()),
            )
    except (IntegrityError, shelves.ShelfProblem):
        raise ImportProblem(
            "Another member added some of the same books or shelves while this import ran, so "
            "nothing was imported. Upload the file again to see what it would do now."
        ) from None
    log.info(
        "CSV import %d by %s: %d added, %d updated, %d unchanged, %d left, %d refused",
        record.id,
        importer.by,
        record.added,
        record.updated,
        record.unchanged,
        record.renames_left,
        record.refused,
    )
    return record


def _add_shelves(plan: ImportPlan, choices: ImportChoices, by: str) -> dict[str, int]:
    """{address: id} of the new shelves that were ticked and that a row being imported names:
    a shelf only a rename left behind names is not made."""
    used = {
        slug
        for row in plan.rows
        if row.action in IMPORTED or (row.action == RENAME and row.number in choices.renames)
        for slug, _ in row.new_shelves
    }
    wanted = sorted(used & choices.shelves & set(plan.new_shelves))
    return {slug: shelves.add_shelf(plan.new_shelves[slug], by=by).id for slug in wanted}

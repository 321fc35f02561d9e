"""The catalog from the command line: `import-books FILE [--dry-run] [--accept-renames]
[--add-shelves]` and `export-books FILE`."""

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from firestorm.csv import export, importing, writing
from firestorm.csv.files import CsvProblem, CsvTable, read_table
from firestorm.csv.models import CsvImport
from firestorm.csv.rows import ADDED, LEFT, REFUSED, RENAME, UNCHANGED, UPDATED, PlannedRow
from firestorm.database import db
from firestorm.web import clock
from firestorm.web.templating import shop_money

SAID = {
    ADDED: "Added",
    UPDATED: "Updated",
    UNCHANGED: "Unchanged",
    LEFT: "Left as they were",
    REFUSED: "Refused",
}
WOULD_SAY = {
    ADDED: "Would add",
    UPDATED: "Would update",
    UNCHANGED: "Unchanged",
    RENAME: "Would rename (with --accept-renames)",
    REFUSED: "Refused",
}
# How the logs name whoever imports from here.
COMMAND_LINE = "the command line"


@click.command("import-books")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what the file would do; change nothing.")
@click.option(
    "--accept-renames",
    is_flag=True,
    help="Make the renames the file asks for (a row with a book's ISBN but another title, or "
    "none of its authors). Without it those rows are left as they are.",
)
@click.option(
    "--add-shelves",
    is_flag=True,
    help="Add the shelves the file names that don't exist yet. Without it those rows are "
    "imported without them.",
)
@with_appcontext
@click.pass_context
def import_books(
    context: click.Context, file: Path, dry_run: bool, accept_renames: bool, add_shelves: bool
) -> None:
    """Add and update books from a CSV file, in one transaction, and record the import (it can
    be undone from its page on the catalog desk). Columns: title, subtitle, authors (separated
    by ;), publisher, release date, ISBN, stock, price, format, pages, description, shelves.
    A blank cell keeps the book's value; CSV_CLEAR_MARKER ([clear]) empties it. Exits with
    status 1 when any row was refused or left (the other rows are imported)."""
    table = read_file(file)
    click.echo(about(table, file))
    now = clock.current_time()
    if dry_run:
        plan = importing.plan_import(
            table, store_day(now), clear_marker(), shop_money(), rows_bar("Checking rows")
        )
        db.session.rollback()
        for line in dry_run_summary(plan):
            click.echo(line)
        context.exit(1 if plan.counts[REFUSED] else 0)
    try:
        plan, record = import_table(
            table,
            file.name,
            now,
            COMMAND_LINE,
            accept_renames=accept_renames,
            add_shelves=add_shelves,
            show_progress=True,
        )
        for line in import_summary(plan, record):
            click.echo(line)
        refused_or_left = record.refused or record.renames_left
        db.session.commit()
    except importing.ImportProblem as problem:
        db.session.rollback()
        raise click.ClickException(str(problem)) from None
    context.exit(1 if refused_or_left else 0)


def read_file(file: Path) -> CsvTable:
    try:
        return read_table(file.read_bytes())
    except CsvProblem as problem:
        raise click.ClickException(str(problem)) from None


def import_table(
    table: CsvTable,
    file_name: str,
    now: datetime,
    by: str,
    *,
    accept_renames: bool = False,
    add_shelves: bool = False,
    show_progress: bool = False,
) -> tuple[importing.ImportPlan, CsvImport]:
    """Import the table from the command line as import-books does (seed-demo imports the
    demo's catalog through it too): planned with the books it updates locked, applied with
    every rename and every new shelf or none, and recorded, in the caller's transaction.
    `by` names who imports in the logs. ImportProblem when it can't go ahead."""
    rows_progress, writing_progress = (
        (rows_bar("Checking rows"), batches_bar("Importing"))
        if show_progress
        else (writing.each, writing.each)
    )
    plan = importing.plan_import(
        table, store_day(now), clear_marker(), shop_money(), rows_progress, lock=True
    )
    choices = importing.ImportChoices.everything(plan, accept_renames, add_shelves)
    importer = importing.Importer(None, by, now)
    record = importing.apply_plan(plan, choices, file_name[:100], importer, writing_progress)
    return plan, record


def store_day(now: datetime) -> date:
    return now.astimezone(clock.store_timezone()).date()


def clear_marker() -> str:
    return current_app.config["CSV_CLEAR_MARKER"]


@click.command("export-books")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_books(file: Path) -> None:
    """Write every book to a CSV file (UTF-8 with a BOM), with the columns import-books reads."""
    with file.open("w", encoding="utf-8-sig", newline="") as out:
        written = export.write_catalog(out)
    db.session.rollback()
    click.echo(f"Exported {written:,} {'book' if written == 1 else 'books'} to {file}.")


def rows_bar(label: str) -> importing.RowProgress:
    """A progress bar over the rows (on a terminal; elsewhere, its label alone)."""

    def progress(rows: importing.TableRows) -> importing.TableRows:
        with click.progressbar(rows, label=label) as shown:
            yield from shown

    return progress


def batches_bar(label: str) -> writing.Progress:
    """A progress bar over the rows written, 500 at a time."""

    def progress(batches: Sequence[list[PlannedRow]]) -> Iterator[list[PlannedRow]]:
        with click.progressbar(length=sum(map(len, batches)), label=label) as shown:
            for batch in batches:
                yield batch
                shown.update(len(batch))

    return progress


def about(table: CsvTable, file: Path) -> str:
    rows = len(table.rows)
    said = (
        f"{file.name}: {rows:,} {'row' if rows == 1 else 'rows'}, read as {table.encoding}, "
        f"values separated by {table.delimiter_in_words}."
    )
    if table.ignored:
        said += " Columns not imported: " + ", ".join(table.ignored) + "."
    if table.missing:
        said += " Not in the file, so kept as they are: " + ", ".join(table.missing) + "."
    return said


def counted(words: str, count: int, rows: str) -> str:
    return f"{words} {count:,}" + (f": {'row' if count == 1 else 'rows'} {rows}." if count else ".")


def dry_run_summary(plan: importing.ImportPlan) -> Iterator[str]:
    """A line for each kind of row with their row numbers, each rename and refusal, and the
    new shelves."""
    for action, words in WOULD_SAY.items():
        yield counted(words, plan.counts[action], plan.rows_in_words(action))
    for row in plan.having(RENAME):
        yield f"  Row {row.number} {row.rename}."
    yield from refusals(plan)
    if plan.new_shelves:
        named = [f"{name} ({plan.rows_naming(slug)})" for slug, name in plan.new_shelves.items()]
        yield "Would add shelves (with --add-shelves): " + "; ".join(named) + "."
    yield "Dry run: nothing was changed."


def import_summary(plan: importing.ImportPlan, record: CsvImport) -> Iterator[str]:
    """What the import did, as its record says, with each row left or refused and why."""
    summary = record.summary
    counts = {
        ADDED: record.added,
        UPDATED: record.updated,
        UNCHANGED: record.unchanged,
        LEFT: record.renames_left,
        REFUSED: record.refused,
    }
    for action, words in SAID.items():
        yield counted(words, counts[action], summary["rows"][action])
    for left in summary["renames_left"]:
        yield f"  {left} Run again with --accept-renames to make it."
    yield from refusals(plan)
    if summary["shelves_added"]:
        yield "Shelves added: " + ", ".join(summary["shelves_added"]) + "."
    if summary["shelves_not_added"]:
        named = [f"{shelf['name']} ({shelf['rows']})" for shelf in summary["shelves_not_added"]]
        yield (
            "Shelves not added, so those rows were imported without them (run again with "
            "--add-shelves to add them): " + "; ".join(named) + "."
        )
    yield (
        f"Recorded as import {record.id}: it can be undone from its page, "
        f"/collective/books/imports/{record.id}."
    )


def refusals(plan: importing.ImportPlan) -> Iterator[str]:
    for row in plan.having(REFUSED):
        yield f"  Row {row.number}: " + " ".join(row.notes)

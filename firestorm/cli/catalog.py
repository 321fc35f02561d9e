"""The catalog from the command line: `import-books FILE [--dry-run]` and `export-books FILE`."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from firestorm.catalog import csv_export, csv_import
from firestorm.catalog.csv_files import CsvProblem, read_table
from firestorm.catalog.csv_rows import ADDED, REFUSED, UNCHANGED, UPDATED
from firestorm.database import db

SAID = {ADDED: "Added", UPDATED: "Updated", UNCHANGED: "Unchanged", REFUSED: "Refused"}
WOULD_SAY = {
    ADDED: "Would add",
    UPDATED: "Would update",
    UNCHANGED: "Unchanged",
    REFUSED: "Refused",
}


@click.command("import-books")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what the file would do; change nothing.")
@with_appcontext
@click.pass_context
def import_books(context: click.Context, file: Path, dry_run: bool) -> None:
    """Add and update books from a CSV file, in one transaction. Columns: title, subtitle,
    authors (separated by ;), publisher, release date, ISBN, stock, description, shelves.
    Exits with status 1 when any row was refused (the other rows are imported)."""
    try:
        table = read_table(file.read_bytes())
    except CsvProblem as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(about(table, file))
    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo(current_app.config["STORE_TIMEZONE"])).date()
    plan = csv_import.plan_import(table, today, bar("Checking rows"), lock=not dry_run)
    if not dry_run and plan.changes:
        try:
            csv_import.apply_plan(plan, None, now, bar("Importing"))
            db.session.commit()
        except csv_import.ImportProblem as problem:
            db.session.rollback()
            raise click.ClickException(str(problem)) from None
    db.session.rollback()
    for line in summary(plan, dry_run):
        click.echo(line)
    if plan.counts[REFUSED]:
        context.exit(1)


@click.command("export-books")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_books(file: Path) -> None:
    """Write every book to a CSV file (UTF-8 with a BOM), with the columns import-books reads."""
    with file.open("w", encoding="utf-8-sig", newline="") as out:
        written = csv_export.write_catalog(out)
    db.session.rollback()
    click.echo(f"Exported {written:,} {'book' if written == 1 else 'books'} to {file}.")


def bar(label: str):
    """A progress bar around the rows (on a terminal; elsewhere, its label alone)."""

    def progress(rows):
        with click.progressbar(rows, label=label) as shown:
            yield from shown

    return progress


def about(table, file: Path) -> str:
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


def summary(plan: csv_import.ImportPlan, dry_run: bool):
    """A line for each kind of row with their row numbers, then each refused row and why."""
    words = WOULD_SAY if dry_run else SAID
    for action, count in plan.counts.items():
        rows = f": {'row' if count == 1 else 'rows'} {plan.rows_in_words(action)}" if count else ""
        yield f"{words[action]} {count:,}{rows}."
    for row in plan.having(REFUSED):
        yield f"  Row {row.number}: " + " ".join(row.notes)
    if dry_run:
        yield "Dry run: nothing was changed."

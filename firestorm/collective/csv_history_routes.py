"""Past CSV imports at the catalog desk: /collective/books/imports (the list), an import's own
page (what it did, who, when), and undoing it after a page that says what that will do."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from firestorm.collective import bp
from firestorm.csv import history, undoing
from firestorm.csv.models import CsvImport
from firestorm.pagination import page_number
from firestorm.people.accounts import who
from firestorm.web import clock, transaction

UNDO_PAGE = "collective/undo_import.html"


@bp.get("/books/imports", endpoint="csv_imports")
def imports_page() -> ResponseReturnValue:
    page = history.imports_page(
        page_number(request.args.get("page")), current_app.config["IMPORTS_PER_PAGE"]
    )
    return render_template("collective/imports.html", imports=page)


@bp.get("/books/imports/<id:import_id>", endpoint="csv_import")
def import_page(import_id: int) -> ResponseReturnValue:
    record = import_or_404(import_id)
    return render_template(
        "collective/import_record.html",
        record=record,
        touched=history.books_touched(record.id),
    )


@bp.get("/books/imports/<id:import_id>/undo", endpoint="confirm_undo_import")
def confirm_undo(import_id: int) -> ResponseReturnValue:
    """What undoing the import would do, or what stops it, before anything changes."""
    record = import_or_404(import_id)
    return undo_page(record, undoing.undo_problem(record))


@bp.post("/books/imports/<id:import_id>/undo", endpoint="undo_import")
def undo(import_id: int) -> ResponseReturnValue:
    try:
        record = undoing.undo_import(
            import_id, current_user.id, who(current_user), clock.current_time()
        )
    except undoing.UnknownImport:
        abort(404)
    except undoing.UndoRefused as refused:
        transaction.discard_changes()
        return undo_page(import_or_404(import_id), refused, 409)
    flash(f"The import of {record.file_name} is undone.", "success")
    return redirect(url_for(".csv_import", import_id=import_id))


def import_or_404(import_id: int) -> CsvImport:
    record = history.find_import(import_id)
    if record is None:
        abort(404)
    return record


def undo_page(
    record: CsvImport, problem: undoing.UndoRefused | None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        UNDO_PAGE,
        record=record,
        problem=problem,
        touched=history.books_touched(record.id),
    ), status

"""CSV import and export at the catalog desk: /collective/books/import (choose a file, see the
dry run row by row, import exactly that) and /collective/books/export (the catalog as CSV)."""

import io

from flask import (
    Response,
    current_app,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from firestorm import typed_text
from firestorm.catalog import csv_export, csv_import
from firestorm.catalog.csv_files import COLUMNS, CsvProblem
from firestorm.collective import bp
from firestorm.collective.csv_forms import ApplyImportForm, ImportForm
from firestorm.web import clock, transaction
from firestorm.web.access import collective_required
from firestorm.web.sqlite import reads_only

UPLOAD_PAGE = "collective/import_books.html"
PREVIEW_PAGE = "collective/import_preview.html"
# The last import's summary, kept in the session for the page after the redirect.
SUMMARY_KEY = "csv_import"


@bp.get("/books/import", endpoint="import_books")
@collective_required
def import_page():
    return upload_page(ImportForm(formdata=None))


@bp.post("/books/import", endpoint="preview_import")
@collective_required
@reads_only
def preview_import():
    """The dry run: what the file would do, row by row. It writes nothing."""
    form = ImportForm()
    if not form.validate_on_submit():
        return upload_page(form, 422)
    name = file_name(form.file.data.filename)
    try:
        plan = csv_import.preview(form.file.data.read(), clock.store_today())
    except CsvProblem as problem:
        form.file.errors = [str(problem)]
        return upload_page(form, 422)
    return preview_page(plan, name)


@bp.post("/books/import/apply", endpoint="apply_import")
@collective_required
def apply_import():
    """Import exactly what the dry run showed, in this request's one transaction."""
    carried = carried_forward(ApplyImportForm().carried.data or "")
    if carried is None:
        form = ImportForm(formdata=None)
        form.form_errors.append(
            "This import can't be read back (the page was changed, or is from another "
            "session). Choose the file again to see its dry run."
        )
        return upload_page(form, 400)
    try:
        plan = csv_import.import_text(
            carried["text"],
            carried["encoding"],
            carried["plan"],
            clock.store_today(),
            current_user.id,
            clock.current_time(),
        )
    except csv_import.PlanChanged as changed:
        transaction.discard_changes()
        return preview_page(changed.plan, carried["file"], problem=str(changed), status=409)
    except csv_import.ImportProblem as problem:
        transaction.discard_changes()
        form = ImportForm(formdata=None)
        form.form_errors.append(str(problem))
        return upload_page(form, 409)
    session[SUMMARY_KEY] = summary_of(plan, carried["file"])
    return redirect(url_for(".import_summary"))


@bp.get("/books/import/summary", endpoint="import_summary")
@collective_required
def import_summary():
    summary = session.get(SUMMARY_KEY)
    if not summary:
        return redirect(url_for(".import_books"))
    return render_template("collective/import_summary.html", summary=summary)


@bp.get("/books/export", endpoint="export_books")
@collective_required
def export_books():
    """Every book as CSV, with a BOM so that spreadsheets read the accents as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    csv_export.write_catalog(out)
    name = f"firestorm-books-{clock.store_today().isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- Shared by the pages above ------------------------------------------------------------


def upload_page(form: ImportForm, status: int = 200):
    return render_template(UPLOAD_PAGE, form=form, columns=COLUMNS), status


def preview_page(plan: csv_import.ImportPlan, name: str, problem: str = "", status: int = 200):
    form = ApplyImportForm(formdata=None, carried=carry(plan, name))
    return render_template(
        PREVIEW_PAGE, plan=plan, file_name=name, form=form, problem=problem
    ), status


def signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="csv-import")


def carry(plan: csv_import.ImportPlan, name: str) -> str:
    """The file's text as the dry run read it, what the dry run said it would do (its
    digest), and who saw it: signed (and compressed), so the import can't be handed anything
    else. Nothing is kept on the server between the two requests."""
    return signer().dumps(
        {
            "text": plan.table.text,
            "encoding": plan.table.encoding,
            "plan": plan.digest,
            "file": name,
            "member": current_user.id,
        }
    )


def carried_forward(token: str) -> dict | None:
    try:
        carried = signer().loads(token)
    except BadSignature:
        return None
    if not isinstance(carried, dict) or carried.get("member") != current_user.id:
        return None
    return carried


def file_name(name: str | None) -> str:
    return typed_text.one_line(name or "")[:100] or "The file"


def summary_of(plan: csv_import.ImportPlan, name: str) -> dict:
    """What the summary page says: small enough for the session cookie, however long the file."""
    return {
        "file": name,
        "counts": plan.counts,
        "rows": {action: plan.rows_in_words(action) for action in plan.counts},
    }

"""CSV import and export at the catalog desk: /collective/books/import (choose a file, see the
dry run row by row, tick the renames and new shelves to make, import exactly that) and
/collective/books/export (the catalog as CSV). Past imports: csv_history_routes.py."""

import io
from decimal import Decimal

from flask import Response, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from firestorm import typed_text
from firestorm.collective import bp
from firestorm.collective.csv_forms import ApplyImportForm, ImportForm
from firestorm.csv import export, importing
from firestorm.csv.files import COLUMNS, CsvProblem
from firestorm.people.accounts import who
from firestorm.refusals import Refusal
from firestorm.web import clock, transaction
from firestorm.web.sqlite import reads_only
from firestorm.web.templating import shop_money

UPLOAD_PAGE = "collective/import_books.html"
PREVIEW_PAGE = "collective/import_preview.html"
# How long a dry run's page can be imported from: a shift, not a week in a forgotten tab.
DRY_RUN_HOURS = 8


class NotCarried(Refusal):
    """The dry run's page can't be imported from, in words."""


@bp.get("/books/import", endpoint="import_books")
def import_page() -> ResponseReturnValue:
    return upload_page(ImportForm(formdata=None))


@bp.post("/books/import", endpoint="preview_import")
@reads_only
def preview_import() -> ResponseReturnValue:
    """The dry run: what the file would do, row by row. It writes nothing."""
    form = ImportForm()
    if not form.validate_on_submit():
        return upload_page(form, 422)
    name = file_name(form.file.data.filename)
    try:
        plan = importing.preview(
            form.file.data.read(), clock.store_today(), clear_marker(), shop_money()
        )
    except CsvProblem as problem:
        form.show_refusal(problem)
        return upload_page(form, 422)
    return preview_page(plan, name)


@bp.post("/books/import/apply", endpoint="apply_import")
def apply_import() -> ResponseReturnValue:
    """Import exactly what the dry run showed, as the member ticked it, in this request's one
    transaction; then the import's own page, which can undo it."""
    form = ApplyImportForm()
    try:
        carried = carried_forward(form.carried.data or "")
    except NotCarried as problem:
        refused = ImportForm(formdata=None)
        refused.show_refusal(problem)
        return upload_page(refused, 400)
    choices = importing.ImportChoices(form.chosen_renames(), form.chosen_shelves())
    importer = importing.Importer(current_user.id, who(current_user), clock.current_time())
    try:
        record = importing.import_text(
            carried["text"],
            carried["encoding"],
            carried["plan"],
            choices,
            carried["file"],
            importer,
            clock.store_today(),
            clear_marker(),
            shop_money(),
        )
    except importing.PlanChanged as changed:
        transaction.discard_changes()
        return preview_page(changed.plan, carried["file"], problem=str(changed), status=409)
    except importing.ImportProblem as problem:
        transaction.discard_changes()
        refused = ImportForm(formdata=None)
        refused.show_refusal(problem)
        return upload_page(refused, 409)
    return redirect(url_for(".csv_import", import_id=record.id))


@bp.get("/books/export", endpoint="export_books")
def export_books() -> ResponseReturnValue:
    """Every book as CSV, with a BOM so that spreadsheets read the accents as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    export.write_catalog(out)
    name = f"firestorm-books-{clock.store_today().isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- Shared by the pages above ------------------------------------------------------------


def clear_marker() -> str:
    return current_app.config["CSV_CLEAR_MARKER"]


def upload_page(form: ImportForm, status: int = 200) -> ResponseReturnValue:
    page = render_template(
        UPLOAD_PAGE,
        form=form,
        columns=COLUMNS,
        marker=clear_marker(),
        price_example=shop_money().number(Decimal("18.95")),
    )
    return page, status


def preview_page(
    plan: importing.ImportPlan, name: str, problem: str = "", status: int = 200
) -> ResponseReturnValue:
    form = ApplyImportForm(formdata=None, carried=carry(plan, name))
    return render_template(
        PREVIEW_PAGE,
        plan=plan,
        file_name=name,
        form=form,
        problem=problem,
        marker=clear_marker(),
    ), status


def signer() -> URLSafeTimedSerializer:
    # create_app always sets one (configured, or the instance folder's own).
    if current_app.secret_key is None:
        raise RuntimeError("The app has no SECRET_KEY to sign an import's file with.")
    return URLSafeTimedSerializer(current_app.secret_key, salt="csv-import")


def carry(plan: importing.ImportPlan, name: str) -> str:
    """The file's text as the dry run read it, what the dry run said it would do (its
    digest), and who saw it, when: signed (and compressed), so the import can't be handed
    anything else. Nothing is kept on the server between the two requests."""
    return signer().dumps(
        {
            "text": plan.table.text,
            "encoding": plan.table.encoding,
            "plan": plan.digest,
            "file": name,
            "member": current_user.id,
        }
    )


def carried_forward(token: str) -> dict:
    """What the dry run's page carried, or NotCarried saying why it can't be imported."""
    try:
        carried = signer().loads(token, max_age=DRY_RUN_HOURS * 3600)
    except SignatureExpired:
        raise NotCarried(
            f"This dry run is more than {DRY_RUN_HOURS} hours old, and the catalog may have "
            "changed since: choose the file again to see what it would do now."
        ) from None
    except BadSignature:
        carried = None
    if not isinstance(carried, dict) or carried.get("member") != current_user.id:
        raise NotCarried(
            "This import can't be read back (the page was changed, or is from another "
            "session). Choose the file again to see its dry run."
        )
    return carried


def file_name(name: str | None) -> str:
    return typed_text.one_line(name or "")[:100] or "The file"

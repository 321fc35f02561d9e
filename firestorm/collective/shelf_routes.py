"""The shelves, /collective/shelves: the list with counts, adding, renaming, and removing a shelf
after asking."""

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from firestorm.catalog import shelves
from firestorm.catalog.models import Shelf
from firestorm.collective import bp
from firestorm.collective.shelf_forms import AddShelfForm, RenameShelfForm
from firestorm.people.accounts import who

LIST_PAGE = "collective/shelves.html"


@bp.get("/shelves", endpoint="shelves")
def shelves_page() -> ResponseReturnValue:
    return list_page(AddShelfForm(formdata=None))


@bp.post("/shelves", endpoint="add_shelf")
def add_shelf() -> ResponseReturnValue:
    form = AddShelfForm()
    if form.validate_on_submit():
        try:
            shelf = shelves.add_shelf(form.name.data or "", by=who(current_user))
        except shelves.ShelfProblem as problem:
            form.show_refusal(problem)
        else:
            flash(
                f"The shelf “{shelf.name}” is ready: put books on it from their pages.", "success"
            )
            return redirect(url_for(".shelves"))
    return list_page(form, status=422)


@bp.post("/shelves/<id:shelf_id>/rename", endpoint="rename_shelf")
def rename_shelf(shelf_id: int) -> ResponseReturnValue:
    shelf = shelf_or_404(shelf_id)
    old_name = shelf.name
    form = RenameShelfForm(shelf)
    if form.validate_on_submit():
        try:
            shelves.rename_shelf(shelf, form.name.data or "", by=who(current_user))
        except shelves.ShelfProblem as problem:
            form.show_refusal(problem)
        else:
            flash(f"“{old_name}” is now “{shelf.name}”, at /shelves/{shelf.slug}.", "success")
            return redirect(url_for(".shelves"))
    return list_page(AddShelfForm(formdata=None), renaming=form, renamed_id=shelf.id, status=422)


@bp.get("/shelves/<id:shelf_id>/remove", endpoint="confirm_remove_shelf")
def confirm_remove_shelf(shelf_id: int) -> ResponseReturnValue:
    """Removing a shelf is asked first, on a page of its own; only its POST removes."""
    shelf = shelf_or_404(shelf_id)
    return render_template(
        "collective/remove_shelf.html",
        shelf=shelf,
        books=shelves.books_on_shelf(shelf),
    )


@bp.post("/shelves/<id:shelf_id>/remove", endpoint="remove_shelf")
def remove_shelf(shelf_id: int) -> ResponseReturnValue:
    shelf = shelf_or_404(shelf_id)
    name = shelf.name
    shelves.remove_shelf(shelf, by=who(current_user))
    flash(f"The shelf “{name}” is gone. Its books are still in the catalog.", "success")
    return redirect(url_for(".shelves"))


def shelf_or_404(shelf_id: int) -> Shelf:
    shelf = shelves.get_shelf(shelf_id)
    if shelf is None:
        abort(404)
    return shelf


def list_page(
    add_form: AddShelfForm,
    renaming: RenameShelfForm | None = None,
    renamed_id: int | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The list, each shelf with its rename form: the one just refused keeps what was typed."""
    rows = [
        (
            count,
            renaming
            if count.shelf.id == renamed_id
            else RenameShelfForm(count.shelf, formdata=None),
        )
        for count in shelves.shelves_with_counts()
    ]
    return render_template(LIST_PAGE, add_form=add_form, rows=rows), status

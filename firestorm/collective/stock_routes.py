"""Stock at the desk: +1, −1 and "set to N" with a reason, in place with htmx or as plain forms,
and each book's stock history, /collective/books/<id>/stock."""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from flask import abort, current_app, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from firestorm.catalog import stock
from firestorm.catalog.models import Book, StockChange
from firestorm.collective import bp
from firestorm.collective.stock_forms import StockForm
from firestorm.database import db
from firestorm.pagination import Page, page_number
from firestorm.web import clock, transaction
from firestorm.web.htmx import page_or_partial, redirect_or_partial
from firestorm.web.site_address import safe_next_path

PAGE = "collective/stock_history.html"
# What htmx gets: the controls, the flash area and, on the history page, its table.
UPDATE = "collective/_stock_controls_update.html"


@dataclass
class StockControls:
    """One book's stock controls as templates/collective/_stock_controls.html draws them."""

    book: Book
    form: StockForm
    # Where a plain post comes back to: the page the controls are on.
    next_path: str
    # The id of what takes focus once htmx has swapped the controls in: the button pressed,
    # or the field refused, so a keyboard user carries on from there.
    focus: str = ""

    @property
    def history_path(self) -> str:
        return url_for("collective.stock_history", book_id=self.book.id)

    @property
    def history_page_shown(self) -> int | None:
        """The page of the history the controls are drawn on, if they are."""
        where = urlsplit(self.next_path)
        if where.path != self.history_path:
            return None
        return page_number(parse_qs(where.query).get("page", [""])[0])

    @property
    def problem(self) -> str:
        """Why a +1 or −1 was refused (a refusal naming no field), said above the buttons."""
        return " ".join(self.form.form_errors)

    @property
    def count_refused(self) -> bool:
        return bool(self.form.count.errors or self.form.reason.errors)


@bp.app_template_global()
def stock_controls_for(book: Book) -> StockControls:
    """The controls as a page draws them at first: empty, coming back to this page."""
    return StockControls(book, StockForm(book.id, formdata=None), this_page(book))


def this_page(book: Book) -> str:
    if request.method == "GET":
        return request.full_path.rstrip("?")
    # A page drawn for a POST can't be asked for again: after a change, go to the history.
    return url_for("collective.stock_history", book_id=book.id)


@bp.get("/books/<id:book_id>/stock", endpoint="stock_history")
def stock_history_page(book_id: int) -> ResponseReturnValue:
    return history_page(book_id, page_number(request.args.get("page")))


@bp.post("/books/<id:book_id>/stock", endpoint="change_stock")
def change_stock(book_id: int) -> ResponseReturnValue:
    form = StockForm(book_id)
    back = safe_next_path(form.next.data) or url_for(".stock_history", book_id=book_id)
    now = clock.current_time()
    change: StockChange | None
    try:
        if form.is_one_copy:
            change = stock.change_stock_by_one(book_id, form.step.data, current_user.id, now)
        else:
            change = stock.set_stock(
                book_id, form.count.data, form.reason.data or "", current_user.id, now
            )
    except stock.StockProblem as problem:
        return refused(book_id, form, back, problem)
    book = book_or_404(book_id)
    flash(*what_changed(book, change))
    return redirect_or_partial(back, lambda: controls_response(controls_after(form, book, back)))


# --- Shared by the routes above ---------------------------------------------------------------


def book_or_404(book_id: int) -> Book:
    # After a change the book is in the session already, its stock refreshed: no query.
    book = db.session.get(Book, book_id)
    if book is None:
        abort(404)
    return book


def book_with_history(book_id: int, page: int) -> tuple[Book, Page]:
    found = stock.book_with_stock_history(
        book_id, page, current_app.config["STOCK_CHANGES_PER_PAGE"]
    )
    if found is None:
        abort(404)
    return found


def controls_after(form: StockForm, book: Book, back: str) -> StockControls:
    """The controls after a change, empty again, the focus back where the member was."""
    controls = StockControls(book, StockForm(book.id, formdata=None), back)
    # Only +1 and −1 get this far: change_stock_by_one refuses any other step.
    if form.is_one_copy and form.step.data is not None:
        controls.focus = button_id(book.id, form.step.data)
    else:
        controls.focus = f"stock-{book.id}-set"
    return controls


def button_id(book_id: int, delta: int) -> str:
    """The +1 and −1 buttons' ids, as the partial writes them."""
    return f"stock-{book_id}-{'add' if delta > 0 else 'take'}"


def copies(count: int) -> str:
    return "no copies" if count == 0 else "1 copy" if count == 1 else f"{count:,} copies"


def what_changed(book: Book, change: StockChange | None) -> tuple[str, str]:
    """The flash message after a change, and its category."""
    if change is None:
        return f"“{book.title}” has {copies(book.stock)} already: nothing changed.", "info"
    sign = "+" if change.delta > 0 else "−"
    return (
        f"“{book.title}”: {sign}{abs(change.delta):,} ({change.reason}). "
        f"{copies(change.stock_after).capitalize()} in stock now.",
        "success",
    )


def refused(
    book_id: int, form: StockForm, back: str, problem: stock.StockProblem
) -> ResponseReturnValue:
    """The controls again with why nothing changed, next to what was typed, kept as typed:
    alone for htmx; without JavaScript, on the history page."""
    transaction.discard_changes()
    book = book_or_404(book_id)
    controls = StockControls(book, form, back)
    refused_field = form.show_refusal(problem)
    if refused_field is not None:
        controls.focus = refused_field.id
    elif form.step.data in (1, -1):
        controls.focus = button_id(book_id, form.step.data)
    return page_or_partial(
        lambda: history_page(book_id, 1, controls, 422), lambda: controls_response(controls, 422)
    )


def history_page(
    book_id: int, page: int, controls: StockControls | None = None, status: int = 200
) -> ResponseReturnValue:
    """The book's stock history, a page of it; its controls as given (a refusal's), or empty."""
    book, history = book_with_history(book_id, page)
    return render_template(PAGE, book=book, history=history, stock_controls=controls), status


def controls_response(controls: StockControls, status: int = 200) -> ResponseReturnValue:
    """The controls for htmx, with the flash area and, on the history page, its table."""
    history = None
    if controls.history_page_shown:
        _, history = book_with_history(controls.book.id, controls.history_page_shown)
    page = render_template(UPDATE, book=controls.book, stock_controls=controls, history=history)
    return page, status

"""/collective/holds/<id>/book: a special order (a book asked for by title on /order) attached to
a book of the catalog once it is added: found by its ISBN or a search, then chosen."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from firestorm.collective import bp
from firestorm.database import LARGEST_ID
from firestorm.holds import desk, special_orders
from firestorm.holds.models import Hold
from firestorm.search import queries
from firestorm.typed_text import whole_number
from firestorm.web import transaction

PAGE = "collective/attach_book.html"
# A page of candidates is enough: a member narrows the search rather than paging.
CANDIDATES = 20


def chosen_book_id() -> int | None:
    """The book the member chose, if the form names one an id could be (nothing else reaches
    the database: a number past the ids' range overflows SQLite's integers)."""
    book_id = whole_number(request.form.get("book_id"))
    return book_id if book_id is not None and 0 < book_id <= LARGEST_ID else None


@bp.get("/holds/<id:hold_id>/book", endpoint="attach_book_form")
def attach_book_form(hold_id: int) -> ResponseReturnValue:
    return attach_page(waiting_order(hold_id))


@bp.post("/holds/<id:hold_id>/book", endpoint="attach_book")
def attach_book(hold_id: int) -> ResponseReturnValue:
    try:
        hold = special_orders.attach_book(hold_id, chosen_book_id(), current_user.id)
    except desk.HoldGone:
        abort(404)
    except desk.DeskProblem as problem:
        transaction.discard_changes()
        status = 409 if isinstance(problem, desk.MovedMeanwhile) else 422
        return attach_page(waiting_order(hold_id), problem=str(problem), status=status)
    assert hold.book is not None  # just attached
    flash(f"Order {hold.reference} is now for “{hold.book.title}”.", "success")
    return redirect(url_for(".hold", hold_id=hold.id), 303)


def waiting_order(hold_id: int) -> Hold:
    """The order as the desk shows it; a hold with its book already says so on the page."""
    hold = desk.hold_for_desk(hold_id)
    if hold is None:
        abort(404)
    return hold


def attach_page(hold: Hold, problem: str = "", status: int = 200) -> ResponseReturnValue:
    """The order, the search (its ISBN, else its title, until the member types another) and
    the books it finds, each with its button."""
    typed = request.args.get("q")
    text = typed if typed is not None else (hold.asked_isbn or hold.asked_title)
    query = queries.CatalogQuery.from_args({"q": text}, current_app.config["SEARCH_MAX_LENGTH"])
    results = None
    if query.text and hold.book is None and hold.is_open:
        results = queries.search_books(query, CANDIDATES, include_hidden=True)
    page = render_template(PAGE, hold=hold, query=query, results=results, problem=problem)
    return page, status

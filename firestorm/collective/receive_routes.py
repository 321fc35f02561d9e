"""Receiving a delivery, /collective/receive: scan ISBNs one after another (htmx, the list and
the field swapped in place; or one plain post per ISBN), undo a line a copy at a time, add an
unknown ISBN's book from Open Library's facts in one step, and finish with a summary.

Open Library is asked by a request of its own (the line's look-up, a POST that takes no write
lock), never inside the scan's write: the scan that found the ISBN unknown has committed
before the lookup starts.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from firestorm.catalog import isbn, stock
from firestorm.catalog.models import Book
from firestorm.collective import bp
from firestorm.collective.book_routes import kept_lookup, kept_lookups, look_up, lookup_is_on
from firestorm.collective.receive_forms import ScanForm
from firestorm.database import db
from firestorm.receiving import deliveries
from firestorm.receiving.models import Delivery, DeliveryLine
from firestorm.web import clock, transaction
from firestorm.web.cover_files import cover_storage
from firestorm.web.htmx import page_or_partial, redirect_or_partial
from firestorm.web.sqlite import reads_only

PAGE = "collective/receive.html"
# What htmx gets: the scan form and the delivery's lines, with the flash area out of band.
PARTIAL = "collective/_receiving_update.html"
LINE = "collective/_delivery_line.html"


@bp.get("/receive", endpoint="receive")
def receive_page() -> ResponseReturnValue:
    return render_template(PAGE, **receiving_context(ScanForm(formdata=None)))


@bp.post("/receive/scan", endpoint="scan")
def scan() -> ResponseReturnValue:
    form = ScanForm()
    now = clock.current_time()
    try:
        scanned = deliveries.scan(current_user.id, form.isbn.data or "", now)
    except (deliveries.ReceivingProblem, stock.StockProblem) as problem:
        transaction.discard_changes()
        form.show_refusal(problem, "isbn")
        return answer(form, 422)
    flash(said_of_scan(scanned), "success")
    return redirect_or_partial(url_for(".receive"), lambda: answer(ScanForm(formdata=None)))


@bp.post("/receive/lines/<id:line_id>/look-up", endpoint="look_up_line")
@reads_only
def look_up_line(line_id: int) -> ResponseReturnValue:
    """Open Library asked about the line's ISBN: the line again for htmx (a new line asks as
    it loads), the delivery's page for everyone else (the line's button). No write lock is
    held while Open Library answers; its answer is kept in a transaction of its own."""
    line = line_or_404(line_id)
    drawn = drawn_line(line)
    if lookup_is_on() and drawn.book is None:
        # The answer itself, not only the kept one: a failure is not kept, and the line
        # says so instead of asking again as it loads.
        drawn.lookup = look_up(line.isbn13)
    return page_or_partial(
        lambda: after_look_up(drawn),
        lambda: render_template(LINE, item=drawn, lookups_on=lookup_is_on()),
    )


def after_look_up(drawn: deliveries.Line) -> ResponseReturnValue:
    """Without JavaScript: back to the delivery, saying what Open Library said."""
    if drawn.lookup is not None:
        flash(drawn.lookup.said(), "success" if drawn.lookup.book else "info")
    return redirect(url_for(".receive", _anchor=f"line-{drawn.line.id}"))


@bp.post("/receive/lines/<id:line_id>/add", endpoint="add_delivered_book")
def add_delivered_book(line_id: int) -> ResponseReturnValue:
    line = line_or_404(line_id)
    answer_kept = kept_lookup(line.isbn13)
    if answer_kept is None or answer_kept.book is None:
        return refused(
            "Open Library's facts about this book are no longer here: "
            "look it up again, or add it by hand."
        )
    try:
        book = deliveries.add_found_book(
            current_user.id,
            line_id,
            answer_kept.book,
            clock.store_today(),
            clock.current_time(),
            cover_storage(),
        )
    except deliveries.ReceivingProblem as problem:
        return refused(str(problem))
    copies = "1 copy" if line.copies == 1 else f"{line.copies} copies"
    flash(f"“{book.title}” is in the catalog, with {copies} in stock.", "success")
    return redirect_or_partial(url_for(".receive"), lambda: answer(ScanForm(formdata=None)))


@bp.post("/receive/lines/<id:line_id>/undo", endpoint="undo_delivered_copy")
def undo_delivered_copy(line_id: int) -> ResponseReturnValue:
    line = line_or_404(line_id)
    isbn_shown, book_id = line.isbn13, line.book_id
    try:
        left = deliveries.undo_one(current_user.id, line_id, clock.current_time())
    except stock.StockProblem as problem:
        return refused(f"Not undone: {problem}")
    taken_back = (
        f"“{db.session.get_one(Book, book_id).title}”"
        if book_id
        else f"ISBN {isbn.hyphenated(isbn_shown)}"
    )
    flash(f"One copy of {taken_back} taken back{'' if left else ': the line is gone'}.", "success")
    return redirect_or_partial(url_for(".receive"), lambda: answer(ScanForm(formdata=None)))


@bp.post("/receive/finish", endpoint="finish_delivery")
def finish_delivery() -> ResponseReturnValue:
    delivery = deliveries.finish(current_user.id, clock.current_time())
    if delivery is None:
        flash("There was no delivery to finish: scan a book to start one.", "info")
        return redirect(url_for(".receive"))
    return redirect(url_for(".delivery", delivery_id=delivery.id))


@bp.get("/receive/deliveries/<id:delivery_id>", endpoint="delivery")
def delivery_page(delivery_id: int) -> ResponseReturnValue:
    """A delivery's summary: what came in, what was added, what was left."""
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None:
        abort(404)
    lines = deliveries.lines_of(delivery)
    return render_template(
        "collective/delivery.html",
        delivery=delivery,
        lines=lines,
        summary=deliveries.summary(lines),
    )


# --- Shared by the routes above ---------------------------------------------------------------


def receiving_context(form: ScanForm) -> dict:
    delivery = deliveries.open_delivery(current_user.id)
    lines = deliveries.lines_of(delivery) if delivery else []
    return {
        "form": form,
        "delivery": delivery,
        "lines": with_lookups(lines),
        "summary": deliveries.summary(lines),
        "lookups_on": lookup_is_on(),
    }


def answer(form: ScanForm, status: int = 200) -> ResponseReturnValue:
    """The delivery as it is now: its page, or for htmx the scan form and the lines."""
    return page_or_partial(
        lambda: (render_template(PAGE, **receiving_context(form)), status),
        lambda: (render_template(PARTIAL, **receiving_context(form)), status),
    )


def refused(problem: str) -> ResponseReturnValue:
    """The delivery unchanged, with why (409: the line or the stock moved on)."""
    transaction.discard_changes()
    form = ScanForm(formdata=None)
    form.form_errors.append(problem)
    return answer(form, 409)


def line_or_404(line_id: int) -> DeliveryLine:
    """A line of the member's own open delivery."""
    try:
        return deliveries.member_line(current_user.id, line_id)
    except deliveries.LineGone:
        abort(404)


def drawn_line(line: DeliveryLine) -> deliveries.Line:
    delivery = db.session.get_one(Delivery, line.delivery_id)
    drawn = [item for item in deliveries.lines_of(delivery) if item.line.id == line.id]
    return with_lookups(drawn)[0]


def with_lookups(lines: list[deliveries.Line]) -> list[deliveries.Line]:
    """Unknown ISBNs' lines with Open Library's kept answers, read in one query (None: not
    asked yet)."""
    unknown = [item for item in lines if item.book is None]
    if unknown and lookup_is_on():
        kept = kept_lookups([item.line.isbn13 for item in unknown])
        for item in unknown:
            item.lookup = kept.get(item.line.isbn13)
    return lines


def said_of_scan(scanned: deliveries.Line) -> str:
    if scanned.book is None:
        return f"ISBN {scanned.line.isbn13}: not in the catalog yet. Check it and add it below."
    return f"“{scanned.book.title}”: +1, {scanned.book.stock:,} in stock now" + (
        f" ({scanned.line.copies} in this delivery)." if scanned.line.copies > 1 else "."
    )

"""The catalog desk, /collective/books: the list, adding and editing books, the ISBN check as
the member types, hiding and deleting."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from firestorm.catalog import books, covers, isbn, prices, shelves, stock
from firestorm.catalog.cover_storage import CoverNotStored
from firestorm.catalog.models import Book
from firestorm.collective import bp
from firestorm.collective.book_forms import BookForm
from firestorm.database import db
from firestorm.refusals import Refusal
from firestorm.search import queries
from firestorm.typed_text import whole_number
from firestorm.web import clock, transaction
from firestorm.web.cover_files import cover_storage
from firestorm.web.htmx import render_page_or_partial
from firestorm.web.templating import shop_money

FORM_PAGE = "collective/book_form.html"


@bp.get("/books", endpoint="books")
def books_page() -> ResponseReturnValue:
    """The catalog, hidden books included, each row with its stock controls (+1, −1), filtered
    by a shelf (or no shelf) and sorted by stock if asked: all kept in the address, so a change
    of stock without JavaScript comes back to the same list."""
    shelf_choices = shelves.all_shelves()
    query = queries.CatalogQuery.from_args(
        request.args,
        current_app.config["SEARCH_MAX_LENGTH"],
        shelf_slugs=[queries.NO_SHELF, *(shelf.slug for shelf in shelf_choices)],
        sorts=queries.DESK_SORTS,
    )
    results = queries.search_books(query, current_app.config["BOOKS_PER_PAGE"], include_hidden=True)
    return render_page_or_partial(
        "collective/books.html",
        "collective/_book_table_update.html",
        query=query,
        results=results,
        sorts=queries.DESK_SORTS,
        shelf_choices=shelf_choices,
        no_shelf=queries.NO_SHELF,
    )


@bp.get("/books/new", endpoint="new_book")
def new_book() -> ResponseReturnValue:
    return form_page(offer_shelves(BookForm(formdata=None)), None)


@bp.post("/books", endpoint="add_book")
def add_book() -> ResponseReturnValue:
    form = offer_shelves(BookForm())
    if not form.validate_on_submit():
        return form_page(form, None, 422)
    try:
        details = form.details(shop_money()).checked(clock.store_today())
        book = books.add_checked_book(details)
        if form.stock.data:
            stock.set_stock(
                book.id,
                form.stock.data,
                "Added to the catalog",
                current_user.id,
                clock.current_time(),
            )
        cover_left_out = change_cover(form, book)
    except (books.BookProblem, prices.PriceProblem, covers.CoverProblem) as problem:
        return refused(form, None, problem)
    said_saved(book, f"“{book.title}” is in the catalog.", cover_left_out)
    return redirect(url_for(".edit_book", book_id=book.id))


@bp.get("/books/<id:book_id>/edit", endpoint="edit_book")
def edit_book(book_id: int) -> ResponseReturnValue:
    book = book_or_404(book_id)
    form = BookForm(formdata=None, obj=book, **form_values(book))
    # The price the locale's way, as a member types it ("18,00" in de_DE), not as the book's
    # Decimal would put it.
    form.price.data = "" if book.price is None else shop_money().number(book.price)
    return form_page(offer_shelves(form), book)


@bp.post("/books/<id:book_id>", endpoint="save_book")
def save_book(book_id: int) -> ResponseReturnValue:
    book = book_or_404(book_id)
    form = offer_shelves(BookForm())
    if not form.validate_on_submit():
        return form_page(form, book, 422)
    try:
        details = form.details(shop_money()).checked(clock.store_today(), book_id=book.id)
        books.update_book(book, details)
        stock.set_stock(
            book.id,
            form.stock.data,
            "Corrected on the book's form",
            current_user.id,
            clock.current_time(),
        )
        cover_left_out = change_cover(form, book)
    except (
        books.BookProblem,
        prices.PriceProblem,
        stock.StockProblem,
        covers.CoverProblem,
    ) as problem:
        return refused(form, book, problem)
    said_saved(book, f"“{book.title}” is saved.", cover_left_out)
    return redirect(url_for(".edit_book", book_id=book.id))


@bp.get("/books/isbn-check", endpoint="check_isbn")
def check_isbn() -> ResponseReturnValue:
    """The ISBN field's verdict as the member leaves it (htmx). Without JavaScript the same
    check runs when the form is saved."""
    typed = request.args.get("isbn", "")[:40]
    book_id = request.args.get("book_id", type=whole_number)
    return render_template("collective/_isbn_check.html", **isbn_verdict(typed, book_id))


@bp.post("/books/<id:book_id>/visibility", endpoint="set_visibility")
def set_visibility(book_id: int) -> ResponseReturnValue:
    """Hide a book from the public (hidden=1), or show it again (hidden=0)."""
    book = book_or_404(book_id)
    hidden = request.form.get("hidden") == "1"
    books.set_hidden(book, hidden)
    if hidden:
        flash(f"“{book.title}” is hidden: the public no longer sees it.", "success")
    else:
        flash(f"“{book.title}” is shown to the public again.", "success")
    return redirect(url_for(".edit_book", book_id=book.id))


@bp.get("/books/<id:book_id>/delete", endpoint="confirm_delete_book")
def confirm_delete_book(book_id: int) -> ResponseReturnValue:
    book = book_or_404(book_id)
    return render_template(
        "collective/delete_book.html", book=book, problem=books.deletion_problem(book)
    )


@bp.post("/books/<id:book_id>/delete", endpoint="delete_book")
def delete_book(book_id: int) -> ResponseReturnValue:
    book = book_or_404(book_id)
    title = book.title
    try:
        # Its cover files go once the deletion is committed (kept if it is refused).
        covers.remove_cover(book, cover_storage())
        books.delete_book(book)
    except books.DeletionRefused as problem:
        return render_template("collective/delete_book.html", book=book, problem=problem), 409
    flash(f"“{title}” is deleted from the catalog.", "success")
    return redirect(url_for(".books"))


# --- Shared by the pages above ------------------------------------------------------------


def book_or_404(book_id: int) -> Book:
    statement = select(Book).where(Book.id == book_id).options(selectinload(Book.shelves))
    book = db.session.scalar(books.with_authors(statement))
    if book is None:
        abort(404)
    return book


def form_values(book: Book) -> dict:
    """What the form shows for a book, where it differs from the book's own attributes."""
    return {
        "authors": "\n".join(book.author_names),
        "isbn": isbn.hyphenated(book.isbn13) if book.isbn13 else "",
        "shelves": [shelf.id for shelf in book.shelves],
    }


def offer_shelves(form: BookForm) -> BookForm:
    form.shelves.choices = [(shelf.id, shelf.name) for shelf in shelves.all_shelves()]
    return form


def form_page(form: BookForm, book: Book | None, status: int = 200) -> ResponseReturnValue:
    return render_template(FORM_PAGE, **form_context(form, book)), status


def form_context(form: BookForm, book: Book | None) -> dict:
    return {
        "form": form,
        "book": book,
        "formats": books.format_suggestions(),
        "price_example": shop_money().example(),
    }


def refused(form: BookForm, book: Book | None, problem: Refusal) -> ResponseReturnValue:
    """The form again, as typed, with the message next to the field it is about."""
    transaction.discard_changes()
    # The stock's rules name the stock controls' count; this form has one stock field.
    form.show_refusal(problem, "stock" if isinstance(problem, stock.StockProblem) else None)
    taken = problem if isinstance(problem, books.IsbnTaken) else None
    context = form_context(form, book and book_or_404(book.id))
    return render_template(FORM_PAGE, isbn_taken=taken, **context), 422


def change_cover(form: BookForm, book: Book) -> CoverNotStored | None:
    """A chosen file becomes the cover (replacing any); otherwise the box removes it. A file
    refused is a CoverProblem (the whole form is refused); a file the storage could not keep
    (a full disk) is answered, not raised: the book's other changes are saved without it."""
    upload = form.cover_upload()
    if upload is not None:
        try:
            covers.store_cover(book, upload, cover_storage())
        except CoverNotStored as failure:
            return failure
    elif form.remove_cover.data:
        covers.remove_cover(book, cover_storage())
    return None


def said_saved(book: Book, saved: str, cover_left_out: CoverNotStored | None) -> None:
    """The saved book's message; when its cover was left out, why, and what to do."""
    if cover_left_out is None:
        flash(saved, "success")
    else:
        flash(
            f"“{book.title}” is saved, but its cover could not be stored: {cover_left_out}. "
            "Try the cover again later.",
            "error",
        )


def isbn_verdict(typed: str, book_id: int | None) -> dict:
    """What the ISBN check says: the ISBN-13 hyphenated, or why it is refused."""
    try:
        isbn13 = books.checked_isbn(typed, book_id)
    except books.IsbnTaken as taken:
        return {"typed": typed, "problem": str(taken), "taken": taken}
    except books.BookProblem as problem:
        return {"typed": typed, "problem": str(problem)}
    return {"typed": typed, "hyphenated": isbn.hyphenated(isbn13) if isbn13 else ""}

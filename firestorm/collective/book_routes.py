"""The catalog desk, /collective/books: the list, adding and editing books, the ISBN check as
the member types, looking a new book up by its ISBN, hiding and deleting."""

from datetime import timedelta

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from firestorm.book_lookup import lookups
from firestorm.book_lookup.open_library import FoundBook, Source
from firestorm.catalog import books, covers, isbn, prices, shelves, stock
from firestorm.catalog.cover_storage import CoverNotStored
from firestorm.catalog.models import Book
from firestorm.collective import bp
from firestorm.collective.book_forms import BookForm
from firestorm.database import db
from firestorm.refusals import Refusal
from firestorm.search import queries
from firestorm.sharing import cards
from firestorm.typed_text import whole_number
from firestorm.web import clock, transaction
from firestorm.web.cover_files import cover_storage
from firestorm.web.htmx import page_or_partial, render_page_or_partial
from firestorm.web.site_address import absolute_url
from firestorm.web.sqlite import reads_only
from firestorm.web.templating import shop_money

FORM_PAGE = "collective/book_form.html"
# The form alone, as htmx swaps it after "Look it up".
FORM_PARTIAL = "collective/_book_form.html"


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
    """The empty form; from a delivery (?isbn=…&stock=…), with that ISBN and its copies, and
    Open Library's facts if they are kept (nothing is asked here)."""
    form = offer_shelves(BookForm(formdata=None))
    form.isbn.data = request.args.get("isbn", "")[:40]
    form.stock.data = request.args.get("stock", type=whole_number) or 0
    answer = kept_lookup_of_typed(form.isbn.data)
    if answer is None or answer.book is None:
        return form_page(form, None)
    filled = fill_empty_fields(form, answer.book)
    form.use_found_cover.data = answer.has_cover
    return form_page(form, None, lookup=answer, filled=filled)


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


@bp.post("/books/new/look-up", endpoint="look_up_book")
@reads_only
def look_up_book() -> ResponseReturnValue:
    """The add-book form again, as typed, with what Open Library knows of its ISBN in the
    fields left empty, for the member to check: nothing is saved until they add the book.
    Its own request (the "Look it up" button, the form's first: a scanner's Enter presses
    it), so the form never waits on Open Library; it holds no write lock while it asks."""
    form = offer_shelves(BookForm())
    if not lookup_is_on():
        abort(404)
    try:
        isbn13 = books.checked_isbn(form.isbn.data or "")
        if not isbn13:
            raise books.BookProblem("Type or scan the book's ISBN first.", "isbn")
    except books.BookProblem as problem:
        # Beside the field, in the page's error summary; a taken ISBN links to its book.
        form.show_refusal(problem)
        taken = problem if isinstance(problem, books.IsbnTaken) else None
        return looked_up_form(form, 422, isbn_taken=taken)
    answer = look_up(isbn13)
    filled = fill_empty_fields(form, answer.book) if answer.book else []
    form.use_found_cover.data = answer.has_cover
    return looked_up_form(
        form,
        lookup=answer,
        filled=filled,
        # Kept in a transaction of its own, after this request's began (SQLite's reads see
        # the database as it was then): the answer says it.
        found_cover_isbn=isbn13 if answer.has_cover else None,
    )


def looked_up_form(form: BookForm, status: int = 200, **context: object) -> ResponseReturnValue:
    """The add form after a lookup: its page, or for htmx the form alone, swapped in place."""
    return page_or_partial(
        lambda: form_page(form, None, status, **context),
        lambda: (
            render_template(FORM_PARTIAL, **{**form_context(form, None), **context}, in_place=True),
            status,
        ),
    )


@bp.get("/books/found-covers/<isbn13>.webp", endpoint="found_cover")
def found_cover(isbn13: str) -> ResponseReturnValue:
    """The thumbnail of the cover Open Library has for an ISBN, shown for checking before the
    member chooses it."""
    thumbnail = lookups.cover_thumbnail(isbn13) if isbn13.isdigit() else None
    if thumbnail is None:
        abort(404)
    return Response(thumbnail, mimetype="image/webp")


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
    # Its share card too (drawn again should the deletion not be committed).
    cover_storage().delete([cards.stored_name(book_id)])
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


def form_page(
    form: BookForm, book: Book | None, status: int = 200, **context: object
) -> ResponseReturnValue:
    return render_template(FORM_PAGE, **{**form_context(form, book), **context}), status


def form_context(form: BookForm, book: Book | None) -> dict:
    return {
        "form": form,
        "book": book,
        "formats": books.format_suggestions(),
        "price_example": shop_money().example(),
        "can_look_up": book is None and lookup_is_on(),
        "found_cover_isbn": None if book else found_cover_isbn(form),
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
    if upload is None and form.use_found_cover.data and book.isbn13:
        upload = lookups.found_cover(book.isbn13)
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
    return {
        "typed": typed,
        "hyphenated": isbn.hyphenated(isbn13) if isbn13 else "",
        # A new book's ISBN on the add form: the next step is the lookup.
        "can_look_up": book_id is None and lookup_is_on(),
    }


# --- Looking a book up by its ISBN ------------------------------------------------------------


def lookup_is_on() -> bool:
    return bool(current_app.config["BOOK_LOOKUP_URL"])


def lookup_source() -> Source:
    config = current_app.config
    return Source(
        book_url=config["BOOK_LOOKUP_URL"].rstrip("/"),
        cover_url=config["COVER_LOOKUP_URL"].rstrip("/"),
        timeout=float(config["BOOK_LOOKUP_TIMEOUT"]),
        # Open Library asks callers to name themselves and a way to reach them.
        user_agent=f"Firestorm catalog ({config['STORE_NAME']}; {absolute_url('public.home')})",
    )


def look_up(isbn13: str) -> lookups.Answer:
    """Open Library's answer, kept or asked for now."""
    return lookups.looked_up(isbn13, lookup_source(), clock.current_time(), lookup_kept())


def kept_lookup(isbn13: str) -> lookups.Answer | None:
    """Open Library's answer if one is kept; nothing is asked."""
    return kept_lookups([isbn13]).get(isbn13)


def kept_lookups(isbns: list[str]) -> dict[str, lookups.Answer]:
    """Open Library's kept answers about these ISBNs, by ISBN; nothing is asked."""
    return lookups.kept_answers(isbns, clock.current_time(), lookup_kept())


def kept_lookup_of_typed(typed: str) -> lookups.Answer | None:
    """The kept answer for an ISBN as typed, if it is one and lookups are on."""
    if not (typed and lookup_is_on()):
        return None
    try:
        isbn13 = books.checked_isbn(typed)
    except books.BookProblem:
        return None
    return kept_lookup(isbn13) if isbn13 else None


def lookup_kept() -> timedelta:
    return timedelta(days=current_app.config["BOOK_LOOKUP_KEPT_DAYS"])


def fill_empty_fields(form: BookForm, found: FoundBook) -> list[str]:
    """Open Library's facts in the fields the member left empty (what they typed stays): what
    was filled, in words ("subtitle", "release date")."""
    filled = []
    for form_field, value, named in (
        (form.title, found.title, "title"),
        (form.subtitle, found.subtitle, "subtitle"),
        (form.authors, "\n".join(found.authors), "authors"),
        (form.publisher, found.publisher, "publisher"),
        (form.release_date, found.release_date, "release date"),
        (form.page_count, found.page_count, "number of pages"),
        (form.description, found.description, "description"),
    ):
        if value and not form_field.data:
            form_field.data = value
            # Drawn from the data, not from the empty string the browser sent.
            form_field.raw_data = None
            filled.append(named)
    return filled


def found_cover_isbn(form: BookForm) -> str | None:
    """The ISBN-13 whose looked-up cover the add form offers: while the member keeps it ticked
    after a lookup, through any refusal of the form."""
    if not (form.use_found_cover.data and lookup_is_on()):
        return None
    try:
        isbn13 = books.checked_isbn(form.isbn.data or "")
    except books.BookProblem:
        return None
    return isbn13 if isbn13 and lookups.cover_thumbnail(isbn13) else None

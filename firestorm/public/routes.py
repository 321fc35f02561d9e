"""The public pages: home, catalog, book pages and opening hours."""

from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import text

from firestorm import catalog, hours
from firestorm.extensions import db
from firestorm.htmx import render_page_or_partial
from firestorm.store import current_schedule, store_today

bp = Blueprint("public", __name__)

HOME_LIST_LENGTH = 8


@bp.get("/")
def home():
    return render_template(
        "public/home.html",
        new_arrivals=catalog.newest_books(HOME_LIST_LENGTH),
        recently_reviewed=catalog.recently_reviewed_books(HOME_LIST_LENGTH),
        week=hours.week_table(current_schedule(), store_today()),
    )


@bp.get("/books")
def catalog_page():
    query = catalog.CatalogQuery.from_args(request.args, current_app.config["SEARCH_MAX_LENGTH"])
    results = catalog.search_books(query, current_app.config["BOOKS_PER_PAGE"])
    return render_page_or_partial(
        "public/catalog.html",
        "public/_catalog_results.html",
        query=query,
        results=results,
        sorts=catalog.SORTS,
    )


@bp.get("/books/<int(max=2147483647):book_id>")
def book_page(book_id: int):
    found = catalog.book_with_reviews(book_id)
    if found is None:
        abort(404)
    book, reviews = found
    return render_template("public/book.html", book=book, reviews=reviews)


@bp.get("/hours")
def hours_page():
    schedule = current_schedule()
    today = store_today()
    return render_template(
        "public/hours.html",
        week=hours.week_table(schedule, today),
        closures=hours.upcoming_closures(schedule, today),
    )


@bp.get("/healthz")
def health_check():
    """For the process supervisor: answers 200 only while the database does."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}

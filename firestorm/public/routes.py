"""The public pages: home, catalog, book pages, reviews, the review feed and opening hours."""

from typing import Any

from flask import abort, current_app, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text

from firestorm.catalog import shelves
from firestorm.database import db
from firestorm.events import dates, listings
from firestorm.holds import availability
from firestorm.pagination import page_number
from firestorm.public import bp
from firestorm.public.summaries import book_summary
from firestorm.reviews import published, workflow
from firestorm.search import queries
from firestorm.shop import hours
from firestorm.web import clock, last_change
from firestorm.web.caching import public_page
from firestorm.web.htmx import render_page_or_partial

HOME_LIST_LENGTH = 8
# The home page's "Coming up": the next few events.
COMING_UP_LENGTH = 3
# A book's page lists at most this many of the coming dates it is read or talked about at.
BOOK_EVENTS_SHOWN = 5
# Entries in each Atom feed: the reviews and the new arrivals.
FEED_LENGTH = 30


@bp.get("/")
@public_page
def home() -> ResponseReturnValue:
    recently_reviewed = published.recently_reviewed(HOME_LIST_LENGTH)
    # Books already shown with their review are not repeated as new arrivals.
    new_arrivals = queries.newest_books(
        HOME_LIST_LENGTH, leaving_out=[shown.book.id for shown in recently_reviewed]
    )
    return render_template(
        "public/home.html",
        recently_reviewed=recently_reviewed,
        new_arrivals=new_arrivals,
        copies_by_book=availability.availability_by_book(
            [*new_arrivals, *(shown.book for shown in recently_reviewed)]
        ),
        shelves=shelves.all_shelves(),
        week=clock.current_week(),
        coming_up=listings.next_events(
            clock.current_time(), COMING_UP_LENGTH, clock.store_timezone()
        ),
    )


@bp.get("/books")
@public_page
def catalog_page() -> ResponseReturnValue:
    # The shelf filter's choices: a shelf that is not one of them filters nothing.
    by_slug = {shelf.slug: shelf for shelf in shelves.all_shelves()}
    query = queries.CatalogQuery.from_args(
        request.args, current_app.config["SEARCH_MAX_LENGTH"], shelf_slugs=by_slug
    )
    return books_found(
        "public/catalog.html",
        "public/_catalog_update.html",
        query,
        queries.SEARCH_SORTS,
        shelf_choices=list(by_slug.values()),
        shelf=by_slug.get(query.shelf),
    )


def books_found(
    page: str, partial: str, query: queries.CatalogQuery, sorts: dict[str, str], **context: Any
) -> ResponseReturnValue:
    """A page of the books a query finds, each with its copies free to hold: the whole page,
    or for htmx (searching as you type, another page or sort) the results that change."""
    results = queries.search_books(
        query, current_app.config["BOOKS_PER_PAGE"], kept_as_of=last_change.token()
    )
    return render_page_or_partial(
        page,
        partial,
        query=query,
        results=results,
        copies_by_book=availability.availability_by_book(results.items),
        sorts=sorts,
        **context,
    )


@bp.get("/books/<id:book_id>")
@public_page
def book_page(book_id: int) -> ResponseReturnValue:
    found = published.book_with_reviews(
        book_id, include_hidden=current_user.is_authenticated and current_user.is_collective
    )
    if found is None:
        abort(404)
    book, book_reviews = found
    # One query for a signed-in reader, whatever the number of reviews: theirs, if any.
    my_review_id = (
        workflow.review_id_of(current_user.id, book.id) if current_user.is_authenticated else None
    )
    return render_template(
        "public/book.html",
        book=book,
        reviews=book_reviews,
        # Its description and its shared link's: the reviews' Markdown read once for both.
        summary=book_summary(book, book_reviews),
        my_review_id=my_review_id,
        copies=availability.availability_of(book),
        coming_events=dates.occasions_between(
            clock.current_time(), clock.store_timezone(), book_id=book.id, most=BOOK_EVENTS_SHOWN
        ),
    )


@bp.get("/reviews")
@public_page
def reviews_page() -> ResponseReturnValue:
    results = published.latest_reviews(
        page_number(request.args.get("page")),
        current_app.config["REVIEWS_PER_PAGE"],
        kept_as_of=last_change.token(),
    )
    return render_template(
        "public/reviews.html",
        results=results,
        copies_by_book=availability.availability_by_book(review.book for review in results.items),
    )


@bp.get("/reviewers/<id:reviewer_id>")
@public_page
def reviewer_page(reviewer_id: int) -> ResponseReturnValue:
    found = published.reviewer_with_reviews(
        reviewer_id,
        page_number(request.args.get("page")),
        current_app.config["REVIEWS_PER_PAGE"],
        kept_as_of=last_change.token(),
    )
    if found is None:
        abort(404)
    reviewer, results = found
    return render_template(
        "public/reviewer.html",
        reviewer=reviewer,
        results=results,
        copies_by_book=availability.availability_by_book(review.book for review in results.items),
    )


@bp.get("/feed.atom")
@public_page
def review_feed() -> ResponseReturnValue:
    reviews = published.feed_reviews(FEED_LENGTH)
    updated = published.feed_updated(reviews, default=clock.current_time())
    response = make_response(
        render_template("public/feed.atom.xml", reviews=reviews, updated=updated)
    )
    response.mimetype = "application/atom+xml"
    return response


@bp.get("/hours")
@public_page
def hours_page() -> ResponseReturnValue:
    schedule = clock.current_schedule()
    today = clock.store_today()
    return render_template(
        "public/hours.html",
        week=clock.current_week(),
        special_hours=hours.upcoming_special_hours(schedule, today),
    )


@bp.get("/healthz")
def health_check() -> ResponseReturnValue:
    """For the process supervisor: answers 200 only while the database does."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}

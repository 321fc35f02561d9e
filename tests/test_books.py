"""The book rules (firestorm/catalog/books.py): checked details, authors reused ignoring case
and accents, ISBNs, hiding, and deleting only what has no reviews."""

from datetime import date, timedelta

import pytest
from hold_helpers import place_hold
from review_helpers import NOW
from shelf_helpers import add_shelves
from sqlalchemy.orm import selectinload

from firestorm.catalog import books
from firestorm.catalog.books import BookDetails, BookProblem, IsbnTaken
from firestorm.catalog.models import Author, Book
from firestorm.database import db

TODAY = NOW.date()


def checked(**fields) -> BookDetails:
    return BookDetails(**{"title": "Dispersing Power", **fields}).checked(TODAY)


def test_details_are_tidied_and_an_isbn_10_becomes_13(in_app):
    with in_app():
        details = checked(
            title="  Dispersing   Power ",
            authors=("Raúl Zibechi", "  ", "Ramor Ryan"),
            isbn="ISBN 1-84935-011-6",
            description="Line one\r\nLine two",
        )

    assert details.title == "Dispersing Power"
    assert details.authors == ("Raúl Zibechi", "Ramor Ryan")
    assert details.isbn == "9781849350112"
    assert details.description == "Line one\nLine two"


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": "   "}, "title", "Give the book's title"),
        ({"title": "x" * 301}, "title", "under 300"),
        ({"authors": ("y" * 201,)}, "authors", "under 200"),
        ({"isbn": "978-1-84935-011-3"}, "isbn", "last digit doesn't match"),
        ({"isbn": "12345"}, "isbn", "10 or 13 digits"),
        ({"release_date": TODAY + timedelta(days=400)}, "release_date", "more than a year away"),
        ({"description": "z" * 20_001}, "description", "under 20,000"),
    ],
)
def test_each_bad_detail_is_refused_with_its_field(fields, field, words):
    with pytest.raises(BookProblem) as refused:
        checked(**fields)

    assert refused.value.field == field
    assert words in str(refused.value)


def test_a_release_date_within_the_year_is_fine():
    assert checked(release_date=TODAY + timedelta(days=200)).release_date


def test_an_isbn_in_the_catalog_is_refused_with_the_book_that_has_it(in_app, make_book):
    existing = make_book(title="Dispersing Power", isbn13="9781849350112")

    with in_app(), pytest.raises(IsbnTaken) as taken:
        checked(title="Twin", isbn="1849350116")

    assert (taken.value.book_id, taken.value.title) == (existing.id, "Dispersing Power")


def test_a_book_keeps_its_own_isbn_when_edited(in_app, make_book):
    existing = make_book(isbn13="9781849350112")

    with in_app():
        details = BookDetails(title="Same", isbn="9781849350112").checked(TODAY, existing.id)

    assert details.isbn == "9781849350112"


def test_an_author_in_the_catalog_is_reused_ignoring_case_and_accents(in_app, make_book):
    make_book(title="First", authors=["Raúl Zibechi"])

    with in_app():
        book = books.add_checked_book(checked(title="Second", authors=("raul ZIBECHI",)))
        credited = book.author_names
        db.session.commit()
        names = [author.name for author in db.session.scalars(db.select(Author))]

    assert names == ["Raúl Zibechi"]
    assert credited == ["Raúl Zibechi"]


def test_a_new_book_goes_on_the_shelves_chosen_for_it(app, in_app):
    ids = add_shelves(app, "Latin America", "Anarchism")

    with in_app():
        book_id = books.add_checked_book(checked(shelf_ids=tuple(ids.values()))).id
        db.session.commit()
        db.session.expunge_all()
        shelved = db.session.get(Book, book_id, options=[selectinload(Book.shelves)])

        assert [shelf.name for shelf in shelved.shelves] == ["Anarchism", "Latin America"]


def test_a_book_with_reviews_is_never_deleted(in_app, make_book, make_user, publish_review):
    book = make_book()
    publish_review(book, make_user())

    with in_app():
        stored = db.session.get(Book, book.id)
        with pytest.raises(BookProblem, match="has 1 review"):
            books.delete_book(stored)


def test_a_book_with_reviews_and_open_holds_is_kept_for_its_reviews(
    app, in_app, make_book, make_user, publish_review
):
    # Reviews and holds answer the catalog's question from their own packages, in no set
    # order: the lasting reason is the one said (hiding, not the holds desk, is the way on).
    book = make_book("Dispersing Power", stock=2)
    publish_review(book, make_user())
    place_hold(app, book, NOW)

    with in_app():
        problem = books.deletion_problem(db.session.get(Book, book.id))

    assert str(problem).startswith("“Dispersing Power” has 1 review, so it stays")
    assert problem.open_holds == 0


def test_a_book_without_reviews_can_be_deleted(in_app, make_book):
    book = make_book()

    with in_app():
        books.delete_book(db.session.get(Book, book.id))
        db.session.commit()

        assert db.session.get(Book, book.id) is None


def test_dates_far_in_the_past_are_fine():
    assert checked(release_date=date(1850, 1, 1)).release_date == date(1850, 1, 1)

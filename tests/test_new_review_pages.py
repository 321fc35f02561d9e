"""Starting a review under /my/reviews/new: finding and choosing the book, with and without
JavaScript, and the book's page offering to write or edit a review."""

from datetime import UTC, datetime, timedelta

import pytest
from review_helpers import HTMX, page_text
from sqlalchemy import select

from firestorm.database import db
from firestorm.reviews.models import Review, ReviewState

# --- Choosing the book ---------------------------------------------------------------------


@pytest.fixture
def shelves(make_book):
    return {
        "dispersing": make_book(
            "Dispersing Power", authors=["Raúl Zibechi"], publisher="AK Press", stock=2
        ),
        "emergent": make_book("Emergent Strategy", authors=["adrienne maree brown"]),
    }


def test_the_new_review_page_starts_with_a_search_and_a_hint(client, login_as):
    login_as()

    page = page_text(client.get("/my/reviews/new"))

    assert '<label for="book-q">Find the book by title, author or ISBN</label>' in page
    assert 'hx-get="/my/books/choices"' in page
    assert 'hx-trigger="submit, input changed delay:300ms"' in page
    assert 'action="/my/reviews/new" method="get"' in page
    assert "Type a title, author or ISBN above" in page


def test_searching_without_javascript_lists_the_books_as_labelled_choices(
    client, login_as, shelves
):
    login_as()
    book = shelves["dispersing"]

    page = page_text(client.get("/my/reviews/new?q=raul"))

    assert "<legend>Choose the book</legend>" in page
    assert (
        f'<input type="radio" id="book-choice-{book.id}" name="book_id" value="{book.id}">' in page
    )
    assert f'<label for="book-choice-{book.id}">' in page
    assert "Dispersing Power</span> by Raúl Zibechi" in page
    assert "Emergent Strategy" not in page
    assert '<input type="hidden" name="q" value="raul">' in page


def test_the_choices_endpoint_answers_htmx_with_the_choices_alone(client, login_as, shelves):
    login_as()

    response = client.get(
        "/my/books/choices?q=strategy", headers={"HX-Request": "true", "HX-Request-Type": "partial"}
    )

    assert "<html" not in page_text(response)
    assert "Emergent Strategy" in page_text(response)
    assert "HX-Request-Type" in response.vary


def test_htmx_gets_the_count_of_choices_out_of_band_into_the_pages_live_region(
    client, login_as, shelves
):
    login_as()
    page = page_text(client.get("/my/reviews/new"))
    assert page.count('id="book-choice-count"') == 1
    assert 'id="book-choice-count" class="result-count" role="status">' in page

    answer = page_text(client.get("/my/books/choices?q=strategy", headers=HTMX))

    count = answer.split('id="book-choice-count"')[1].split("</p>")[0]
    assert 'hx-swap-oob="innerHTML"' in count and "1 book matches “strategy”." in count


def test_nothing_found_says_so(client, login_as, shelves):
    login_as()

    page = page_text(
        client.get(
            "/my/books/choices?q=zzz", headers={"HX-Request": "true", "HX-Request-Type": "partial"}
        )
    )

    assert "No books match “zzz”" in page


def test_a_books_page_link_comes_with_the_book_already_chosen(client, login_as, shelves):
    login_as()
    book = shelves["emergent"]

    page = page_text(client.get(f"/my/reviews/new?book_id={book.id}"))

    assert f'value="{book.id}" checked>' in page
    assert "The book you chose." in page


def test_a_book_i_already_review_is_marked_in_the_choices(client, login_as, shelves, review_of):
    author = login_as()
    review_of(author, book=shelves["dispersing"])

    page = page_text(client.get("/my/reviews/new?q=power"))

    assert "you have a review of this one: choosing it opens yours" in page


def test_choosing_a_book_starts_a_draft_and_opens_it(client, app, login_as, shelves, post):
    author = login_as()
    book = shelves["dispersing"]

    response = post("/my/reviews", {"book_id": book.id})

    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.reviewer_id == author.id))
        assert (review.book_id, review.state, review.body) == (book.id, ReviewState.DRAFT, "")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/my/reviews/{review.id}/edit"
    assert "Your review of “Dispersing Power” is started" in page_text(
        client.get(response.headers["Location"])
    )


def test_a_draft_may_start_with_some_text(client, app, login_as, shelves, post):
    author = login_as()

    post("/my/reviews", {"book_id": shelves["emergent"].id, "body": "First *thoughts*."})

    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.reviewer_id == author.id))
        assert review.body == "First *thoughts*."


def test_choosing_a_book_i_already_review_opens_my_review_instead(
    client, app, login_as, shelves, review_of, post
):
    author = login_as()
    review_id = review_of(author, book=shelves["dispersing"])

    response = post("/my/reviews", {"book_id": shelves["dispersing"].id})

    assert response.headers["Location"] == f"/my/reviews/{review_id}/edit"
    assert "You already have a review of “Dispersing Power”: here it is." in page_text(
        client.get(response.headers["Location"])
    )
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Review.id))) == 1


@pytest.mark.parametrize(
    ("book_id", "message"),
    [
        ("", "Choose the book you want to review."),
        ("abc", "Choose the book you want to review."),
        ("999999", "We couldn&#39;t find that book. Search for it again."),
        (str(2**40), "We couldn&#39;t find that book. Search for it again."),
        # Below every id, and below what PostgreSQL's integer holds (the fuzzer found it).
        (str(-(2**40)), "We couldn&#39;t find that book. Search for it again."),
        ("0", "Choose the book you want to review."),
    ],
)
def test_starting_without_a_real_book_comes_back_with_the_search_kept(
    client, login_as, shelves, post, book_id, message
):
    login_as()

    response = post("/my/reviews", {"book_id": book_id, "q": "power"})

    page = page_text(response)
    assert response.status_code == 422
    assert message in page
    assert 'value="power"' in page and "Dispersing Power" in page


# --- The book's page -----------------------------------------------------------------------


def test_a_signed_in_reader_is_offered_to_write_a_review_of_the_book(client, login_as, make_book):
    book = make_book()
    assert "Write a review" not in page_text(client.get(f"/books/{book.id}"))
    login_as()

    page = page_text(client.get(f"/books/{book.id}"))

    assert f'href="/my/reviews/new?book_id={book.id}">Write a review</a>' in page


def test_someone_with_a_review_of_the_book_is_offered_to_edit_it(
    client, login_as, make_book, review_of
):
    book = make_book()
    review_id = review_of(login_as(), book=book)

    page = page_text(client.get(f"/books/{book.id}"))

    assert f'href="/my/reviews/{review_id}/edit">Edit your review</a>' in page
    assert "Write a review" not in page


def test_the_book_page_makes_the_same_queries_for_a_signed_in_reader_however_many_reviews(
    client, login_as, make_book, make_user, publish_review, count_queries
):
    book = make_book(authors=["One", "Two"])
    publish_review(book, login_as())
    with count_queries() as with_one:
        assert client.get(f"/books/{book.id}").status_code == 200
    for _ in range(4):
        publish_review(book, make_user(), published_at=datetime.now(UTC) - timedelta(days=1))

    with count_queries() as with_many:
        assert client.get(f"/books/{book.id}").status_code == 200
    assert len(with_many) == len(with_one)

"""Published reviews where the public reads them: /reviews, reviewer pages and the Atom feed."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from review_helpers import not_found_page, page_text

from firestorm.database import db
from firestorm.reviews.models import Review, ReviewState

START = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def reviewed_shelf(make_book, make_user, publish_review):
    """Robin reviewed three books, a day apart; Jess one."""
    robin = make_user(display_name="Robin Alvarez", email="robin@example.org")
    jess = make_user(display_name="Jess Whitfield")
    books = [make_book(f"Book {n}", authors=[f"Author {n}"]) for n in range(3)]
    for n, book in enumerate(books):
        publish_review(
            book, robin, body=f"Robin on *book {n}*.", published_at=START + timedelta(days=n)
        )
    publish_review(books[0], jess, body="Jess agrees.", published_at=START + timedelta(days=5))
    return {"robin": robin, "jess": jess, "books": books}


def test_reviews_page_lists_published_reviews_newest_first(client, reviewed_shelf):
    text = page_text(client.get("/reviews"))

    # Excerpts, as plain words: the whole review is on the book's page.
    assert text.index("Jess agrees.") < text.index("Robin on book 2.")
    assert text.index("Robin on book 2.") < text.index("Robin on book 0.")
    assert "Reviewed by" in text and "Author 1" in text


def test_reviews_page_is_paginated(client, app, monkeypatch, reviewed_shelf):
    monkeypatch.setitem(app.config, "REVIEWS_PER_PAGE", 3)

    first = page_text(client.get("/reviews"))
    second = page_text(client.get("/reviews?page=2"))

    assert "Page 1 of 2" in first and "Robin on book 0." not in first
    assert "Robin on book 0." in second


def test_reviews_page_without_reviews_says_so(client):
    assert "No reviews yet" in page_text(client.get("/reviews"))


def test_unpublished_reviews_stay_off_the_public_pages(client, make_user, review_of):
    author = make_user(display_name="Quiet Person")
    review_of(author, ReviewState.SUBMITTED, body="Waiting for approval")

    assert "Waiting for approval" not in page_text(client.get("/reviews"))
    assert client.get(f"/reviewers/{author.id}").status_code == 404
    assert "Waiting for approval" not in page_text(client.get("/feed.atom"))


def test_a_reviewers_page_shows_their_name_and_reviews_but_never_their_email(
    client, reviewed_shelf
):
    robin = reviewed_shelf["robin"]

    response = client.get(f"/reviewers/{robin.id}")

    text = page_text(response)
    assert response.status_code == 200
    assert "Reviews by Robin Alvarez" in text
    assert "3 reviews" in text
    assert "Jess agrees." not in text
    assert "robin@example.org" not in text


def test_review_bylines_link_to_the_reviewers_page(client, reviewed_shelf):
    robin = reviewed_shelf["robin"]

    assert f'href="/reviewers/{robin.id}">Robin Alvarez</a>' in page_text(client.get("/reviews"))


@pytest.mark.parametrize(
    "path", ["/reviewers/999999", "/reviewers/abc", "/reviewers/99999999999999"]
)
def test_unknown_reviewers_get_a_404(client, path):
    not_found_page(client.get(path))


@pytest.mark.parametrize("query", ["page=-1", "page=x", "page=999"])
def test_odd_page_numbers_still_give_a_page(client, reviewed_shelf, query):
    text = page_text(client.get(f"/reviews?{query}"), status=200)

    assert "Jess agrees." in text and "Robin on book 0." in text


def test_the_feed_is_valid_atom_with_the_sanitized_reviews(
    client, make_book, make_user, publish_review
):
    book = make_book("Mutual Aid & You")
    author = make_user(display_name="Sam <Okafor>")
    publish_review(
        book,
        author,
        body="Good.<script>alert(1)</script> [x](javascript:alert(1))",
        published_at=START,
    )

    response = client.get("/feed.atom")
    feed = feedparser.parse(response.get_data())

    assert response.mimetype == "application/atom+xml"
    assert feed.version == "atom10" and not feed.bozo
    entry = feed.entries[0]
    assert entry.title == "Mutual Aid & You, reviewed by Sam <Okafor>"
    assert entry.author == "Sam <Okafor>"
    assert entry.link.endswith(f"/books/{book.id}#review-{entry.id.rsplit('-', 1)[1]}")
    assert entry.updated_parsed[:3] == (2026, 5, 1)
    assert "<p>Good." in entry.content[0].value
    assert "<script" not in entry.content[0].value
    assert 'href="javascript' not in entry.content[0].value


def test_the_feed_is_valid_when_nothing_is_published(client):
    feed = feedparser.parse(client.get("/feed.atom").get_data())

    assert feed.version == "atom10" and not feed.bozo
    assert feed.entries == []


def test_listing_pages_make_the_same_queries_however_many_reviews(
    client, make_book, make_user, publish_review, count_queries
):
    robin = make_user()
    publish_review(make_book(authors=["A", "B"]), robin)

    def queries(path):
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    before = {path: queries(path) for path in ["/reviews", f"/reviewers/{robin.id}", "/feed.atom"]}
    for n in range(6):
        publish_review(make_book(f"B{n}", authors=[f"X{n}", f"Y{n}"]), robin)

    assert {path: queries(path) for path in before} == before


def test_text_pasted_with_control_characters_cannot_break_the_feed(
    client, make_book, make_user, publish_review
):
    # Kept before text was cleaned on the way in: a vertical tab from a word processor.
    publish_review(
        make_book("Kindred\x0b"), make_user(display_name="Theo\x01"), body="Line\x0bbreak."
    )

    feed = feedparser.parse(client.get("/feed.atom").get_data())

    assert not feed.bozo
    assert feed.entries[0].title == "Kindred, reviewed by Theo"


def test_a_revised_review_keeps_its_date_and_says_when_it_was_revised(
    client, app, in_app, make_book, make_user, publish_review
):
    book = make_book()
    review = publish_review(book, make_user(), body="Second thoughts.", published_at=START)
    with in_app():
        db.session.get(Review, review.id).revised_at = START + timedelta(days=30)
        db.session.commit()

    page = page_text(client.get(f"/books/{book.id}"))
    entry = feedparser.parse(client.get("/feed.atom").get_data()).entries[0]

    assert "May 1, 2026</time> · revised <time" in page and "May 31, 2026" in page
    assert entry.published_parsed[:3] == (2026, 5, 1)
    assert entry.updated_parsed[:3] == (2026, 5, 31)

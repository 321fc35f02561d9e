"""A search's pages: its best tier (found as typed, in the title, authors or ISBN) is listed
first and ranked apart from the rest, so that a common word ranks only its title matches for
the first pages; every page is still its own slice of one list. A search of words counts its
matches only up to MOST_BOOKS_FOUND, and says when it found more. Runs on SQLite, and on
PostgreSQL when FIRESTORM_TEST_DATABASE_URL points at one."""

from dataclasses import replace

import pytest
from book_list_helpers import desk_titles, titles_on
from review_helpers import page_text
from shelf_helpers import hide
from sqlalchemy import select

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.search import queries

PER_PAGE = 5  # BOOKS_PER_PAGE in the tests
IN_TITLES = [f"River Song {n}" for n in range(1, 8)]
IN_DESCRIPTIONS = [f"Estuary Notes {n}" for n in range(1, 6)]
# "rover" is a typo away from "river": found, but after every book that has "river" itself.
BY_A_TYPO = ["Rover Tales"]


@pytest.fixture
def rivers(app, make_book):
    """Seven books with "river" in the title, five with it in the description only, one with
    a word a typo away in its title, and two hidden ones (one of each kind), among others."""
    for title in IN_TITLES:
        make_book(title, description="Songs.")
    for title in IN_DESCRIPTIONS:
        make_book(title, description="Where the river meets the sea.")
    for title in BY_A_TYPO:
        make_book(title, description="Dogs.")
    hide(app, make_book("River Song Hidden", description="Songs."))
    hide(app, make_book("Estuary Hidden", description="A river."))
    make_book("Mountain Paths", description="Walking.")


def every_page(client, typed: str) -> list[list[str]]:
    pages = []
    for number in range(1, 5):
        response = client.get("/books", query_string={"q": typed, "page": number})
        assert response.status_code == 200
        pages.append(titles_on(response))
    return pages


def test_title_matches_come_first_then_the_rest_and_each_page_is_its_slice(client, rivers):
    pages = every_page(client, "river")

    listed = [title for page in pages[:3] for title in page]
    assert sorted(listed[:7]) == IN_TITLES
    assert sorted(listed[7:12]) == IN_DESCRIPTIONS
    assert listed[12:] == BY_A_TYPO
    # Page 2 straddles the two parts, page 3 starts after the first part's end: no book
    # shown twice or left out, and the last page (4) is page 3 again.
    assert [len(page) for page in pages] == [5, 5, 3, 3]
    assert pages[3] == pages[2]
    assert "Hidden" not in " ".join(listed)


def test_the_pages_are_the_slices_of_the_parts_listed_one_after_the_other(app, rivers):
    query = queries.CatalogQuery(text="river")
    with app.test_request_context():
        parts = queries.found_books(query)
        assert len(parts) == 2
        in_order = [
            book_id
            for part in parts
            for book_id in db.session.scalars(part.with_only_columns(Book.id))
        ]
        for number in (1, 2, 3):
            page = queries.search_books(replace(query, page=number), PER_PAGE)
            wanted = in_order[(number - 1) * PER_PAGE : number * PER_PAGE]
            assert [book.id for book in page.items] == wanted, f"page {number}"
        assert page.total == len(in_order) == 13


def test_the_collective_s_list_ranks_hidden_books_in_their_tier(client, rivers, login_as):
    login_as("collective")
    pages = [
        client.get("/collective/books", query_string={"q": "river", "page": number})
        for number in (1, 2)
    ]

    listed = [title for page in pages for title in desk_titles(page_text(page))]
    assert sorted(listed[:8]) == sorted([*IN_TITLES, "River Song Hidden"])
    assert "15 books matching “river”" in page_text(pages[0])


def test_a_search_finding_more_than_it_counts_says_so_and_lists_the_best(
    app, client, rivers, monkeypatch
):
    monkeypatch.setitem(app.config, "MOST_BOOKS_FOUND", 4)

    response = client.get("/books", query_string={"q": "river"})
    text = page_text(response)
    assert "More than 4 books matching “river”: the best 4 are listed" in text
    listed = titles_on(response)
    assert len(listed) == 4
    assert set(listed) <= set(IN_TITLES)
    assert 'rel="next"' not in text
    # A page past the best is their last page.
    assert titles_on(client.get("/books", query_string={"q": "river", "page": 3})) == titles_on(
        response
    )


def test_a_search_finding_exactly_as_many_as_it_counts_gives_its_number(
    app, client, rivers, monkeypatch
):
    monkeypatch.setitem(app.config, "MOST_BOOKS_FOUND", 7)

    text = page_text(client.get("/books", query_string={"q": "song"}))

    assert "7 books matching “song”" in text
    assert "More than" not in text


def test_lists_without_words_are_counted_whole(app, client, rivers, monkeypatch):
    monkeypatch.setitem(app.config, "MOST_BOOKS_FOUND", 4)

    text = page_text(client.get("/books"))

    assert "14 books" in text
    assert "More than" not in text
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Book)) == 16

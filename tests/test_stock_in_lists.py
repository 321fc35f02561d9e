"""Every list of books says a book's stock in the words of its own page ("1 copy free to hold (2
on hold)"): the catalog, a shelf, the home page's two lists, /reviews and a reviewer's page, with
htmx too; with no
copy free, the words link to the order form; the copies on hold read in one query a page,
however many books it shows."""

import re
from html import unescape

import pytest
from hold_helpers import place_hold
from review_helpers import HTMX, NOW, page_text
from shelf_helpers import add_shelves, shelve

from firestorm.holds.models import HoldKind

HELD = "1 copy free to hold (2 on hold)"


def stock_words_of(page: str, title: str) -> str:
    """The stock line drawn with the book titled `title`, as a visitor sees it (a link's words
    too; not the words only screen readers read)."""
    row = re.search(rf">{re.escape(title)}</a>.*?<p class=\"stock[^\"]*\">(.*?)</p>", page, re.S)
    assert row, f"no stock line for {title!r}"
    seen = re.sub(r'<span class="visually-hidden">.*?</span>', "", row.group(1))
    return unescape(re.sub(r"<[^>]+>", "", seen))


@pytest.fixture
def reviewer(make_user):
    return make_user(display_name="Robin")


@pytest.fixture
def held_book(app, make_book, reviewer, publish_review):
    """Mutual Aid on the shelf "Organizing": 3 copies, 2 of them on a hold, one ordered (an order
    waits for copies the shop doesn't have: it never counts); and reviewed by Robin."""
    book = make_book("Mutual Aid", authors=["Dean Spade"], stock=3)
    add_shelves(app, "Organizing")
    shelve(app, book, "Organizing")
    place_hold(app, book, NOW, quantity=2)
    place_hold(app, book, NOW, quantity=4, kind=HoldKind.ORDER)
    publish_review(book, reviewer)
    return book


LISTS = [
    "/books",
    "/books?q=mutual",
    "/shelves/organizing",
    "/reviews",
    "/reviewers/{reviewer_id}",
]


@pytest.mark.parametrize("path", LISTS)
def test_a_list_says_what_the_book_page_says(client, held_book, reviewer, path):
    book_page = page_text(client.get(f"/books/{held_book.id}"))
    assert HELD in book_page

    listed = page_text(client.get(path.format(reviewer_id=reviewer.id)))
    assert stock_words_of(listed, "Mutual Aid") == HELD


@pytest.mark.parametrize("path", ["/books?q=mutual", "/shelves/organizing"])
def test_a_list_redrawn_by_htmx_says_it_too(client, held_book, path):
    response = client.get(path, headers=HTMX)

    assert "<html" not in page_text(response)
    assert stock_words_of(page_text(response), "Mutual Aid") == HELD


def test_the_home_page_says_it_in_both_lists(client, app, make_book, held_book):
    not_reviewed = make_book("Emergent Strategy", authors=["adrienne maree brown"], stock=1)
    place_hold(app, not_reviewed, NOW)

    page = page_text(client.get("/"))

    assert stock_words_of(page, "Mutual Aid") == HELD
    assert stock_words_of(page, "Emergent Strategy") == (
        "Our only copy is on hold — ask us to order one"
    )


def test_books_without_holds_keep_their_plain_stock_words(client, make_book):
    make_book("Citizen", stock=2)
    make_book("The Lorax", stock=0)

    page = page_text(client.get("/books"))

    assert stock_words_of(page, "Citizen") == "2 copies in stock"
    assert stock_words_of(page, "The Lorax") == "Out of stock — ask us to order it"
    assert '<p class="stock">2 copies in stock</p>' in page


def test_a_line_with_no_copy_free_links_to_the_order_form_and_is_not_green(client, app, make_book):
    held = make_book("Mutual Aid", stock=3)
    place_hold(app, held, NOW, quantity=3)
    sold_out = make_book("The Lorax", stock=0)
    free = make_book("Citizen", stock=2)

    page = page_text(client.get("/books"))

    assert stock_words_of(page, "Mutual Aid") == "All 3 copies are on hold — ask us to order one"
    for book in (held, sold_out):
        assert f'<p class="stock stock-out"><a href="/books/{book.id}/hold">' in page
    assert f'href="/books/{free.id}/hold"' not in page
    order_form = page_text(client.get(f"/books/{held.id}/hold"))
    assert "<h1>Ask us to order it</h1>" in order_form


# --- One query for the holds, whatever the number of books ----------------------------------


def statements_for(client, count_queries, path) -> list[str]:
    client.get(path)  # the schedule the process keeps, kept (web/clock.py)
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return statements


def reading_holds(statements: list[str]) -> list[str]:
    return [statement for statement in statements if re.search(r"\bholds\b", statement)]


@pytest.mark.parametrize("path", ["/", *LISTS])
def test_a_list_reads_the_holds_once_for_one_held_book_or_a_page_of_them(
    client, app, make_book, reviewer, publish_review, held_book, count_queries, monkeypatch, path
):
    # Every page drawn afresh, not sent again from the worker's cache of drawn pages.
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENTRIES", 0)
    path = path.format(reviewer_id=reviewer.id)
    with_one = statements_for(client, count_queries, path)
    for n in range(6):
        book = make_book(f"Mutual Aid, volume {n}", stock=2)
        shelve(app, book, "Organizing")
        place_hold(app, book, NOW)
        publish_review(book, reviewer)

    with_many = statements_for(client, count_queries, path)

    assert len(with_many) == len(with_one)
    assert len(reading_holds(with_many)) == 1

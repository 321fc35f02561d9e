"""The catalog desk's list, /collective/books (firestorm/collective/book_routes.py books_page):
each row's +1 and −1 (the stock controls of collective/stock_routes.py), with htmx and without,
coming back to the same list; the shelf filter (a shelf, or no shelf) and the sorts by stock,
kept in the address and in the pagination's links."""

import re
from html import unescape

import pytest
from book_list_helpers import desk_titles
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import HTMX, page_text
from shelf_helpers import add_shelves, shelve

from firestorm.catalog.models import Book
from firestorm.database import db


@pytest.fixture
def member(login_as):
    return login_as("collective")


@pytest.fixture
def shelved(app, make_book):
    """Four books: two on "Organizing", one on "Poetry", one on no shelf; stocks 3, 0, 7, 1."""
    add_shelves(app, "Organizing", "Poetry")
    mutual_aid = make_book("Mutual Aid", stock=3)
    emergent = make_book("Emergent Strategy", stock=0)
    odes = make_book("Odes", stock=7)
    zine = make_book("Zine Without a Home", stock=1)
    shelve(app, mutual_aid, "Organizing")
    shelve(app, emergent, "Organizing")
    shelve(app, odes, "Poetry")
    return {"mutual_aid": mutual_aid, "emergent": emergent, "odes": odes, "zine": zine}


def stock_of(app, book) -> int:
    with app.app_context():
        return db.session.get(Book, book.id).stock


# --- Who may see it ---------------------------------------------------------------------------


def test_the_list_is_for_collective_members_only(client, login_as, shelved):
    assert client.get("/collective/books?sort=stock").headers["Location"].startswith("/login")
    login_as("volunteer")
    assert client.get("/collective/books?sort=stock").status_code == 403


def test_the_stock_buttons_refuse_anyone_but_a_member(client, login_as, shelved, post):
    book = shelved["odes"]
    path = f"/collective/books/{book.id}/stock"
    data = {"step": "1", "next": "/collective/books"}

    anonymous = post(path, data)
    login_as("volunteer")
    volunteer = post(path, data)

    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login")
    assert volunteer.status_code == 403
    assert stock_of(client.application, book) == 7


# --- The buttons ------------------------------------------------------------------------------


def test_each_row_has_plus_and_minus_buttons_that_come_back_to_this_list(client, member, shelved):
    page = client.get("/collective/books?shelf=organizing&sort=stock").get_data(as_text=True)

    for book in (shelved["mutual_aid"], shelved["emergent"]):
        assert f'id="stock-{book.id}-add"' in page and f'id="stock-{book.id}-take"' in page
        assert f'action="/collective/books/{book.id}/stock"' in page
    assert 'name="next" value="/collective/books?shelf=organizing&amp;sort=stock"' in page
    assert "3 copies in stock" in page_text_of(page)


def page_text_of(page: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", page))


def test_plus_one_without_javascript_goes_back_to_the_same_filtered_list(
    app, client, member, shelved, post
):
    book = shelved["emergent"]
    here = "/collective/books?shelf=organizing&sort=stock"

    response = post(f"/collective/books/{book.id}/stock", {"step": "1", "next": here})

    assert response.status_code == 302
    assert response.headers["Location"] == here
    assert stock_of(app, book) == 1
    page = page_text(client.get(here))
    assert "“Emergent Strategy”: +1" in page
    assert desk_titles(client.get(here).get_data(as_text=True)) == [
        "Emergent Strategy",
        "Mutual Aid",
    ]


def test_minus_one_with_htmx_answers_the_row_stock_in_place(app, client, member, shelved, post):
    book = shelved["mutual_aid"]
    here = "/collective/books?shelf=organizing&sort=stock"

    response = post(f"/collective/books/{book.id}/stock", {"step": "-1", "next": here}, htmx=True)

    answer = response.get_data(as_text=True)
    assert response.status_code == 200
    assert stock_of(app, book) == 2
    assert answer.lstrip().startswith(f'<div id="stock-{book.id}"')
    assert "2 copies in stock" in page_text_of(answer)
    assert "<html" not in answer and "Emergent Strategy" not in answer
    # The controls still come back to the same filtered list, and the pressed button has focus.
    assert 'name="next" value="/collective/books?shelf=organizing&amp;sort=stock"' in answer
    assert re.search(rf'id="stock-{book.id}-take"[^>]*autofocus', answer)


def test_minus_one_at_no_copies_is_refused_in_words_and_changes_nothing(
    app, client, member, shelved, post
):
    book = shelved["emergent"]

    response = post(
        f"/collective/books/{book.id}/stock",
        {"step": "-1", "next": "/collective/books?sort=stock"},
        htmx=True,
    )

    assert response.status_code == 422
    assert stock_of(app, book) == 0
    assert "no copies" in page_text_of(response.get_data(as_text=True)).lower()


# --- The shelf filter and the sorts ----------------------------------------------------------


def test_a_shelf_shows_only_its_books_and_no_shelf_the_books_on_none(client, member, shelved):
    organizing = client.get("/collective/books?shelf=organizing").get_data(as_text=True)
    on_none = client.get("/collective/books?shelf=_none").get_data(as_text=True)
    every = client.get("/collective/books").get_data(as_text=True)

    assert desk_titles(organizing) == ["Emergent Strategy", "Mutual Aid"]
    assert desk_titles(on_none) == ["Zine Without a Home"]
    assert desk_titles(every) == ["Emergent Strategy", "Mutual Aid", "Odes", "Zine Without a Home"]
    assert '<option value="organizing" selected>Organizing</option>' in organizing
    assert '<option value="_none" selected>No shelf</option>' in on_none
    assert '<option value="">All shelves</option>' in every


def test_an_unknown_shelf_or_sort_is_no_filter(client, member, shelved):
    page = client.get("/collective/books?shelf=gone&sort=cheapest").get_data(as_text=True)

    assert desk_titles(page) == ["Emergent Strategy", "Mutual Aid", "Odes", "Zine Without a Home"]


def test_sorting_by_stock_lowest_or_highest_first(client, member, shelved):
    lowest = client.get("/collective/books?sort=stock").get_data(as_text=True)
    highest = client.get("/collective/books?sort=stock-highest").get_data(as_text=True)

    assert desk_titles(lowest) == ["Emergent Strategy", "Zine Without a Home", "Mutual Aid", "Odes"]
    assert desk_titles(highest) == [
        "Odes",
        "Mutual Aid",
        "Zine Without a Home",
        "Emergent Strategy",
    ]
    assert '<option value="stock" selected>Stock, lowest first</option>' in lowest


def test_the_public_catalog_offers_no_sort_by_stock(client, shelved):
    page = client.get("/books?sort=stock").get_data(as_text=True)

    assert "Stock, lowest first" not in page
    assert "No shelf" not in page


def test_the_shelf_and_sort_are_kept_in_the_pages_links_and_with_htmx(
    app, client, member, make_book, shelved, monkeypatch
):
    monkeypatch.setitem(app.config, "BOOKS_PER_PAGE", 2)
    for number in range(3):
        shelve(app, make_book(f"Organizing {number}", stock=number + 10), "Organizing")
    first = client.get("/collective/books?shelf=organizing&sort=stock")
    partial = client.get("/collective/books?shelf=organizing&sort=stock&page=2", headers=HTMX)

    page = first.get_data(as_text=True)
    assert desk_titles(page) == ["Emergent Strategy", "Mutual Aid"]
    assert 'href="/collective/books?shelf=organizing&amp;sort=stock&amp;page=2"' in page
    answer = partial.get_data(as_text=True)
    assert desk_titles(answer) == ["Organizing 0", "Organizing 1"]
    assert "<html" not in answer
    # The buttons drawn for htmx come back to the page they are on.
    assert 'value="/collective/books?shelf=organizing&amp;sort=stock&amp;page=2"' in answer


def test_an_empty_shelf_says_so_in_words(client, member, shelved, app):
    add_shelves(app, "Empty Shelf")

    page = page_text(client.get("/collective/books?shelf=empty-shelf"))

    assert "No book in the catalog is on that shelf." in page


def test_the_list_with_its_buttons_filters_and_sorts_is_valid_html(
    tmp_path, client, member, shelved, post, nu_html_checker
):
    emergent = shelved["emergent"]
    pages = {
        "filtered-sorted": client.get("/collective/books?shelf=organizing&sort=stock"),
        "no-shelf": client.get("/collective/books?shelf=_none&sort=stock-highest"),
        "empty-shelf": client.get("/collective/books?shelf=poetry&in_stock=1&q=nothing"),
        "after-a-change": client.get(
            post(
                f"/collective/books/{emergent.id}/stock",
                {"step": "1", "next": "/collective/books?sort=stock"},
            ).headers["Location"]
        ),
    }
    assert {name: response.status_code for name, response in pages.items()} == dict.fromkeys(
        pages, 200
    )

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


def test_the_rows_cost_no_query_each(client, member, make_book, count_queries, monkeypatch, app):
    """Each row's stock controls are drawn from the books already loaded: a page of five books
    sends as many statements as a page of one."""
    monkeypatch.setitem(app.config, "BOOKS_PER_PAGE", 5)
    make_book("Only One", stock=1)
    client.get("/collective/books")  # what is read once after a change (the hours)
    with count_queries() as one_book:
        client.get("/collective/books")
    for number in range(4):
        make_book(f"Another {number}", stock=number)
    client.get("/collective/books")  # the hours, read again once after any change
    with count_queries() as five_books:
        page = client.get("/collective/books").get_data(as_text=True)

    assert len(desk_titles(page)) == 5
    assert len(five_books) == len(one_book)

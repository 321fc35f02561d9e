"""The shelves as people see them: /shelves and each shelf's page, the catalog's shelf filter,
the book page's shelf links, and the collective's /collective/shelves (add, rename, remove)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from book_list_helpers import titles_on
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import HTMX, not_found_page, page_text
from shelf_helpers import BY, add_shelves, hide, shelf_named, shelve

from firestorm.catalog import shelves
from firestorm.database import db


def result_count(response) -> str:
    line = page_text(response).split('class="result-count" role="status">')[1]
    return " ".join(line.split("</p>")[0].split())


@pytest.fixture
def shop(app, make_book):
    """Three shelves: Poetry (two books the public sees, one hidden), Kids (one), Zines (none)."""
    add_shelves(app, "Poetry", "Kids", "Zines")
    citizen = make_book("Citizen", authors=["Claudia Rankine"], stock=2)
    porch = make_book("Poems from the Back Porch", authors=["Local Poets"], stock=0)
    lorax = make_book("The Lorax", authors=["Dr. Seuss"], stock=1)
    shelve(app, citizen, "Poetry")
    shelve(app, porch, "Poetry", "Kids")
    shelve(app, hide(app, make_book("Withdrawn Verse")), "Poetry")
    make_book("Mutual Aid", authors=["Dean Spade"], stock=3)
    return {"citizen": citizen, "porch": porch, "lorax": lorax}


# --- /shelves ----------------------------------------------------------------------------


def test_the_shelves_page_lists_each_shelf_with_its_visible_books(client, shop):
    response = client.get("/shelves")

    text = page_text(response)
    assert response.status_code == 200
    assert '<a href="/shelves/poetry">Poetry</a>' in text
    assert "2 books" in text and "3 books" not in text
    assert '<a href="/shelves/kids">Kids</a>' in text and "1 book<" in text
    assert '<a href="/shelves/zines">Zines</a>' in text and "no books yet" in text


def test_the_shelves_page_says_so_when_there_are_none(client):
    response = client.get("/shelves")

    assert response.status_code == 200
    assert "We haven't sorted the shop into shelves yet." in page_text(response)


def test_every_page_links_to_the_shelves(client):
    assert '<a href="/shelves">Shelves</a>' in page_text(client.get("/"))
    assert '<a href="/shelves" aria-current="page">Shelves</a>' in page_text(client.get("/shelves"))


# --- /shelves/<slug> ---------------------------------------------------------------------


def test_a_shelf_page_shows_its_books_and_no_hidden_ones(client, shop):
    response = client.get("/shelves/poetry")

    assert response.status_code == 200
    assert "<h1>Poetry</h1>" in page_text(response)
    assert titles_on(response) == ["Citizen", "Poems from the Back Porch"]
    assert result_count(response) == "2 books on the shelf “Poetry”"


def test_a_shelf_page_sorts_and_filters_like_the_catalog(client, shop):
    in_stock = client.get("/shelves/poetry?in_stock=1")
    newest = client.get("/shelves/poetry?sort=newest")

    assert titles_on(in_stock) == ["Citizen"]
    assert result_count(in_stock) == "1 book on the shelf “Poetry”, in stock"
    assert titles_on(newest) == ["Poems from the Back Porch", "Citizen"]


def test_an_empty_shelf_says_so(client, shop):
    response = client.get("/shelves/zines")

    assert response.status_code == 200
    assert "No books on this shelf right now." in page_text(response)


def test_a_shelf_page_has_pages_that_stay_on_the_shelf(client, app, make_book):
    add_shelves(app, "Poetry")
    for n in range(7):
        shelve(app, make_book(f"Poems {n}"), "Poetry")
    make_book("Not poetry")

    first = client.get("/shelves/poetry?sort=newest")
    second = client.get("/shelves/poetry?sort=newest&page=2")

    assert titles_on(first) == [f"Poems {n}" for n in (6, 5, 4, 3, 2)]
    assert 'href="/shelves/poetry?sort=newest&amp;page=2"' in page_text(first)
    assert titles_on(second) == ["Poems 1", "Poems 0"]
    assert result_count(second) == "7 books on the shelf “Poetry” · page 2 of 2"


def test_htmx_gets_the_shelfs_books_alone(client, shop):
    response = client.get("/shelves/poetry?in_stock=1", headers=HTMX)

    assert response.status_code == 200
    assert "<html" not in page_text(response)
    assert titles_on(response) == ["Citizen"]
    assert "HX-Request-Type" in response.headers["Vary"]


def test_a_renamed_shelfs_old_address_moves_for_good_to_the_new_one(client, app, shop):
    with app.app_context():
        shelves.rename_shelf(shelf_named("Poetry"), "Verse", by=BY)
        db.session.commit()

    response = client.get("/shelves/poetry?sort=newest&in_stock=1")

    assert response.status_code == 301
    location = urlsplit(response.headers["Location"])
    assert location.path == "/shelves/verse"
    assert parse_qs(location.query) == {"sort": ["newest"], "in_stock": ["1"]}
    assert titles_on(client.get(response.headers["Location"])) == ["Citizen"]


def test_an_old_address_carries_any_query_string_along_as_it_came(client, app, shop):
    with app.app_context():
        shelves.rename_shelf(shelf_named("Poetry"), "Verse", by=BY)
        db.session.commit()

    response = client.get("/shelves/poetry?slug=kids&_external=1&_scheme=javascript&sort=newest")

    assert response.status_code == 301
    location = urlsplit(response.headers["Location"])
    assert (location.scheme, location.netloc, location.path) == ("", "", "/shelves/verse")
    assert parse_qs(location.query) == {
        "slug": ["kids"],
        "_external": ["1"],
        "_scheme": ["javascript"],
        "sort": ["newest"],
    }


@pytest.mark.parametrize("address", ["/shelves/no-such-shelf", "/shelves/Poetry", "/shelves/x%00y"])
def test_an_unknown_shelf_is_a_not_found_page(client, shop, address):
    response = client.get(address)

    not_found_page(response)


# --- The catalog's shelf filter and the book page -------------------------------------------


def test_the_catalog_can_show_one_shelfs_books(client, shop):
    response = client.get("/books?shelf=kids")

    text = page_text(response)
    assert titles_on(response) == ["Poems from the Back Porch"]
    assert result_count(response) == "1 book on the shelf “Kids”"
    assert '<option value="kids" selected>Kids</option>' in text
    assert '<option value="">All shelves</option>' in text


def test_the_catalog_searches_within_a_shelf_and_keeps_it_in_page_links(client, app, make_book):
    add_shelves(app, "Poetry")
    for n in range(6):
        shelve(app, make_book(f"Poems {n}"), "Poetry")
    make_book("Poems nobody shelved")

    response = client.get("/books?q=poems&shelf=poetry")

    assert result_count(response) == "6 books matching “poems” on the shelf “Poetry” · page 1 of 2"
    assert 'href="/books?q=poems&amp;shelf=poetry&amp;page=2"' in page_text(response)


@pytest.mark.parametrize("shelf", ["no-such-shelf", "", "x%00y"])
def test_an_unknown_shelf_in_the_catalog_filters_nothing(client, shop, shelf):
    response = client.get(f"/books?shelf={shelf}")

    assert response.status_code == 200
    assert result_count(response).startswith("4 books")


def test_the_catalog_offers_no_shelf_filter_before_there_are_shelves(client, make_book):
    make_book("Citizen")

    assert 'name="shelf"' not in page_text(client.get("/books"))


def test_a_book_page_links_to_its_shelves(client, shop):
    several = page_text(client.get(f"/books/{shop['porch'].id}"))
    one = page_text(client.get(f"/books/{shop['citizen'].id}"))
    none = page_text(client.get(f"/books/{shop['lorax'].id}"))

    assert "<dt>Shelves</dt>" in several
    assert '<a href="/shelves/kids">Kids</a>, <a href="/shelves/poetry">Poetry</a>' in several
    assert "<dt>Shelf</dt>" in one and '<a href="/shelves/poetry">Poetry</a>' in one
    assert "<dt>Shel" not in none


# --- A fixed number of queries ---------------------------------------------------------------


def queries_for(client, count_queries, path) -> int:
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_shelf_pages_make_the_same_queries_however_many_books_and_shelves(
    client, app, make_book, count_queries
):
    add_shelves(app, "Poetry")
    shelve(app, make_book("Citizen", authors=["One", "Two"]), "Poetry")
    before = {
        path: queries_for(client, count_queries, path)
        for path in ["/shelves", "/shelves/poetry", "/books?shelf=poetry"]
    }
    add_shelves(app, *(f"Shelf {n}" for n in range(6)))
    for n in range(8):
        book = make_book(f"Book {n}", authors=[f"A{n}", f"B{n}"])
        shelve(app, book, "Poetry", f"Shelf {n % 6}")

    after = {path: queries_for(client, count_queries, path) for path in before}

    assert after == before


def test_a_book_page_makes_the_same_queries_however_many_shelves(
    client, app, make_book, count_queries
):
    add_shelves(app, "Poetry", "Kids", "Zines", "Staff picks")
    book = make_book("Citizen")
    shelve(app, book, "Poetry")
    with_one = queries_for(client, count_queries, f"/books/{book.id}")
    shelve(app, book, "Kids", "Zines", "Staff picks")

    assert queries_for(client, count_queries, f"/books/{book.id}") == with_one


# --- Valid HTML ----------------------------------------------------------------------------


def test_the_shelf_pages_are_valid_html(tmp_path, client, app, shop, nu_html_checker):
    pages = {"shelves": client.get("/shelves")}
    pages["shelf"] = client.get("/shelves/poetry")
    pages["empty-shelf"] = client.get("/shelves/zines")
    pages["catalog-on-a-shelf"] = client.get("/books?shelf=poetry")
    pages["book-with-shelves"] = client.get(f"/books/{shop['porch'].id}")

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


def test_the_shelves_page_is_valid_html_when_empty(tmp_path, client, nu_html_checker):
    errors = check_html(
        nu_html_checker, save_responses({"no-shelves": client.get("/shelves")}, tmp_path)
    )

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


def test_hidden_books_stay_hidden_from_every_shelf_list(client, shop):
    for path in ["/shelves", "/shelves/poetry", "/books?shelf=poetry", "/books"]:
        assert "Withdrawn Verse" not in page_text(client.get(path)), path

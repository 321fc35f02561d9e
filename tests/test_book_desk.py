"""The catalog desk, /collective/books (firestorm/collective/book_routes.py): the list, adding
and editing books through the form, the ISBN check, hiding and deleting. Who may open these
pages at all: test_approval_access.py checks every /collective/ route."""

import pytest
from book_form_helpers import stored
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import HTMX, not_found_page, page_text
from sqlalchemy import select

from firestorm.catalog.models import StockChange
from firestorm.database import db

GOOD_FORM = {
    "title": "Dispersing Power",
    "subtitle": "Social Movements as Anti-State Forces",
    "authors": "Raúl Zibechi\nRamor Ryan",
    "publisher": "AK Press",
    "release_date": "2010-07-01",
    "isbn": "1-84935-011-6",
    "description": "How the Aymara of *El Alto* organise.",
    "stock": "2",
}


@pytest.fixture
def member(login_as):
    return login_as("collective")


def test_adding_a_book_puts_it_in_the_catalog_with_its_first_count_logged(
    client, in_app, member, post
):
    response = post("/collective/books", GOOD_FORM)

    book = stored(in_app, title="Dispersing Power")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/collective/books/{book.id}/edit"
    assert (book.isbn13, book.stock, book.publisher) == ("9781849350112", 2, "AK Press")
    with in_app():
        change = db.session.scalars(select(StockChange).filter_by(book_id=book.id)).one()
        assert (change.delta, change.stock_after, change.changed_by_id) == (2, 2, member.id)
    public = page_text(client.get(f"/books/{book.id}"))
    assert "Raúl Zibechi, Ramor Ryan" in public and "2 copies in stock" in public
    assert "<em>El Alto</em>" in public, "the description is Markdown"
    assert "978-1-84935-011-2" in public


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": ""}, "title", "Give the book&#39;s title."),
        ({"isbn": "978-1-84935-011-3"}, "isbn", "last digit doesn&#39;t match"),
        ({"isbn": "not an isbn"}, "isbn", "10 or 13 digits"),
        ({"release_date": "2099-01-01"}, "release_date", "more than a year away"),
        ({"release_date": "1st July"}, "release_date", "year-month-day"),
        ({"stock": "-1"}, "stock", "from 0 to 100,000"),
        ({"stock": "two"}, "stock", "whole number"),
        ({"stock": ""}, "stock", "number of copies"),
    ],
)
def test_each_bad_input_comes_back_next_to_its_field_with_the_form_filled_in(
    in_app, member, post, change, field, words
):
    response = post("/collective/books", {**GOOD_FORM, **change})

    page = page_text(response)
    assert response.status_code == 422
    errors = page.split(f'id="{field}-errors"')[1].split("</ul>")[0]
    assert words in errors
    assert 'value="AK Press"' in page, "what was typed stays"
    assert stored(in_app, title="Dispersing Power") is None, "nothing is half-written"


def test_a_duplicate_isbn_links_to_the_book_that_has_it(in_app, make_book, member, post):
    existing = make_book(title="The one we have", isbn13="9781849350112")

    response = post("/collective/books", {**GOOD_FORM, "isbn": "978-1-84935-011-2"})

    page = page_text(response)
    assert response.status_code == 422
    assert "That ISBN is already in the catalog." in page
    assert f'href="/collective/books/{existing.id}/edit">See “The one we have”' in page
    assert stored(in_app, title="Dispersing Power") is None


def test_editing_a_book_changes_it_and_logs_a_corrected_count(
    client, in_app, make_book, member, post
):
    book = make_book(title="Old title", authors=["Someone"], stock=1)

    form = client.get(f"/collective/books/{book.id}/edit")
    response = post(f"/collective/books/{book.id}", {**GOOD_FORM, "stock": "4"})

    assert form.status_code == 200 and 'value="Old title"' in page_text(form)
    assert response.status_code == 302
    saved = stored(in_app, id=book.id)
    assert (saved.title, saved.stock) == ("Dispersing Power", 4)
    with in_app():
        change = db.session.scalars(select(StockChange).filter_by(book_id=book.id)).one()
        assert (change.delta, change.reason) == (3, "Corrected on the book's form")


def test_the_isbn_check_says_what_it_makes_of_the_typed_isbn(make_book, member, client):
    existing = make_book(title="Dispersing Power", isbn13="9781849350112")

    def verdict(typed, **args):
        response = client.get(
            "/collective/books/isbn-check", query_string={"isbn": typed, **args}, headers=HTMX
        )
        assert response.status_code == 200
        return page_text(response)

    assert "ISBN 978-0-06-051280-4: it will be saved as this ISBN-13." in verdict("0060512806")
    assert "last digit doesn&#39;t match" in verdict("9781849350113")
    assert f'href="/collective/books/{existing.id}/edit">See “Dispersing Power”' in verdict(
        "1849350116"
    )
    assert "already" not in verdict("1849350116", book_id=existing.id), "its own ISBN is fine"


def test_the_list_finds_books_the_public_search_finds_and_hidden_ones_too(
    client, make_book, member, post
):
    make_book(title="Dispersing Power", authors=["Raúl Zibechi"])
    hidden = make_book(title="Zibechi's Old Pamphlet", authors=["Raúl Zibechi"])
    post(f"/collective/books/{hidden.id}/visibility", {"hidden": "1"})

    page = page_text(client.get("/collective/books?q=zibechi"))
    fragment = client.get("/collective/books?q=zibechi", headers=HTMX)

    assert "2 books matching “zibechi”" in page
    assert "Hidden from the public" in page
    assert fragment.status_code == 200 and "<html" not in page_text(fragment)
    assert "Dispersing Power" in page_text(fragment)


def test_a_hidden_book_leaves_the_public_pages_and_can_be_shown_again(
    client, make_book, make_user, publish_review, member, post
):
    book = make_book(title="Quietly Withdrawn")
    publish_review(book, make_user(display_name="Sam"), body="A review of the hidden book.")

    post(f"/collective/books/{book.id}/visibility", {"hidden": "1"})
    as_member = page_text(client.get(f"/books/{book.id}"))
    post("/logout")
    hidden = {path: client.get(path) for path in ("/", "/books", "/reviews", "/feed.atom")}
    page_of_hidden = client.get(f"/books/{book.id}")

    assert "Hidden from the public." in as_member
    assert page_of_hidden.status_code == 404
    for path, response in hidden.items():
        assert "Quietly Withdrawn" not in page_text(response), path
        assert "A review of the hidden book." not in page_text(response), path


def test_showing_a_hidden_book_again(client, in_app, make_book, member, post):
    book = make_book(title="Back on the shelf")
    post(f"/collective/books/{book.id}/visibility", {"hidden": "1"})

    response = post(f"/collective/books/{book.id}/visibility", {"hidden": "0"})

    assert response.status_code == 302
    assert stored(in_app, id=book.id).hidden is False


def test_a_book_without_reviews_is_deleted_after_a_confirmation(
    client, in_app, make_book, member, post
):
    book = make_book(title="A mistake")

    confirm = client.get(f"/collective/books/{book.id}/delete")
    response = post(f"/collective/books/{book.id}/delete")

    assert confirm.status_code == 200 and "This can't be undone." in page_text(confirm)
    assert response.status_code == 302 and response.headers["Location"] == "/collective/books"
    assert stored(in_app, id=book.id) is None


def test_a_book_with_reviews_is_never_deleted_and_the_page_says_hide_it(
    client, in_app, make_book, make_user, publish_review, member, post
):
    book = make_book(title="Much loved")
    publish_review(book, make_user())

    confirm = client.get(f"/collective/books/{book.id}/delete")
    response = post(f"/collective/books/{book.id}/delete")

    for page in (page_text(confirm), page_text(response)):
        assert "Hide it instead" in page
        assert "where you can hide it" in page
        assert "holds desk" not in page
    assert 'class="confirm-form"' not in page_text(confirm)
    assert response.status_code == 409
    assert stored(in_app, id=book.id) is not None


def test_the_public_book_page_gives_members_an_edit_link_and_nobody_else(
    client, make_book, login_as
):
    book = make_book()
    edit_link = f'href="/collective/books/{book.id}/edit"'

    assert edit_link not in page_text(client.get(f"/books/{book.id}"))
    login_as("volunteer")
    assert edit_link not in page_text(client.get(f"/books/{book.id}"))
    login_as("collective")
    assert edit_link in page_text(client.get(f"/books/{book.id}"))


def test_a_missing_book_is_a_404(member, client, post):
    not_found_page(client.get("/collective/books/999/edit"))
    not_found_page(post("/collective/books/999", GOOD_FORM))
    not_found_page(post("/collective/books/999/visibility", {"hidden": "1"}))


def test_the_list_makes_the_same_queries_for_few_books_or_many(
    client, make_book, member, count_queries
):
    make_book(title="One")
    with count_queries() as few:
        client.get("/collective/books")
    for number in range(4):
        make_book(title=f"More {number}", authors=[f"Author {number}"])
    with count_queries() as many:
        client.get("/collective/books")

    assert len(many) == len(few)


def test_the_desk_pages_are_valid_html(
    tmp_path, client, make_book, make_user, publish_review, member, post, nu_html_checker
):
    reviewed = make_book(title="Much loved", isbn13="9781849350112")
    publish_review(reviewed, make_user())
    bare = make_book(title="Nobody's read it")
    pages = {
        "books": client.get("/collective/books"),
        "books-empty-search": client.get("/collective/books?q=nothing+like+this"),
        "new": client.get("/collective/books/new"),
        "edit": client.get(f"/collective/books/{reviewed.id}/edit"),
        "refused": post("/collective/books", {**GOOD_FORM, "isbn": "1849350116", "stock": "x"}),
        "delete-refused": client.get(f"/collective/books/{reviewed.id}/delete"),
        "delete-confirm": client.get(f"/collective/books/{bare.id}/delete"),
        "public-as-member": client.get(f"/books/{reviewed.id}"),
    }
    assert {name: response.status_code for name, response in pages.items()} == {
        **dict.fromkeys(pages, 200),
        "refused": 422,
    }

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)

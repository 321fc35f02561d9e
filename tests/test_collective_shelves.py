"""The collective's shelves, /collective/shelves: who may open them; adding, renaming and
removing shelves; bad names told next to the field. The public side: test_shelf_pages.py."""

from urllib.parse import parse_qs, urlsplit

import pytest
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import not_found_page, page_text, token_of
from shelf_helpers import add_shelves, hide, shelve
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from firestorm.catalog import shelves
from firestorm.catalog.models import Book
from firestorm.database import db


def shelf_names(app) -> list[str]:
    with app.app_context():
        return [shelf.name for shelf in shelves.all_shelves()]


def field_errors(response, field_id: str) -> list[str]:
    """The messages shown next to one field, as a person reads them."""
    text = page_text(response)
    marker = f'<ul id="{field_id}-errors" class="field-errors">'
    if marker not in text:
        return []
    block = text.split(marker)[1].split("</ul>")[0]
    return [item.split("</li>")[0].strip() for item in block.split("<li>")[1:]]


@pytest.fixture
def poetry(app):
    return add_shelves(app, "Poetry")["Poetry"]


def every_route(shelf_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", "/collective/shelves"),
        ("POST", "/collective/shelves"),
        ("POST", f"/collective/shelves/{shelf_id}/rename"),
        ("GET", f"/collective/shelves/{shelf_id}/remove"),
        ("POST", f"/collective/shelves/{shelf_id}/remove"),
    ]


# --- Who may open them -----------------------------------------------------------------------


def test_strangers_are_sent_to_sign_in_and_nothing_changes(client, app, poetry):
    token = token_of(client)

    for method, path in every_route(poetry):
        response = client.open(path, method=method, data={"csrf_token": token, "name": "Verse"})

        assert response.status_code == 302, path
        location = urlsplit(response.headers["Location"])
        assert (location.path, parse_qs(location.query)["next"]) == ("/login", [path]), path
    assert shelf_names(app) == ["Poetry"]


def test_volunteers_are_refused_and_nothing_changes(client, app, poetry, login_as, csrf_token):
    login_as("volunteer")
    token = csrf_token()

    for method, path in every_route(poetry):
        response = client.open(path, method=method, data={"csrf_token": token, "name": "Verse"})

        assert response.status_code == 403, path
    assert shelf_names(app) == ["Poetry"]
    assert "/collective/shelves" not in page_text(client.get("/"))


def test_a_post_without_the_csrf_token_changes_nothing(client, app, poetry, login_as):
    login_as("collective")

    for method, path in every_route(poetry):
        if method == "POST":
            response = client.post(path, data={"name": "Verse"})

            assert response.status_code == 400, path
    assert shelf_names(app) == ["Poetry"]


def test_members_find_the_shelves_in_their_navigation(client, login_as):
    login_as("collective")

    text = page_text(client.get("/collective/shelves"))

    assert '<a href="/collective/shelves" aria-current="page">Shelves</a>' in text
    assert "No shelves yet." in text


# --- The list and adding ---------------------------------------------------------------------


def test_the_list_shows_each_shelf_with_its_books_and_hidden_ones(client, app, make_book, login_as):
    add_shelves(app, "Poetry", "Kids")
    shelve(app, make_book("Citizen"), "Poetry")
    shelve(app, hide(app, make_book("Withdrawn Verse")), "Poetry")
    login_as("collective")

    text = page_text(client.get("/collective/shelves"))

    assert "/shelves/poetry · 1 book, and 1 hidden" in " ".join(text.split())
    assert "/shelves/kids · 0 books" in " ".join(text.split())


def test_a_member_adds_a_shelf(client, app, login_as, post):
    login_as("collective")

    response = post("/collective/shelves", {"name": "  Staff picks "})

    assert response.status_code == 302
    assert response.headers["Location"] == "/collective/shelves"
    assert shelf_names(app) == ["Staff picks"]
    text = page_text(client.get("/collective/shelves"))
    assert "The shelf “Staff picks” is ready" in text
    assert client.get("/shelves/staff-picks").status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Give the shelf a name."),
        ("   ", "Give the shelf a name."),
        ("P" * 81, "Use at most 80 characters for a shelf&#39;s name."),
        ("!!!", "A shelf&#39;s name needs at least one letter or digit, for its address."),
        ("Poetry", "There is already a shelf called “Poetry”."),
        (
            "POÉTRY",
            "That name would give the same address (/shelves/poetry) as the shelf “Poetry”.",
        ),
    ],
)
def test_a_name_that_cannot_be_used_comes_back_with_why(
    client, app, poetry, login_as, post, typed, message
):
    login_as("collective")

    response = post("/collective/shelves", {"name": typed})

    assert response.status_code == 422
    assert field_errors(response, "name")[0].startswith(message)
    assert f'name="name" required type="text" value="{typed}"' in page_text(response)
    assert shelf_names(app) == ["Poetry"]


# --- Renaming ----------------------------------------------------------------------------


def test_a_member_renames_a_shelf_and_its_old_address_leads_to_the_new(
    client, app, poetry, login_as, post
):
    login_as("collective")

    response = post(f"/collective/shelves/{poetry}/rename", {"name": "Verse & Song"})

    assert response.status_code == 302
    assert shelf_names(app) == ["Verse & Song"]
    assert "“Poetry” is now “Verse &amp; Song”" in page_text(client.get("/collective/shelves"))
    moved = client.get("/shelves/poetry")
    assert (moved.status_code, moved.headers["Location"]) == (301, "/shelves/verse-and-song")


def test_a_refused_rename_keeps_what_was_typed_in_that_shelfs_form(
    client, app, poetry, login_as, post
):
    kids = add_shelves(app, "Kids")["Kids"]
    login_as("collective")

    response = post(f"/collective/shelves/{kids}/rename", {"name": "poetry"})

    text = page_text(response)
    assert response.status_code == 422
    assert field_errors(response, f"rename-{kids}-name") == [
        "That name would give the same address (/shelves/poetry) as the shelf “Poetry”. "
        "Choose a name that differs in more than capitals or accents."
    ]
    assert 'value="poetry"' in text and 'value="Poetry"' in text
    assert field_errors(response, f"rename-{poetry}-name") == []
    assert shelf_names(app) == ["Kids", "Poetry"]


def test_renaming_a_shelf_that_is_gone_is_not_found(client, login_as, post):
    login_as("collective")

    not_found_page(post("/collective/shelves/999/rename", {"name": "Verse"}))


# --- Removing ----------------------------------------------------------------------------


def test_removing_asks_first_and_a_get_removes_nothing(client, app, make_book, poetry, login_as):
    shelve(app, make_book("Citizen"), "Poetry")
    shelve(app, make_book("Kindred"), "Poetry")
    login_as("collective")

    asked = client.get(f"/collective/shelves/{poetry}/remove")
    client.head(f"/collective/shelves/{poetry}/remove")

    text = page_text(asked)
    assert asked.status_code == 200
    assert "Remove the shelf “Poetry”?" in text
    assert "Its 2 books stay in the catalog; only the shelf goes." in text
    assert f'action="/collective/shelves/{poetry}/remove" method="post"' in text
    assert shelf_names(app) == ["Poetry"]


def test_removing_a_shelf_keeps_its_books(client, app, make_book, poetry, login_as, post):
    book = make_book("Citizen")
    shelve(app, book, "Poetry")
    login_as("collective")

    response = post(f"/collective/shelves/{poetry}/remove")

    assert response.status_code == 302
    assert shelf_names(app) == []
    assert "The shelf “Poetry” is gone." in page_text(client.get("/collective/shelves"))
    assert client.get("/shelves/poetry").status_code == 404
    with app.app_context():
        saved = db.session.scalar(select(Book).options(selectinload(Book.shelves)))
        assert (saved.title, saved.shelves) == ("Citizen", [])


def test_removing_a_shelf_that_is_gone_is_not_found(client, login_as, post):
    login_as("collective")

    not_found_page(client.get("/collective/shelves/999/remove"))
    not_found_page(post("/collective/shelves/999/remove"))


# --- Valid HTML ----------------------------------------------------------------------------


def test_the_collective_shelf_pages_are_valid_html(
    tmp_path, client, app, poetry, login_as, post, nu_html_checker
):
    login_as("collective")
    pages = {"empty-list": None}
    pages["list"] = client.get("/collective/shelves")
    pages["refused-add"] = post("/collective/shelves", {"name": "poetry"})
    kids = add_shelves(app, "Kids")["Kids"]
    pages["refused-rename"] = post(f"/collective/shelves/{kids}/rename", {"name": ""})
    pages["remove"] = client.get(f"/collective/shelves/{kids}/remove")
    post(f"/collective/shelves/{kids}/remove")
    post(f"/collective/shelves/{poetry}/remove")
    pages["empty-list"] = client.get("/collective/shelves")

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)

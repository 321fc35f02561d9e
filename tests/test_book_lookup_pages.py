"""Looking a new book up by its ISBN on the desk's add-book form (collective/book_routes.py):
"Look it up" fills the fields left empty from Open Library (the local stand-in), shows what it
filled and the cover for checking, saves nothing; the book is added with the found cover only
when the member keeps it ticked. Who may use it: test_approval_access.py checks every
/collective/ route for strangers and volunteers."""

import re

import pytest
from book_form_helpers import stored
from cover_images import jpeg
from open_library_stand_in import SLOW
from page_reading import field_values
from review_helpers import page_text
from sqlalchemy import func, select

from firestorm.book_lookup.models import BookLookup
from firestorm.catalog.models import Book
from firestorm.database import db

ISBN = "9781849350112"
EDITION = {
    "title": "Dispersing Power",
    "subtitle": "Social Movements as Anti-State Forces",
    "authors": [{"key": "/authors/OL1A"}],
    "publishers": ["AK Press"],
    "publish_date": "2010-07-01",
    "number_of_pages": 160,
    "description": "How the Aymara of El Alto organise.",
}
EMPTY_FORM = {
    "isbn": "1-84935-011-6",
    "title": "",
    "subtitle": "",
    "authors": "",
    "publisher": "",
    "release_date": "",
    "description": "",
    "price": "",
    "format": "",
    "stock": "1",
}


@pytest.fixture
def member(login_as):
    return login_as("collective")


@pytest.fixture
def dispersing_power(open_library):
    open_library.add(ISBN, EDITION, jpeg((400, 600)))
    open_library.authors["/authors/OL1A"] = {"name": "Raúl Zibechi"}
    return open_library


def field_value(page: str, name: str) -> str:
    return field_values(page).get(name, "")


def test_the_add_form_starts_with_the_isbn_and_its_look_it_up_button(client, member, open_library):
    page = page_text(client.get("/collective/books/new"))

    assert page.index('name="isbn"') < page.index('name="title"')
    look_up = page.index("Look it up</button>")
    assert page.index('name="isbn"') < look_up < page.index("Add the book</button>"), (
        "the form's first button: a scanner's Enter presses it"
    )
    assert 'formaction="/collective/books/new/look-up"' in page


def test_without_a_lookup_address_the_form_has_no_button_and_the_route_is_not_there(
    client, member, post
):
    page = page_text(client.get("/collective/books/new"))

    assert "Look it up" not in page
    assert page.index('name="title"') < page.index('name="isbn"')
    assert post("/collective/books/new/look-up", EMPTY_FORM).status_code == 404


def test_looking_up_fills_the_empty_fields_for_checking_and_saves_nothing(
    client, in_app, member, post, dispersing_power
):
    response = post("/collective/books/new/look-up", EMPTY_FORM)

    page = page_text(response)
    assert response.status_code == 200
    assert "Found on Open Library: “Dispersing Power”" in page
    assert (
        "Filled in from Open Library: the title, subtitle, authors, publisher, release date, "
        "number of pages and description." in page
    )
    assert "nothing is saved yet" in page
    assert field_value(page, "title") == "Dispersing Power"
    assert field_value(page, "authors") == "Raúl Zibechi"
    assert field_value(page, "publisher") == "AK Press"
    assert field_value(page, "release_date") == "2010-07-01"
    assert field_value(page, "page_count") == "160"
    assert field_value(page, "description") == "How the Aymara of El Alto organise."
    assert f'src="/collective/books/found-covers/{ISBN}.webp"' in page
    assert field_value(page, "use_found_cover") == "y", "the found cover ticked"
    with in_app():
        assert db.session.scalar(select(func.count()).select_from(Book)) == 0


def test_what_the_member_typed_is_kept(client, member, post, dispersing_power):
    typed = {**EMPTY_FORM, "title": "Dispersing Power (our title)", "publisher": "AK"}

    page = page_text(post("/collective/books/new/look-up", typed))

    assert field_value(page, "title") == "Dispersing Power (our title)"
    assert field_value(page, "publisher") == "AK"
    assert field_value(page, "subtitle") == "Social Movements as Anti-State Forces"
    assert (
        "Filled in from Open Library: the subtitle, authors, release date, number of pages "
        "and description." in page
    )


def test_adding_the_book_after_the_lookup_keeps_the_found_cover(
    client, in_app, member, post, dispersing_power, covers_dir
):
    page = page_text(post("/collective/books/new/look-up", EMPTY_FORM))
    filled = {
        name: field_value(page, name)
        for name in (
            "title",
            "subtitle",
            "authors",
            "publisher",
            "release_date",
            "page_count",
            "description",
        )
    }

    response = post("/collective/books", {**EMPTY_FORM, **filled, "use_found_cover": "y"})

    assert response.status_code == 302
    book = stored(in_app, isbn13=ISBN)
    assert (book.title, book.publisher, book.stock) == ("Dispersing Power", "AK Press", 1)
    assert book.page_count == 160
    assert book.cover_key is not None and (book.cover_width, book.cover_height) == (400, 600)
    assert (covers_dir / f"{book.cover_key}.webp").exists()


def test_unticked_the_found_cover_is_left_out(client, in_app, member, post, dispersing_power):
    post("/collective/books/new/look-up", EMPTY_FORM)

    post("/collective/books", {**EMPTY_FORM, "title": "Dispersing Power"})

    assert stored(in_app, isbn13=ISBN).cover_key is None


def test_a_refused_add_keeps_offering_the_found_cover(client, member, post, dispersing_power):
    post("/collective/books/new/look-up", EMPTY_FORM)

    response = post("/collective/books", {**EMPTY_FORM, "use_found_cover": "y"})

    page = page_text(response)
    assert response.status_code == 422
    assert f"/collective/books/found-covers/{ISBN}.webp" in page


def test_the_found_cover_is_served_to_members(client, member, post, dispersing_power):
    post("/collective/books/new/look-up", EMPTY_FORM)

    cover = client.get(f"/collective/books/found-covers/{ISBN}.webp")
    missing = client.get("/collective/books/found-covers/9780000000002.webp")

    assert (cover.status_code, cover.mimetype) == (200, "image/webp")
    assert cover.data.startswith(b"RIFF")
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("isbn", "words"),
    [
        ("", "Type or scan the book&#39;s ISBN first."),
        ("978-1-84935-011-3", "last digit doesn&#39;t match"),
        ("not an isbn", "10 or 13 digits"),
    ],
)
def test_a_bad_isbn_is_said_beside_the_field_and_nothing_is_asked(
    client, member, post, open_library, isbn, words
):
    response = post("/collective/books/new/look-up", {**EMPTY_FORM, "isbn": isbn})

    page = page_text(response)
    assert response.status_code == 422
    assert words in page.split('id="isbn-errors"')[1].split("</ul>")[0]
    assert "<title>Error: " in page, "said first, in the error summary"
    assert open_library.asked == []


def test_an_isbn_in_the_catalog_links_to_its_book(client, make_book, member, post, open_library):
    book = make_book(title="The one we have", isbn13=ISBN)

    response = post("/collective/books/new/look-up", EMPTY_FORM)

    page = page_text(response)
    check = page.split('id="isbn-check"')[1].split("</p>")[0]
    assert response.status_code == 422
    assert "That ISBN is already in the catalog." in page.split('id="isbn-errors"')[1]
    assert f'href="/collective/books/{book.id}/edit"' in check
    assert open_library.asked == []


def test_an_unknown_isbn_says_so_and_the_member_types_the_rest(client, member, post, open_library):
    page = page_text(post("/collective/books/new/look-up", EMPTY_FORM))

    assert "Open Library doesn&#39;t know the ISBN 978-1-84935-011-2" in page
    assert field_value(page, "title") == ""
    assert "found-covers" not in page


def test_a_slow_open_library_is_said_and_asked_again_next_time(
    client, in_app, member, post, dispersing_power
):
    dispersing_power.behaviours[ISBN] = SLOW

    page = page_text(post("/collective/books/new/look-up", EMPTY_FORM))

    assert "did not answer in time" in page
    with in_app():
        assert db.session.get(BookLookup, ISBN) is None


def test_the_add_form_from_a_delivery_is_filled_from_the_kept_answer(
    client, member, post, dispersing_power
):
    post("/collective/books/new/look-up", EMPTY_FORM)
    asked = len(dispersing_power.asked)

    page = page_text(client.get(f"/collective/books/new?isbn={ISBN}&stock=3"))

    assert len(dispersing_power.asked) == asked, "the kept answer: Open Library not asked"
    assert "Found on Open Library: “Dispersing Power”" in page
    assert (field_value(page, "title"), field_value(page, "stock")) == ("Dispersing Power", "3")
    assert field_value(page, "use_found_cover") == "y"


@pytest.mark.parametrize("typed", ["978-1-84935-011-3", "9780000000002"])
def test_an_add_form_for_a_bad_or_unknown_isbn_is_only_typed_in(
    client, member, open_library, typed
):
    page = page_text(client.get(f"/collective/books/new?isbn={typed}"))

    assert field_value(page, "isbn") == typed
    assert field_value(page, "title") == "" and "isbn-lookup" not in page
    assert open_library.asked == []


def test_a_ticked_found_cover_with_a_bad_isbn_offers_no_cover(
    client, member, post, dispersing_power
):
    post("/collective/books/new/look-up", EMPTY_FORM)

    response = post(
        "/collective/books",
        {**EMPTY_FORM, "isbn": "978-1-84935-011-3", "use_found_cover": "y"},
    )

    assert response.status_code == 422
    assert "found-covers" not in page_text(response)


def test_the_isbn_check_of_a_new_book_points_to_the_lookup(client, member, make_book, open_library):
    book = make_book(title="Ours", isbn13="9780262033848")

    new = page_text(client.get(f"/collective/books/isbn-check?isbn={ISBN}"))
    editing = page_text(client.get(f"/collective/books/isbn-check?isbn={ISBN}&book_id={book.id}"))

    assert "Press “Look it up” to fill in the rest from Open Library." in new
    assert "ISBN 978-1-84935-011-2: it will be saved as this ISBN-13." in editing
    assert "Look it up" not in editing


def test_with_htmx_the_form_alone_comes_back_in_place(client, member, post, dispersing_power):
    response = post("/collective/books/new/look-up", EMPTY_FORM, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert "HX-Request-Type" in response.headers["Vary"]
    assert "<html" not in page and '<form id="book-form"' in page
    assert field_value(page, "title") == "Dispersing Power"
    assert re.search(r'<section id="isbn-lookup"[^>]* autofocus', page)


def test_with_htmx_a_refused_isbn_takes_the_focus_back(client, member, post, open_library):
    response = post("/collective/books/new/look-up", {**EMPTY_FORM, "isbn": "12"}, htmx=True)

    page = page_text(response)
    assert response.status_code == 422
    assert re.search(
        r'<input[^>]*autofocus[^>]*name="isbn"|<input[^>]*name="isbn"[^>]*autofocus', page
    )
    whole = page_text(post("/collective/books/new/look-up", {**EMPTY_FORM, "isbn": "12"}))
    assert whole.count("autofocus") == 1, "on a whole page the error summary takes the focus"

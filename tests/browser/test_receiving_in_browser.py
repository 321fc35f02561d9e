"""Receiving a delivery and looking a book up, in a real browser (issue 20's check): a member
scans a known ISBN (the digits and Enter, as a barcode scanner types them) and sees +1 at once,
the field empty and focused for the next; scans an unknown one, sees it looked up from the
local Open Library stand-in and adds it in one step; the same without JavaScript (the lookup
is then a button on the line). On the add-book form, Enter in the ISBN field looks the book up
and fills the empty fields. axe on the delivery with its lines, in both colour schemes."""

import re

import pytest
from browser_checks import (
    assert_accessible_in_both_schemes,
    mark_this_page_load,
    page_was_not_reloaded,
)
from cover_images import jpeg
from playwright.sync_api import expect
from sqlalchemy import select

from firestorm.catalog.models import Book
from firestorm.database import db

KNOWN = "9781849350112"
UNKNOWN = "9780262033848"


@pytest.fixture
def known_book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], isbn13=KNOWN, stock=2)


@pytest.fixture
def found_online(open_library):
    open_library.add(
        UNKNOWN,
        {
            "title": "Introduction to Algorithms",
            "authors": [{"key": "/authors/OL9A"}],
            "publishers": ["MIT Press"],
            "number_of_pages": 1292,
        },
        jpeg((400, 600)),
    )
    open_library.authors["/authors/OL9A"] = {"name": "Thomas H. Cormen"}
    return open_library


@pytest.fixture
def member(make_user):
    return make_user("collective", display_name="Sam")


def book_with_isbn(app, isbn13: str) -> Book | None:
    with app.app_context():
        book = db.session.scalar(select(Book).where(Book.isbn13 == isbn13))
        if book is not None:
            db.session.expunge(book)
        return book


def scan(page, isbn13: str) -> None:
    """What a barcode scanner does: types the digits into the focused field, then Enter."""
    page.keyboard.type(isbn13)
    page.keyboard.press("Enter")


def test_a_member_scans_a_known_and_an_unknown_book_and_adds_the_new_one(
    page, context, app, known_book, found_online, member, sign_in_browser, axe_violations
):
    sign_in_browser(context, member)
    page.goto("/collective/receive")
    field = page.get_by_label("ISBN")
    expect(field).to_be_focused()
    mark_this_page_load(page)

    scan(page, KNOWN)

    expect(page.locator("#flash-messages")).to_contain_text(
        "“Dispersing Power”: +1, 3 in stock now."
    )
    expect(field).to_be_focused()
    expect(field).to_have_value("")
    assert book_with_isbn(app, KNOWN).stock == 3

    scan(page, UNKNOWN)

    line = page.locator(".delivery-line-new")
    expect(line).to_contain_text("Introduction to Algorithms")
    expect(line).to_contain_text("Thomas H. Cormen")
    expect(page.get_by_label("ISBN")).to_be_focused()
    assert_accessible_in_both_schemes(page, axe_violations)
    line.get_by_role("button", name=re.compile("^Add it with 1 copy")).click()

    expect(page.locator("#flash-messages")).to_contain_text(
        "“Introduction to Algorithms” is in the catalog, with 1 copy in stock."
    )
    expect(page.locator(".delivery-count")).to_have_text(
        "2 copies of 2 books received, 1 new book added."
    )
    assert page_was_not_reloaded(page)
    added = book_with_isbn(app, UNKNOWN)
    assert (added.stock, added.page_count, added.cover_key is not None) == (1, 1292, True)

    page.get_by_role("button", name="Finish this delivery").click()

    expect(page.locator(".lede")).to_have_text("2 copies of 2 books received, 1 new book added.")


def test_without_javascript_each_scan_is_a_post_and_the_lookup_a_button(
    new_context, app, known_book, found_online, member, sign_in_browser
):
    context = new_context(java_script_enabled=False)
    sign_in_browser(context, member)
    page = context.new_page()
    page.goto("/collective/receive")
    # A scanner types into the field that has the focus: the page gives it as it loads.
    expect(page.get_by_label("ISBN")).to_be_focused()

    scan(page, KNOWN)

    expect(page).to_have_url(re.compile(r"/collective/receive$"))
    expect(page.locator("#flash-messages")).to_contain_text("“Dispersing Power”: +1")
    expect(page.get_by_label("ISBN")).to_be_focused()

    scan(page, UNKNOWN)
    page.locator(".delivery-line-new").get_by_role(
        "button", name=re.compile("^Look it up on Open Library")
    ).click()

    expect(page).to_have_url(re.compile(r"/collective/receive#line-\d+$"))
    expect(page.locator("#flash-messages")).to_contain_text(
        "Found on Open Library: “Introduction to Algorithms”."
    )
    page.locator(".delivery-line-new").get_by_role(
        "button", name=re.compile("^Add it with 1 copy")
    ).click()

    expect(page.locator(".delivery-count")).to_have_text(
        "2 copies of 2 books received, 1 new book added."
    )
    assert book_with_isbn(app, UNKNOWN).stock == 1


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_enter_in_the_isbn_field_looks_the_book_up_and_fills_the_empty_fields(
    new_context, app, found_online, member, sign_in_browser, javascript
):
    context = new_context(java_script_enabled=javascript)
    sign_in_browser(context, member)
    page = context.new_page()
    page.goto("/collective/books/new")
    if javascript:
        mark_this_page_load(page)
    page.get_by_label("ISBN").fill(UNKNOWN)
    page.get_by_label("ISBN").press("Enter")

    expect(page.locator("#isbn-lookup")).to_contain_text(
        "Found on Open Library: “Introduction to Algorithms”."
    )
    expect(page.locator("#isbn-lookup")).to_be_focused()
    expect(page.get_by_label("Title", exact=True)).to_have_value("Introduction to Algorithms")
    expect(page.get_by_label("Number of pages")).to_have_value("1292")
    expect(page.get_by_label("Use the cover found on Open Library")).to_be_checked()
    assert book_with_isbn(app, UNKNOWN) is None, "nothing saved before the member adds it"
    if javascript:
        assert page_was_not_reloaded(page), "the form swapped in place"

    page.get_by_role("button", name="Add the book").click()

    expect(page.locator("#flash-messages")).to_contain_text(
        "“Introduction to Algorithms” is in the catalog."
    )
    added = book_with_isbn(app, UNKNOWN)
    assert (added.publisher, added.cover_key is not None) == ("MIT Press", True)

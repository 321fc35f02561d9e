"""The catalog desk in a real browser: the ISBN check appears as the member leaves the field,
a book is added through the form, and the pages (the form with its price and format) have no
accessibility violations in either colour scheme."""

from decimal import Decimal

from browser_checks import assert_accessible_in_both_schemes
from playwright.sync_api import expect


def test_the_isbn_message_appears_on_leaving_the_field(page, context, make_book, sign_in_browser):
    make_book(title="Dispersing Power", isbn13="9781849350112")
    sign_in_browser(context, role="collective")
    page.goto("/collective/books/new")

    isbn = page.get_by_label("ISBN")
    isbn.fill("978-1-84935-011-3")
    isbn.press("Tab")
    expect(page.locator("#isbn-check")).to_contain_text("last digit doesn't match")

    isbn.fill("1849350116")
    isbn.press("Tab")
    expect(page.locator("#isbn-check")).to_contain_text("already in the catalog")
    expect(page.locator("#isbn-check a")).to_have_text("See “Dispersing Power”")

    isbn.fill("0060512806")
    isbn.press("Tab")
    expect(page.locator("#isbn-check")).to_contain_text("ISBN 978-0-06-051280-4")


def test_a_book_added_through_the_form_is_on_its_public_page(page, context, sign_in_browser):
    sign_in_browser(context, role="collective")
    page.goto("/collective/books/new")

    page.get_by_label("Title", exact=True).fill("Emergent Strategy")
    page.get_by_label("Authors, one per line").fill("adrienne maree brown")
    page.get_by_label("Number of pages").fill("272")
    page.get_by_label("Copies in stock").fill("3")
    page.get_by_role("button", name="Add the book").click()
    page.get_by_role("link", name="See its public page").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Emergent Strategy")
    expect(page.locator("main")).to_contain_text("272 pages")
    expect(page.locator("main")).to_contain_text("3 copies in stock")


def test_the_desk_pages_pass_axe_in_both_schemes(
    page, context, make_book, sign_in_browser, axe_violations
):
    """The book form with its price and format (the formats in use suggested), also as it
    comes back with a price refused next to the field."""
    book = make_book(
        title="Dispersing Power",
        isbn13="9781849350112",
        price=Decimal("18.00"),
        book_format="paperback",
    )
    sign_in_browser(context, role="collective")

    for path in ("/collective/books", "/collective/books/new", f"/collective/books/{book.id}/edit"):
        page.goto(path)
        assert_accessible_in_both_schemes(page, axe_violations)
    expect(page.get_by_label("Price")).to_have_value("18.00")
    expect(page.get_by_label("Format")).to_have_value("paperback")

    page.get_by_label("Price").fill("free")
    page.get_by_role("button", name="Save the book").click()

    expect(page.locator("#price-errors")).to_be_visible()
    assert_accessible_in_both_schemes(page, axe_violations)

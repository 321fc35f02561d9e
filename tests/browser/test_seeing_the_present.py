"""A visitor who saw a page sees what changed since when they open it again: the browser asks
the site every time (an ETag, and 304 when nothing changed) instead of showing its own copy.

Opened again by a link or by typing its address, never by Back: browsers may serve Back from
their history whatever the site says."""

import pytest
from playwright.sync_api import expect


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


def stock_line(page):
    return page.locator("p.stock")


def hold_one_copy(browser, live_server, book_id: int) -> None:
    """Another customer, in a browser of their own, holds a copy."""
    other = browser.new_context(base_url=live_server)
    try:
        page = other.new_page()
        page.goto(f"/books/{book_id}/hold")
        page.get_by_label("Your name").fill("Sam Customer")
        page.get_by_label("Phone number").fill("828-555-0143")
        page.get_by_role("button", name="Hold for pickup").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("We have your hold")
    finally:
        other.close()


def test_a_book_page_typed_again_shows_a_hold_placed_meanwhile(page, browser, live_server, book):
    page.goto(f"/books/{book.id}")
    expect(stock_line(page)).to_contain_text("2 copies in stock")

    hold_one_copy(browser, live_server, book.id)
    page.goto(f"/books/{book.id}")

    expect(stock_line(page)).to_contain_text("1 copy free to hold (1 on hold)")


def test_a_book_page_reached_again_by_a_link_shows_a_hold_placed_meanwhile(
    page, browser, live_server, book
):
    page.goto(f"/books/{book.id}")
    expect(stock_line(page)).to_contain_text("2 copies in stock")
    page.goto("/books")

    hold_one_copy(browser, live_server, book.id)
    page.get_by_role("link", name="Dispersing Power").first.click()

    expect(page).to_have_url(f"{live_server}/books/{book.id}")
    expect(stock_line(page)).to_contain_text("1 copy free to hold (1 on hold)")


def test_an_unchanged_page_is_asked_for_and_answered_not_modified(page, book):
    page.goto(f"/books/{book.id}")

    again = page.goto(f"/books/{book.id}")

    # The browser asked (the site answered 304) and showed its copy, which is still right.
    assert again.request.all_headers().get("if-none-match") == again.headers["etag"]
    expect(stock_line(page)).to_contain_text("2 copies in stock")

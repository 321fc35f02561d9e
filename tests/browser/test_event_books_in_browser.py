"""An event's books in a real browser: a member finds books for a book club with the event
form's picker (htmx: the choices update as they type, a ticked book stays ticked through the
next search, no reload), adds it, and the public sees the event on the book's page and the
book on the event's page, and the banner on the day; the same picker without JavaScript
("Find books" draws the form again as typed); axe in both colour schemes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from browser_checks import (
    assert_accessible_in_both_schemes,
    mark_this_page_load,
    page_was_not_reloaded,
)
from playwright.sync_api import expect

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday Nov 24, 2026, 3pm at the store: closed on Mondays, as by default.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK)
SEARCH_BOX = "Find a book by title, author or ISBN"


@pytest.fixture
def member(make_user, clock):
    clock(NOW)
    return make_user("collective", display_name="Sam")


@pytest.fixture
def stories(make_book):
    make_book("Living Autonomy", authors=["Ana Cecilia Dinerstein"])
    return make_book("Zapatista Stories", authors=["Subcomandante Marcos"], publisher="AK Press")


def fill_the_event(page) -> None:
    page.get_by_label("Title", exact=True).fill("Book club")
    page.get_by_label("Day", exact=True).fill("2026-12-03")
    page.get_by_label("Starts at", exact=True).fill("19:00")
    page.get_by_label("Ends at", exact=True).fill("21:00")


def test_a_member_links_a_book_and_the_public_sees_the_event_on_its_page(
    page, context, browser, base_url, member, stories, clock, sign_in_browser, axe_violations
):
    sign_in_browser(context, member)
    page.goto("/collective/events/new")
    fill_the_event(page)
    mark_this_page_load(page)

    with page.expect_request("**/collective/events/book-choices?*") as asked:
        page.get_by_label(SEARCH_BOX).press_sequentially("zapatista")
    # Only the picker's own fields go to the search: not the description typed above it.
    assert "title=" not in asked.value.url and "q=zapatista" in asked.value.url
    zapatista = page.get_by_role("checkbox", name="Zapatista Stories by Subcomandante Marcos")
    expect(zapatista).to_be_visible()
    expect(page.locator("#book-choice-count")).to_have_text("1 book matches “zapatista”.")
    zapatista.check()
    assert_accessible_in_both_schemes(page, axe_violations)

    page.get_by_label(SEARCH_BOX).fill("living")
    expect(
        page.get_by_role("checkbox", name="Living Autonomy by Ana Cecilia Dinerstein")
    ).to_be_visible()
    expect(zapatista).to_be_checked()
    # Enter in a field presses the form's first button, Find books: in place, nothing lost.
    page.get_by_label("Title", exact=True).press("Enter")
    expect(page.locator("#book-choice-count")).to_have_text("1 book matches “living”.")
    assert page_was_not_reloaded(page)
    expect(page.get_by_label("Title", exact=True)).to_have_value("Book club")
    expect(zapatista).to_be_checked()

    page.get_by_role("button", name="Add the event").click()
    expect(page.locator("#flash-messages")).to_contain_text("Added “Book club”")

    public = browser.new_context(base_url=base_url)
    visitor = public.new_page()
    visitor.goto(f"/books/{stories.id}")
    event_link = visitor.get_by_role("link", name="Book club, Thu Dec 3 at 7pm")
    expect(event_link).to_be_visible()
    assert_accessible_in_both_schemes(visitor, axe_violations)

    event_link.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Book club")
    expect(visitor.get_by_role("link", name="Zapatista Stories")).to_be_visible()
    expect(visitor.get_by_role("link", name="Living Autonomy")).to_have_count(0)
    assert_accessible_in_both_schemes(visitor, axe_violations)

    clock(datetime(2026, 12, 3, 15, 0, tzinfo=NEW_YORK))
    visitor.goto("/")
    expect(visitor.locator("#store-status")).to_have_text("Open now until 9pm · Book club at 7pm")
    assert_accessible_in_both_schemes(visitor, axe_violations)
    public.close()


def test_without_javascript_find_books_draws_the_form_again_as_typed(
    new_context, member, stories, sign_in_browser, axe_violations
):
    context = new_context(java_script_enabled=False)
    sign_in_browser(context, member)
    page = context.new_page()
    page.goto("/collective/events/new")
    fill_the_event(page)

    page.get_by_label(SEARCH_BOX).fill("zapatista")
    page.get_by_role("button", name="Find books").click()
    expect(page.get_by_label("Title", exact=True)).to_have_value("Book club")
    page.get_by_role("checkbox", name="Zapatista Stories by Subcomandante Marcos").check()
    page.get_by_role("button", name="Add the event").click()

    expect(page.locator("#flash-messages")).to_contain_text("Added “Book club”")
    page.goto(f"/books/{stories.id}")
    expect(page.get_by_role("link", name="Book club, Thu Dec 3 at 7pm")).to_be_visible()

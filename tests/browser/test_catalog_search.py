"""Searching the catalog in a real browser: live search with htmx, and the same form without JS."""

import json
import re

import pytest
from playwright.sync_api import expect

SEARCH_BOX = "Search by title, author, publisher or ISBN"


@pytest.fixture
def shelves(make_book):
    """Three books: two on the shelf, one sold out."""
    return {
        "dispersing": make_book(
            title="Dispersing Power",
            subtitle="Social Movements as Anti-State Forces",
            authors=["Raúl Zibechi"],
            publisher="AK Press",
            isbn13="9781849350112",
            stock=2,
        ),
        "sold_out": make_book(title="Emergent Strategy", authors=["adrienne maree brown"], stock=0),
        "in_stock": make_book(title="Pleasure Activism", authors=["adrienne maree brown"], stock=1),
    }


def results(page):
    return page.locator("#catalog-results")


def result_count(page):
    """The line saying how many books were found, above the results."""
    return page.locator("#result-count")


def book_link(page, title):
    return results(page).get_by_role("link", name=title, exact=True)


def mark_this_page_load(page):
    """A full page load forgets window globals: if the mark survives, the page was not reloaded."""
    page.evaluate("() => { window.__marker = 1 }")


def page_was_not_reloaded(page) -> bool:
    return page.evaluate("() => window.__marker") == 1


def test_typing_updates_the_results_without_reloading_the_page(page, shelves):
    page.goto("/books")
    expect(book_link(page, "Emergent Strategy")).to_be_visible()
    mark_this_page_load(page)

    page.get_by_label(SEARCH_BOX).press_sequentially("dispersing")

    expect(result_count(page)).to_contain_text("1 book matching “dispersing”")
    expect(book_link(page, "Dispersing Power")).to_be_visible()
    expect(book_link(page, "Emergent Strategy")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/books\?.*\bq=dispersing\b"))
    assert page_was_not_reloaded(page)


def test_ticking_in_stock_only_hides_sold_out_books(page, shelves):
    page.goto("/books")
    expect(book_link(page, "Emergent Strategy")).to_be_visible()
    mark_this_page_load(page)

    page.get_by_label("In stock only").check()

    expect(book_link(page, "Emergent Strategy")).to_have_count(0)
    expect(book_link(page, "Dispersing Power")).to_be_visible()
    expect(book_link(page, "Pleasure Activism")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/books\?.*\bin_stock=1\b"))
    assert page_was_not_reloaded(page)


def test_search_works_as_a_plain_form_without_javascript(new_context, shelves):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/books")

    page.get_by_label(SEARCH_BOX).fill("dispersing")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/books\?.*\bq=dispersing\b"))
    expect(result_count(page)).to_contain_text("1 book matching “dispersing”")
    expect(book_link(page, "Dispersing Power")).to_be_visible()
    expect(book_link(page, "Emergent Strategy")).to_have_count(0)


def test_opening_a_book_from_the_results_shows_its_stock_and_isbn(page, shelves):
    page.goto("/books")

    book_link(page, "Dispersing Power").click()

    expect(page).to_have_url(re.compile(rf"/books/{shelves['dispersing'].id}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dispersing Power")
    expect(page.get_by_text("2 copies in stock")).to_be_visible()
    expect(page.get_by_text("978-1-84935-011-2")).to_be_visible()


def test_a_signed_in_persons_live_search_carries_the_csrf_token_set_on_the_body(
    page, shelves, sign_in_browser
):
    # Signed out, the catalog carries no token at all (test_public_caching.py).
    sign_in_browser(page.context)
    page.goto("/books")
    body_headers = json.loads(page.locator("body").get_attribute("hx-headers:inherited"))
    token = body_headers["X-CSRFToken"]
    assert token

    with page.expect_request(
        lambda request: "/books?" in request.url and request.headers.get("hx-request") == "true"
    ) as searching:
        page.get_by_label(SEARCH_BOX).press_sequentially("dispersing")

    assert searching.value.all_headers().get("x-csrftoken") == token


def test_back_button_after_a_live_search_shows_the_earlier_results(page, shelves):
    page.goto("/books")
    page.get_by_label(SEARCH_BOX).press_sequentially("dispersing")
    expect(page).to_have_url(re.compile(r"\bq=dispersing\b"))
    expect(book_link(page, "Emergent Strategy")).to_have_count(0)

    page.go_back()

    expect(page).to_have_url(re.compile(r"/books$"))
    expect(page.get_by_label(SEARCH_BOX)).to_have_value("")
    expect(result_count(page)).to_contain_text("3 books")
    expect(book_link(page, "Emergent Strategy")).to_be_visible()
    expect(book_link(page, "Dispersing Power")).to_be_visible()

    page.go_forward()

    expect(page).to_have_url(re.compile(r"\bq=dispersing\b"))
    expect(page.get_by_label(SEARCH_BOX)).to_have_value("dispersing")
    expect(result_count(page)).to_contain_text("1 book matching “dispersing”")
    expect(book_link(page, "Emergent Strategy")).to_have_count(0)


# --- Live search that behaves: history, title, the count announced ---------------------------

# Slower than the form's 300ms pause, so every letter asks the server, as a person typing does.
TYPING_DELAY_MS = 400


def history_length(page) -> int:
    return page.evaluate("() => history.length")


def mark_the_count(page):
    """A property on the count's element: it survives only if the element itself is kept."""
    result_count(page).evaluate("element => { element.__keptAcrossSearches = true }")


def count_is_the_same_element(page) -> bool:
    return result_count(page).evaluate("element => element.__keptAcrossSearches === true")


@pytest.fixture
def butler(make_book, shelves):
    return make_book(title="Parable of the Sower", authors=["Octavia E. Butler"], stock=1)


def test_typing_a_search_letter_by_letter_leaves_one_history_entry(page, butler):
    page.goto("/books")
    expect(result_count(page)).to_have_text("4 books")
    entries_before = history_length(page)
    mark_the_count(page)

    page.get_by_label(SEARCH_BOX).press_sequentially("butler", delay=TYPING_DELAY_MS)

    expect(result_count(page)).to_have_text("1 book matching “butler”")
    expect(page).to_have_url(re.compile(r"/books\?.*\bq=butler\b"))
    expect(page).to_have_title(re.compile(r"^Books matching “butler” · "))
    assert history_length(page) == entries_before + 1
    page.go_back()
    expect(page).to_have_url(re.compile(r"/books$"))
    expect(page).to_have_title(re.compile(r"^Books · "))


def test_the_result_count_is_one_live_region_kept_across_searches(page, butler):
    page.goto("/books")
    mark_the_count(page)

    page.get_by_label(SEARCH_BOX).press_sequentially("butler", delay=TYPING_DELAY_MS)
    expect(result_count(page)).to_have_text("1 book matching “butler”")
    page.get_by_label("In stock only").check()
    expect(result_count(page)).to_have_text("1 book matching “butler”, in stock")

    # The same element, announced politely, and not inside the part htmx replaces.
    assert count_is_the_same_element(page)
    assert result_count(page).get_attribute("role") == "status"
    expect(results(page).locator("#result-count")).to_have_count(0)
    expect(page.locator("#result-count")).to_have_count(1)


def test_two_searches_that_settle_are_two_history_entries(page, butler):
    # The page's clock, moved on by hand: site.js counts 1.5 s from an answer as still typing.
    page.clock.install()
    page.goto("/books")
    entries_before = history_length(page)
    box = page.get_by_label(SEARCH_BOX)

    box.press_sequentially("butler", delay=TYPING_DELAY_MS)
    expect(result_count(page)).to_have_text("1 book matching “butler”")
    page.clock.fast_forward(2000)  # reading the results
    box.fill("")
    box.press_sequentially("zibechi", delay=TYPING_DELAY_MS)
    expect(result_count(page)).to_have_text("1 book matching “zibechi”")

    assert history_length(page) == entries_before + 2
    page.go_back()
    expect(page).to_have_url(re.compile(r"\bq=butler\b"))
    expect(result_count(page)).to_have_text("1 book matching “butler”")


def test_the_searching_indicator_is_hidden_from_screen_readers_when_idle(page, butler):
    page.goto("/books")

    page.get_by_label(SEARCH_BOX).press_sequentially("butler", delay=TYPING_DELAY_MS)
    expect(result_count(page)).to_have_text("1 book matching “butler”")

    # Hidden as visibility: hidden is, out of the accessibility tree (not only transparent).
    expect(page.locator("#search-indicator")).to_be_hidden()
    assert "Searching" not in page.locator("#catalog-search").aria_snapshot()

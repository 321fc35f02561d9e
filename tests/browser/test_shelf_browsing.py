"""Shelves in a real browser: a shelf's filters with htmx and without JavaScript, the catalog's
shelf filter, and the collective's shelves page checked by axe-core."""

import re

import pytest
from browser_checks import describe_violations
from playwright.sync_api import expect
from shelf_helpers import add_shelves, shelve


@pytest.fixture
def shop(app, make_book):
    """Anarchism: one book in stock, one sold out. Kids: one book."""
    add_shelves(app, "Anarchism", "Kids")
    shelve(app, make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2), "Anarchism")
    shelve(app, make_book("Anarchism", authors=["Colin Ward"], stock=0), "Anarchism")
    shelve(app, make_book("The Lorax", authors=["Dr. Seuss"], stock=1), "Kids")


def book_link(page, title):
    return page.locator("#catalog-results").get_by_role("link", name=title, exact=True)


def test_a_shelfs_filters_update_its_books_without_reloading(page, shop):
    page.goto("/shelves/anarchism")
    expect(book_link(page, "Anarchism")).to_be_visible()
    page.evaluate("() => { window.__marker = 1 }")

    page.get_by_label("In stock only").check()

    expect(book_link(page, "Anarchism")).to_have_count(0)
    expect(book_link(page, "Dispersing Power")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/shelves/anarchism\?.*\bin_stock=1\b"))
    assert page.evaluate("() => window.__marker") == 1


def test_a_shelfs_filters_work_without_javascript(new_context, shop):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/shelves/anarchism")

    page.get_by_label("In stock only").check()
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"/shelves/anarchism\?.*\bin_stock=1\b"))
    expect(book_link(page, "Dispersing Power")).to_be_visible()
    expect(book_link(page, "Anarchism")).to_have_count(0)


def test_choosing_a_shelf_in_the_catalog_shows_its_books(page, shop):
    page.goto("/books")
    expect(book_link(page, "Dispersing Power")).to_be_visible()

    page.get_by_label("Shelf").select_option(label="Kids")

    expect(book_link(page, "Dispersing Power")).to_have_count(0)
    expect(book_link(page, "The Lorax")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/books\?.*\bshelf=kids\b"))


def test_the_collective_shelves_pages_have_no_accessibility_violations(
    page, context, shop, sign_in_browser, axe_violations
):
    sign_in_browser(context, role="collective")
    page.goto("/collective/shelves")

    page.get_by_label("Name of the new shelf").fill("kids")
    page.get_by_role("button", name="Add the shelf").click()

    expect(page.locator("#name-errors")).to_contain_text("That name would give the same address")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    page.get_by_role("link", name="Remove the shelf “Kids”").click()
    expect(page.get_by_role("heading", name="Remove the shelf “Kids”?")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

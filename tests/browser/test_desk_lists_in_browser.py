"""The desk's two lists in a real browser: a member finds a hold by the reference the customer
reads out (spaced, in lower case), then on the books list, filtered by shelf and sorted by
stock, presses +1 and sees the row's stock change in place; the same without JavaScript, back
on the same filtered list; axe on the search's results and on the list with its buttons."""

import re
from datetime import UTC, datetime

import pytest
from browser_checks import describe_violations, mark_this_page_load, page_was_not_reloaded
from hold_helpers import place_hold
from playwright.sync_api import expect
from shelf_helpers import add_shelves, shelve

from firestorm.catalog.models import Book
from firestorm.database import db


@pytest.fixture
def books(app, make_book):
    add_shelves(app, "Organizing")
    mutual_aid = make_book("Mutual Aid", authors=["Dean Spade"], stock=3)
    emergent = make_book("Emergent Strategy", authors=["adrienne maree brown"], stock=1)
    make_book("Odes", authors=["Someone"], stock=0)
    shelve(app, mutual_aid, "Organizing")
    shelve(app, emergent, "Organizing")
    return {"mutual_aid": mutual_aid, "emergent": emergent}


@pytest.fixture
def member(make_user):
    return make_user("collective", display_name="Sam")


def stock_of(app, book) -> int:
    with app.app_context():
        return db.session.get(Book, book.id).stock


def test_a_member_finds_a_hold_by_its_reference_then_adds_a_copy_on_the_books_list(
    page, context, app, books, member, sign_in_browser, axe_violations
):
    hold = place_hold(app, books["mutual_aid"], datetime.now(UTC), name="Ana Pérez")
    place_hold(app, books["emergent"], datetime.now(UTC), name="Someone Else")
    sign_in_browser(context, member)
    page.goto("/collective/holds")

    spoken = f"{hold.reference[:3]} {hold.reference[3:]}".lower()
    page.get_by_label("Find a hold by its reference").fill(spoken)
    page.get_by_role("button", name="Find").click()

    expect(page.locator(".result-count")).to_have_text(f"1 hold matches “{spoken}”, newest first.")
    expect(page.locator(".hold-entry")).to_have_count(1)
    expect(page.locator(f"#hold-{hold.id}")).to_contain_text("Ana Pérez")
    expect(page.get_by_label("Find a hold by its reference")).to_have_value(spoken)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    page.goto("/collective/books")
    page.get_by_label("Shelf").select_option(label="Organizing")
    page.get_by_label("Sort by").select_option(label="Stock, lowest first")
    expect(page).to_have_url(
        re.compile(r"shelf=organizing.*sort=stock|sort=stock.*shelf=organizing")
    )
    rows = page.locator("#book-table tbody th a")
    expect(rows).to_have_text(["Emergent Strategy", "Mutual Aid"])
    mark_this_page_load(page)
    controls = page.locator(f"#stock-{books['emergent'].id}")

    controls.get_by_role("button", name=re.compile(r"^\+1")).click()

    expect(controls.locator(".stock-now")).to_have_text("2 copies in stock")
    expect(controls.get_by_role("button", name=re.compile(r"^\+1"))).to_be_focused()
    expect(page.locator("#flash-messages")).to_contain_text("“Emergent Strategy”: +1")
    assert page_was_not_reloaded(page)
    assert stock_of(app, books["emergent"]) == 2
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_without_javascript_the_search_and_the_buttons_are_plain_forms(
    new_context, app, books, member, sign_in_browser
):
    hold = place_hold(app, books["mutual_aid"], datetime.now(UTC), phone="(828) 555 0143")
    context = new_context(java_script_enabled=False)
    sign_in_browser(context, member)
    page = context.new_page()
    page.goto("/collective/holds")

    page.get_by_label("Find a hold by its reference").fill("828-555-0143")
    page.get_by_role("button", name="Find").click()

    expect(page.locator(f"#hold-{hold.id}")).to_be_visible()

    page.goto("/collective/books?shelf=organizing&sort=stock")
    page.locator(f"#stock-{books['mutual_aid'].id}").get_by_role(
        "button", name=re.compile(r"^−1")
    ).click()

    expect(page).to_have_url(re.compile(r"/collective/books\?shelf=organizing&sort=stock$"))
    expect(page.locator(f"#stock-{books['mutual_aid'].id} .stock-now")).to_have_text(
        "2 copies in stock"
    )
    expect(page.locator("#book-table tbody th a")).to_have_text(["Emergent Strategy", "Mutual Aid"])
    assert stock_of(app, books["mutual_aid"]) == 2

"""The holds desk in a real browser: a member marks a hold ready and then collected without a
reload, the navigation's count and the public book page's stock words follow; a cancel asks
for a reason; the same through plain forms without JavaScript; axe on the desk."""

import re
from datetime import UTC, datetime

import pytest
from browser_checks import describe_violations, mark_this_page_load, page_was_not_reloaded
from hold_helpers import hold_now, place_hold, stock_and_log
from playwright.sync_api import expect

from firestorm.holds.models import HoldState


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=3)


@pytest.fixture
def hold(app, book):
    return place_hold(app, book, datetime.now(UTC), quantity=2)


@pytest.fixture
def member(make_user):
    return make_user("collective", display_name="Sam")


def public_stock_words(browser, base_url, book):
    """The stock words a visitor reads on the book's page, in a browser of their own."""
    visitor = browser.new_context(base_url=base_url)
    page = visitor.new_page()
    page.goto(f"/books/{book.id}")
    words = page.locator("p.stock").first.inner_text()
    visitor.close()
    return words


def test_ready_then_collected_in_place_and_the_public_stock_follows(
    page, context, browser, base_url, app, book, hold, member, sign_in_browser, axe_violations
):
    # 3 on the shelf, 2 of them held.
    assert public_stock_words(browser, base_url, book) == "1 copy free to hold (2 on hold)"
    sign_in_browser(context, member)
    page.goto("/collective/holds")
    mark_this_page_load(page)
    row = page.locator(f"#hold-{hold.id}")
    expect(page.locator("#holds-count .count-badge")).to_have_text("1")
    expect(row.locator(".hold-customer")).to_contain_text("Robin Customer")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    row.get_by_role("button", name=re.compile("^Ready for pickup")).click()

    expect(row.locator(".hold-state")).to_have_text("Ready for pickup")
    outcome = row.locator(".hold-outcome")
    expect(outcome).to_contain_text(f"Hold {hold.reference} is ready for pickup.")
    expect(outcome).to_be_focused()
    expect(page.locator("#holds-count .count-badge")).to_have_count(0)
    expect(page.locator("#flash-messages")).to_contain_text("is ready for pickup")
    assert hold_now(app, hold).state == HoldState.READY

    row.get_by_role("button", name=re.compile("^Collected")).click()

    expect(row.locator(".hold-state")).to_have_text("Collected")
    expect(row.locator(".hold-outcome")).to_contain_text("2 copies taken off the stock")
    expect(row.get_by_role("button")).to_have_count(0)
    assert page_was_not_reloaded(page)
    assert stock_and_log(app, book) == (1, [(-2, f"hold {hold.reference} collected", member.id)])
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    words = public_stock_words(browser, base_url, book)
    assert re.match(r"1 copy in stock", words) and "hold" not in words


def test_a_cancel_asks_for_a_reason_in_place(page, context, app, hold, member, sign_in_browser):
    sign_in_browser(context, member)
    page.goto("/collective/holds")
    mark_this_page_load(page)
    row = page.locator(f"#hold-{hold.id}")

    row.locator("summary", has_text="Cancel").click()
    # Spaces get past the browser's own check for an empty field; the server says why.
    row.get_by_label("Why is it cancelled?").fill("   ")
    row.get_by_role("button", name="Cancel this hold").click()

    expect(row.locator(".field-errors")).to_have_text(
        "Say why the hold is cancelled (the customer called, the book is lost…)."
    )
    expect(row.get_by_label("Why is it cancelled?")).to_be_focused()
    assert hold_now(app, hold).state == HoldState.NEW

    row.get_by_label("Why is it cancelled?").fill("Found it elsewhere")
    row.get_by_role("button", name="Cancel this hold").click()

    expect(row.locator(".hold-state")).to_have_text("Cancelled")
    expect(row).to_contain_text("by Sam: “Found it elsewhere”.")
    assert page_was_not_reloaded(page)
    assert hold_now(app, hold).state == HoldState.CANCELLED


def test_the_same_through_plain_forms_without_javascript(
    new_context, app, book, hold, member, sign_in_browser
):
    context = new_context(java_script_enabled=False)
    sign_in_browser(context, member)
    page = context.new_page()
    page.goto("/collective/holds?state=new")

    page.locator(f"#hold-{hold.id}").get_by_role(
        "button", name=re.compile("^Ready for pickup")
    ).click()

    expect(page).to_have_url(re.compile(r"/collective/holds\?state=new$"))
    expect(page.get_by_text(f"Hold {hold.reference} is ready for pickup.")).to_be_visible()
    # It has left the list of new holds; it waits on the list of ready ones.
    expect(page.get_by_text("No new holds: every request has been looked at.")).to_be_visible()
    page.get_by_role("link", name="Ready for pickup").click()
    row = page.locator(f"#hold-{hold.id}")
    row.get_by_role("button", name=re.compile("^Collected")).click()

    expect(page.get_by_text(f"Hold {hold.reference} is collected.")).to_be_visible()
    assert hold_now(app, hold).state == HoldState.COLLECTED
    assert stock_and_log(app, book)[0] == 1

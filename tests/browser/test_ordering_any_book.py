"""A customer asks for a book the shop does not list, in a real browser: a search that finds
nothing, "tell us which book", the form (a wrong ISBN fixed on the spot), and the order's own
page; then the desk sees it and attaches it to the book once added; axe in both colour schemes
on the way. The same order without JavaScript."""

import re

import pytest
from browser_checks import assert_accessible_in_both_schemes
from html_checks import TUESDAY_AFTERNOON
from playwright.sync_api import expect

from firestorm.database import db
from firestorm.holds.models import Hold


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


def test_a_customer_asks_for_a_book_the_shop_does_not_list(
    browser, base_url, page, app, book, make_book, clock, axe_violations, sign_in_browser
):
    clock(TUESDAY_AFTERNOON)
    page.goto("/books?q=the+dispossessed")

    page.get_by_role("link", name="tell us which book").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ask us to order a book")
    expect(page.get_by_label("Title")).to_have_value("the dispossessed")
    assert_accessible_in_both_schemes(page, axe_violations)
    page.get_by_label("Title").fill("The Dispossessed")
    page.get_by_label("Author (optional)").fill("Ursula K. Le Guin")
    page.get_by_label("ISBN (optional)").fill("978-0-06-051275-1")
    page.get_by_label("Format (optional)").fill("paperback")
    page.get_by_label("Your name").fill("Robin Customer")
    page.get_by_label("Phone number").fill("828-555-0143")
    page.get_by_role("button", name="Ask us to order it").click()

    expect(page.locator("#isbn-errors")).to_contain_text(
        "That ISBN's last digit doesn't match the others"
    )
    expect(page.get_by_label("ISBN (optional)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Author (optional)")).to_have_value("Ursula K. Le Guin")
    assert_accessible_in_both_schemes(page, axe_violations)
    page.get_by_label("ISBN (optional)").fill("0-06-051275-X")
    page.get_by_role("button", name="Ask us to order it").click()

    expect(page).to_have_url(re.compile(r".*/holds/[A-Za-z0-9_-]{43}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("We have your order")
    expect(page.locator("main")).to_contain_text(
        "1 copy of “The Dispossessed” by Ursula K. Le Guin (paperback, ISBN 978-0-06-051275-0)"
    )
    expect(page.locator("main")).to_contain_text("We'll confirm the price when the book arrives")
    assert_accessible_in_both_schemes(page, axe_violations)
    with app.app_context():
        [order] = db.session.scalars(db.select(Hold)).all()
        assert (order.book_id, order.asked_title) == (None, "The Dispossessed")

    # The desk sees the special order, the book as the customer named it.
    reference = page.locator(".pickup-reference strong").inner_text()
    desk = browser.new_context(base_url=base_url)
    sign_in_browser(desk, role="collective")
    member = desk.new_page()
    member.goto("/collective/holds")
    entry = member.locator(".hold-entry", has_text=reference)
    expect(entry).to_contain_text("A special order")
    expect(entry).to_contain_text("“The Dispossessed” by Ursula K. Le Guin")
    assert_accessible_in_both_schemes(member, axe_violations)

    # The book arrives and is added; the desk attaches the order to it.
    added = make_book("The Dispossessed", authors=["Ursula K. Le Guin"], isbn13="9780060512750")
    entry.get_by_role("link", name=re.compile("^Attach to a book in the catalog")).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(
        f"Attach order {reference} to a book"
    )
    choice = member.locator(".attach-candidates li", has_text="The Dispossessed")
    expect(choice).to_contain_text("ISBN 978-0-06-051275-0")
    assert_accessible_in_both_schemes(member, axe_violations)
    choice.get_by_role("button", name=re.compile("^Attach to this book")).click()

    expect(member.locator("#flash-messages")).to_contain_text(
        f"Order {reference} is now for “The Dispossessed”."
    )
    with app.app_context():
        assert db.session.get(Hold, order.id).book_id == added.id
    desk.close()


def test_without_javascript_the_order_is_sent_and_confirmed_the_same(
    browser, base_url, app, book, clock
):
    clock(TUESDAY_AFTERNOON)
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/order")
    page.get_by_label("Title").fill("The Dispossessed")
    page.get_by_label("Author (optional)").fill("Ursula K. Le Guin")
    page.get_by_label("Your name").fill("Robin Customer")
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_role("button", name="Ask us to order it").click()

    expect(page).to_have_url(re.compile(r".*/holds/[A-Za-z0-9_-]{43}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("We have your order")
    reference = page.locator(".pickup-reference strong").inner_text()
    expect(page.locator("main")).to_contain_text("“The Dispossessed” by Ursula K. Le Guin")
    with app.app_context():
        [order] = db.session.scalars(db.select(Hold)).all()
        assert (order.reference, order.asked_title, order.customer_email) == (
            reference,
            "The Dispossessed",
            "robin@example.org",
        )
    context.close()

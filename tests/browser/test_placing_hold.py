"""A customer holds a book in a real browser: from the book page's link to the confirmation that
says when to come, a refused form fixed on the spot, the same without JavaScript, and axe on
every page on the way."""

import re

import pytest
from browser_checks import describe_violations
from html_checks import MONDAY_MORNING
from playwright.sync_api import expect

from firestorm.database import db
from firestorm.holds.models import Hold


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


def holds_placed(app) -> list[tuple[str, int, str]]:
    with app.app_context():
        return [
            (hold.reference, hold.quantity, hold.customer_name)
            for hold in db.session.scalars(db.select(Hold).order_by(Hold.id))
        ]


def assert_accessible(page, axe_violations) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_a_customer_holds_two_copies_and_reads_when_to_come(page, app, book, clock, axe_violations):
    clock(MONDAY_MORNING)
    page.goto(f"/books/{book.id}")

    page.get_by_role("link", name="Hold a copy for pickup").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hold a copy for pickup")
    assert_accessible(page, axe_violations)
    page.get_by_label("Your name").fill("Robin Customer")
    page.get_by_label("Phone number").fill("call me")
    page.get_by_label("Copies").fill("2")
    page.get_by_role("button", name="Hold for pickup").click()

    # Refused: the message next to the field, everything typed still there.
    expect(page.locator("#phone-errors")).to_contain_text(
        "“call me” doesn't look like a phone number"
    )
    expect(page.get_by_label("Your name")).to_have_value("Robin Customer")
    expect(page.get_by_label("Phone number")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, axe_violations)
    page.get_by_label("Phone number").fill("828-555-0143")
    page.get_by_role("button", name="Hold for pickup").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("We have your hold")
    expect(page.locator(".pickup-when")).to_have_text(
        "Ready for pickup from Tuesday at 8am — we are closed on Mondays."
    )
    expect(page.locator("main")).to_contain_text("2 copies of “Dispersing Power” by Raúl Zibechi")
    reference = page.locator(".pickup-reference strong").inner_text()
    assert holds_placed(app) == [(reference, 2, "Robin Customer")]
    assert_accessible(page, axe_violations)
    page.emulate_media(color_scheme="dark")
    assert_accessible(page, axe_violations)

    page.get_by_role("link", name=re.compile("in the catalog")).click()
    expect(page.locator(".stock")).to_contain_text("All 2 copies are on hold — ask us to order one")
    expect(page.get_by_role("link", name="Ask us to order it")).to_be_visible()


def test_without_javascript_the_form_works_the_same(browser, base_url, app, book, clock):
    clock(MONDAY_MORNING)
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/books/{book.id}/hold")

    page.get_by_label("Your name").fill("Robin Customer")
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_role("button", name="Hold for pickup").click()

    expect(page.locator(".pickup-when")).to_contain_text("Ready for pickup from Tuesday at 8am")
    assert [quantity for _, quantity, _ in holds_placed(app)] == [1]
    context.close()

"""A customer follows their hold in a real browser: placed from the book page, they land on the
hold's own page (whose address is the link to keep), leave, come back by the link alone, and
cancel after being asked; axe in both colour schemes on the pages on the way and on the page
in its later states (ready, collected, expired, erased by the purge) and at an unknown link;
the same without JavaScript."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from browser_checks import assert_accessible_in_both_schemes
from hold_helpers import HOLD_DAYS, hold_taken_to, link_of
from html_checks import TUESDAY_AFTERNOON
from playwright.sync_api import expect

from firestorm.database import db
from firestorm.holds import purge
from firestorm.holds.models import Hold, HoldState

LINK = re.compile(r".*/holds/[A-Za-z0-9_-]{43}")


@pytest.fixture
def book(make_book):
    return make_book(
        "Dispersing Power",
        authors=["Raúl Zibechi"],
        stock=2,
        price=Decimal("18.00"),
        book_format="paperback",
    )


def hold_states(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (hold.state, hold.cancel_reason)
            for hold in db.session.scalars(db.select(Hold).order_by(Hold.id))
        ]


def test_a_customer_holds_a_book_comes_back_by_the_link_and_cancels(
    browser, base_url, page, app, book, clock, axe_violations, sign_in_browser
):
    clock(TUESDAY_AFTERNOON)
    page.goto(f"/books/{book.id}")
    expect(page.locator("main")).to_contain_text("$18.00, paperback")
    page.get_by_role("link", name="Hold a copy for pickup").click()
    expect(page.locator("main")).to_contain_text("You pay $18.00 when you pick it up")
    page.get_by_label("Your name").fill("Robin Customer")
    page.get_by_label("Phone number").fill("828-555-0143")
    page.get_by_role("button", name="Hold for pickup").click()

    # The confirmation is the hold's own page: its address is the link to keep.
    expect(page).to_have_url(LINK)
    expect(page.get_by_role("heading", level=1)).to_have_text("We have your hold")
    expect(page.get_by_role("heading", name="Keep this link to follow your hold")).to_be_visible()
    link = page.url
    reference = page.locator(".pickup-reference strong").inner_text()
    assert_accessible_in_both_schemes(page, axe_violations)

    # Later, in another browser, with nothing but the link.
    later = browser.new_context(base_url=base_url)
    again = later.new_page()
    again.goto(link)
    expect(again.get_by_role("heading", level=1)).to_have_text(
        "Your hold at Firestorm Cafe & Books"
    )
    expect(again.locator(".pickup-reference strong")).to_have_text(reference)
    expect(again.locator(".hold-news-state")).to_have_text("We're putting it aside")
    again.get_by_role("link", name="Cancel this hold").click()

    expect(again.get_by_role("heading", level=1)).to_have_text("Cancel your hold?")
    assert_accessible_in_both_schemes(again, axe_violations)
    assert hold_states(app) == [("new", "")]  # asking cancels nothing
    again.get_by_role("button", name="Yes, cancel this hold").click()

    expect(again).to_have_url(link)
    expect(again.locator(".hold-news-state")).to_have_text("Cancelled by you")
    expect(again.get_by_role("link", name="Cancel this hold")).to_have_count(0)
    assert hold_states(app) == [("cancelled", "Cancelled by the customer")]
    assert_accessible_in_both_schemes(again, axe_violations)
    again.get_by_role("link", name=re.compile("in the catalog")).click()
    expect(again.locator(".stock")).to_contain_text("2 copies in stock")
    later.close()

    # The desk sees who cancelled.
    desk = browser.new_context(base_url=base_url)
    sign_in_browser(desk, role="collective")
    member = desk.new_page()
    member.goto("/collective/holds?state=cancelled")
    expect(member.locator(".hold-entry", has_text=reference)).to_contain_text(
        "by the customer, on the hold's own page"
    )
    desk.close()


def test_keeping_the_hold_after_being_asked_changes_nothing(page, app, book, clock):
    clock(TUESDAY_AFTERNOON)
    page.goto(f"/books/{book.id}/hold")
    page.get_by_label("Your name").fill("Robin Customer")
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_role("button", name="Hold for pickup").click()
    expect(page).to_have_url(LINK)
    link = page.url

    page.get_by_role("link", name="Cancel this hold").click()
    page.get_by_role("link", name="No, keep my hold").click()

    expect(page).to_have_url(link)
    expect(page.locator(".hold-news-state")).to_have_text("We're putting it aside")
    assert hold_states(app) == [("new", "")]


def test_without_javascript_the_hold_is_followed_and_cancelled_the_same(
    browser, base_url, app, book, clock
):
    clock(TUESDAY_AFTERNOON)
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/books/{book.id}/hold")
    page.get_by_label("Your name").fill("Robin Customer")
    page.get_by_label("Phone number").fill("828-555-0143")
    page.get_by_role("button", name="Hold for pickup").click()
    expect(page).to_have_url(LINK)

    page.get_by_role("link", name="Cancel this hold").click()
    page.get_by_role("button", name="Yes, cancel this hold").click()

    expect(page.locator(".hold-news-state")).to_have_text("Cancelled by you")
    assert hold_states(app) == [("cancelled", "Cancelled by the customer")]
    context.close()


# The page's states after the first: (what the desk did, whether the purge came since, words).
LATER_STATES = {
    "ready": (HoldState.READY, False, "Come by any time we are open"),
    "collected": (HoldState.COLLECTED, False, "You picked it up on Nov 24, 2026. Thank you!"),
    "expired": (HoldState.EXPIRED, False, "nobody came for it in time, so it went back"),
    "purged": (HoldState.COLLECTED, True, "This hold has ended, and we have erased its details."),
}


@pytest.mark.parametrize("state", LATER_STATES)
def test_the_holds_page_in_its_later_states_passes_axe(
    page, app, book, make_user, clock, axe_violations, state
):
    taken_to, purged, said = LATER_STATES[state]
    member = make_user("collective", display_name="Sam")
    hold = hold_taken_to(app, book, taken_to, member, TUESDAY_AFTERNOON)
    clock(TUESDAY_AFTERNOON + timedelta(hours=2))
    if purged:
        with app.app_context():
            purge.purge(TUESDAY_AFTERNOON + timedelta(days=31), HOLD_DAYS, 30)
            db.session.commit()
        clock(TUESDAY_AFTERNOON + timedelta(days=31))

    page.goto(link_of(hold))

    expect(page.locator("main")).to_contain_text(said)
    assert_accessible_in_both_schemes(page, axe_violations)


def test_an_unknown_link_is_a_404_that_passes_axe(page, clock, axe_violations):
    clock(TUESDAY_AFTERNOON)

    response = page.goto("/holds/nothing-here")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We don't know this link")
    assert_accessible_in_both_schemes(page, axe_violations)

"""Events in a real browser: a member adds a reading at the events desk (refused first, a day
the shop is closed, then added), and the public sees it on /events, its own page and the home
page's "Coming up"; axe on each page, in both colour schemes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from browser_checks import assert_accessible_in_both_schemes
from playwright.sync_api import expect

# Tuesday Nov 24, 2026, 3pm at the store: closed on Mondays, as by default.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def member(make_user, clock):
    clock(NOW)
    return make_user("collective", display_name="Sam")


def test_a_member_adds_an_event_and_the_public_sees_it(
    page, context, browser, base_url, member, sign_in_browser, axe_violations
):
    sign_in_browser(context, member)
    page.goto("/collective/events")
    page.get_by_role("link", name="Add an event").click()
    assert_accessible_in_both_schemes(page, axe_violations)

    page.get_by_label("Title", exact=True).fill("Reading with Raúl Zibechi")
    page.get_by_label("Day", exact=True).fill("2026-11-30")
    page.get_by_label("Starts at", exact=True).fill("19:00")
    page.get_by_label("Ends at", exact=True).fill("21:00")
    page.get_by_label("Price", exact=True).fill("5.00")
    page.get_by_label("Places (optional)", exact=True).fill("20")
    page.get_by_label("Description", exact=True).fill("Bring *questions*.")
    page.get_by_role("button", name="Add the event").click()

    # A Monday: refused beside the day, the summary first, the form as typed.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The shop is closed on Mondays (Nov 30, 2026)")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Reading with Raúl Zibechi")
    assert_accessible_in_both_schemes(page, axe_violations)

    page.get_by_label("Day", exact=True).fill("2026-12-03")
    page.get_by_role("button", name="Add the event").click()
    expect(page.locator("#flash-messages")).to_contain_text("Added “Reading with Raúl Zibechi”")
    expect(page.locator(".event-list")).to_contain_text("Thursday, Dec 3, 2026, 7pm – 9pm")
    assert_accessible_in_both_schemes(page, axe_violations)

    public = browser.new_context(base_url=base_url)
    visitor = public.new_page()
    visitor.goto("/")
    visitor.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Events")
    expect(visitor.locator(".event-list")).to_contain_text(
        "Thursday, Dec 3, 2026, 7pm – 9pm · At the cafe · $5.00"
    )
    assert_accessible_in_both_schemes(visitor, axe_violations)

    visitor.get_by_role("link", name="Reading with Raúl Zibechi", exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Reading with Raúl Zibechi")
    expect(visitor.locator(".event-facts")).to_contain_text("20 places")
    expect(visitor.locator(".event-description em")).to_have_text("questions")
    assert_accessible_in_both_schemes(visitor, axe_violations)

    visitor.goto("/")
    coming_up = visitor.get_by_role("region", name="Coming up")
    expect(
        coming_up.get_by_role("link", name="Reading with Raúl Zibechi", exact=True)
    ).to_be_visible()
    assert_accessible_in_both_schemes(visitor, axe_violations)
    public.close()

"""A series of events in a real browser: a member adds "Book club, second Tuesday at 7pm, until
June" at the events desk (refused first, a repeat without an end, then added); the public sees
the next date on the home page, each date on /events and the next dates on its page; the member
cancels one date, and the site shows it struck and its calendar file STATUS:CANCELLED. axe on
each page, in both colour schemes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from browser_checks import assert_accessible_in_both_schemes
from playwright.sync_api import expect

# Tuesday Nov 24, 2026, 3pm at the store: closed on Mondays, as by default.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo("America/New_York"))
MONTHLY = "Every month, on the same weekday (like the second Tuesday)"


@pytest.fixture
def member(make_user, clock):
    clock(NOW)
    return make_user("collective", display_name="Sam")


def test_a_member_adds_a_monthly_book_club_and_cancels_one_date(
    page, context, browser, base_url, member, sign_in_browser, axe_violations
):
    sign_in_browser(context, member)
    page.goto("/collective/events/new")
    page.get_by_label("Title", exact=True).fill("Book club")
    page.get_by_label("Day", exact=True).fill("2026-12-08")
    page.get_by_label("Starts at", exact=True).fill("19:00")
    page.get_by_label("Ends at", exact=True).fill("21:00")
    page.get_by_label("Repeats", exact=True).select_option(label=MONTHLY)
    page.get_by_role("button", name="Add the event").click()

    # No end: refused beside "Repeats until", the summary first, the form as typed.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("A repeat needs an end")
    expect(page.locator("#repeat_until-errors")).to_contain_text("A repeat needs an end")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Book club")
    expect(page.get_by_label("Repeats", exact=True)).to_have_value("monthly")
    assert_accessible_in_both_schemes(page, axe_violations)

    page.get_by_label("Repeats until", exact=True).fill("2027-06-30")
    page.get_by_role("button", name="Add the event").click()
    expect(page.locator("#flash-messages")).to_contain_text("Added “Book club”")
    expect(page.locator(".event-list")).to_contain_text(
        "Every second Tuesday of the month until Jun 30, 2027"
    )

    public = browser.new_context(base_url=base_url)
    visitor = public.new_page()
    visitor.goto("/")
    coming_up = visitor.get_by_role("region", name="Coming up")
    expect(coming_up.locator(".event-entry").first).to_contain_text(
        "Tuesday, Dec 8, 2026, 7pm – 9pm"
    )
    visitor.goto("/events")
    expect(visitor.locator(".event-list .event-entry")).to_have_count(7)
    expect(visitor.locator(".event-list .event-entry").nth(1)).to_contain_text(
        "Tuesday, Jan 12, 2027, 7pm – 9pm"
    )
    visitor.get_by_role("link", name="Book club").first.click()
    expect(visitor.locator(".event-facts")).to_contain_text(
        "Every second Tuesday of the month until Jun 30, 2027"
    )
    expect(visitor.locator(".event-dates li").first).to_have_text("Tuesday, Dec 8, 2026, 7pm – 9pm")
    assert_accessible_in_both_schemes(visitor, axe_violations)

    # The member cancels January's date, asked first.
    page.get_by_role("link", name="Its dates of “Book club”").click()
    page.get_by_role("link", name="Cancel the date Tuesday, Jan 12, 2027, 7pm – 9pm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancel “Book club” on")
    page.get_by_role("button", name="Cancel this date").click()
    expect(page.locator("#flash-messages")).to_contain_text("Cancelled “Book club” on Tuesday")
    assert_accessible_in_both_schemes(page, axe_violations)

    visitor.reload()
    january = visitor.locator(".event-dates li").nth(1)
    expect(january.locator("s")).to_have_text("Tuesday, Jan 12, 2027, 7pm – 9pm")
    expect(january).to_contain_text("Cancelled")
    # The calendar file behind "Add to calendar" says so too: January's date cancelled.
    calendar_link = visitor.get_by_role("link", name="Add to calendar")
    calendar = visitor.request.get(calendar_link.get_attribute("href"))
    assert calendar.headers["content-type"] == "text/calendar; charset=utf-8"
    override = calendar.text().split("RECURRENCE-ID")[1].split("END:VEVENT")[0]
    assert ";TZID=America/New_York:20270112T190000" in override
    assert "STATUS:CANCELLED" in override
    visitor.goto("/events")
    struck = visitor.locator(".event-list .event-entry").nth(1)
    expect(struck).to_contain_text("Cancelled")
    expect(struck.locator("s").last).to_have_text("Tuesday, Jan 12, 2027, 7pm – 9pm")
    assert_accessible_in_both_schemes(visitor, axe_violations)
    public.close()

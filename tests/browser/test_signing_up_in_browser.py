"""Signing up for an event in a real browser: the places left on the event's page, a refusal
in words with the form kept, the confirmation at the private link, coming back by the link
alone and cancelling after being asked; then a full evening's waiting list, and the desk's
printable list; axe in both colour schemes on each page."""

import re

from browser_checks import assert_accessible_in_both_schemes
from playwright.sync_api import expect
from sign_up_helpers import NOW, add_event, sign_up, sign_ups_of

LINK = re.compile(r".*/sign-ups/[A-Za-z0-9_-]{43}")


def test_a_person_signs_up_comes_back_by_the_link_and_cancels(
    browser, base_url, page, app, clock, axe_violations
):
    clock(NOW)
    event_id = add_event(app, capacity=20, title="Reading with Raúl Zibechi")
    page.goto(f"/events/{event_id}")
    expect(page.locator(".event-sign-up")).to_contain_text("20 of 20 places left")
    assert_accessible_in_both_schemes(page, axe_violations)
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")

    # No way to reach them: refused in words, what was typed kept.
    page.get_by_label("Your name").fill("Robin Reader")
    page.get_by_label("Places").fill("2")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Give an email address or a phone number"
    )
    expect(page.get_by_label("Your name")).to_have_value("Robin Reader")
    expect(page.get_by_label("Places")).to_have_value("2")
    assert_accessible_in_both_schemes(page, axe_violations)

    page.get_by_label("Phone number").fill("828-555-0143")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(LINK)
    expect(page.get_by_role("heading", level=1)).to_have_text("We have your sign-up")
    expect(page.locator("main")).to_contain_text("You have 2 places.")
    link = page.url
    assert_accessible_in_both_schemes(page, axe_violations)

    # Later, in another browser, with nothing but the link.
    later = browser.new_context(base_url=base_url)
    again = later.new_page()
    again.goto(link)
    expect(again.locator("main")).to_contain_text("You have 2 places.")
    again.get_by_role("link", name="Cancel my place").click()
    expect(again.get_by_role("heading", level=1)).to_have_text("Cancel your place?")
    assert_accessible_in_both_schemes(again, axe_violations)
    again.get_by_role("button", name="Yes, cancel my place").click()
    expect(again).to_have_url(link)
    expect(again.locator("main")).to_contain_text("You cancelled this sign-up on Nov 24, 2026.")
    expect(again.get_by_role("link", name="Cancel my place")).to_have_count(0)
    assert_accessible_in_both_schemes(again, axe_violations)
    later.close()
    assert sign_ups_of(app, event_id) == [("Robin Reader", 2, "cancelled")]


def test_a_full_evening_offers_the_waiting_list_and_the_desk_prints_both_lists(
    page, context, app, clock, make_user, sign_in_browser, axe_violations
):
    clock(NOW)
    event_id = add_event(app, capacity=1)
    sign_up(app, event_id, name="Ana Ames")
    page.goto(f"/events/{event_id}")
    page.get_by_role("link", name="The evening is full: join the waiting list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the waiting list")
    page.get_by_label("Your name").fill("Bo Bell")
    page.get_by_label("Email address").fill("bo@example.org")
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.locator("main")).to_contain_text("You're on the waiting list for 1 place.")
    assert_accessible_in_both_schemes(page, axe_violations)

    sign_in_browser(context, make_user("collective", display_name="Sam"))
    page.goto("/collective/events")
    page.get_by_role("link", name="Sign-ups for “Film night”").click()
    expect(page.locator("main")).to_contain_text("Signed up: 1 of 1 places")
    expect(page.locator("main")).to_contain_text("Ana Ames")
    expect(page.get_by_role("table", name="Waiting list, in turn")).to_contain_text("Bo Bell")
    assert_accessible_in_both_schemes(page, axe_violations)
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Email everyone signed up")).to_be_hidden()
    expect(page.locator(".store-header")).to_be_hidden()
    expect(page.locator("main")).to_contain_text("Bo Bell")

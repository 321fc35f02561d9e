"""Editing the hours in a real browser: a closure for today added and the banner saying so on
every page, then removed after asking; a weekday changed in its row without a reload (refused
first, then saved); the same through plain forms without JavaScript; axe on the editor."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from browser_checks import assert_no_violations, mark_this_page_load, page_was_not_reloaded
from playwright.sync_api import expect

from firestorm.database import db
from firestorm.shop.models import SpecialHoursEntry

# Tuesday Nov 24, 2026, 3pm at the store: open until 9pm as usual.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def member(make_user, clock):
    clock(NOW)
    return make_user("collective", display_name="Sam")


def test_a_closure_for_today_is_added_and_the_banner_says_so(
    page, context, browser, base_url, member, sign_in_browser, axe_violations
):
    sign_in_browser(context, member)
    page.goto("/collective/hours")
    expect(page.locator("#store-status")).to_have_text("Open now until 9pm")
    expect(page.get_by_text("Nothing coming up: the usual week applies every day.")).to_be_visible()
    assert_no_violations(page, axe_violations)

    page.get_by_label("First day").fill("2026-11-24")
    page.get_by_label("Closed all day").check()
    page.get_by_label("Reason, shown to the public").fill("Burst pipe")
    page.get_by_role("button", name="Add", exact=True).click()

    banner = page.locator("#store-status")
    expect(banner).to_have_text("Closed today (Burst pipe) — opens Wednesday at 8am")
    expect(page.locator("#flash-messages")).to_have_text(
        "Added: Nov 24, 2026 — Closed: Burst pipe."
    )
    expect(page.locator(".special-hours-list")).to_contain_text("Nov 24, 2026 — Closed: Burst pipe")
    assert_no_violations(page, axe_violations)

    public = browser.new_context(base_url=base_url)
    visitor = public.new_page()
    visitor.goto("/hours")
    expect(visitor.locator("#store-status")).to_have_text(
        "Closed today (Burst pipe) — opens Wednesday at 8am"
    )
    expect(visitor.locator(".week-table .today td")).to_have_text("Closed: Burst pipe")
    assert_no_violations(visitor, axe_violations)

    # Removing asks first.
    page.get_by_role("link", name=re.compile("^Remove Nov 24, 2026")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this closure?")
    assert_no_violations(page, axe_violations)
    page.get_by_role("button", name="Remove it").click()

    expect(page.locator("#store-status")).to_have_text("Open now until 9pm")
    visitor.reload()
    expect(visitor.locator("#store-status")).to_have_text("Open now until 9pm")
    public.close()


def test_a_weekday_is_changed_in_its_row_without_a_reload(
    page, context, member, sign_in_browser, axe_violations
):
    sign_in_browser(context, member)
    page.goto("/collective/hours")
    mark_this_page_load(page)
    row = page.locator("#weekday-1")

    row.get_by_role("link", name="Change Tuesdays").click()

    expect(row.get_by_label("Open", exact=True)).to_be_focused()
    expect(row.get_by_label("Opens at")).to_have_value("08:00")
    assert_no_violations(page, axe_violations)

    row.get_by_label("Opens at").fill("10:00")
    row.get_by_label("Closes at").fill("09:00")
    row.get_by_label("Note for the public (optional)").fill("Kitchen closes at 3")
    row.get_by_role("button", name="Save Tuesdays").click()

    expect(row.locator(".field-errors")).to_have_text(
        "Closing time must be after opening time (10am), on the same day."
    )
    expect(row.get_by_label("Closes at")).to_be_focused()
    expect(row.get_by_label("Note for the public (optional)")).to_have_value("Kitchen closes at 3")
    assert_no_violations(page, axe_violations)

    row.get_by_label("Closes at").fill("16:00")
    row.get_by_role("button", name="Save Tuesdays").click()

    expect(row).to_contain_text("10am – 4pm")
    expect(row).to_contain_text("Kitchen closes at 3")
    expect(row.get_by_role("link", name="Change Tuesdays")).to_be_focused()
    expect(page.locator("#flash-messages")).to_have_text(
        "Saved: Tuesdays 10am – 4pm (Kitchen closes at 3)."
    )
    # Today is a Tuesday: the banner and the header follow at once.
    expect(page.locator("#store-status")).to_have_text("Open now until 4pm")
    expect(page.locator("#store-week")).to_have_text(
        "Tue 10am – 4pm · Wed thru Sun 8am – 9pm · Closed Monday"
    )
    assert page_was_not_reloaded(page)
    assert_no_violations(page, axe_violations)


def test_cancel_puts_the_row_back_as_it_was(page, context, member, sign_in_browser):
    sign_in_browser(context, member)
    page.goto("/collective/hours")
    mark_this_page_load(page)
    row = page.locator("#weekday-0")

    row.get_by_role("link", name="Change Mondays").click()
    row.get_by_label("Open", exact=True).check()
    row.get_by_role("link", name=re.compile("^Cancel")).click()

    expect(row).to_contain_text("Closed")
    expect(row.locator("form")).to_have_count(0)
    assert page_was_not_reloaded(page)


def test_the_page_changing_an_exception_has_no_accessibility_violations(
    page, context, app, member, sign_in_browser, axe_violations
):
    with app.app_context():
        db.session.add(
            SpecialHoursEntry(
                first_day=date(2026, 12, 24), last_day=date(2026, 12, 24), reason="Eve"
            )
        )
        db.session.commit()
        special_hours_id = db.session.scalar(db.select(SpecialHoursEntry.id))
    sign_in_browser(context, member)
    page.goto(f"/collective/hours/special/{special_hours_id}")

    expect(page.get_by_label("Reason, shown to the public")).to_have_value("Eve")
    assert_no_violations(page, axe_violations)
    page.emulate_media(color_scheme="dark")
    assert_no_violations(page, axe_violations)


def test_the_same_through_plain_forms_without_javascript(new_context, member, sign_in_browser):
    context = new_context(java_script_enabled=False)
    sign_in_browser(context, member)
    page = context.new_page()
    page.goto("/collective/hours")

    page.get_by_role("link", name="Change Mondays").click()

    expect(page).to_have_url(re.compile(r"/collective/hours/weekdays/0/edit$"))
    row = page.locator("#weekday-0")
    row.get_by_label("Open", exact=True).check()
    row.get_by_label("Opens at").fill("12:00")
    row.get_by_label("Closes at").fill("18:00")
    row.get_by_role("button", name="Save Mondays").click()

    expect(page).to_have_url(re.compile(r"/collective/hours#weekday-0$"))
    expect(page.locator("#weekday-0")).to_contain_text("12pm – 6pm")
    expect(page.locator("#store-week")).to_have_text("Mon 12pm – 6pm · Tue thru Sun 8am – 9pm")

    page.get_by_label("First day").fill("2026-12-24")
    page.get_by_label("Last day (leave empty for one day)").fill("2026-11-01")
    page.get_by_label("Reason, shown to the public").fill("Christmas Eve")
    page.get_by_role("button", name="Add", exact=True).click()

    expect(page.locator(".field-errors")).to_have_text("The last day comes before the first day.")
    expect(page.get_by_label("Reason, shown to the public")).to_have_value("Christmas Eve")

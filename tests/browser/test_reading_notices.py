"""Reading notices in a real browser: "Mark as read" redraws the notices in place, keeps the
keyboard's place, and works as a plain form without JavaScript; axe on the dashboard."""

from datetime import UTC, datetime

import pytest
from browser_checks import describe_violations, mark_this_page_load, page_was_not_reloaded
from playwright.sync_api import expect

from firestorm.database import db
from firestorm.notices.models import Notice
from firestorm.people.models import User
from firestorm.reviews import approvals
from firestorm.reviews.models import Review


@pytest.fixture
def robin(app, make_user, submit):
    """A volunteer with two notices: one review returned with a note, one published."""
    robin = make_user("volunteer", display_name="Robin")
    sam = make_user("collective", display_name="Sam")
    returned = submit(robin, title="Dispersing Power")
    published = submit(robin, title="Mutual Aid")
    with app.app_context():
        member = db.session.get(User, sam.id)
        now = datetime.now(UTC)
        returned = db.session.get(Review, returned)
        approvals.return_review(
            returned, member, "Say who it's for.", now, seen_round=returned.round
        )
        published = db.session.get(Review, published)
        approvals.approve_review(published, member, now, 1, seen_round=published.round)
        db.session.commit()
    return robin


def unread_count(app, person) -> int:
    with app.app_context():
        return len(
            db.session.scalars(
                db.select(Notice.id).where(Notice.user_id == person.id, Notice.read_at.is_(None))
            ).all()
        )


def test_marking_notices_read_redraws_them_without_a_reload(
    page, context, app, robin, sign_in_browser, axe_violations
):
    sign_in_browser(context, robin)
    page.goto("/my/")
    mark_this_page_load(page)
    notices = page.locator("#notices")
    expect(notices.get_by_role("heading")).to_have_text("News about your reviews (2 unread)")
    expect(notices).to_contain_text("Say who it's for.")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    notices.get_by_role("button", name="Mark as read").first.click()

    expect(notices.get_by_role("heading")).to_have_text("News about your reviews (1 unread)")
    expect(page.locator("#flash-messages")).to_have_text("Marked as read.")
    expect(notices.get_by_role("heading")).to_be_focused()
    assert page_was_not_reloaded(page)
    assert unread_count(app, robin) == 1

    notices.get_by_role("button", name="Mark as read").click()

    expect(notices).to_contain_text("You've read all your notices.")
    assert page_was_not_reloaded(page)
    assert unread_count(app, robin) == 0
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_the_link_in_a_notice_opens_the_review(page, context, robin, sign_in_browser):
    sign_in_browser(context, robin)
    page.goto("/my/")

    page.locator("#notices").get_by_role(
        "link", name="Open your review of Dispersing Power"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your review of Dispersing Power")
    expect(page.locator("main")).to_contain_text("Say who it's for.")


def test_without_javascript_mark_all_as_read_is_a_plain_form(
    browser, base_url, app, robin, sign_in_browser
):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    sign_in_browser(context, robin)
    page = context.new_page()
    page.goto("/my/")

    page.get_by_role("button", name="Mark all as read").click()

    expect(page).to_have_url(f"{base_url}/my/")
    expect(page.locator("#flash-messages")).to_have_text("All your notices are marked as read.")
    expect(page.locator("#notices")).to_have_count(0)
    assert unread_count(app, robin) == 0
    context.close()

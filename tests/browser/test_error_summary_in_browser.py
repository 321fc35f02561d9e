"""Where focus lands when a full-page form is refused, in a real browser: on the error summary at
the top (GOV.UK's pattern), so the first Tab leads into what went wrong rather than through the
header; a link in it puts focus in the field it names, with the field's label in view. Also
without JavaScript (autofocus and a fragment link do it), and axe on a refused page."""

import re
from datetime import UTC, datetime

import pytest
from browser_checks import assert_accessible_in_both_schemes
from playwright.sync_api import expect

from firestorm.database import db
from firestorm.people import invitations, password_resets
from firestorm.people.models import User


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


def assert_summary_has_focus(page) -> None:
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".error-summary")).to_be_focused()


def follow_summary_link(page, words: str, field_id: str) -> None:
    """The summary's link with these words puts focus in the field (and its label in view)."""
    page.locator(".error-summary").get_by_role("link", name=words).click()
    expect(page.locator(f"#{field_id}")).to_be_focused()
    expect(page.locator(f'label[for="{field_id}"]')).to_be_in_viewport()


def refuse_a_hold(page, book) -> None:
    page.goto(f"/books/{book.id}/hold")
    page.get_by_label("Your name").fill("Robin Customer")
    page.get_by_label("Phone number").fill("call me")
    page.get_by_role("button", name="Hold for pickup").click()


# --- The public's forms -------------------------------------------------------------------------


def test_a_refused_hold_puts_focus_on_the_summary_then_in_the_phone_field(
    page, book, axe_violations
):
    refuse_a_hold(page, book)

    assert_summary_has_focus(page)
    assert_accessible_in_both_schemes(page, axe_violations)
    follow_summary_link(page, "doesn't look like a phone number", "phone")
    expect(page.get_by_label("Your name")).to_have_value("Robin Customer")


def test_without_javascript_the_summary_takes_focus_and_its_link_too(browser, base_url, book):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()

    refuse_a_hold(page, book)

    assert_summary_has_focus(page)
    page.locator(".error-summary").get_by_role("link").first.click()
    expect(page.locator("#phone")).to_be_focused()
    context.close()


def test_a_refused_order_puts_focus_on_the_summary_then_in_the_isbn_field(page):
    page.goto("/order")
    page.get_by_label("Title").fill("The Dispossessed")
    page.get_by_label("ISBN (optional)").fill("123")
    page.get_by_label("Your name").fill("Robin Customer")
    page.get_by_label("Phone number").fill("828-555-0143")
    page.get_by_role("button", name="Ask us to order it").click()

    assert_summary_has_focus(page)
    follow_summary_link(page, "ISBN", "isbn")


# --- Signing in and the account -----------------------------------------------------------------


def test_a_refused_sign_in_puts_focus_on_the_summary_one_tab_before_the_form(page, make_user):
    make_user(email="robin@example.org")
    page.goto("/login")
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_label("Password", exact=True).fill("wrong horse")
    page.get_by_role("button", name="Sign in").click()

    assert_summary_has_focus(page)
    expect(page.locator(".error-summary")).to_contain_text("don't match an account")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email address")).to_be_focused()


def test_a_refused_password_change_puts_focus_on_the_summary_then_in_the_field(
    page, sign_in_browser
):
    sign_in_browser(page.context)
    page.goto("/account")
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill("a long new passphrase")
    page.get_by_label("Type it again").fill("a long new passphrase")
    page.get_by_role("button", name="Change the password").click()

    assert_summary_has_focus(page)
    link = page.locator(".error-summary a").first
    expect(link).to_have_attribute("href", "#current_password")
    follow_summary_link(page, link.inner_text(), "current_password")


def test_a_refused_invitation_puts_focus_on_the_summary_then_in_the_field(page, app, make_user):
    member = make_user(role="collective")
    with app.app_context():
        _, token = invitations.create_invitation(
            db.session.get(User, member.id), "new@example.org", "volunteer", datetime.now(UTC)
        )
        db.session.commit()
    page.goto(f"/invite/{token}")
    page.get_by_label("Display name").fill("Sam")
    page.get_by_label("Password", exact=True).fill("a long passphrase")
    page.get_by_label("Type it again").fill("another long passphrase")
    page.get_by_role("button", name="Make my account").click()

    assert_summary_has_focus(page)
    link = page.locator(".error-summary a").first
    follow_summary_link(page, link.inner_text(), "password_again")


# --- The collective's desk ----------------------------------------------------------------------


def test_a_refused_book_puts_focus_on_the_summary_then_in_the_isbn_field(page, sign_in_browser):
    sign_in_browser(page.context, role="collective")
    page.goto("/collective/books/new")
    page.get_by_label("Title", exact=True).fill("Dispersing Power")
    page.get_by_label("ISBN").fill("123")
    page.get_by_role("button", name="Add the book").click()

    assert_summary_has_focus(page)
    link = page.locator(".error-summary a").first
    expect(link).to_have_attribute("href", "#isbn")
    follow_summary_link(page, link.inner_text(), "isbn")


def test_a_refused_shelf_rename_links_to_that_shelfs_field(page, app, sign_in_browser):
    sign_in_browser(page.context, role="collective")
    page.goto("/collective/shelves")
    for name in ("Staff picks", "Poetry"):
        page.get_by_label("Name of the new shelf").fill(name)
        page.get_by_role("button", name="Add the shelf").click()
    page.get_by_label("New name for “Poetry”").fill("Staff picks")
    page.get_by_role("button", name="Rename “Poetry”").click()

    assert_summary_has_focus(page)
    link = page.locator(".error-summary a").first
    field_id = link.get_attribute("href")[1:]
    follow_summary_link(page, link.inner_text(), field_id)
    expect(page.get_by_label("New name for “Poetry”")).to_be_focused()


def test_a_refused_invitation_form_puts_focus_on_the_summary_then_in_the_email(
    page, sign_in_browser
):
    sign_in_browser(page.context, role="collective")
    page.goto("/collective/invitations")
    # The browser lets this address through; the shop's rules want a dot after the @.
    page.get_by_label("Their email address").fill("sam@localhost")
    page.get_by_role("button", name="Make the invitation link").click()

    assert_summary_has_focus(page)
    follow_summary_link(page, "doesn't look like an email address", "email")


# --- A forgotten password -----------------------------------------------------------------------


def test_a_refused_request_for_a_link_puts_focus_on_the_summary_then_in_the_email(
    page, mail_server
):
    page.goto("/password/forgot")
    page.get_by_label("Email address").fill("robin@localhost")
    page.get_by_role("button", name="Send me a link").click()

    assert_summary_has_focus(page)
    follow_summary_link(page, "doesn't look like an email address", "email")


def test_a_refused_new_password_puts_focus_on_the_summary_then_in_the_field(page, app, make_user):
    volunteer = make_user()
    with app.app_context():
        token = password_resets.create_reset(db.session.get(User, volunteer.id), datetime.now(UTC))
        db.session.commit()
    page.goto(f"/password/reset/{token}")
    page.get_by_label("New password").fill("password1")
    page.get_by_label("Type it again").fill("password1")
    page.get_by_role("button", name="Change my password").click()

    assert_summary_has_focus(page)
    follow_summary_link(page, "one of the most common passwords", "new_password")


# --- A volunteer's new review -------------------------------------------------------------------


def test_a_review_started_without_a_book_puts_focus_on_the_summary_then_on_the_first_book(
    page, book, sign_in_browser
):
    sign_in_browser(page.context)
    page.goto("/my/reviews/new?q=dispersing")
    page.get_by_role("button", name="Start the review").click()

    assert_summary_has_focus(page)
    follow_summary_link(page, "Choose the book you want to review.", f"book-choice-{book.id}")

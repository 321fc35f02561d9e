"""A volunteer who forgot their password gets back in with a real browser: asks for a link,
follows it from the email, chooses a new password and signs in; axe-core on each page, in both
colour schemes."""

import re
import time

import pytest
from browser_checks import assert_accessible_in_both_schemes
from playwright.sync_api import expect

LINK = re.compile(r"/password/reset/[\w-]+")


def link_from_the_email(mail_server) -> str:
    """The link's path in the email the test's mail stand-in was handed: it is sent after the
    response, by the server's thread, so it may arrive a moment after the page."""
    deadline = time.monotonic() + 10
    while not mail_server and time.monotonic() < deadline:
        time.sleep(0.05)
    [message] = mail_server
    return LINK.search(message.get_content()).group(0)


def test_a_volunteer_forgets_the_password_and_gets_back_in(
    page, make_user, mail_server, axe_violations
):
    make_user(email="robin@example.org", display_name="Robin")
    page.goto("/login")

    page.get_by_role("link", name="Forgot your password?").click()
    assert_accessible_in_both_schemes(page, axe_violations)
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(
        page.get_by_text("If an account uses that address, we've sent it a link")
    ).to_be_visible()
    assert_accessible_in_both_schemes(page, axe_violations)

    page.goto(link_from_the_email(mail_server))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible_in_both_schemes(page, axe_violations)
    # Long enough for the browser's own check: the server refuses it.
    page.get_by_label("New password").fill("password1")
    page.get_by_label("Type it again").fill("password1")
    page.get_by_role("button", name="Change my password").click()
    expect(page.locator("#new_password-errors")).to_contain_text(
        "That is one of the most common passwords"
    )
    assert_accessible_in_both_schemes(page, axe_violations)
    page.get_by_label("New password").fill("a long new passphrase")
    page.get_by_label("Type it again").fill("a long new passphrase")
    page.get_by_role("button", name="Change my password").click()

    expect(page).to_have_url(re.compile("/login$"))
    expect(page.get_by_text("Sign in with your new password.")).to_be_visible()
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_label("Password", exact=True).fill("a long new passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome, Robin. You are signed in.")).to_be_visible()


def test_the_same_without_javascript(new_context, make_user, mail_server):
    page = new_context(java_script_enabled=False).new_page()
    make_user(email="robin@example.org", display_name="Robin")
    page.goto("/login")

    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_role("button", name="Send me a link").click()
    page.goto(link_from_the_email(mail_server))
    page.get_by_label("New password").fill("a long new passphrase")
    page.get_by_label("Type it again").fill("a long new passphrase")
    page.get_by_role("button", name="Change my password").click()
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_label("Password", exact=True).fill("a long new passphrase")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("Welcome, Robin. You are signed in.")).to_be_visible()


@pytest.mark.parametrize("path", ["/password/forgot", "/password/reset/no-such-link"])
def test_the_forgot_page_without_mail_and_an_unknown_link_have_no_violations(
    page, axe_violations, path
):
    page.goto(path)

    assert_accessible_in_both_schemes(page, axe_violations)


def test_a_link_made_for_someone_else_is_shown_once_without_violations(
    page, make_user, sign_in_browser, context, axe_violations
):
    robin = make_user(email="robin@example.org", display_name="Robin")
    sign_in_browser(context, role="collective")
    page.goto(f"/collective/people/{robin.id}")

    page.get_by_role("button", name="Make a link to choose a new password").click()

    expect(page.get_by_label(re.compile("Link for Robin to choose a new password"))).to_have_value(
        re.compile(r"/password/reset/")
    )
    assert_accessible_in_both_schemes(page, axe_violations)

"""Signing in with a real browser, and axe-core on the sign-in, account and invitation pages."""

import re
from datetime import UTC, datetime

import pytest
from auth_helpers import sign_in_from
from browser_checks import describe_violations
from playwright.sync_api import expect

from firestorm.database import db
from firestorm.people import invitations

# Where signing in leads when no page asked for it (auth.routes.landing_page).
LANDING_PAGE = "/my/"


def fill_in_the_sign_in_form(page, email, password="correct horse"):
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in_through_the_form(page, email, password="correct horse"):
    """The sign-in page itself (other browser tests use conftest's sign_in_browser instead)."""
    page.goto("/login")
    fill_in_the_sign_in_form(page, email, password)


def make_an_invitation_link(page, email):
    """As ash@example.org, a collective member: sign in and make an invitation link for email."""
    sign_in_through_the_form(page, "ash@example.org")
    page.goto("/collective/invitations")
    page.get_by_label("Their email address").fill(email)
    page.get_by_role("button", name="Make the invitation link").click()


@pytest.fixture
def invitation_token(app, make_user):
    inviter = make_user(role="collective", display_name="Ash")
    with app.app_context():
        _, token = invitations.create_invitation(
            inviter, "new@example.org", "volunteer", datetime.now(UTC)
        )
        db.session.commit()
    return token


def test_signing_in_through_the_form(page, make_user):
    make_user(email="robin@example.org", display_name="Robin")

    sign_in_through_the_form(page, "robin@example.org")

    expect(page).to_have_url(re.compile(LANDING_PAGE + "$"))
    expect(page.get_by_text("Welcome, Robin. You are signed in.")).to_be_visible()
    page.goto("/account")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text("robin@example.org")).to_be_visible()


def test_a_page_that_needs_signing_in_comes_back_after_it(page, make_user):
    make_user(email="robin@example.org")
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Faccount$"))
    expect(page.get_by_text("Please sign in to see that page.")).to_be_visible()

    fill_in_the_sign_in_form(page, "robin@example.org")

    expect(page).to_have_url(re.compile(r"/account$"))


def test_a_wrong_password_is_said_next_to_the_form_and_the_email_stays(page, make_user):
    make_user(email="robin@example.org")

    sign_in_through_the_form(page, "robin@example.org", "wrong horse")

    expect(page.get_by_role("alert")).to_contain_text("don't match an account")
    expect(page.get_by_label("Email address")).to_have_value("robin@example.org")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")


def test_signing_out_from_the_account_page(page, make_user):
    make_user(email="robin@example.org")
    sign_in_through_the_form(page, "robin@example.org")
    page.goto("/account")

    page.get_by_role("button", name="Sign out everywhere").click()

    expect(page.get_by_text("You are signed out")).to_be_visible()
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_signing_out_from_the_navigation_on_any_page(page, make_user):
    make_user(email="robin@example.org")
    sign_in_through_the_form(page, "robin@example.org")
    page.goto("/books")

    page.get_by_role("navigation", name="Your pages").get_by_role("button", name="Sign out").click()

    expect(page.get_by_text("You are signed out")).to_be_visible()
    expect(page.get_by_role("link", name="Volunteers: sign in")).to_be_visible()


def test_a_browser_that_signed_in_before_gets_in_while_new_browsers_are_shut_out(
    app, page, new_context, make_user
):
    make_user(email="robin@example.org")
    sign_in_through_the_form(page, "robin@example.org")
    page.get_by_role("navigation", name="Your pages").get_by_role("button", name="Sign out").click()
    for number in range(10):  # someone guessing from ten other addresses
        guesser = app.test_client()
        guesser.environ_base["REMOTE_ADDR"] = f"10.0.0.{number}"
        sign_in_from(guesser, "robin@example.org", "a wrong guess")

    page.goto("/account")
    with page.expect_request(lambda request: request.method == "POST") as sign_in_post:
        fill_in_the_sign_in_form(page, "robin@example.org")

    expect(page).to_have_url(re.compile(r"/account$"))
    assert "device-" in sign_in_post.value.all_headers()["cookie"]
    (device_cookie,) = [c for c in page.context.cookies() if c["name"].startswith("device-")]
    assert device_cookie["httpOnly"] and device_cookie["sameSite"] == "Strict"
    assert device_cookie["path"] == "/login"
    new_browser = new_context().new_page()
    sign_in_through_the_form(new_browser, "robin@example.org")
    expect(new_browser.get_by_role("alert")).to_contain_text(
        "Sign in on a computer or phone where you have signed in before, or try again in"
    )


def test_accepting_an_invitation_in_the_browser(page, invitation_token):
    page.goto(f"/invite/{invitation_token}")

    page.get_by_label("Display name").fill("Robin")
    page.get_by_label("Password", exact=True).fill("a long passphrase")
    page.get_by_label("Type it again").fill("a long passphrase")
    page.get_by_role("button", name="Make my account").click()

    expect(page.get_by_text("Welcome, Robin! Your account is ready")).to_be_visible()


def test_the_invitation_link_can_be_copied_with_one_click(page, context, make_user):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    make_user(role="collective", email="ash@example.org")
    make_an_invitation_link(page, "new@example.org")

    page.get_by_role("button", name="Copy the link").click()

    expect(page.get_by_role("status").filter(has_text="Copied.")).to_be_visible()
    link = page.get_by_label(re.compile("Invitation link for new@example.org")).input_value()
    assert page.evaluate("() => navigator.clipboard.readText()") == link


def test_without_javascript_there_is_no_copy_button(new_context, make_user):
    page = new_context(java_script_enabled=False).new_page()
    make_user(role="collective", email="ash@example.org")
    make_an_invitation_link(page, "new@example.org")

    expect(page.get_by_label(re.compile("Invitation link for"))).to_be_visible()
    expect(page.get_by_role("button", name="Copy the link")).to_have_count(0)


@pytest.mark.parametrize(
    "path, who",
    [
        ("/login", None),
        ("/account", "volunteer"),
        ("/invite/{token}", None),
        ("/invite/no-such-token", None),
        ("/collective/invitations", "collective"),
    ],
    ids=["login", "account", "invitation", "forged-invitation", "invitations"],
)
def test_signed_in_pages_have_no_accessibility_violations(
    page, axe_violations, make_user, invitation_token, path, who
):
    if who:
        make_user(role=who, email="someone@example.org")
        sign_in_through_the_form(page, "someone@example.org")

    page.goto(path.format(token=invitation_token))

    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_pages_showing_form_errors_have_no_accessibility_violations(
    page, axe_violations, make_user
):
    make_user(role="collective", email="ash@example.org")
    sign_in_through_the_form(page, "ash@example.org", "wrong horse")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    sign_in_through_the_form(page, "ash@example.org")
    page.goto("/account")
    page.get_by_label("Current password").fill("not it")
    page.get_by_label("New password").fill("a new passphrase")
    page.get_by_label("Type it again").fill("a new passphrase")
    page.get_by_role("button", name="Change the password").click()
    expect(page.locator("#current_password-errors")).to_have_text(
        "That isn't your current password."
    )
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_the_invitations_page_with_a_new_link_has_no_accessibility_violations(
    page, axe_violations, make_user, invitation_token
):
    make_user(role="collective", email="ash@example.org")
    make_an_invitation_link(page, "another@example.org")
    expect(page.get_by_label(re.compile("Invitation link for another@example.org"))).to_be_visible()

    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

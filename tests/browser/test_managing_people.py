"""Managing people in a real browser: a role changed and an account deactivated and reactivated
in place on the person's page; your own role given up only with the box ticked, through plain
forms without JavaScript; an invitation withdrawn from the people page; axe on each page."""

import re
from datetime import UTC, datetime

import pytest
from browser_checks import assert_no_violations, mark_this_page_load, page_was_not_reloaded
from playwright.sync_api import expect

from firestorm.database import db
from firestorm.people import invitations
from firestorm.people.models import User


@pytest.fixture
def ash(make_user):
    return make_user("collective", display_name="Ash")


@pytest.fixture
def robin(make_user):
    return make_user("volunteer", display_name="Robin", email="robin@example.org")


def account(app, user) -> User:
    with app.app_context():
        found = db.session.get(User, user.id)
        db.session.expunge(found)
        return found


def test_a_role_changed_and_an_account_deactivated_in_place(
    page, context, app, ash, robin, sign_in_browser, axe_violations
):
    sign_in_browser(context, ash)
    page.goto("/collective/people")
    assert_no_violations(page, axe_violations)
    page.get_by_role("link", name="Robin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin")
    mark_this_page_load(page)
    box = page.locator("#person-account")

    box.get_by_label("Role", exact=True).select_option("collective")
    box.get_by_role("button", name="Change the role of Robin").click()

    expect(box.locator(".person-facts")).to_contain_text("Collective member")
    expect(page.locator("#flash-messages")).to_have_text(
        "Role changed to collective member: Robin is an active collective member now."
    )
    expect(box.get_by_role("button", name="Change the role of Robin")).to_be_focused()
    expect(box.locator(".account-changes li")).to_have_count(1)
    assert account(app, robin).role == "collective"

    box.get_by_role("button", name="Deactivate Robin's account").click()

    expect(box.get_by_role("button", name="Reactivate Robin's account")).to_be_focused()
    expect(box.locator(".person-facts")).to_contain_text("Deactivated: no sign-in works")
    expect(box.locator(".account-changes li").first).to_contain_text("Deactivated by Ash")
    assert not account(app, robin).is_active
    assert_no_violations(page, axe_violations)

    box.get_by_role("button", name="Reactivate Robin's account").click()

    expect(box.get_by_role("button", name="Deactivate Robin's account")).to_be_visible()
    assert account(app, robin).is_active
    assert page_was_not_reloaded(page)


def test_an_unknown_role_is_refused_in_place(
    page, context, app, ash, robin, sign_in_browser, axe_violations
):
    sign_in_browser(context, ash)
    page.goto(f"/collective/people/{robin.id}")
    mark_this_page_load(page)
    # A role no page offers, as a stale or tampered form would send it.
    page.evaluate(
        "() => { const option = document.createElement('option'); option.value = 'boss';"
        " option.text = 'Boss'; document.getElementById('role-role').append(option); }"
    )
    page.get_by_label("Role", exact=True).select_option("boss")
    page.get_by_role("button", name="Change the role of Robin").click()

    expect(page.locator("#role-role-errors")).to_have_text(
        "The role must be one of: volunteer, collective."
    )
    expect(page.get_by_label("Role", exact=True)).to_be_focused()
    assert page_was_not_reloaded(page)
    assert account(app, robin).role == "volunteer"
    assert_no_violations(page, axe_violations)


def test_giving_up_your_own_role_without_javascript_needs_the_box_ticked(
    new_context, app, ash, make_user, sign_in_browser, axe_violations
):
    make_user("collective", display_name="Sam")
    context = new_context(java_script_enabled=False)
    sign_in_browser(context, ash)
    page = context.new_page()
    page.goto(f"/collective/people/{ash.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ash (you)")

    page.get_by_label("Role", exact=True).select_option("volunteer")
    page.get_by_role("button", name="Change the role of Ash").click()

    expect(page.locator("#role-confirm-errors")).to_contain_text("tick the box")
    expect(page.get_by_label("Role", exact=True)).to_have_value("volunteer")
    assert account(app, ash).role == "collective"

    page.get_by_label("Yes, I understand I will lose access to the collective's pages").check()
    page.get_by_role("button", name="Change the role of Ash").click()

    expect(page).to_have_url(re.compile(r"/my/$"))
    expect(page.get_by_text("You are an active volunteer now.")).to_be_visible()
    expect(page.get_by_role("link", name="People")).to_have_count(0)
    assert account(app, ash).role == "volunteer"


def test_an_invitation_withdrawn_from_the_people_page(
    page, context, app, ash, sign_in_browser, axe_violations
):
    with app.app_context():
        invitations.create_invitation(
            db.session.get(User, ash.id), "new@example.org", "volunteer", datetime.now(UTC)
        )
        db.session.commit()
    sign_in_browser(context, ash)
    page.goto("/collective/people")
    assert_no_violations(page, axe_violations)

    page.get_by_role("button", name="Withdraw the invitation for new@example.org").click()

    expect(page).to_have_url(re.compile(r"/collective/people$"))
    expect(page.locator("#flash-messages")).to_contain_text(
        "The invitation for new@example.org is withdrawn"
    )
    expect(page.get_by_text("No invitations are waiting to be used.")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_people_pages_have_no_accessibility_violations(
    page, context, app, ash, robin, sign_in_browser, axe_violations, scheme
):
    with app.app_context():
        invitations.create_invitation(
            db.session.get(User, ash.id), "new@example.org", "volunteer", datetime.now(UTC)
        )
        db.session.commit()
    sign_in_browser(context, ash)
    page.emulate_media(color_scheme=scheme)

    for path in [
        "/collective/people",
        f"/collective/people/{robin.id}",
        f"/collective/people/{ash.id}",
        "/collective/invitations",
    ]:
        page.goto(path)
        assert_no_violations(page, axe_violations)

"""People through the pages (firestorm/collective/people_routes.py): the list and the waiting
invitations, a person's page, changing a role, deactivating and reactivating in place with
htmx and as plain forms, the refusals next to what was sent, withdrawing an invitation, and
who may do any of it. The rules themselves: test_people_management.py."""

import re
from datetime import timedelta

import auth_helpers
import pytest
from auth_helpers import is_signed_in, sign_in_from
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import NOW, not_found_page, page_text, sign_in_client

from firestorm.database import db
from firestorm.people import invitations
from firestorm.people.accounts import WRONG_EMAIL_OR_PASSWORD
from firestorm.people.models import AccountChange, Invitation, User

PEOPLE = "/collective/people"
LAST_MEMBER = "You are the last active collective member"
CONFIRM = "tick the box to say you understand you will lose access"


def person_path(person, action="") -> str:
    return f"{PEOPLE}/{person.id}{'/' + action if action else ''}"


@pytest.fixture
def ash(login_as, clock):
    """Ash, a collective member, signed in; the pages' clock at NOW (10am at the store)."""
    clock(NOW)
    return login_as("collective", display_name="Ash", email="ash@example.org")


@pytest.fixture
def robin(make_user):
    return make_user("volunteer", display_name="Robin", email="robin@example.org")


@pytest.fixture
def sam(make_user):
    return make_user("collective", display_name="Sam", email="sam@example.org")


@pytest.fixture
def account(app):
    """account(user): the account as the database holds it now."""

    def account(user) -> User:
        with app.app_context():
            found = db.session.get(User, user.id)
            db.session.expunge(found)
            return found

    return account


def changes_of(app, user) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(AccountChange.description)
                .where(AccountChange.user_id == user.id)
                .order_by(AccountChange.id)
            )
        )


def invite(app, member, email, now=NOW) -> tuple[int, str]:
    return auth_helpers.invite(app, member, email, now)


def errors_of(page: str, field_id: str) -> list[str]:
    found = re.search(rf'<ul id="{field_id}-errors" class="field-errors">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


# --- Who may open and send what ------------------------------------------------------------


def every_route(person, invitation_id) -> list[tuple[str, str]]:
    return [
        ("GET", PEOPLE),
        ("GET", person_path(person)),
        ("POST", person_path(person, "role")),
        ("POST", person_path(person, "deactivate")),
        ("POST", person_path(person, "reactivate")),
        ("POST", f"/collective/invitations/{invitation_id}/withdraw"),
    ]


def invitation_waits(app, invitation_id) -> bool:
    with app.app_context():
        return db.session.get(Invitation, invitation_id).cancelled_at is None


def test_strangers_are_sent_to_sign_in(app, client, post, robin, sam, account):
    invitation_id, _ = invite(app, sam, "new@example.org")
    for method, path in every_route(robin, invitation_id):
        response = client.get(path) if method == "GET" else post(path, {"role": "collective"})
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next="), path
    assert account(robin).role == "volunteer" and account(robin).is_active
    assert invitation_waits(app, invitation_id)


def test_volunteers_are_refused(app, client, post, login_as, robin, sam, account):
    invitation_id, _ = invite(app, sam, "new@example.org")
    login_as("volunteer")
    for method, path in every_route(robin, invitation_id):
        if method == "GET":
            assert client.get(path).status_code == 403, path
        else:
            for htmx in (False, True):
                response = post(path, {"role": "collective"}, htmx=htmx)
                assert response.status_code == 403, path
    assert account(robin).role == "volunteer" and account(robin).is_active
    assert invitation_waits(app, invitation_id)


def test_members_have_people_in_their_navigation_and_volunteers_do_not(client, login_as):
    login_as("volunteer")
    assert f'href="{PEOPLE}"' not in page_text(client.get("/"))

    login_as("collective")
    assert f'href="{PEOPLE}">People</a>' in page_text(client.get("/"))
    assert f'href="{PEOPLE}" aria-current="page">People</a>' in page_text(client.get(PEOPLE))


def test_an_unknown_person_is_not_found(client, post, ash):
    nobody = User(id=10**9)
    not_found_page(client.get(person_path(nobody)))
    for action, data in [("role", {"role": "collective"}), ("deactivate", {}), ("reactivate", {})]:
        for htmx in (False, True):
            not_found_page(post(person_path(nobody, action), data, htmx=htmx))
    # An unknown role for an unknown person: still the person that is missing.
    not_found_page(post(person_path(nobody, "role"), {"role": "boss"}))


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_each_account_with_role_last_sign_in_and_state(
    app, client, ash, robin, sam, post, account
):
    sign_in_from(app.test_client(), "sam@example.org")  # signs in at the real time
    post(person_path(robin, "deactivate"))

    page = page_text(client.get(PEOPLE))

    rows = re.findall(r"<tr>\s*(.*?)\s*</tr>", page.split("<tbody>")[1], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    assert [c[0] for c in cells] == [
        f'<a href="{person_path(ash)}">Ash</a> (you)',
        f'<a href="{person_path(sam)}">Sam</a>',
        f'<a href="{person_path(robin)}">Robin</a>',
    ]
    assert cells[0][1:] == ["ash@<wbr>example<wbr>.org", "Collective member", "Never", "Active"]
    assert cells[1][3] != "Never" and cells[1][2:5:2] == ["Collective member", "Active"]
    assert cells[2][1:] == ["robin@<wbr>example<wbr>.org", "Volunteer", "Never", "Deactivated"]
    assert "No invitations are waiting to be used." in page


def test_the_list_comes_in_pages(app, client, ash, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "PEOPLE_PER_PAGE", 2)
    for number in range(3):
        make_user(display_name=f"Volunteer {number}")
    first, last = page_text(client.get(PEOPLE)), page_text(client.get(f"{PEOPLE}?page=2"))

    assert "Page 1 of 2" in first and "Volunteer 2" not in first
    assert f'<a rel="next" href="{PEOPLE}?page=2">' in first
    assert "Volunteer 1" in last and "Volunteer 2" in last and ">Ash</a>" not in last


def test_waiting_invitations_are_listed_and_withdrawn_from_the_list(
    app, client, ash, post, make_user
):
    waiting_id, token = invite(app, ash, "new@example.org")
    used_id, used_token = invite(app, ash, "used@example.org")
    with app.app_context():
        invitations.accept_invitation(used_token, "Used", "a long passphrase", NOW)
        db.session.commit()

    page = page_text(client.get(PEOPLE))
    assert "new@example.org" in page and "used@example.org" not in page.split("Waiting")[1]
    withdraw = f"/collective/invitations/{waiting_id}/withdraw"
    assert f'action="{withdraw}" method="post"' in page
    assert f'<input type="hidden" name="next" value="{PEOPLE}">' in page

    response = post(withdraw, {"next": PEOPLE})

    assert (response.status_code, response.headers["Location"]) == (302, PEOPLE)
    after = page_text(client.get(PEOPLE))
    assert "The invitation for new@example.org is withdrawn: its link no longer works." in after
    assert "No invitations are waiting to be used." in after
    link = app.test_client().get(f"/invite/{token}")
    assert link.status_code == 410
    assert "This invitation has been withdrawn" in page_text(link)
    invitations_page = page_text(client.get("/collective/invitations"))
    assert "Withdrawn Nov 24, 2026" in invitations_page


def test_withdrawing_twice_or_going_elsewhere_or_an_unknown_invitation(app, client, ash, post):
    invitation_id, _ = invite(app, ash, "new@example.org")
    withdraw = f"/collective/invitations/{invitation_id}/withdraw"
    post(withdraw, {"next": PEOPLE})

    again = post(withdraw, {"next": "https://evil.example/"})

    assert again.headers["Location"] == "/collective/invitations"
    assert "no longer works: nothing to withdraw" in page_text(
        client.get("/collective/invitations")
    )
    assert post("/collective/invitations/999999/withdraw").status_code == 404
    with app.app_context():
        assert db.session.get(Invitation, invitation_id).accepted_at is None


# --- A person's page -------------------------------------------------------------------------


def test_someone_elses_page_has_htmx_forms_and_no_confirmation(client, ash, robin):
    page = page_text(client.get(person_path(robin)))

    assert "<h1>Robin</h1>" in page
    assert "<dt>Email</dt><dd>robin@<wbr>example<wbr>.org</dd>" in page
    assert "<dt>Last signed in</dt><dd>Never</dd>" in page
    for action in ("role", "deactivate"):
        path = person_path(robin, action)
        assert f'action="{path}" method="post" hx-post="{path}" hx-target="#person-account"' in page
    assert '<option selected value="volunteer">' in page
    assert "I understand" not in page
    assert "No changes since the account was made." in page


def test_your_own_page_asks_to_confirm_and_posts_plainly(client, ash):
    page = page_text(client.get(person_path(ash)))

    assert "<h1>Ash (you)</h1>" in page
    assert "hx-post" not in page.split('id="person-account"')[1]
    assert page.count('type="checkbox"') == 2
    assert "Yes, I understand I will lose access to the collective&#39;s pages" in page
    assert "Yes, I understand I will lose access: I will be signed out" in page
    assert "Deactivate your account" in page


def test_a_role_change_without_javascript_comes_back_to_the_page(
    app, client, ash, robin, post, account
):
    response = post(person_path(robin, "role"), {"role": "collective"})

    assert (response.status_code, response.headers["Location"]) == (302, person_path(robin))
    assert account(robin).role == "collective"
    page = page_text(client.get(person_path(robin)))
    assert "Role changed to collective member: Robin is an active collective member now." in page
    assert "<li>Role changed to collective member by Ash, Nov 24, 2026, 10am</li>" in page


def test_a_role_change_with_htmx_redraws_the_account_in_place(app, client, ash, robin, post):
    response = post(person_path(robin, "role"), {"role": "collective"}, htmx=True)

    page = page_text(response)
    assert response.status_code == 200 and "<html" not in page
    assert page.lstrip().startswith('<div id="person-account" class="person-account">')
    assert "<dt>Role</dt><dd>Collective member</dd>" in page
    assert '<div id="flash-messages" class="flash-messages" hx-swap-oob="true">' in page
    assert "Robin is an active collective member now." in page
    assert '<button type="submit" id="role-submit" autofocus>' in page
    assert "HX-Request-Type" in response.headers["Vary"]


def test_the_same_role_again_changes_nothing(app, client, ash, robin, post):
    post(person_path(robin, "role"), {"role": "volunteer"})

    page = page_text(client.get(person_path(robin)))
    assert "Nothing changed: Robin is an active volunteer already." in page
    assert changes_of(app, robin) == []


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("role", ["boss", ""])
def test_an_unknown_role_is_refused_next_to_the_field(
    app, client, ash, robin, post, account, role, htmx
):
    response = post(person_path(robin, "role"), {"role": role}, htmx=htmx)

    page = page_text(response)
    assert response.status_code == 422
    assert errors_of(page, "role-role") == ["The role must be one of: volunteer, collective."]
    assert re.search(r'<select [^>]*autofocus[^>]*id="role-role"', page)
    assert ("<html" in page) is not htmx
    assert account(robin).role == "volunteer"


def test_your_own_demotion_needs_the_box_ticked(app, client, ash, sam, post, account):
    response = post(person_path(ash, "role"), {"role": "volunteer"})

    page = page_text(response)
    assert response.status_code == 422
    assert CONFIRM in errors_of(page, "role-confirm")[0]
    # The form comes back as it was sent.
    assert '<option selected value="volunteer">' in page
    assert account(ash).role == "collective"


def test_your_own_demotion_confirmed_takes_you_to_your_reviews(client, ash, sam, post, account):
    response = post(person_path(ash, "role"), {"role": "volunteer", "confirm": "y"})

    assert (response.status_code, response.headers["Location"]) == (302, "/my/")
    assert account(ash).role == "volunteer"
    assert "Role changed to volunteer: You are an active volunteer now." in page_text(
        client.get("/my/")
    )
    assert client.get(PEOPLE).status_code == 403


def test_the_last_active_member_cannot_step_down(app, client, ash, robin, post, account):
    demoted = post(person_path(ash, "role"), {"role": "volunteer", "confirm": "y"})
    deactivated = post(person_path(ash, "deactivate"), {"confirm": "y"})

    assert (demoted.status_code, deactivated.status_code) == (422, 422)
    assert errors_of(page_text(demoted), "role-role")[0].startswith(LAST_MEMBER)
    # The box stays ticked, as it was sent.
    assert 'checked id="role-confirm"' in page_text(demoted)
    assert f'<div class="form-errors" role="alert">\n  <p>{LAST_MEMBER}' in page_text(deactivated)
    assert account(ash).role == "collective" and account(ash).is_active
    assert changes_of(app, ash) == []


# --- Deactivating and reactivating ---------------------------------------------------------


def test_deactivating_someone_signs_them_out_everywhere(app, client, ash, robin, post, account):
    robins_browser = sign_in_client(app.test_client(), robin)
    assert is_signed_in(robins_browser)

    response = post(person_path(robin, "deactivate"))

    assert (response.status_code, response.headers["Location"]) == (302, person_path(robin))
    assert not account(robin).is_active
    assert not is_signed_in(robins_browser)
    refused = sign_in_from(app.test_client(), "robin@example.org")
    assert refused.status_code == 422
    assert WRONG_EMAIL_OR_PASSWORD.replace("'", "&#39;") in page_text(refused)
    page = page_text(client.get(person_path(robin)))
    assert "<dt>State</dt><dd>Deactivated: no sign-in works</dd>" in page
    assert "Reactivate Robin&#39;s account" in page
    assert "<li>Deactivated by Ash, Nov 24, 2026, 10am</li>" in page


def test_deactivating_and_reactivating_with_htmx(app, client, ash, robin, post, account):
    response = post(person_path(robin, "deactivate"), htmx=True)

    page = page_text(response)
    assert response.status_code == 200 and "<html" not in page
    assert "Deactivated: Robin is a deactivated volunteer now." in page
    assert '<button type="submit" id="access-submit" autofocus>Reactivate Robin' in page

    response = post(person_path(robin, "reactivate"), htmx=True)

    assert response.status_code == 200
    assert "Reactivated: Robin is an active volunteer now." in page_text(response)
    assert account(robin).is_active
    assert changes_of(app, robin) == ["Deactivated", "Reactivated"]
    assert sign_in_from(app.test_client(), "robin@example.org").status_code == 302


def test_your_own_deactivation_needs_the_box_ticked_and_then_signs_you_out(
    app, client, ash, sam, post, account
):
    refused = post(person_path(ash, "deactivate"))

    assert refused.status_code == 422
    assert CONFIRM in errors_of(page_text(refused), "access-confirm")[0]
    assert account(ash).is_active

    response = post(person_path(ash, "deactivate"), {"confirm": "y"})

    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert not account(ash).is_active
    home = page_text(client.get("/"))
    assert "Your account is deactivated, and you are signed out everywhere." in home
    assert not is_signed_in(client)


def test_a_sign_in_shows_on_the_list(app, client, ash, robin):
    sign_in_from(app.test_client(), "robin@example.org")

    page = page_text(client.get(PEOPLE))

    row = page.split(f'<a href="{person_path(robin)}">Robin</a>')[1].split("</tr>")[0]
    assert "Never" not in row


# --- Valid HTML ------------------------------------------------------------------------------


def test_the_people_pages_are_valid_html(
    tmp_path, app, client, ash, robin, sam, post, nu_html_checker
):
    invite(app, ash, "new@example.org")
    withdrawn_id, withdrawn_token = invite(app, ash, "gone@example.org")
    post(f"/collective/invitations/{withdrawn_id}/withdraw")
    post(person_path(robin, "role"), {"role": "collective"})
    pages = {
        "people": client.get(PEOPLE),
        "person": client.get(person_path(robin)),
        "yourself": client.get(person_path(ash)),
        "refused-role": post(person_path(robin, "role"), {"role": "boss"}),
        "refused-own-demotion": post(person_path(ash, "role"), {"role": "volunteer"}),
        "refused-own-deactivation": post(person_path(ash, "deactivate")),
        "invitations": client.get("/collective/invitations"),
        "withdrawn-link": app.test_client().get(f"/invite/{withdrawn_token}"),
    }
    post(person_path(sam, "deactivate"))
    pages["deactivated-person"] = client.get(person_path(sam))
    for name, response in pages.items():
        assert response.status_code in (200, 410, 422), name

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


def test_invitations_older_than_their_days_are_not_waiting(app, client, ash):
    invite(app, ash, "new@example.org", now=NOW - timedelta(days=8))

    assert "No invitations are waiting to be used." in page_text(client.get(PEOPLE))

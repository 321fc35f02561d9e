"""The account page: who may open it, changing the display name and the password."""

import pytest
from auth_helpers import change_password, is_signed_in, post_form, sign_in_from, stored
from review_helpers import page_text

from firestorm.people.passwords import verify_password


@pytest.mark.parametrize("role", ["volunteer", "collective"])
def test_both_roles_see_their_account_page(client, login_as, role):
    login_as(role, email="robin@example.org", display_name="Robin")

    text = page_text(client.get("/account"))

    assert "You are signed in as <strong>robin@<wbr>example<wbr>.org</strong>" in text
    assert 'value="Robin"' in text
    assert "Change your password" in text and "Sign out" in text


@pytest.mark.parametrize(
    "method, path",
    [("GET", "/account"), ("POST", "/account/name"), ("POST", "/account/password")],
)
def test_the_account_pages_send_strangers_to_sign_in(client, csrf_token, method, path):
    response = client.open(path, method=method, data={"csrf_token": csrf_token()})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=%2Faccount")


def test_changing_the_display_name(client, in_app, login_as):
    robin = login_as("volunteer", display_name="Robin")

    response = post_form(client, "/account/name", display_name="  Robin  Ruiz ")

    assert response.headers["Location"] == "/account"
    assert "Your display name is now Robin Ruiz." in page_text(client.get("/account"))
    assert stored(in_app, robin).display_name == "Robin Ruiz"


@pytest.mark.parametrize(
    "name, message",
    [("   ", "Enter the name to show on your reviews."), ("R" * 81, "Use at most 80")],
)
def test_a_refused_display_name_comes_back_with_what_was_typed(
    client, in_app, login_as, name, message
):
    robin = login_as("volunteer", display_name="Robin")

    response = post_form(client, "/account/name", display_name=name)

    assert response.status_code == 422
    assert message in page_text(response)
    assert f'value="{name}"' in page_text(response)
    assert stored(in_app, robin).display_name == "Robin"


def test_changing_the_password_keeps_this_browser_and_signs_out_the_others(
    app, client, in_app, make_user, sign_in
):
    robin = make_user(email="robin@example.org")
    elsewhere = app.test_client()
    sign_in_from(elsewhere, "robin@example.org")
    sign_in("robin@example.org")

    response = change_password(client)

    assert response.headers["Location"] == "/account"
    assert "Your password is changed." in page_text(client.get("/account"))
    assert is_signed_in(client) and not is_signed_in(elsewhere)
    assert verify_password(stored(in_app, robin).password_hash, "a new passphrase")


def test_changing_the_password_renews_the_remember_me_cookie(client, make_user, sign_in):
    make_user(email="robin@example.org")
    sign_in("robin@example.org", remember=True)
    old_cookie = client.get_cookie("remember_token").value

    change_password(client)
    client.delete_cookie("session")

    assert client.get_cookie("remember_token").value != old_cookie
    assert is_signed_in(client)


@pytest.mark.parametrize(
    "current, new, again, message",
    [
        ("wrong horse", "a new passphrase", None, "That isn&#39;t your current password."),
        ("correct horse", "a new passphrase", "a new passphrasf", "The two passwords are"),
        ("correct horse", "short", None, "Use at least 8 characters."),
        ("correct horse", "iloveyou", None, "most common passwords"),
        ("", "a new passphrase", None, "Enter your current password."),
    ],
    ids=["wrong-current", "different-again", "short", "common", "no-current"],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    client, in_app, login_as, current, new, again, message
):
    robin = login_as("volunteer")

    response = change_password(client, current, new, again)

    assert response.status_code == 422
    assert message in page_text(response)
    assert 'type="password" value=""' in page_text(response), "passwords are never sent back"
    assert verify_password(stored(in_app, robin).password_hash, "correct horse")
    assert is_signed_in(client)

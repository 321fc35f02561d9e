"""A forgotten password: the link asked for by email on /password/forgot, the page it opens,
and the link a collective member makes for someone else on their page."""

import hashlib
import re
import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from auth_helpers import is_signed_in, sign_in_from, stored
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import page_text, token_of
from sqlalchemy import select

from firestorm.database import db
from firestorm.outbox.models import LINK_PLACEHOLDER, MessageState, OutgoingMessage
from firestorm.people import password_resets
from firestorm.people.models import AccountChange, PasswordReset
from firestorm.people.passwords import verify_password

SAME_ANSWER = "If an account uses that address, we've sent it a link"
NEW_PASSWORD = "a long new passphrase"
LINK = re.compile(r"https?://\S+/password/reset/[\w-]+")


def ask_for_link(client, email):
    return client.post("/password/forgot", data={"csrf_token": token_of(client), "email": email})


def choose(client, link, password=NEW_PASSWORD, again=None):
    path = link[link.index("/password/") :]
    return client.post(
        path,
        data={
            "csrf_token": token_of(client),
            "new_password": password,
            "new_password_again": password if again is None else again,
        },
    )


def link_in(message) -> str:
    return LINK.search(message.get_content()).group(0)


def resets(in_app) -> list[PasswordReset]:
    with in_app():
        found = list(db.session.scalars(select(PasswordReset)))
        db.session.expunge_all()
        return found


def history(in_app, user) -> list[tuple[str, int | None]]:
    with in_app():
        return [
            (change.description, change.changed_by_id)
            for change in db.session.scalars(
                select(AccountChange).where(AccountChange.user_id == user.id)
            )
        ]


@pytest.fixture
def volunteer(make_user):
    return make_user(email="robin@example.org", display_name="Robin")


# --- Asking for a link ----------------------------------------------------------------------


def test_the_sign_in_page_offers_a_way_back_in(client):
    text = page_text(client.get("/login"))

    assert 'href="/password/forgot">Forgot your password?</a>' in text


def test_the_forgot_page_asks_for_the_address(client, mail_server):
    text = page_text(client.get("/password/forgot"))

    assert "Forgot your password?" in text and 'name="email"' in text


def test_a_known_address_is_mailed_a_link_that_opens_the_new_password_form(
    client, volunteer, mail_server
):
    response = ask_for_link(client, "Robin@Example.org ")

    assert SAME_ANSWER in page_text(response, 200)
    [message] = mail_server
    assert message["To"] == "robin@example.org"
    assert "within an hour" in message.get_content()
    opened = client.get(link_in(message))
    assert "Choose a new password" in page_text(opened, 200)


@pytest.mark.parametrize("email", ["nobody@example.org", "gone@example.org"])
def test_an_unknown_or_deactivated_address_gets_the_same_answer_and_no_mail(
    client, make_user, in_app, mail_server, email
):
    gone = make_user(email="gone@example.org")
    with in_app():
        db.session.get(type(gone), gone.id).is_active = False
        db.session.commit()

    response = ask_for_link(client, email)

    assert SAME_ANSWER in page_text(response, 200)
    assert mail_server == []
    assert resets(in_app) == []


@pytest.mark.parametrize("email", ["robin@example.org", "nobody@example.org"])
def test_the_answer_is_made_before_the_account_is_looked_for(
    app, client, volunteer, in_app, mail_server, email
):
    """Whether an address has an account shows neither in the answer nor in its time: the
    link is made once the answer has gone (as the server closes it)."""
    token = token_of(client)
    # A client that leaves the answer open, as a server does while it is being sent.
    sending = app.test_client(use_cookies=True)
    sending.set_cookie("session", client.get_cookie("session").value)
    answer = sending.post(
        "/password/forgot", data={"csrf_token": token, "email": email}, buffered=False
    )

    assert SAME_ANSWER in answer.get_data(as_text=True)
    assert (resets(in_app), mail_server) == ([], [])
    answer.close()
    known = email == "robin@example.org"
    assert len(resets(in_app)) == len(mail_server) == (1 if known else 0)


def test_a_link_that_cannot_be_made_after_the_answer_is_logged_and_nothing_is_left(
    client, volunteer, in_app, mail_server, monkeypatch, caplog
):
    def database_away(user, now):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(password_resets, "create_reset", database_away)

    response = ask_for_link(client, "robin@example.org")

    assert SAME_ANSWER in page_text(response, 200)
    assert (resets(in_app), mail_server) == ([], [])
    assert "A password reset link asked for failed after the response (RuntimeError)" in caplog.text
    assert "robin@example.org" not in caplog.text


@pytest.mark.parametrize("email", ["not an address", "robin@", ""])
def test_something_that_is_no_address_is_refused_in_words(client, mail_server, email):
    response = ask_for_link(client, email)

    assert response.status_code == 422
    assert SAME_ANSWER not in page_text(response)
    assert mail_server == []


def test_one_address_gets_three_links_an_hour_whether_or_not_it_has_an_account(
    client, volunteer, mail_server
):
    for email in ("robin@example.org", "nobody@example.org"):
        answers = [ask_for_link(client, email).status_code for _ in range(4)]

        assert answers == [200, 200, 200, 429]
    refused = ask_for_link(client, "ROBIN@example.org")
    assert "Too many reset links" in page_text(refused, 429)
    assert len(mail_server) == 3


def test_one_place_may_ask_ten_times_an_hour(client, mail_server):
    answers = [ask_for_link(client, f"person{n}@example.org").status_code for n in range(11)]

    assert answers == [200] * 10 + [429]


def test_head_on_the_forgot_page_sends_nothing(client, volunteer, in_app, mail_server):
    client.head("/password/forgot?email=robin%40example.org")

    assert mail_server == [] and resets(in_app) == []


def test_without_mail_the_page_says_whom_to_ask_and_makes_no_link(client, volunteer, in_app):
    shown = page_text(client.get("/password/forgot"), 200)
    sent = ask_for_link(client, "robin@example.org")

    assert "This site sends no email" in shown and "Ask a collective member" in shown
    assert 'name="email"' not in shown
    assert "This site sends no email" in page_text(sent, 200)
    assert resets(in_app) == []


def test_signed_in_people_may_open_the_forgot_page_too(client, login_as, mail_server):
    login_as("volunteer")

    assert "Send me a link" in page_text(client.get("/password/forgot"), 200)


# --- Keeping the link secret -------------------------------------------------------------------


def test_only_the_links_hash_is_stored_and_the_outbox_forgets_the_link_once_sent(
    client, volunteer, in_app, mail_server
):
    ask_for_link(client, "robin@example.org")

    link = link_in(mail_server[0])
    token = link.rsplit("/", 1)[1]
    [reset] = resets(in_app)
    assert reset.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert reset.expires_at - reset.created_at == timedelta(hours=1)
    with in_app():
        [message] = db.session.scalars(select(OutgoingMessage)).all()
        assert message.state == MessageState.SENT and message.link is None
        assert message.link_hash == hashlib.sha256(link.encode()).hexdigest()
        assert token not in message.body and LINK_PLACEHOLDER in message.body


def test_the_link_and_its_errors_are_kept_out_of_caches_search_engines_and_referers(
    client, volunteer, mail_server
):
    ask_for_link(client, "robin@example.org")
    link = link_in(mail_server[0])

    for response in (client.get(link), client.get("/password/reset/made-up")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Robots-Tag"] == "noindex"
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_links_address_is_not_logged(client, volunteer, mail_server, caplog):
    caplog.set_level("INFO")
    ask_for_link(client, "robin@example.org")
    token = link_in(mail_server[0]).rsplit("/", 1)[1]

    assert token not in caplog.text
    assert "robin@example.org" not in caplog.text


# --- Using the link ------------------------------------------------------------------------


def test_a_new_password_ends_every_session_and_uses_the_link_up(
    app, client, volunteer, in_app, mail_server
):
    elsewhere = app.test_client()
    sign_in_from(elsewhere, "robin@example.org")
    assert is_signed_in(elsewhere)
    ask_for_link(client, "robin@example.org")
    link = link_in(mail_server[0])

    response = choose(client, link)

    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Sign in with your new password" in page_text(client.get("/login"))
    assert not is_signed_in(elsewhere)
    assert verify_password(stored(in_app, volunteer).password_hash, NEW_PASSWORD)
    assert ("Password reset by email link", volunteer.id) in history(in_app, volunteer)
    assert "already been used" in page_text(client.get(link), 410)
    assert "already been used" in page_text(choose(client, link, "another passphrase"), 410)
    sign_in_from(client, "robin@example.org", NEW_PASSWORD)
    assert is_signed_in(client)


def test_the_browser_that_uses_the_link_signed_in_is_signed_out_too(
    client, volunteer, mail_server, as_member
):
    as_member(volunteer)
    ask_for_link(client, "robin@example.org")

    choose(client, link_in(mail_server[0]))

    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("password", "again", "words"),
    [
        ("short", None, "Use at least 8 characters."),
        ("password1", None, "one of the most common passwords"),
        (NEW_PASSWORD, "a long new passphrasf", "The two passwords are different."),
    ],
)
def test_a_refused_password_changes_nothing(
    client, volunteer, in_app, mail_server, password, again, words
):
    ask_for_link(client, "robin@example.org")
    link = link_in(mail_server[0])

    response = choose(client, link, password, again)

    assert words in page_text(response, 422)
    assert verify_password(stored(in_app, volunteer).password_hash, "correct horse")
    assert [reset.used_at for reset in resets(in_app)] == [None]
    assert "Choose a new password" in page_text(client.get(link), 200)


def test_a_link_stops_working_after_an_hour(client, volunteer, in_app, clock):
    made = datetime.now(UTC) - timedelta(hours=1, seconds=1)
    with in_app():
        token = password_resets.create_reset(volunteer, made)
        db.session.commit()

    text = page_text(client.get(f"/password/reset/{token}"), 410)

    assert "This link has expired" in text and 'href="/password/forgot"' in text


def test_an_unknown_link_says_so_and_offers_a_new_one(client):
    text = page_text(client.get("/password/reset/not-a-real-token"), 404)

    assert "This link doesn&#39;t work" in text and 'href="/password/forgot"' in text


def test_a_link_made_before_the_account_was_deactivated_opens_nothing(client, volunteer, in_app):
    with in_app():
        token = password_resets.create_reset(volunteer, datetime.now(UTC))
        db.session.get(type(volunteer), volunteer.id).is_active = False
        db.session.commit()

    assert client.get(f"/password/reset/{token}").status_code == 404


# --- A link made by a collective member --------------------------------------------------------


def make_link(client, person, person_id=None):
    return client.post(
        f"/collective/people/{person_id or person.id}/reset-link",
        data={"csrf_token": token_of(client)},
    )


def test_strangers_and_volunteers_may_not_make_links(client, login_as, volunteer, in_app):
    assert make_link(client, volunteer).headers["Location"].startswith("/login")
    login_as("volunteer")

    assert make_link(client, volunteer).status_code == 403
    assert resets(in_app) == []


def test_a_member_makes_a_link_for_someone_else_shown_once_and_in_their_history(
    client, login_as, volunteer, in_app, monkeypatch
):
    monkeypatch.setattr(smtplib, "SMTP", lambda *args, **kwargs: pytest.fail("tried to mail"))
    member = login_as("collective", display_name="Ash")

    response = make_link(client, volunteer)

    assert response.headers["Location"] == f"/collective/people/{volunteer.id}"
    first = client.get(f"/collective/people/{volunteer.id}")
    link = LINK.search(page_text(first, 200)).group(0)
    assert first.headers["Referrer-Policy"] == "no-referrer"
    assert LINK.search(page_text(client.get(f"/collective/people/{volunteer.id}"))) is None
    assert ("Password reset link made", member.id) in history(in_app, volunteer)
    assert "Password reset link made by Ash" in page_text(first)
    client.post("/logout", data={"csrf_token": token_of(client)})
    assert choose(client, link).headers["Location"] == "/login"
    assert verify_password(stored(in_app, volunteer).password_hash, NEW_PASSWORD)


def test_no_link_for_an_unknown_or_deactivated_person(client, login_as, volunteer, in_app):
    login_as("collective")
    client.post(
        f"/collective/people/{volunteer.id}/deactivate", data={"csrf_token": token_of(client)}
    )

    assert make_link(client, None, person_id=999999).status_code == 404
    make_link(client, volunteer)

    text = page_text(client.get(f"/collective/people/{volunteer.id}"))
    assert "account is deactivated: reactivate it first" in text
    assert resets(in_app) == []


def test_a_member_may_not_make_a_link_for_themselves(client, login_as, in_app):
    member = login_as("collective")

    make_link(client, member)

    text = page_text(client.get(f"/collective/people/{member.id}"))
    assert "can&#39;t make a reset link for your own account" in text
    assert resets(in_app) == []
    assert history(in_app, member) == []


def test_with_mail_the_owner_is_told_but_not_sent_the_link(
    client, login_as, volunteer, mail_server
):
    login_as("collective", display_name="Ash")

    make_link(client, volunteer)

    [message] = mail_server
    assert message["To"] == "robin@example.org"
    assert "Ash, a collective member" in message.get_content()
    assert "/password/reset/" not in message.get_content()


# --- Valid HTML ---------------------------------------------------------------------------


def test_the_password_reset_pages_are_valid_html(
    tmp_path, app, client, login_as, volunteer, mail_server, monkeypatch, nu_html_checker
):
    pages = {
        "forgot": client.get("/password/forgot"),
        "forgot-refused": ask_for_link(client, "not an address"),
        "forgot-sent": ask_for_link(client, "robin@example.org"),
    }
    link = link_in(mail_server[0])
    pages["reset"] = client.get(link)
    pages["reset-refused"] = choose(client, link, "short")
    pages["reset-unknown"] = client.get("/password/reset/made-up")
    choose(client, link)
    pages["reset-used"] = client.get(link)
    monkeypatch.delitem(app.config, "MAIL_SERVER")
    pages["forgot-without-mail"] = client.get("/password/forgot")
    login_as("collective")
    make_link(client, volunteer)
    pages["person-with-a-link"] = client.get(f"/collective/people/{volunteer.id}")
    for name, response in pages.items():
        assert response.status_code in (200, 404, 410, 422), name

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)

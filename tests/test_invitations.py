"""Invitations: a collective member makes a one-time link; the invited person makes an account."""

import hashlib
import logging
import re
import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from mail_helpers import FakeSMTP
from review_helpers import NOW, page_text
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from firestorm.database import db
from firestorm.outbox.models import LINK_PLACEHOLDER, MessageState, OutgoingMessage
from firestorm.people import invitations
from firestorm.people.accounts import AccountError
from firestorm.people.invitations import LinkProblem, UnusableInvitation
from firestorm.people.models import Invitation, User
from firestorm.people.passwords import verify_password

# Where signing in leads when no page asked for it (auth.routes.landing_page).
LANDING_PAGE = "/my/"


@pytest.fixture
def invite(app, make_user):
    """invite(email, role="volunteer", now=None) -> the link's token, made by a collective member
    at `now`, by default the real time: the invitation pages read the real clock."""
    inviter = make_user(role="collective", display_name="Ash")

    def invite(email="new@example.org", role="volunteer", now=None):
        now = now or datetime.now(UTC)
        with app.app_context():
            _, token = invitations.create_invitation(inviter, email, role, now)
            db.session.commit()
            return token

    return invite


def invitation_for(email) -> Invitation:
    return db.session.scalars(select(Invitation).where(Invitation.email == email)).one()


def accept(client, csrf_token, token, name="Robin", password="a long passphrase", again=None):
    return client.post(
        f"/invite/{token}",
        data={
            "csrf_token": csrf_token(),
            "display_name": name,
            "password": password,
            "password_again": password if again is None else again,
        },
    )


# --- Making invitations (the rules) -------------------------------------------------------


def test_an_invitation_keeps_only_a_hash_of_its_token_and_lasts_seven_days(in_app, invite):
    token = invite("New@Example.org", "collective", now=NOW)

    with in_app():
        invitation = invitation_for("new@example.org")
        assert invitation.role == "collective"
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in invitation.token_hash
        assert invitation.expires_at == NOW + timedelta(days=7)
        assert invitation.accepted_at is None
    assert len(token) >= 43, "32 random bytes"


@pytest.mark.parametrize(
    "email, role, field, words",
    [
        ("member@example.org", "volunteer", "email", "already an account"),
        ("not an email", "volunteer", "email", "doesn't look like an email"),
        ("new@example.org", "boss", "role", "volunteer, collective"),
    ],
)
def test_a_refused_invitation_says_why(in_app, make_user, email, role, field, words):
    member = make_user(role="collective", email="member@example.org")

    with in_app(), pytest.raises(AccountError) as refused:
        invitations.create_invitation(member, email, role, NOW)

    assert refused.value.field == field and words in str(refused.value)


def test_a_new_invitation_replaces_an_earlier_unused_one(in_app, invite):
    first = invite("new@example.org", "collective")
    second = invite("new@example.org", "volunteer", now=NOW + timedelta(hours=1))

    with in_app():
        with pytest.raises(UnusableInvitation) as old:
            invitations.find_invitation(first, NOW + timedelta(hours=2))
        assert old.value.problem is LinkProblem.REPLACED
        assert invitations.find_invitation(second, NOW + timedelta(hours=2)).role == "volunteer"


def test_a_replaced_link_says_so(client, invite, clock):
    first = invite("new@example.org")
    invite("new@example.org", now=NOW + timedelta(hours=1))
    clock(NOW + timedelta(hours=2))

    response = client.get(f"/invite/{first}")

    assert response.status_code == 410
    assert "This invitation has been replaced by a newer one" in page_text(response)


def test_the_database_refuses_a_second_open_invitation_for_one_address(in_app, invite):
    invite("new@example.org")

    with in_app():
        original = invitation_for("new@example.org")
        twin = Invitation(
            email=original.email,
            role="volunteer",
            token_hash="0" * 64,
            invited_by_id=original.invited_by_id,
            created_at=original.created_at,
            expires_at=original.expires_at,
        )
        db.session.add(twin)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_link_stops_working_after_seven_days(in_app, invite):
    token = invite(now=NOW)

    with in_app():
        assert invitations.find_invitation(token, NOW + timedelta(days=7, seconds=-1))
        with pytest.raises(UnusableInvitation) as unusable:
            invitations.find_invitation(token, NOW + timedelta(days=7))

    assert unusable.value.problem is LinkProblem.EXPIRED


@pytest.mark.parametrize("token", ["made-up", "", "x" * 5000])
def test_a_made_up_link_is_forged(in_app, invite, token):
    invite()

    with in_app(), pytest.raises(UnusableInvitation) as unusable:
        invitations.find_invitation(token, NOW)

    assert unusable.value.problem is LinkProblem.FORGED


def test_accepting_makes_the_account_with_the_invited_role_and_uses_the_link_up(in_app, invite):
    token = invite("new@example.org", "collective")

    with in_app():
        user = invitations.accept_invitation(token, "Robin", "a long passphrase", NOW)
        db.session.commit()

        assert (user.email, user.display_name, user.role) == (
            "new@example.org",
            "Robin",
            "collective",
        )
        assert invitation_for("new@example.org").accepted_at == NOW
        assert user.last_signed_in_at == NOW
        with pytest.raises(UnusableInvitation) as again:
            invitations.accept_invitation(token, "Robin", "a long passphrase", NOW)
        assert again.value.problem is LinkProblem.USED


def test_the_list_shows_each_invitations_status(in_app, invite):
    invite("waiting@example.org")
    invite("late@example.org", now=NOW - timedelta(days=8))
    accepted = invite("joined@example.org")
    with in_app():
        invitations.accept_invitation(accepted, "Joined", "a long passphrase", NOW)
        db.session.commit()

        statuses = {
            invitation.email: status for invitation, status in invitations.recent_invitations(NOW)
        }

    assert statuses == {
        "waiting@example.org": "waiting",
        "late@example.org": "expired",
        "joined@example.org": "accepted",
    }


# --- The collective's invitations page ----------------------------------------------------


def test_strangers_are_sent_to_sign_in_first(client, csrf_token):
    for response in (
        client.get("/collective/invitations"),
        client.post("/collective/invitations", data={"csrf_token": csrf_token()}),
    ):
        assert response.status_code == 302
        assert response.headers["Location"] == "/login?next=%2Fcollective%2Finvitations"


def test_volunteers_may_not_invite(client, in_app, login_as, csrf_token):
    login_as("volunteer")

    shown = client.get("/collective/invitations")
    sent = client.post(
        "/collective/invitations",
        data={"csrf_token": csrf_token(), "email": "new@example.org", "role": "collective"},
    )

    assert shown.status_code == sent.status_code == 403
    assert "That page isn&#39;t open to you" in page_text(sent)
    with in_app():
        assert db.session.scalars(select(Invitation)).all() == []


def test_a_member_sees_the_form_and_the_invitations_sent(client, login_as, invite):
    login_as("collective")
    invite("waiting@example.org")

    text = page_text(client.get("/collective/invitations"))

    assert '<label for="email">Their email address</label>' in text
    assert '<label for="role">Role</label>' in text
    assert "waiting@example.org" in text and "Invited by" in text and "Ash" in text


def test_inviting_shows_the_link_once_and_the_link_works(client, in_app, login_as, csrf_token):
    login_as("collective", display_name="Ash")

    response = client.post(
        "/collective/invitations",
        data={"csrf_token": csrf_token(), "email": "New@Example.org", "role": "collective"},
    )

    assert response.headers["Location"] == "/collective/invitations"
    text = page_text(client.get("/collective/invitations"))
    assert "Invitation ready for new@example.org." in text
    assert '<label for="invitation-link">Invitation link for new@<wbr>example<wbr>.org' in text
    link = re.search(r'id="invitation-link" type="text" value="([^"]+)"', text).group(1)
    assert link.startswith("https://books.example.org/invite/")
    assert "invitation-link" not in page_text(client.get("/collective/invitations"))
    client.post("/logout", data={"csrf_token": csrf_token()})
    assert "You are invited to join as a collective member" in page_text(client.get(link))


@pytest.mark.parametrize(
    "email, role, message",
    [
        ("", "volunteer", "Enter an email address."),
        ("not an email", "volunteer", "doesn&#39;t look like an email address"),
        ("member@example.org", "volunteer", "There is already an account for member@example.org"),
        ("new@example.org", "boss", "Not a valid choice"),
    ],
)
def test_a_refused_invitation_comes_back_filled_in(
    client, in_app, login_as, csrf_token, email, role, message
):
    login_as("collective", email="member@example.org")

    response = client.post(
        "/collective/invitations", data={"csrf_token": csrf_token(), "email": email, "role": role}
    )

    text = page_text(response)
    assert response.status_code == 422
    assert message in text
    assert f'value="{email}"' in text
    with in_app():
        assert db.session.scalars(select(Invitation)).all() == []


# --- Mailing the link, when a mail server is configured -----------------------------------


def send_invitation(client, csrf_token, email="new@example.org"):
    client.post(
        "/collective/invitations",
        data={"csrf_token": csrf_token(), "email": email, "role": "volunteer"},
    )
    return page_text(client.get("/collective/invitations"))


def test_with_a_mail_server_the_link_is_also_mailed(client, login_as, csrf_token, mail_server):
    login_as("collective", display_name="Ash")

    text = send_invitation(client, csrf_token)

    [message] = mail_server
    link = re.search(r'id="invitation-link" type="text" value="([^"]+)"', text).group(1)
    assert message["To"] == "new@example.org" and message["From"] == "catalog@example.org"
    assert link in message.get_content() and "Ash has invited you" in message.get_content()
    assert "We emailed this link to new@<wbr>example<wbr>.org" in text


def test_without_a_mail_server_nothing_is_mailed(client, login_as, csrf_token, monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", lambda *args, **kwargs: pytest.fail("tried to mail"))
    login_as("collective")

    text = send_invitation(client, csrf_token)

    assert "Copy the link and send it to new@<wbr>example<wbr>.org" in text


def test_when_mailing_fails_the_page_still_shows_the_link(
    client, login_as, csrf_token, mail_server, monkeypatch
):
    def refuse(self, message):
        raise smtplib.SMTPRecipientsRefused({"new@example.org": (550, b"no such user")})

    monkeypatch.setattr(FakeSMTP, "send_message", refuse)
    login_as("collective")

    text = send_invitation(client, csrf_token)

    assert "We couldn't send the email" in text
    assert 'id="invitation-link"' in text


# --- Accepting an invitation --------------------------------------------------------------


def test_the_invitation_page_shows_the_address_and_asks_for_a_name_and_password(client, invite):
    token = invite("new@example.org")

    text = page_text(client.get(f"/invite/{token}"))

    assert "You are invited to join as a volunteer" in text
    assert 'value="new@example.org"' in text
    assert '<label for="display_name">Display name</label>' in text
    assert '<label for="password">Password</label>' in text


def test_accepting_makes_the_account_and_signs_the_person_in(
    client, in_app, invite, csrf_token, clock
):
    clock(NOW + timedelta(days=1))
    token = invite("new@example.org")

    response = accept(client, csrf_token, token, name="  Robin  ")

    assert response.status_code == 302 and response.headers["Location"] == LANDING_PAGE
    assert "Welcome, Robin! Your account is ready" in page_text(client.get(LANDING_PAGE))
    assert client.get("/account").status_code == 200
    with in_app():
        user = db.session.scalars(select(User).where(User.email == "new@example.org")).one()
        assert user.display_name == "Robin" and user.role == "volunteer"
        assert verify_password(user.password_hash, "a long passphrase")
        assert invitation_for("new@example.org").accepted_at == NOW + timedelta(days=1)


def test_a_used_link_gets_a_clear_page(app, client, invite, csrf_token, clock):
    clock(NOW)
    token = invite()
    accept(client, csrf_token, token)

    response = app.test_client().get(f"/invite/{token}")

    assert response.status_code == 410
    assert "This invitation has already been used" in page_text(response)
    assert "Firestorm Cafe &amp; Books" in page_text(response)


def test_an_expired_link_gets_a_clear_page_even_when_the_form_is_sent(
    client, invite, csrf_token, clock
):
    token = invite(now=NOW)
    clock(NOW + timedelta(days=8))

    shown = client.get(f"/invite/{token}")
    sent = accept(client, csrf_token, token)

    assert shown.status_code == sent.status_code == 410
    assert "This invitation has expired" in page_text(shown)
    assert "Ask a collective member to send you a new one." in page_text(sent)


def test_a_forged_link_gets_a_clear_page(client, invite):
    invite()

    response = client.get("/invite/not-a-real-token")

    assert "This invitation link doesn&#39;t work" in page_text(response, status=404)


@pytest.mark.parametrize(
    "name, password, again, message",
    [
        ("", "a long passphrase", None, "Enter the name to show on your reviews."),
        ("Robin", "tiny7pw", None, "Use at least 8 characters."),
        ("Robin", "sunshine", None, "most common passwords"),
        ("Robin", "a long passphrase", "a long passphrasf", "The two passwords are different"),
    ],
    ids=["no-name", "short", "common", "different-again"],
)
def test_a_refused_account_comes_back_with_the_name_kept(
    client, in_app, invite, csrf_token, clock, name, password, again, message
):
    clock(NOW)
    token = invite()

    response = accept(client, csrf_token, token, name=name, password=password, again=again)

    text = page_text(response)
    assert response.status_code == 422
    assert message in text
    assert f'name="display_name" required type="text" value="{name}"' in text
    assert password not in text
    with in_app():
        assert invitation_for("new@example.org").accepted_at is None
        assert db.session.scalars(select(User).where(User.email == "new@example.org")).all() == []


# --- The invitation through the outbox: its link a secret ------------------------------------


def outbox_rows(in_app) -> list[OutgoingMessage]:
    with in_app():
        rows = list(db.session.scalars(select(OutgoingMessage)))
        db.session.expunge_all()
        return rows


def test_once_mailed_only_the_links_hash_is_kept(client, login_as, csrf_token, mail_server, in_app):
    login_as("collective")

    text = send_invitation(client, csrf_token)

    link = re.search(r'id="invitation-link" type="text" value="([^"]+)"', text).group(1)
    [message] = outbox_rows(in_app)
    assert message.state == MessageState.SENT
    assert message.link is None
    assert message.link_hash == hashlib.sha256(link.encode()).hexdigest()
    assert link not in message.body and LINK_PLACEHOLDER in message.body
    assert link in mail_server[0].get_content()


def test_a_failed_invitation_email_is_tried_again_and_logs_no_address_or_link(
    client, login_as, csrf_token, mail_server, monkeypatch, in_app, caplog
):
    def refuse(self, message):
        raise smtplib.SMTPRecipientsRefused({"New@example.org": (550, b"no such user")})

    monkeypatch.setattr(FakeSMTP, "send_message", refuse)
    login_as("collective")

    with caplog.at_level(logging.DEBUG, logger="firestorm"):
        text = send_invitation(client, csrf_token)

    link = re.search(r'id="invitation-link" type="text" value="([^"]+)"', text).group(1)
    assert "the mail server refused the recipient&#39;s address" in text
    assert "We will try again" in text
    [message] = outbox_rows(in_app)
    # Kept for the next try, which needs it.
    assert (message.state, message.link) == (MessageState.QUEUED, link)
    token = link.rsplit("/", 1)[1]
    assert "Mail not sent, the invitation" in caplog.text
    assert "new@example.org" not in caplog.text.lower()
    assert token not in caplog.text

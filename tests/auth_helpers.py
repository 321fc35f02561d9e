"""Signing in and the account, through the forms as a browser sends them: shared by the test
modules (not a test module itself)."""

import re
from datetime import UTC, datetime

from review_helpers import token_of

from firestorm.database import db
from firestorm.people import invitations
from firestorm.people.models import User


def post_form(client, path, **fields):
    """A form post from this browser, with the CSRF token its pages carry."""
    return client.post(path, data={"csrf_token": token_of(client), **fields})


def sign_in_from(client, email, password="correct horse", **fields):
    return post_form(client, "/login", email=email, password=password, **fields)


def is_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def stored(in_app, user) -> User:
    with in_app():
        found = db.session.get(User, user.id)
        db.session.expunge(found)
        return found


def invite(app, member, email, now=None) -> tuple[int, str]:
    """A volunteer's invitation to `email` from `member`, committed at `now` (by default the
    real time): its id and the link's token."""
    with app.app_context():
        invitation, token = invitations.create_invitation(
            db.session.get(User, member.id), email, "volunteer", now or datetime.now(UTC)
        )
        db.session.commit()
        return invitation.id, token


def change_password(client, current="correct horse", new="a new passphrase", again=None):
    return post_form(
        client,
        "/account/password",
        current_password=current,
        new_password=new,
        new_password_again=new if again is None else again,
    )


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens, which carry the second they were signed in."""
    return re.sub(r'(X-CSRFToken": "|name="csrf_token" value=")[^"]+', r"\1…", page)

"""Invitations used or made twice at the same moment, on the real database: one account per
link, at most one open link per address, and never a 500."""

from auth_helpers import invite
from review_helpers import page_text, post_at_once
from sqlalchemy import func, select

from firestorm.database import db
from firestorm.people.models import Invitation, User

ROUNDS = 10


def test_two_tabs_accepting_one_invitation_at_once_make_one_account(app, make_user):
    inviter = make_user(role="collective")
    for round_number in range(ROUNDS):
        email = f"new{round_number}@example.org"
        _, token = invite(app, inviter, email)
        form = {"password": "a long passphrase", "password_again": "a long passphrase"}

        answers = post_at_once(
            app,
            [
                (None, f"/invite/{token}", {**form, "display_name": "First tab"}),
                (None, f"/invite/{token}", {**form, "display_name": "Second tab"}),
            ],
        )

        assert sorted(answer.status_code for answer in answers) == [302, 410]
        loser = next(answer for answer in answers if answer.status_code == 410)
        assert "This invitation has already been used" in page_text(loser)
        with app.app_context():
            made = db.session.scalar(select(func.count()).where(User.email == email))
        assert made == 1


def test_two_members_inviting_one_address_at_once_leave_one_open_link(app, make_user):
    members = [make_user(role="collective"), make_user(role="collective")]
    for round_number in range(ROUNDS):
        email = f"wanted{round_number}@example.org"
        form = {"email": email, "role": "volunteer"}

        answers = post_at_once(
            app, [(member, "/collective/invitations", form) for member in members]
        )

        # One after the other, the second replaces the first (302 both); truly at once, the
        # database refuses the second, which is told so (422). Never a 500.
        assert {answer.status_code for answer in answers} <= {302, 422}
        with app.app_context():
            open_links = db.session.scalar(
                select(func.count()).where(
                    Invitation.email == email,
                    Invitation.accepted_at.is_(None),
                    Invitation.cancelled_at.is_(None),
                )
            )
        assert open_links == 1
        for answer in answers:
            if answer.status_code == 422:
                assert f"Someone else has just invited {email}" in page_text(answer)

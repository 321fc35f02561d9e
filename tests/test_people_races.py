"""Two members changing each other's accounts at the same moment, through HTTP, on the real
database (the file SQLite database, or PostgreSQL with FIRESTORM_TEST_DATABASE_URL): the
collective always keeps an active member, and whoever loses is told so, never a 500. And a
link withdrawn while it is being used is either used or withdrawn, never both."""

from datetime import UTC, datetime

import pytest
from auth_helpers import invite
from review_helpers import page_text, post_at_once
from sqlalchemy import func, select

from firestorm.database import db
from firestorm.people import management
from firestorm.people.management import deactivate
from firestorm.people.models import AccountChange, Invitation, Role, User

ROUNDS = 10
CHANGED_MEANWHILE = "Your own account has just been changed"


@pytest.fixture
def only_two_members(app, make_user):
    """only_two_members() -> two new collective members, the only active ones: the members of
    earlier rounds deactivated by them, as the people page would."""

    def make():
        pair = [make_user("collective"), make_user("collective")]
        with app.app_context():
            first = db.session.get(User, pair[0].id)
            for member in active_members(app):
                if member not in {p.id for p in pair}:
                    # Imported apart: a test may make management.deactivate wait for another.
                    deactivate(member, first, datetime.now(UTC))
            db.session.commit()
        return pair

    return make


def active_members(app) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(User.id).where(User.role == Role.COLLECTIVE, User.is_active.is_(True))
            )
        )


def changes_to(app, people) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).where(AccountChange.user_id.in_([p.id for p in people]))
        )


def assert_the_loser_was_told(answers) -> None:
    """The winner's change is drawn (200). The loser is no longer a member when its request
    reaches the page (403, or 401 once signed out), or finds it out at the change (422)."""
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses[0] == 200 and statuses[1] in (401, 403, 422), statuses
    for answer in answers:
        if answer.status_code == 422:
            assert CHANGED_MEANWHILE in page_text(answer)


def test_two_members_demoting_each_other_at_once_leave_one(app, only_two_members):
    for _ in range(ROUNDS):
        ash, sam = only_two_members()

        answers = post_at_once(
            app,
            [
                (ash, f"/collective/people/{sam.id}/role", {"role": "volunteer"}),
                (sam, f"/collective/people/{ash.id}/role", {"role": "volunteer"}),
            ],
        )

        assert_the_loser_was_told(answers)
        assert len(active_members(app) & {ash.id, sam.id}) == 1
        assert changes_to(app, [ash, sam]) == 1


def test_two_members_deactivating_each_other_at_once_leave_one(app, only_two_members):
    for _ in range(ROUNDS):
        ash, sam = only_two_members()

        answers = post_at_once(
            app,
            [
                (ash, f"/collective/people/{sam.id}/deactivate", {}),
                (sam, f"/collective/people/{ash.id}/deactivate", {}),
            ],
        )

        assert_the_loser_was_told(answers)
        assert len(active_members(app) & {ash.id, sam.id}) == 1


def test_when_both_are_about_to_change_the_other_the_database_decides(
    app, only_two_members, meet_before, on_a_server_database
):
    # Both requests wait there, signed in as members and with the form read, and then change
    # the other at once: counting the members without locking them would let both through.
    barriers = [meet_before(management, "change_role"), meet_before(management, "deactivate")]
    for round_number in range(ROUNDS):
        for barrier in barriers:
            barrier.reset()
        ash, sam = only_two_members()
        action, data = ("role", {"role": "volunteer"}) if round_number % 2 else ("deactivate", {})

        answers = post_at_once(
            app,
            [
                (ash, f"/collective/people/{sam.id}/{action}", data),
                (sam, f"/collective/people/{ash.id}/{action}", data),
            ],
        )

        assert sorted(answer.status_code for answer in answers) == [200, 422]
        assert_the_loser_was_told(answers)
        assert len(active_members(app) & {ash.id, sam.id}) == 1
        assert changes_to(app, [ash, sam]) == 1


def test_a_link_withdrawn_while_it_is_used_is_one_or_the_other(app, make_user):
    ash = make_user("collective")
    for round_number in range(ROUNDS):
        email = f"new{round_number}@example.org"
        invitation_id, token = invite(app, ash, email)
        password = "a long passphrase"

        withdrawn, accepted = post_at_once(
            app,
            [
                (ash, f"/collective/invitations/{invitation_id}/withdraw", {}),
                (
                    None,
                    f"/invite/{token}",
                    {"display_name": "New", "password": password, "password_again": password},
                ),
            ],
        )

        assert withdrawn.status_code == 302
        assert accepted.status_code in (302, 410)
        with app.app_context():
            link = db.session.get(Invitation, invitation_id)
            made = db.session.scalar(select(func.count()).where(User.email == email))
        used = link.accepted_at is not None
        assert used != (link.cancelled_at is not None)
        assert made == (1 if used else 0)
        assert (accepted.status_code == 302) == used
        if not used:
            assert "This invitation has been withdrawn" in page_text(accepted)

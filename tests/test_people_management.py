"""The collective managing its people (firestorm/people/management.py): the list, roles,
deactivating and reactivating, the last active member kept, your own account changed only
when confirmed, every change recorded and logged; the last sign-in; withdrawing invitations.
The pages: test_people_pages.py; two members at once: test_people_races.py."""

import logging
from datetime import timedelta

import pytest
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from review_helpers import NOW

from firestorm.database import db
from firestorm.people import accounts, invitations, management
from firestorm.people.accounts import AccountError
from firestorm.people.invitations import InvitationStatus, LinkProblem, UnusableInvitation
from firestorm.people.models import AccountChange, User
from firestorm.people.sign_in_guard import SignInGuard

LATER = NOW + timedelta(hours=1)


@pytest.fixture
def ash(make_user):
    return make_user("collective", display_name="Ash", email="ash@example.org")


@pytest.fixture
def robin(make_user):
    return make_user("volunteer", display_name="Robin", email="robin@example.org")


def reload(user) -> User:
    return db.session.get(User, user.id)


def changes_of(user) -> list[tuple[str, int | None]]:
    """(description, changed_by_id) of each change to the account, oldest first."""
    return [
        (change.description, change.changed_by_id)
        for change in db.session.scalars(
            db.select(AccountChange).where(AccountChange.user_id == user.id).order_by("id")
        )
    ]


def sign_in(email: str) -> User:
    guard = SignInGuard(MovingWindowRateLimiter(MemoryStorage()), email, "198.51.100.7")
    return accounts.authenticate(email, "correct horse", guard, LATER)


# --- The list ---------------------------------------------------------------------------------


def test_the_list_has_active_accounts_first_then_by_name(in_app, make_user, ash, robin):
    zoe = make_user(display_name="zoe")
    bea = make_user(display_name="Bea")
    with in_app():
        management.deactivate(bea.id, reload(ash), NOW)
        db.session.commit()

        first = management.people_page(1, per_page=3)
        second = management.people_page(2, per_page=3)

    assert [p.display_name for p in first.items] == ["Ash", "Robin", "zoe"]
    assert [p.display_name for p in second.items] == ["Bea"]
    assert (first.total, first.page_count) == (4, 2)
    assert zoe.id in {p.id for p in first.items}


def test_signing_in_records_when(in_app, robin):
    with in_app():
        assert reload(robin).last_signed_in_at is None
        sign_in("robin@example.org")
        db.session.commit()

        assert reload(robin).last_signed_in_at == LATER


# --- Roles ----------------------------------------------------------------------------------


def test_a_volunteer_made_a_member_is_recorded_with_who_and_when(in_app, ash, robin, caplog):
    caplog.set_level(logging.INFO, logger="firestorm")
    with in_app():
        change = management.change_role(robin.id, "collective", reload(ash), NOW)
        db.session.commit()

        assert reload(robin).role == "collective"
        assert (change.description, change.changed_by_id, change.created_at) == (
            "Role changed to collective member",
            ash.id,
            NOW,
        )
        assert changes_of(robin) == [("Role changed to collective member", ash.id)]
    logged = caplog.text
    assert f"Role of user {robin.id} (volunteer) changed to collective by user {ash.id}" in logged
    assert "@example.org" not in logged


def test_the_role_someone_has_already_changes_nothing(in_app, ash, robin):
    with in_app():
        assert management.change_role(robin.id, "volunteer", reload(ash), NOW) is None
        assert changes_of(robin) == []


@pytest.mark.parametrize("role", ["boss", "", "Collective"])
def test_an_unknown_role_is_refused_next_to_the_field(in_app, ash, robin, role):
    with in_app(), pytest.raises(AccountError) as refused:
        management.change_role(robin.id, role, reload(ash), NOW)

    assert refused.value.field == "role"
    assert "volunteer, collective" in str(refused.value)


def test_another_member_can_be_made_a_volunteer(in_app, make_user, ash):
    sam = make_user("collective", display_name="Sam")
    with in_app():
        management.change_role(sam.id, "volunteer", reload(ash), NOW)
        db.session.commit()

        assert reload(sam).role == "volunteer"
        assert changes_of(sam) == [("Role changed to volunteer", ash.id)]


def test_the_last_active_member_cannot_become_a_volunteer(in_app, make_user, ash):
    # A deactivated member does not count: they can't manage anything.
    gone = make_user("collective", display_name="Gone")
    with in_app():
        management.deactivate(gone.id, reload(ash), NOW)
        db.session.commit()

        with pytest.raises(AccountError) as refused:
            management.change_role(ash.id, "volunteer", reload(ash), NOW, confirmed=True)

        assert refused.value.field == "role"
        assert str(refused.value) == (
            "You are the last active collective member: someone must be able to manage the "
            "shop. Make someone else a collective member first."
        )
        assert reload(ash).role == "collective"
        assert changes_of(ash) == []


def test_your_own_role_changes_only_when_you_confirm(in_app, make_user, ash):
    make_user("collective", display_name="Sam")
    with in_app():
        with pytest.raises(AccountError) as refused:
            management.change_role(ash.id, "volunteer", reload(ash), NOW)
        assert refused.value.field == "confirm"
        assert "tick the box to say you understand you will lose access" in str(refused.value)
        assert reload(ash).role == "collective"

        management.change_role(ash.id, "volunteer", reload(ash), NOW, confirmed=True)
        db.session.commit()

        assert reload(ash).role == "volunteer"
        assert changes_of(ash) == [("Role changed to volunteer", ash.id)]


# --- Deactivating and reactivating ----------------------------------------------------------


def test_deactivating_signs_out_everywhere_and_stops_sign_ins(in_app, ash, robin, caplog):
    caplog.set_level(logging.INFO, logger="firestorm")
    with in_app():
        version = reload(robin).session_version
        management.deactivate(robin.id, reload(ash), NOW)
        db.session.commit()

        person = reload(robin)
        assert not person.is_active
        assert person.session_version == version + 1
        assert changes_of(robin) == [("Deactivated", ash.id)]
        with pytest.raises(AccountError) as refused:
            sign_in("robin@example.org")
    # The answer an unknown address gets: it tells nobody the account exists.
    assert str(refused.value) == accounts.WRONG_EMAIL_OR_PASSWORD
    assert f"Deactivated: user {robin.id} (volunteer), by user {ash.id} (collective)" in caplog.text
    assert "@example.org" not in caplog.text


def test_reactivating_lets_them_sign_in_with_the_password_they_had(in_app, ash, robin):
    with in_app():
        management.deactivate(robin.id, reload(ash), NOW)
        management.reactivate(robin.id, reload(ash), LATER)
        db.session.commit()

        assert reload(robin).is_active
        assert sign_in("robin@example.org").id == robin.id
        assert changes_of(robin) == [("Deactivated", ash.id), ("Reactivated", ash.id)]


def test_deactivating_twice_or_reactivating_an_active_account_changes_nothing(in_app, ash, robin):
    with in_app():
        assert management.reactivate(robin.id, reload(ash), NOW) is None
        management.deactivate(robin.id, reload(ash), NOW)
        version = reload(robin).session_version
        assert management.deactivate(robin.id, reload(ash), LATER) is None
        assert reload(robin).session_version == version
        assert changes_of(robin) == [("Deactivated", ash.id)]


def test_the_last_active_member_cannot_be_deactivated(in_app, make_user, ash):
    sam = make_user("collective", display_name="Sam")
    with in_app():
        management.deactivate(sam.id, reload(ash), NOW)

        with pytest.raises(AccountError) as refused:
            management.deactivate(ash.id, reload(ash), NOW, confirmed=True)

    assert refused.value.field is None
    assert str(refused.value).startswith("You are the last active collective member")


def test_your_own_account_is_deactivated_only_when_you_confirm(in_app, make_user, ash):
    make_user("collective", display_name="Sam")
    with in_app():
        with pytest.raises(AccountError) as refused:
            management.deactivate(ash.id, reload(ash), NOW)
        assert refused.value.field == "confirm"
        assert reload(ash).is_active

        management.deactivate(ash.id, reload(ash), NOW, confirmed=True)
        db.session.commit()

        assert not reload(ash).is_active


def test_an_unknown_person_is_not_found(in_app, ash):
    with in_app():
        for change in (
            lambda: management.change_role(10**9, "collective", reload(ash), NOW),
            lambda: management.deactivate(10**9, reload(ash), NOW),
            lambda: management.reactivate(10**9, reload(ash), NOW),
            lambda: management.person_with_changes(10**9),
        ):
            with pytest.raises(management.UnknownPerson):
                change()


def test_a_member_who_was_just_made_a_volunteer_can_change_nothing(in_app, make_user, ash, robin):
    sam = make_user("collective", display_name="Sam")
    with in_app():
        stale_sam = reload(sam)
        management.change_role(sam.id, "volunteer", reload(ash), NOW)

        with pytest.raises(AccountError) as refused:
            management.deactivate(robin.id, stale_sam, LATER)

    assert "only active collective members can manage people" in str(refused.value)


def test_a_persons_changes_come_newest_first_with_who_made_them(in_app, ash, robin):
    with in_app():
        management.change_role(robin.id, "collective", reload(ash), NOW)
        management.deactivate(robin.id, reload(ash), LATER)
        db.session.commit()

        person, changes = management.person_with_changes(robin.id)

        assert person.display_name == "Robin"
        assert [(c.description, c.changed_by.display_name, c.created_at) for c in changes] == [
            ("Deactivated", "Ash", LATER),
            ("Role changed to collective member", "Ash", NOW),
        ]


# --- Withdrawing invitations ----------------------------------------------------------------


def invite(ash, email, now=NOW) -> tuple[int, str]:
    invitation, token = invitations.create_invitation(reload(ash), email, "volunteer", now)
    db.session.flush()
    return invitation.id, token


def test_a_withdrawn_link_says_it_was_withdrawn(in_app, ash, caplog):
    caplog.set_level(logging.INFO, logger="firestorm")
    with in_app():
        invitation_id, token = invite(ash, "new@example.org")
        invitations.withdraw_invitation(invitation_id, reload(ash), LATER)
        db.session.commit()

        with pytest.raises(UnusableInvitation) as unusable:
            invitations.find_invitation(token, LATER)
        assert unusable.value.problem is LinkProblem.WITHDRAWN
        assert [s for _, s in invitations.recent_invitations(LATER)] == ["withdrawn"]
        assert invitations.waiting_invitations(LATER) == []
    assert f"Invitation {invitation_id} withdrawn by user {ash.id} (collective)" in caplog.text
    assert "new@example.org" not in caplog.text


def test_a_withdrawn_link_cannot_be_used_even_when_opened_before(in_app, ash):
    with in_app():
        invitation_id, token = invite(ash, "new@example.org")
        invitations.find_invitation(token, NOW)  # the form was drawn: the link worked then
        invitations.withdraw_invitation(invitation_id, reload(ash), LATER)

        with pytest.raises(UnusableInvitation) as unusable:
            invitations.accept_invitation(token, "New", "a long passphrase", LATER)

    assert unusable.value.problem is LinkProblem.WITHDRAWN


def test_withdrawn_and_replaced_links_are_told_apart(in_app, ash):
    with in_app():
        withdrawn_id, _ = invite(ash, "gone@example.org")
        invitations.withdraw_invitation(withdrawn_id, reload(ash), NOW)
        invite(ash, "twice@example.org")
        newer_id, _ = invite(ash, "twice@example.org", now=LATER)

        statuses = [(i.email, s) for i, s in invitations.recent_invitations(LATER)]
        waiting = [i.id for i, _ in invitations.waiting_invitations(LATER)]

    assert statuses == [
        ("twice@example.org", InvitationStatus.WAITING),
        ("twice@example.org", InvitationStatus.REPLACED),
        ("gone@example.org", InvitationStatus.WITHDRAWN),
    ]
    assert waiting == [newer_id]


def test_a_used_or_withdrawn_invitation_cannot_be_withdrawn_again(in_app, ash):
    with in_app():
        used_id, token = invite(ash, "used@example.org")
        invitations.accept_invitation(token, "Used", "a long passphrase", NOW)
        withdrawn_id, _ = invite(ash, "gone@example.org")
        invitations.withdraw_invitation(withdrawn_id, reload(ash), NOW)

        with pytest.raises(AccountError, match="used already: nothing to withdraw"):
            invitations.withdraw_invitation(used_id, reload(ash), LATER)
        with pytest.raises(AccountError, match="no longer works: nothing to withdraw"):
            invitations.withdraw_invitation(withdrawn_id, reload(ash), LATER)
        with pytest.raises(invitations.UnknownInvitation):
            invitations.withdraw_invitation(10**9, reload(ash), LATER)

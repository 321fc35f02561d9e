"""Account rules: creating accounts, signing in, and ending sessions (guessing passwords:
test_sign_in_guard.py)."""

import pytest
from argon2 import PasswordHasher
from hypothesis import given
from hypothesis import strategies as st
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from review_helpers import NOW

from firestorm.database import db
from firestorm.people import accounts
from firestorm.people.accounts import AccountError
from firestorm.people.models import User
from firestorm.people.passwords import verify_password
from firestorm.people.sign_in_guard import SignInGuard


def reload(user) -> User:
    return db.session.get(User, user.id)


def guard(email="robin@example.org") -> SignInGuard:
    """A fresh count of wrong passwords, which lets every try through."""
    return SignInGuard(MovingWindowRateLimiter(MemoryStorage()), email, "198.51.100.7")


# --- Creating accounts --------------------------------------------------------------------


def test_a_new_account_keeps_a_lower_case_email_a_tidy_name_and_a_hashed_password(in_app):
    with in_app():
        user = accounts.create_user(
            "  Robin@Example.ORG ", "  Robin   B. ", "volunteer", "pw4robin!"
        )
        db.session.commit()

        assert user.email == "robin@example.org"
        assert user.display_name == "Robin B."
        assert verify_password(user.password_hash, "pw4robin!")


@pytest.mark.parametrize(
    "email, name, role, password, field, words",
    [
        ("not-an-email", "Robin", "volunteer", "pw4robin!", "email", "doesn't look like"),
        ("taken@example.org", "Robin", "volunteer", "pw4robin!", "email", "already an account"),
        ("r@example.org", "   ", "volunteer", "pw4robin!", "display_name", "display name"),
        ("r@example.org", "R" * 81, "volunteer", "pw4robin!", "display_name", "1 to 80"),
        ("r@example.org", "Robin", "boss", "pw4robin!", "role", "volunteer, collective"),
        ("r@example.org", "Robin", "volunteer", "short", "password", "at least 8"),
        ("r@example.org", "Robin", "volunteer", "password1", "password", "most common"),
    ],
)
def test_a_refused_account_says_which_field_is_wrong(
    in_app, make_user, email, name, role, password, field, words
):
    make_user(email="taken@example.org")
    with in_app(), pytest.raises(AccountError) as refused:
        accounts.create_user(email, name, role, password)

    assert refused.value.field == field
    assert words in str(refused.value)


# --- Signing in ---------------------------------------------------------------------------


def test_the_right_password_opens_the_account_whatever_the_emails_case(in_app, make_user):
    robin = make_user(email="robin@example.org")
    with in_app():
        assert (
            accounts.authenticate("ROBIN@example.org ", "correct horse", guard(), NOW).id
            == robin.id
        )


@pytest.mark.parametrize(
    "email, password",
    [("robin@example.org", "wrong horse"), ("nobody@example.org", "correct horse")],
    ids=["wrong-password", "unknown-email"],
)
def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    in_app, make_user, email, password
):
    make_user(email="robin@example.org")
    with in_app(), pytest.raises(AccountError) as refused:
        accounts.authenticate(email, password, guard(), NOW)

    assert str(refused.value) == accounts.WRONG_EMAIL_OR_PASSWORD


def test_an_unknown_email_still_costs_a_password_check(in_app, monkeypatch):
    checked = []
    monkeypatch.setattr(accounts, "verify_nothing", checked.append)

    with in_app(), pytest.raises(AccountError):
        accounts.authenticate("nobody@example.org", "a guess", guard(), NOW)

    assert checked == ["a guess"]


def test_a_deactivated_account_cannot_sign_in(in_app, make_user):
    robin = make_user(email="robin@example.org")
    with in_app():
        accounts.deactivate_user(reload(robin))
        db.session.commit()

        with pytest.raises(AccountError) as refused:
            accounts.authenticate("robin@example.org", "correct horse", guard(), NOW)

    assert str(refused.value) == accounts.WRONG_EMAIL_OR_PASSWORD


def test_signing_in_upgrades_a_hash_made_with_weaker_parameters(in_app, make_user):
    robin = make_user(email="robin@example.org")
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("correct horse")
    with in_app():
        reload(robin).password_hash = weak
        db.session.commit()

        accounts.authenticate("robin@example.org", "correct horse", guard(), NOW)
        db.session.commit()

        assert "m=19456,t=2" in reload(robin).password_hash
        assert verify_password(reload(robin).password_hash, "correct horse")


# --- Changing the account, and ending its sessions ----------------------------------------


def test_changing_the_password_needs_the_current_one(in_app, make_user):
    robin = make_user()
    with in_app():
        with pytest.raises(AccountError) as refused:
            accounts.change_password(reload(robin), "not it", "a new passphrase", guard())

        assert refused.value.field == "current_password"
        assert verify_password(reload(robin).password_hash, "correct horse")


def test_a_new_password_must_meet_the_rules(in_app, make_user):
    robin = make_user()
    with in_app(), pytest.raises(AccountError) as refused:
        accounts.change_password(reload(robin), "correct horse", "qwertyuiop", guard())

    assert refused.value.field == "new_password"
    assert "most common" in str(refused.value)


def test_a_password_change_ends_the_accounts_other_sessions(in_app, make_user):
    robin = make_user()
    with in_app():
        accounts.change_password(reload(robin), "correct horse", "a new passphrase", guard())
        db.session.commit()

        assert reload(robin).session_version == robin.session_version + 1
        assert verify_password(reload(robin).password_hash, "a new passphrase")


def test_deactivating_an_account_ends_its_sessions(in_app, make_user):
    robin = make_user()
    with in_app():
        accounts.deactivate_user(reload(robin))
        db.session.commit()

        assert not reload(robin).is_active
        assert reload(robin).session_version == robin.session_version + 1


def test_a_display_name_is_tidied_and_checked(in_app, make_user):
    robin = make_user(display_name="Robin")
    with in_app():
        accounts.change_display_name(reload(robin), "  Robin   of the Cafe ")
        assert reload(robin).display_name == "Robin of the Cafe"

        with pytest.raises(AccountError) as refused:
            accounts.change_display_name(reload(robin), " ")
        assert refused.value.field == "display_name"


def test_display_names_and_emails_lose_control_characters():
    assert accounts.check_display_name("Sam\x00 \x0bOkafor") == "Sam Okafor"
    assert accounts.normalize_email(" Robin@Example.org\x00 ") == "robin@example.org"


@given(st.text(max_size=40))
def test_an_email_normalised_once_stays_as_it_is(typed):
    # It is stored normalised and compared with what is typed, normalised again.
    once = accounts.normalize_email(typed)

    assert accounts.normalize_email(once) == once

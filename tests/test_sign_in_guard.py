"""Guessing passwords (firestorm/people/sign_in_guard.py with people/accounts.py): counted per
email and place, the same for an unknown email as for a real one, each answer costing one
password hash; the owner is slowed down at worst, never locked out from everywhere."""

import pytest
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from review_helpers import NOW

from firestorm.database import db
from firestorm.people import accounts, passwords
from firestorm.people.accounts import AccountError
from firestorm.people.sign_in_guard import SignInGuard, TooManyTries

CAFE, HOME, ELSEWHERE = "198.51.100.7", "203.0.113.9", "192.0.2.44"


@pytest.fixture
def counter():
    return MovingWindowRateLimiter(MemoryStorage())


@pytest.fixture
def try_sign_in(app, counter):
    """try_sign_in(email, password, place) -> the signed-in account's id, or the AccountError
    raised."""

    def try_sign_in(email, password, place=CAFE):
        with app.app_context():
            try:
                user = accounts.authenticate(
                    email, password, SignInGuard(counter, email, place), NOW
                )
                user_id = user.id
            except AccountError as refused:
                return refused
            db.session.commit()
            return user_id

    return try_sign_in


def fail(try_sign_in, email, times, place=CAFE):
    for _ in range(times):
        refused = try_sign_in(email, "a wrong guess", place)
        assert type(refused) is AccountError, refused


def test_five_wrong_passwords_pause_that_email_from_that_place(make_user, try_sign_in):
    make_user(email="robin@example.org")
    fail(try_sign_in, "robin@example.org", 5)

    paused = try_sign_in("robin@example.org", "correct horse")

    assert isinstance(paused, TooManyTries)
    assert "Try again in 15 minutes." in str(paused)
    assert 890 <= paused.seconds_left <= 900


def test_the_owner_still_signs_in_from_another_place(make_user, try_sign_in):
    robin = make_user(email="robin@example.org")
    fail(try_sign_in, "robin@example.org", 5, place=ELSEWHERE)

    assert try_sign_in("robin@example.org", "correct horse", place=CAFE) == robin.id


def test_an_unknown_email_is_paused_the_same_way(make_user, try_sign_in):
    make_user(email="robin@example.org")
    fail(try_sign_in, "robin@example.org", 5)
    fail(try_sign_in, "nobody@example.org", 5)

    real = try_sign_in("robin@example.org", "a wrong guess")
    unknown = try_sign_in("nobody@example.org", "a wrong guess")

    assert type(real) is type(unknown) is TooManyTries
    assert str(real) == str(unknown)


def test_the_pause_ends_after_fifteen_minutes(make_user, try_sign_in, wall_clock):
    robin = make_user(email="robin@example.org")
    fail(try_sign_in, "robin@example.org", 5)

    wall_clock.advance(15 * 60 + 1)

    assert try_sign_in("robin@example.org", "correct horse") == robin.id


def test_signing_in_starts_the_places_count_again(make_user, try_sign_in):
    robin = make_user(email="robin@example.org")
    fail(try_sign_in, "robin@example.org", 4)
    try_sign_in("robin@example.org", "correct horse")

    fail(try_sign_in, "robin@example.org", 4)

    assert try_sign_in("robin@example.org", "correct horse") == robin.id


def test_guessing_from_many_places_slows_to_one_try_a_minute_but_never_locks_out(
    make_user, try_sign_in, wall_clock
):
    robin = make_user(email="robin@example.org")
    for number in range(5):  # 20 wrong passwords, 4 from each of 5 places
        fail(try_sign_in, "robin@example.org", 4, place=f"10.0.0.{number}")

    first = try_sign_in("robin@example.org", "a wrong guess", place=HOME)
    second = try_sign_in("robin@example.org", "correct horse", place=HOME)
    wall_clock.advance(61)
    later = try_sign_in("robin@example.org", "correct horse", place=HOME)

    assert type(first) is AccountError, "one try a minute is still checked"
    assert isinstance(second, TooManyTries) and second.seconds_left <= 60
    assert later == robin.id, "the owner gets in, slowly"


class CountingHasher:
    """Argon2 as before, counting the password checks."""

    def __init__(self, real):
        self.real, self.checks = real, 0

    def verify(self, *args):
        self.checks += 1
        return self.real.verify(*args)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.mark.parametrize("case", ["unknown email", "wrong password", "paused", "right password"])
def test_every_answer_costs_one_password_check(make_user, try_sign_in, monkeypatch, case):
    make_user(email="robin@example.org")
    if case == "paused":
        fail(try_sign_in, "robin@example.org", 5)
    hasher = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", hasher)
    email = "nobody@example.org" if case == "unknown email" else "robin@example.org"
    password = "correct horse" if case == "right password" else "a wrong guess"

    try_sign_in(email, password)

    assert hasher.checks == 1


# --- One spelling of an address: the counts and the account lookup agree --------------------

# Each reaches robin@example.org's account, so each must be counted as robin@example.org.
SPELLINGS_OF_ROBIN = [
    "robin@example.org\x01",  # control characters at the end
    "robin@example.org\x05",
    "robin@example.org\x0e",
    "ROBIN@Example.org",
    " robin@example.org\u00a0",  # a no-break space
    "robin\u200b@example.org",  # a zero-width space
    "\ufeffrobin@example.org",  # a byte-order mark
    "rob\u00adin@example.org",  # a soft hyphen
    "robin@example.org\u200e",  # a left-to-right mark
    "ｒｏｂｉｎ@example.org",  # full-width letters
]


@pytest.mark.parametrize("spelling", SPELLINGS_OF_ROBIN)
def test_every_spelling_that_opens_the_account_opens_it(make_user, try_sign_in, spelling):
    robin = make_user(email="robin@example.org")

    assert try_sign_in(spelling, "correct horse") == robin.id


def test_wrong_passwords_under_other_spellings_count_for_the_address(make_user, try_sign_in):
    # Before, the counts kept "robin@example.org\x01" … "\x0e" apart while the lookup found
    # Robin's account for each: nine wrong guesses on fresh counts, then the right password
    # under another spelling signed in.
    make_user(email="robin@example.org")
    for spelling in SPELLINGS_OF_ROBIN[:5]:
        assert type(try_sign_in(spelling, "a wrong guess")) is AccountError

    paused = try_sign_in("robin@example.org\x02", "correct horse")

    assert isinstance(paused, TooManyTries)

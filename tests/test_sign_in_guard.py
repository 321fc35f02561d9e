"""Guessing passwords (firestorm/people/sign_in_guard.py with people/accounts.py): counted per
email, apart for each browser the account knows and for all new browsers together (and per
place), the same for an unknown email as for a real one, each answer costing one password
hash; guessing from elsewhere shuts out new browsers for a while, never the owner's own."""

from datetime import timedelta

import pytest
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from review_helpers import NOW

from firestorm.database import db
from firestorm.people import accounts, passwords
from firestorm.people.accounts import AccountError
from firestorm.people.sign_in_guard import SignedInBrowser, SignInGuard, TooManyTries
from firestorm.people.trusted_devices import KnownBrowser

CAFE, HOME, ELSEWHERE = "198.51.100.7", "203.0.113.9", "192.0.2.44"
NEW_BROWSER = None
SHUT_OUT = "Sign in on a computer or phone where you have signed in before, or try again in"


def browser_of(*people) -> KnownBrowser:
    """A browser each of these people signed in on before."""
    cookies = {}
    for person in people:
        cookie = KnownBrowser("a secret", "device", timedelta(days=180), {}, NOW).cookie_for(person)
        cookies[cookie.name] = cookie.value
    return KnownBrowser("a secret", "device", timedelta(days=180), cookies, NOW)


@pytest.fixture
def counter():
    return MovingWindowRateLimiter(MemoryStorage())


@pytest.fixture
def try_sign_in(app, counter):
    """try_sign_in(email, password, place, browser) -> the signed-in account's id, or the
    AccountError raised."""

    def try_sign_in(email, password, place=CAFE, browser=NEW_BROWSER):
        with app.app_context():
            try:
                user = accounts.authenticate(
                    email, password, SignInGuard(counter, email, place, browser), NOW
                )
                user_id = user.id
            except AccountError as refused:
                return refused
            db.session.commit()
            return user_id

    return try_sign_in


def fail(try_sign_in, email, times, place=CAFE, browser=NEW_BROWSER):
    for _ in range(times):
        refused = try_sign_in(email, "a wrong guess", place, browser)
        assert type(refused) is AccountError, refused


def shut_out_new_browsers(try_sign_in, email):
    """Ten wrong passwords from ten places: the allowance of new browsers for that email."""
    for number in range(10):
        fail(try_sign_in, email, 1, place=f"10.0.0.{number}")


def test_five_wrong_passwords_pause_that_email_from_that_place(make_user, try_sign_in):
    make_user(email="robin@example.org")
    fail(try_sign_in, "robin@example.org", 5)

    paused = try_sign_in("robin@example.org", "correct horse")

    assert isinstance(paused, TooManyTries)
    assert f"{SHUT_OUT} 15 minutes." in str(paused)
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


def test_guessing_from_many_places_shuts_out_new_browsers_but_never_the_owners(
    make_user, try_sign_in
):
    # Before, past twenty wrong passwords an hour the one try a minute went to whoever asked
    # first: an attacker asking every second kept the owner out.
    robin = make_user(email="robin@example.org")
    laptop = browser_of(robin)
    shut_out_new_browsers(try_sign_in, "robin@example.org")
    guesses = [try_sign_in("robin@example.org", "a guess", f"10.0.1.{n}") for n in range(20)]

    from_the_laptop = try_sign_in("robin@example.org", "correct horse", HOME, laptop)
    from_a_new_browser = try_sign_in("robin@example.org", "correct horse", HOME)

    assert all(isinstance(guess, TooManyTries) for guess in guesses)
    assert from_the_laptop == robin.id
    assert isinstance(from_a_new_browser, TooManyTries)
    assert SHUT_OUT in str(from_a_new_browser)
    assert 3000 < from_a_new_browser.seconds_left <= 3600


def test_new_browsers_are_let_in_again_after_the_hour(make_user, try_sign_in, wall_clock):
    robin = make_user(email="robin@example.org")
    shut_out_new_browsers(try_sign_in, "robin@example.org")

    wall_clock.advance(3600 + 1)

    assert try_sign_in("robin@example.org", "correct horse", HOME) == robin.id


def test_a_browser_the_account_knows_is_not_paused_with_its_place(make_user, try_sign_in):
    robin = make_user(email="robin@example.org")
    fail(try_sign_in, "robin@example.org", 5, place=CAFE)

    assert try_sign_in("robin@example.org", "correct horse", CAFE, browser_of(robin)) == robin.id


def test_five_wrong_passwords_on_a_known_browser_pause_that_browser_only(make_user, try_sign_in):
    robin = make_user(email="robin@example.org")
    laptop, phone = browser_of(robin), browser_of(robin)
    fail(try_sign_in, "robin@example.org", 5, browser=laptop)

    paused = try_sign_in("robin@example.org", "correct horse", browser=laptop)

    assert isinstance(paused, TooManyTries)
    assert "for this account on this browser" in str(paused)
    assert "Try again in 15 minutes." in str(paused)
    assert try_sign_in("robin@example.org", "correct horse", browser=phone) == robin.id
    assert try_sign_in("robin@example.org", "correct horse", HOME) == robin.id, (
        "a known browser's wrong passwords are not counted against new browsers"
    )


def test_a_known_browsers_pause_ends_after_fifteen_minutes(make_user, try_sign_in, wall_clock):
    robin = make_user(email="robin@example.org")
    laptop = browser_of(robin)
    fail(try_sign_in, "robin@example.org", 5, browser=laptop)

    wall_clock.advance(15 * 60 + 1)

    assert try_sign_in("robin@example.org", "correct horse", browser=laptop) == robin.id


def test_a_browser_known_to_another_account_is_new_to_this_one(make_user, try_sign_in):
    robin = make_user(email="robin@example.org")
    sams_laptop = browser_of(make_user(email="sam@example.org"))
    shut_out_new_browsers(try_sign_in, "robin@example.org")

    refused = try_sign_in("robin@example.org", "correct horse", CAFE, sams_laptop)

    assert isinstance(refused, TooManyTries) and SHUT_OUT in str(refused)
    assert try_sign_in("robin@example.org", "correct horse", CAFE, browser_of(robin)) == robin.id


def test_an_unknown_email_gets_the_same_answer_when_new_browsers_are_shut_out(
    make_user, try_sign_in
):
    make_user(email="robin@example.org")
    for email in ("robin@example.org", "nobody@example.org"):
        shut_out_new_browsers(try_sign_in, email)

    real = try_sign_in("robin@example.org", "a wrong guess", HOME)
    unknown = try_sign_in("nobody@example.org", "a wrong guess", HOME)

    assert type(real) is type(unknown) is TooManyTries
    assert str(real) == str(unknown)


def test_wrong_current_passwords_on_the_account_page_count_apart_from_sign_ins(
    app, make_user, counter
):
    robin = make_user(email="robin@example.org")

    def change_password(current):
        with app.app_context():
            guard = SignInGuard(counter, robin.email, CAFE, SignedInBrowser())
            try:
                accounts.change_password(
                    db.session.get(type(robin), robin.id), current, "a new passphrase", guard
                )
            except AccountError as refused:
                return refused

    for number in range(10):  # new browsers shut out
        SignInGuard(counter, robin.email, f"10.0.0.{number}").record_failure()
    assert change_password("correct horse") is None, "the owner, signed in, is not shut out"
    for _ in range(5):
        assert type(change_password("not it")) is AccountError

    paused = change_password("a new passphrase")

    assert isinstance(paused, TooManyTries) and paused.field == "current_password"


class CountingHasher:
    """Argon2 as before, counting the password checks."""

    def __init__(self, real):
        self.real, self.checks = real, 0

    def verify(self, *args):
        self.checks += 1
        return self.real.verify(*args)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.mark.parametrize(
    "case",
    [
        "unknown email",
        "wrong password",
        "paused",
        "right password",
        "known browser",
        "known browser paused",
    ],
)
def test_every_answer_costs_one_password_check(make_user, try_sign_in, monkeypatch, case):
    robin = make_user(email="robin@example.org")
    browser = browser_of(robin) if case.startswith("known browser") else NEW_BROWSER
    if case.endswith("paused"):
        fail(try_sign_in, "robin@example.org", 5, browser=browser)
    hasher = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", hasher)
    email = "nobody@example.org" if case == "unknown email" else "robin@example.org"
    password = "correct horse" if case in ("right password", "known browser") else "a wrong guess"

    try_sign_in(email, password, browser=browser)

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

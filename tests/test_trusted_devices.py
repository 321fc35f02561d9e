"""Device cookies (firestorm/people/trusted_devices.py): what makes a browser known to an
account, and what never does (forged, expired, another account's, earned with an older
password); how many a browser keeps. Through the sign-in page: test_device_cookies.py."""

import base64
from datetime import timedelta

import pytest
from review_helpers import NOW

from firestorm.people.passwords import hash_password
from firestorm.people.trusted_devices import ACCOUNTS_PER_BROWSER, KnownBrowser

SECRET = "the site's secret"
LIFETIME = timedelta(days=180)


def browser(cookies=None, now=NOW, secret=SECRET) -> KnownBrowser:
    return KnownBrowser(secret, "device", LIFETIME, cookies or {}, now)


def signed_in(person, now=NOW, cookies=None) -> dict[str, str]:
    """A browser's cookies after `person` signed in on it at `now`."""
    cookie = browser(cookies, now).cookie_for(person)
    return {**(cookies or {}), cookie.name: cookie.value}


@pytest.fixture
def robin(make_user):
    return make_user(email="robin@example.org")


def test_a_browser_that_signed_in_is_known_to_that_account(robin):
    assert browser(signed_in(robin)).device_for(robin) is not None
    assert browser({}).device_for(robin) is None
    assert browser(signed_in(robin)).device_for(None) is None, "no such account"


def test_each_sign_in_gives_the_browser_a_new_name(robin):
    first, second = browser(signed_in(robin)), browser(signed_in(robin))

    assert first.device_for(robin) != second.device_for(robin)


def test_a_browser_known_to_one_account_is_new_to_another(robin, make_user):
    sam = make_user(email="sam@example.org")
    cookies = signed_in(sam)
    # Sam's cookie put under the name of Robin's: signed for Sam's name, so worth nothing.
    (sams_value,) = cookies.values()
    robins_name = next(iter(signed_in(robin)))

    assert browser(cookies).device_for(robin) is None
    assert browser({robins_name: sams_value}).device_for(robin) is None


def _first_of_signature_changed(value: str) -> str:
    at = value.rindex(".") + 1
    return value[:at] + ("A" if value[at] != "A" else "B") + value[at + 1 :]


@pytest.mark.parametrize(
    "forge",
    [
        # The signature's first character changed: its last also holds padding bits, which
        # decoding drops, so changing that one from "A" to "B" may leave the signature as it was.
        lambda value: _first_of_signature_changed(value),
        lambda value: "W10" + value[value.index(".") :],  # another payload, same signature
        lambda value: "",
        lambda value: "not a cookie at all",
    ],
    ids=["signature", "payload", "empty", "garbage"],
)
def test_a_forged_cookie_is_worth_nothing(robin, forge):
    ((name, value),) = signed_in(robin).items()

    assert browser({name: forge(value)}).device_for(robin) is None


def test_a_cookie_signed_with_another_secret_is_worth_nothing(robin):
    cookie = browser(secret="another site's secret").cookie_for(robin)

    assert browser({cookie.name: cookie.value}).device_for(robin) is None


def test_a_cookie_lasts_its_lifetime_from_the_sign_in(robin):
    cookies = signed_in(robin, now=NOW)

    assert browser(cookies, now=NOW + LIFETIME - timedelta(seconds=1)).device_for(robin)
    assert browser(cookies, now=NOW + LIFETIME).device_for(robin) is None


def test_a_new_password_makes_every_older_cookie_worthless(robin):
    stolen = signed_in(robin)

    robin.password_hash = hash_password("a new passphrase")

    assert browser(stolen).device_for(robin) is None
    assert browser(signed_in(robin)).device_for(robin) is not None, "earned again"


def test_the_cookie_names_the_account_by_a_digest_only(robin):
    ((name, value),) = signed_in(robin).items()
    payload = value.split(".")[0]
    assert payload, "not compressed: readable as it is"
    readable = name + base64.urlsafe_b64decode(payload + "==").decode()

    assert name.startswith("device-")
    for clue in ("robin", "example.org", f'"{robin.id}"', robin.password_hash):
        assert clue not in readable


def test_a_browser_keeps_the_newest_accounts(make_user):
    people = [make_user() for _ in range(ACCOUNTS_PER_BROWSER + 1)]
    cookies = {}
    for minute, person in enumerate(people[:-1]):
        cookies = signed_in(person, NOW + timedelta(minutes=minute), cookies)
    later = browser(cookies, NOW + timedelta(hours=1))
    newest = later.cookie_for(people[-1])

    assert later.cookies_to_forget(newest) == [next(iter(signed_in(people[0])))]


def test_cookies_no_longer_valid_are_dropped_at_the_next_sign_in(robin, make_user):
    expired = signed_in(make_user(), now=NOW - LIFETIME)
    forged = {name: "forged" for name in signed_in(make_user())}
    cookies = {**expired, **forged}
    known = browser(cookies)

    assert sorted(known.cookies_to_forget(known.cookie_for(robin))) == sorted(cookies)


def test_signing_in_again_replaces_the_accounts_cookie_without_forgetting_it(robin):
    cookies = signed_in(robin)

    again = browser(cookies)

    assert again.cookies_to_forget(again.cookie_for(robin)) == []


def test_a_secret_key_given_as_bytes_does_as_well(robin):
    cookie = browser(secret=b"the site's secret").cookie_for(robin)

    assert browser({cookie.name: cookie.value}, secret=b"the site's secret").device_for(robin)

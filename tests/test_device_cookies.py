"""Device cookies through the sign-in page (firestorm/auth/device_cookies.py): someone guessing
a member's password from many addresses shuts out new browsers for a while, never a browser the
member signed in with before; the cookie's attributes; what is worth nothing (forged, expired,
another account's, earned with an older password); the account page; and answers that tell
nobody who has an account. The cookie's rules alone: test_trusted_devices.py."""

from datetime import UTC, datetime, timedelta

import pytest
import redis
from argon2 import PasswordHasher
from auth_helpers import (
    change_password,
    invite,
    is_signed_in,
    post_form,
    sign_in_from,
    without_tokens,
)
from redis_helpers import REDIS_URL, needs_redis
from review_helpers import NOW, page_text

from firestorm.people import passwords

HOME, CAFE = "203.0.113.9", "198.51.100.7"
SHUT_OUT = "Sign in on a computer or phone where you have signed in before, or try again in"
ON_THIS_BROWSER = "Too many wrong passwords have been tried for this account on this browser"


def browser_at(app, address=HOME):
    """A new browser (its own cookies) at that network address."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def guess(app, email, number):
    """A wrong guess from the `number`th of twenty addresses, each time from a new browser."""
    return sign_in_from(browser_at(app, f"10.0.{number % 20}.1"), email, "a wrong guess")


def shut_out_new_browsers(app, email):
    for number in range(10):
        assert guess(app, email, number).status_code == 422


def device_cookie_headers(response) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("device-")]


def device_cookie_of(response) -> tuple[str, str]:
    """(name, value) of the one device cookie the response gives."""
    (header,) = device_cookie_headers(response)
    return tuple(header.split(";")[0].split("=", 1))


def sent_device_cookies(response) -> list[str]:
    """The device cookies the browser sent with the request that got `response`."""
    return [name for name in response.request.cookies if name.startswith("device-")]


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Argon2 at its lightest: these tests sign in hundreds of times, and what is counted does
    not depend on the hash's cost (the real parameters: test_passwords.py)."""
    light = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", light)


@pytest.fixture
def robin(make_user):
    return make_user(email="robin@example.org")


@pytest.fixture
def laptop(app, robin):
    """Robin's laptop, where Robin signed in before (and then signed out)."""
    laptop = browser_at(app)
    assert sign_in_from(laptop, "robin@example.org").status_code == 302
    post_form(laptop, "/logout")
    return laptop


# --- Someone guessing from many addresses -------------------------------------------------


def test_guessing_from_many_addresses_never_keeps_the_owner_out_of_a_browser_they_used(
    app, laptop, wall_clock
):
    # Before, one wrong guess a second from twenty addresses refused the owner's right
    # password 15 times out of 15: the one try a minute went to whoever asked first.
    owners_answers = []
    for round_number in range(15):
        for second in range(6):
            wall_clock.advance(1)
            guess(app, "robin@example.org", round_number * 6 + second)
        owners_answers.append(sign_in_from(laptop, "robin@example.org").status_code)

    from_a_new_browser = sign_in_from(browser_at(app), "robin@example.org")

    assert owners_answers == [302] * 15
    assert from_a_new_browser.status_code == 429
    assert SHUT_OUT in page_text(from_a_new_browser)
    assert 0 < int(from_a_new_browser.headers["Retry-After"]) <= 3600
    assert not is_signed_in(browser_at(app))


def test_the_device_cookie_reaches_the_sign_in_post_with_a_next_page(app, laptop):
    shut_out_new_browsers(app, "robin@example.org")

    in_the_address = post_form(
        laptop, "/login?next=%2Faccount", email="robin@example.org", password="correct horse"
    )
    post_form(laptop, "/logout")
    in_the_form = sign_in_from(laptop, "robin@example.org", next="/account")

    for response in (in_the_address, in_the_form):
        assert response.status_code == 302 and response.headers["Location"] == "/account"
        assert len(sent_device_cookies(response)) == 1


def test_no_page_but_the_sign_in_page_is_sent_the_device_cookie(laptop):
    for path in ("/", "/books", "/hours", "/account"):
        assert sent_device_cookies(laptop.get(path)) == [], path

    assert len(sent_device_cookies(laptop.get("/login"))) == 1


# --- The cookie ---------------------------------------------------------------------------


def test_signing_in_gives_an_http_only_strict_cookie_for_the_sign_in_page_only(app, robin):
    response = sign_in_from(browser_at(app), "robin@example.org")

    (header,) = device_cookie_headers(response)
    attributes = [part.strip() for part in header.split(";")]
    assert "HttpOnly" in attributes and "SameSite=Strict" in attributes
    assert "Path=/login" in attributes
    assert f"Max-Age={180 * 24 * 3600}" in attributes
    assert "Secure" not in attributes, "the test site is served over plain http"
    assert "robin" not in header and "example.org" not in header


def test_with_secure_cookies_configured_the_device_cookie_is_secure(other_app, robin):
    secure_app = other_app(SESSION_COOKIE_SECURE=True)

    response = sign_in_from(secure_app.test_client(), "robin@example.org")

    assert "Secure" in [part.strip() for part in device_cookie_headers(response)[0].split(";")]


def test_the_cookies_name_and_lifetime_are_settings(other_app, robin):
    configured = other_app(DEVICE_COOKIE_NAME="__Secure-device", DEVICE_COOKIE_DAYS=30)

    response = sign_in_from(configured.test_client(), "robin@example.org")

    (header,) = [h for h in response.headers.getlist("Set-Cookie") if "Path=/login" in h]
    assert header.startswith("__Secure-device-") and f"Max-Age={30 * 24 * 3600}" in header


def test_a_wrong_password_or_an_unknown_email_gives_no_device_cookie(app, robin):
    browser = browser_at(app)

    assert not device_cookie_headers(sign_in_from(browser, "robin@example.org", "wrong"))
    assert not device_cookie_headers(sign_in_from(browser, "nobody@example.org", "wrong"))


def test_signing_out_keeps_the_browser_known(app, laptop):
    # The laptop signed out (the fixture): sign-outs here are everywhere, and trust in a
    # browser is not a session, so the owner keeps it.
    shut_out_new_browsers(app, "robin@example.org")

    assert sign_in_from(laptop, "robin@example.org").status_code == 302


def test_one_browser_is_known_to_the_ten_accounts_that_signed_in_on_it_last(
    app, make_user, wall_clock, clock
):
    # A shared computer at the cafe: one cookie per account, the newest ten kept.
    people = [make_user(email=f"volunteer{n}@example.org") for n in range(11)]
    cafe_computer = browser_at(app, CAFE)
    for minute, person in enumerate(people):
        clock(NOW + timedelta(minutes=minute))
        wall_clock.advance(60)  # the address's limit: 10 sign-ins a minute
        assert sign_in_from(cafe_computer, person.email).status_code == 302
    for person in (people[0], people[1], people[-1]):
        shut_out_new_browsers(app, person.email)

    first, second, last = (
        sign_in_from(cafe_computer, person.email) for person in (people[0], people[1], people[-1])
    )

    assert first.status_code == 429 and SHUT_OUT in page_text(first), "the oldest was dropped"
    assert second.status_code == last.status_code == 302
    assert len(sent_device_cookies(last)) == 10


def test_the_browser_an_account_was_made_in_is_known_to_it(app, make_user):
    _, token = invite(app, make_user(role="collective"), "new@example.org")
    browser = browser_at(app)
    post_form(
        browser,
        f"/invite/{token}",
        display_name="Robin",
        password="a long passphrase",
        password_again="a long passphrase",
    )
    post_form(browser, "/logout")
    shut_out_new_browsers(app, "new@example.org")

    assert sign_in_from(browser, "new@example.org", "a long passphrase").status_code == 302


# --- What is worth nothing ----------------------------------------------------------------


def test_a_forged_device_cookie_counts_as_a_new_browser(app, robin):
    browser = browser_at(app)
    name, value = device_cookie_of(sign_in_from(browser, "robin@example.org"))
    post_form(browser, "/logout")
    browser.set_cookie(
        name, value[:-2] + ("AA" if not value.endswith("AA") else "BB"), path="/login"
    )
    shut_out_new_browsers(app, "robin@example.org")

    refused = sign_in_from(browser, "robin@example.org")

    assert refused.status_code == 429 and SHUT_OUT in page_text(refused)


def test_an_expired_device_cookie_counts_as_a_new_browser(app, laptop, clock):
    shut_out_new_browsers(app, "robin@example.org")
    clock(datetime.now(UTC) + timedelta(days=180, minutes=1))

    refused = sign_in_from(laptop, "robin@example.org")

    assert refused.status_code == 429 and SHUT_OUT in page_text(refused)


def test_a_browser_known_to_another_account_is_new_to_this_one(app, robin, make_user):
    make_user(email="sam@example.org")
    sams_laptop = browser_at(app)
    sign_in_from(sams_laptop, "sam@example.org")
    post_form(sams_laptop, "/logout")
    shut_out_new_browsers(app, "robin@example.org")

    refused = sign_in_from(sams_laptop, "robin@example.org")

    assert refused.status_code == 429 and SHUT_OUT in page_text(refused)


def test_a_device_cookie_copied_before_a_password_change_counts_as_a_new_browser(app, robin):
    laptop = browser_at(app)
    name, value = device_cookie_of(sign_in_from(laptop, "robin@example.org"))
    thief = browser_at(app, CAFE)
    thief.set_cookie(name, value, path="/login")

    assert change_password(laptop, new="a new passphrase").status_code == 302
    post_form(laptop, "/logout")
    shut_out_new_browsers(app, "robin@example.org")

    from_the_copy = sign_in_from(thief, "robin@example.org", "a new passphrase")
    from_the_laptop = sign_in_from(laptop, "robin@example.org", "a new passphrase")
    assert from_the_copy.status_code == 429 and SHUT_OUT in page_text(from_the_copy)
    assert from_the_laptop.status_code == 302, "the password was changed on it: known again"


# --- A known browser's own allowance ------------------------------------------------------


def test_five_wrong_passwords_on_a_known_browser_pause_that_browser_only(app, laptop, robin):
    phone = browser_at(app, HOME)
    sign_in_from(phone, "robin@example.org")
    for _ in range(5):
        assert sign_in_from(laptop, "robin@example.org", "a wrong guess").status_code == 422

    paused = sign_in_from(laptop, "robin@example.org")

    assert paused.status_code == 429
    assert ON_THIS_BROWSER in page_text(paused) and "Try again in 15 minutes." in page_text(paused)
    assert 840 <= int(paused.headers["Retry-After"]) <= 900
    assert sign_in_from(phone, "robin@example.org").status_code == 302
    new_browser = sign_in_from(browser_at(app, HOME), "robin@example.org")
    assert new_browser.status_code == 302, "not counted against new browsers, nor the place"


# --- The account page ---------------------------------------------------------------------


def test_a_signed_in_owner_changes_their_password_while_new_browsers_are_shut_out(app, robin):
    laptop = browser_at(app)
    sign_in_from(laptop, "robin@example.org")
    shut_out_new_browsers(app, "robin@example.org")

    changed = change_password(laptop, new="a new passphrase")

    assert changed.status_code == 302 and is_signed_in(laptop)
    assert len(device_cookie_headers(changed)) == 1, "earned again with the new password"
    post_form(laptop, "/logout")
    assert sign_in_from(laptop, "robin@example.org", "a new passphrase").status_code == 302


# --- Answers that tell nobody who has an account -----------------------------------------


def test_a_real_email_and_an_unknown_one_get_the_same_answers(app, robin, clock):
    clock(NOW)  # the pages are compared whole: the banner must not change between them
    answers = {}
    for email in ("robin@example.org", "nobody@example.org"):
        browser = browser_at(app)
        wrong = sign_in_from(browser, email, "a wrong guess")
        for number in range(9):  # with the first, the ten new browsers may get
            guess(app, email, number)
        answers[email] = (wrong, sign_in_from(browser, email, "a wrong guess"))

    for real, unknown in zip(*answers.values(), strict=True):
        assert real.status_code == unknown.status_code
        assert without_tokens(page_text(unknown).replace("nobody@", "robin@")) == without_tokens(
            page_text(real)
        )
        assert not device_cookie_headers(real) and not device_cookie_headers(unknown)
    (_, real_shut_out), (_, unknown_shut_out) = answers.values()
    assert real_shut_out.status_code == 429
    assert (
        abs(
            int(real_shut_out.headers["Retry-After"]) - int(unknown_shut_out.headers["Retry-After"])
        )
        <= 60
    )


# --- Several workers, one Redis -------------------------------------------------------------


@pytest.mark.redis
@needs_redis
def test_with_redis_every_worker_lets_the_owners_browser_in_and_shuts_out_new_ones(
    other_app, robin
):
    workers = [other_app(RATELIMIT_STORAGE_URI=REDIS_URL) for _ in range(2)]
    redis.Redis.from_url(REDIS_URL).flushdb()
    try:
        laptop = browser_at(workers[0])
        name, value = device_cookie_of(sign_in_from(laptop, "robin@example.org"))
        for number in range(10):  # alternately to each worker, from ten addresses
            guess(workers[number % 2], "robin@example.org", number)
        laptop_on_the_other_worker = browser_at(workers[1])
        laptop_on_the_other_worker.set_cookie(name, value, path="/login")

        owner = sign_in_from(laptop_on_the_other_worker, "robin@example.org")
        new_browser = sign_in_from(browser_at(workers[0]), "robin@example.org")

        assert owner.status_code == 302
        assert new_browser.status_code == 429 and SHUT_OUT in page_text(new_browser)
        assert redis.Redis.from_url(REDIS_URL).keys("LIMITS*new_browsers*"), "counted in Redis"
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()

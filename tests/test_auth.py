"""Signing in and out, cookies, throttling and CSRF, as a browser meets them. The account page:
test_account_page.py."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import redis
from auth_helpers import (
    change_password,
    is_signed_in,
    post_form,
    sign_in_from,
    stored,
    without_tokens,
)
from html_checks import check_html, describe_html_errors, save_page
from redis_helpers import REDIS_URL, needs_redis
from review_helpers import NOW, page_text, token_of

from firestorm.database import db
from firestorm.extensions import limiter
from firestorm.people import accounts, invitations
from firestorm.people.models import User

# Where signing in leads when no page asked for it (auth.routes.landing_page).
LANDING_PAGE = "/my/"
FORM_EXPIRED = "This form has expired"
WRONG_EMAIL_OR_PASSWORD = "That email and password don&#39;t match an account"


# --- The sign-in page ---------------------------------------------------------------------


def test_the_sign_in_page_has_labelled_fields_and_stays_out_of_search_engines(client):
    text = page_text(client.get("/login"))

    assert '<label for="email">Email address</label>' in text
    assert '<label for="password">Password</label>' in text
    assert "Keep me signed in for 30 days" in text
    assert '<meta name="robots" content="noindex">' in text


def test_signing_in_greets_the_person_and_opens_the_landing_page(client, make_user, sign_in):
    make_user(email="robin@example.org", display_name="Robin")

    response = sign_in("Robin@Example.org")

    assert response.status_code == 302 and response.headers["Location"] == LANDING_PAGE
    assert "Welcome, Robin. You are signed in." in page_text(client.get(LANDING_PAGE))
    assert is_signed_in(client)


def test_signing_in_starts_a_new_session_that_carries_the_session_version(
    client, make_user, sign_in
):
    robin = make_user(email="robin@example.org")
    with client.session_transaction() as session:
        session["left_by_someone_else"] = "x"

    sign_in("robin@example.org")

    with client.session_transaction() as session:
        assert "left_by_someone_else" not in session
        assert session["_user_id"] == f"{robin.id}:{robin.session_version}"


def test_a_wrong_password_comes_back_with_the_email_kept_and_a_plain_message(
    client, make_user, sign_in
):
    make_user(email="robin@example.org")

    response = sign_in("robin@example.org", "wrong horse")

    text = page_text(response)
    assert response.status_code == 422
    assert WRONG_EMAIL_OR_PASSWORD in text
    assert 'value="robin@example.org"' in text
    assert "wrong horse" not in text
    assert not is_signed_in(client)


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(make_user, sign_in, clock):
    make_user(email="robin@example.org")
    clock(NOW)  # the two pages are compared whole: the banner must not change between them

    wrong_password = sign_in("robin@example.org", "wrong horse")
    unknown_email = sign_in("nobody@example.org", "wrong horse")

    assert wrong_password.status_code == unknown_email.status_code == 422
    assert without_tokens(page_text(unknown_email).replace("nobody@", "robin@")) == without_tokens(
        page_text(wrong_password)
    )


def test_an_empty_form_says_what_is_missing_next_to_each_field(sign_in):
    response = sign_in("", "")

    text = page_text(response)
    assert response.status_code == 422
    assert '<ul id="email-errors" class="field-errors">' in text
    assert "Enter your email address." in text and "Enter your password." in text
    assert 'aria-describedby="email-errors"' in text and 'aria-invalid="true"' in text


def test_a_signed_in_person_opening_the_sign_in_page_goes_on(client, login_as):
    login_as("volunteer")

    assert client.get("/login").headers["Location"] == LANDING_PAGE
    assert client.get("/login?next=/hours").headers["Location"] == "/hours"


# --- Where sign-in leads: `next` never leaves the site ------------------------------------


def test_a_page_that_needs_signing_in_sends_there_and_back(client, make_user, sign_in):
    make_user(email="robin@example.org")

    asked = client.get("/account")
    assert asked.status_code == 302
    assert asked.headers["Location"] == "/login?next=%2Faccount"
    assert 'value="/account"' in page_text(client.get(asked.headers["Location"]))

    assert sign_in("robin@example.org", next="/account").headers["Location"] == "/account"


def test_next_may_carry_a_query_string(make_user, sign_in):
    make_user(email="robin@example.org")

    response = sign_in("robin@example.org", next="/books?q=zibechi&sort=title")

    assert response.headers["Location"] == "/books?q=zibechi&sort=title"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
    ],
)
def test_next_never_leads_off_the_site(client, make_user, sign_in, target):
    make_user(email="robin@example.org")

    response = sign_in("robin@example.org", next=target)

    assert response.headers["Location"] == LANDING_PAGE


def test_an_off_site_next_is_not_even_put_in_the_form(client):
    text = page_text(client.get("/login?next=//evil.example"))

    assert "evil.example" not in text
    assert '<input id="next" name="next" type="hidden" value="">' in text


# --- Cookies ------------------------------------------------------------------------------


def test_the_session_cookie_is_http_only_and_same_site_lax(client, make_user, sign_in):
    make_user(email="robin@example.org")

    sign_in("robin@example.org")

    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure
    assert cookie.expires is None, "without 'remember me' it ends with the browser"
    assert client.get_cookie("remember_token") is None


def test_remember_me_sets_an_http_only_cookie_that_lasts_at_most_30_days(
    client, make_user, sign_in
):
    make_user(email="robin@example.org")

    sign_in("robin@example.org", remember=True)

    cookie = client.get_cookie("remember_token")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert cookie.expires <= datetime.now(UTC) + timedelta(days=30, minutes=1)
    assert cookie.expires >= datetime.now(UTC) + timedelta(days=29)


def test_remember_me_keeps_the_person_signed_in_after_the_browser_closes(
    client, make_user, sign_in
):
    make_user(email="robin@example.org")
    sign_in("robin@example.org", remember=True)

    client.delete_cookie("session")

    assert is_signed_in(client)


def test_signing_in_without_remember_me_forgets_the_last_persons_cookie(client, make_user, sign_in):
    make_user(email="robin@example.org")
    make_user(email="sam@example.org")
    sign_in("robin@example.org", remember=True)

    sign_in("sam@example.org")

    assert client.get_cookie("remember_token") is None


def test_with_secure_cookies_configured_both_cookies_are_secure(other_app, make_user):
    make_user(email="robin@example.org")
    secure_app = other_app(SESSION_COOKIE_SECURE=True)
    browser = secure_app.test_client()

    response = sign_in_from(browser, "robin@example.org", remember="y")

    cookies = " ".join(response.headers.getlist("Set-Cookie"))
    assert re.search(r"session=[^;]+;.*Secure", cookies)
    assert re.search(r"remember_token=[^;]+;.*Secure", cookies)


# --- Throttling ---------------------------------------------------------------------------


def test_five_wrong_passwords_from_one_place_pause_that_email_there_with_a_plain_429(
    client, make_user, sign_in
):
    make_user(email="robin@example.org")
    for _ in range(5):
        assert sign_in("robin@example.org", "wrong horse").status_code == 422

    right_password = sign_in("robin@example.org", "correct horse")

    assert right_password.status_code == 429
    assert "Too many wrong passwords have been tried for this email address" in page_text(
        right_password
    )
    assert "or try again in 15 minutes." in page_text(right_password)
    assert 840 <= int(right_password.headers["Retry-After"]) <= 900
    assert not is_signed_in(client)


def test_an_unknown_email_gets_the_same_pause_as_a_real_one(app, make_user):
    make_user(email="robin@example.org")
    answers = {}
    for place, email in enumerate(("robin@example.org", "nobody@example.org")):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"198.51.100.{place + 1}"
        for _ in range(5):
            sign_in_from(browser, email, "wrong horse")
        answers[email] = sign_in_from(browser, email, "wrong horse")

    real, unknown = answers.values()
    assert real.status_code == unknown.status_code == 429
    assert message_of(real) == message_of(unknown)


def message_of(response) -> str:
    return page_text(response).split('class="error-summary"')[1].split("</ul>")[0]


def test_nobody_can_lock_a_volunteer_out_from_somewhere_else(app, client, make_user, sign_in):
    make_user(email="robin@example.org")
    for _ in range(6):
        sign_in("robin@example.org", "wrong horse")

    at_the_cafe = app.test_client()
    at_the_cafe.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    response = sign_in_from(at_the_cafe, "robin@example.org", "correct horse")

    assert response.status_code == 302
    assert is_signed_in(at_the_cafe)


def test_the_pause_ends_after_fifteen_minutes(client, make_user, sign_in, wall_clock):
    make_user(email="robin@example.org")
    for _ in range(5):
        sign_in("robin@example.org", "wrong horse")

    wall_clock.advance(15 * 60 + 1)

    assert sign_in("robin@example.org").status_code == 302
    assert is_signed_in(client)


def test_wrong_current_passwords_count_towards_the_pause(client, login_as):
    login_as("volunteer")
    for _ in range(5):
        assert change_password(client, current="not it").status_code == 422

    response = change_password(client, current="correct horse")

    assert response.status_code == 429
    assert "Too many wrong passwords" in page_text(response)
    assert "Retry-After" in response.headers


def test_one_address_gets_ten_sign_in_tries_a_minute(client, sign_in):
    for number in range(10):
        assert sign_in(f"guess{number}@example.org", "wrong horse").status_code == 422

    refused = sign_in("guess10@example.org", "wrong horse")

    text = page_text(refused)
    assert refused.status_code == 429
    assert "Too many tries" in text and "Please wait a minute and try again." in text
    assert "Firestorm Cafe &amp; Books" in text, "the page is in the site's layout"
    assert client.get("/login").status_code == 200, "only sign-in attempts are counted"


@pytest.mark.redis
@needs_redis
def test_with_redis_configured_the_address_limit_is_counted_in_redis(other_app):
    redis_app = other_app(RATELIMIT_STORAGE_URI=REDIS_URL)
    limiter.reset()
    browser = redis_app.test_client()
    try:
        for number in range(10):
            assert sign_in_from(browser, f"guess{number}@example.org").status_code == 422

        refused = sign_in_from(browser, "guess10@example.org")

        assert refused.status_code == 429 and "Too many tries" in page_text(refused)
        assert redis.Redis.from_url(REDIS_URL).keys("LIMITS*"), "the count is kept in Redis"
    finally:
        limiter.reset()


@pytest.mark.redis
@needs_redis
def test_with_redis_two_workers_share_the_count_of_wrong_passwords(other_app, make_user):
    make_user(email="robin@example.org")
    workers = [other_app(RATELIMIT_STORAGE_URI=REDIS_URL) for _ in range(2)]
    redis.Redis.from_url(REDIS_URL).flushdb()
    try:
        for attempt in range(5):  # alternately to each worker, from one address
            browser = workers[attempt % 2].test_client()
            assert sign_in_from(browser, "robin@example.org", "wrong horse").status_code == 422

        paused = sign_in_from(workers[1].test_client(), "robin@example.org", "correct horse")

        assert paused.status_code == 429
        assert redis.Redis.from_url(REDIS_URL).keys("LIMITS*place*"), "counted in Redis"
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()


# --- Signing out, and ending other sessions -----------------------------------------------


def test_signing_out_ends_the_session_and_says_so(client, in_app, make_user, sign_in):
    robin = make_user(email="robin@example.org")
    sign_in("robin@example.org")

    response = post_form(client, "/logout")

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "You are signed out" in page_text(client.get("/"))
    assert not is_signed_in(client)
    assert stored(in_app, robin).session_version == robin.session_version + 1


def test_signing_out_signs_the_account_out_in_every_other_browser(app, client, make_user, sign_in):
    make_user(email="robin@example.org")
    at_home = app.test_client()
    sign_in_from(at_home, "robin@example.org", remember="y")
    sign_in("robin@example.org")

    post_form(client, "/logout")

    assert not is_signed_in(at_home)
    at_home.delete_cookie("session")
    assert not is_signed_in(at_home), "the remember-me cookie stopped working too"


def test_signing_out_forgets_the_remember_me_cookie(client, make_user, sign_in):
    make_user(email="robin@example.org")
    sign_in("robin@example.org", remember=True)

    post_form(client, "/logout")

    assert client.get_cookie("remember_token") is None


def test_sign_out_is_a_post_only(client, login_as):
    login_as("volunteer")

    assert client.get("/logout").status_code == 405
    assert is_signed_in(client)


def test_signing_out_without_a_session_just_goes_home(client):
    assert post_form(client, "/logout").headers["Location"] == "/"


def test_a_deactivated_account_is_signed_out_at_its_next_request(
    client, in_app, make_user, sign_in
):
    robin = make_user(email="robin@example.org")
    sign_in("robin@example.org")

    with in_app():
        accounts.deactivate_user(db.session.get(User, robin.id))
        db.session.commit()

    assert client.get("/account").headers["Location"] == "/login?next=%2Faccount"


# --- CSRF ---------------------------------------------------------------------------------


def test_a_form_without_its_token_gets_a_friendly_page_in_the_layout(client, make_user):
    make_user(email="robin@example.org")

    response = client.post("/login", data={"email": "robin@example.org", "password": "x"})

    text = page_text(response)
    assert response.status_code == 400
    assert FORM_EXPIRED in text and "reload the page, and paste it back." in text
    assert "Firestorm Cafe &amp; Books" in text and "<html" in text


def test_an_htmx_request_without_the_token_gets_a_small_message(client, login_as):
    login_as("volunteer")

    response = client.post("/logout", headers={"HX-Request": "true", "HX-Request-Type": "partial"})

    text = page_text(response)
    assert response.status_code == 400
    assert FORM_EXPIRED in text and "<html" not in text
    assert is_signed_in(client)


def test_a_token_from_another_session_is_refused(app, client, in_app, login_as):
    stale = token_of(app.test_client())
    robin = login_as("volunteer", display_name="Robin")

    response = client.post("/account/name", data={"csrf_token": stale, "display_name": "Sam"})

    assert response.status_code == 400 and FORM_EXPIRED in page_text(response)
    assert stored(in_app, robin).display_name == "Robin"


def test_the_token_is_accepted_as_a_form_field(client, in_app, login_as, csrf_token):
    robin = login_as("volunteer")

    response = client.post(
        "/account/name", data={"csrf_token": csrf_token(), "display_name": "Sam"}
    )

    assert response.status_code == 302
    assert stored(in_app, robin).display_name == "Sam"


def test_the_token_is_accepted_in_the_htmx_header(client, in_app, login_as, csrf_token):
    robin = login_as("volunteer")

    response = client.post(
        "/account/name",
        data={"display_name": "Sam"},
        headers={"HX-Request": "true", "HX-Request-Type": "partial", "X-CSRFToken": csrf_token()},
    )

    assert response.status_code == 302
    assert stored(in_app, robin).display_name == "Sam"


def test_every_page_sets_the_htmx_csrf_header_once_on_the_body(client, login_as):
    login_as("collective")

    for path in ["/login", "/account", "/collective/invitations"]:
        text = page_text(client.get(path, follow_redirects=True))
        assert text.count('hx-headers:inherited=\'{"X-CSRFToken": "') == 1, path


# --- Valid HTML ---------------------------------------------------------------------------


def test_the_sign_in_account_and_invitation_pages_are_valid_html(
    tmp_path,
    app,
    client,
    make_user,
    sign_in,
    nu_html_checker,
):
    member = make_user(role="collective", email="ash@example.org")
    with app.app_context():
        # The invitation page reads the real clock.
        now = datetime.now(UTC)
        _, token = invitations.create_invitation(member, "new@example.org", "volunteer", now)
        db.session.commit()
    files = [
        save_page(client, "/login", 200, tmp_path / "login.html"),
        save_page(client, f"/invite/{token}", 200, tmp_path / "invitation.html"),
        save_page(client, "/invite/made-up", 404, tmp_path / "invitation-forged.html"),
    ]
    (tmp_path / "login-refused.html").write_bytes(sign_in("ash@example.org", "wrong").data)
    sign_in("ash@example.org")
    post_form(client, "/collective/invitations", email="sam@example.org", role="volunteer")
    files += [
        save_page(client, "/account", 200, tmp_path / "account.html"),
        save_page(client, "/collective/invitations", 200, tmp_path / "invitations.html"),
        tmp_path / "login-refused.html",
    ]
    (tmp_path / "account-refused.html").write_bytes(change_password(client, "wrong").data)
    files.append(tmp_path / "account-refused.html")

    errors = check_html(nu_html_checker, files)

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


@pytest.mark.parametrize("email", ["robin\x00@example.org", "robin@example.org\x0b", "\x1b"])
def test_control_characters_in_the_email_get_the_usual_answer_not_an_error(
    client, make_user, sign_in, email
):
    # PostgreSQL refuses NUL in text: this gave a 500 there before.
    make_user(email="robin@example.org")

    response = sign_in(email, "wrong horse")

    assert response.status_code == 422
    assert not is_signed_in(client)


def test_wrong_passwords_under_invisible_characters_count_for_the_address(
    client, make_user, sign_in
):
    # Before, each of these had its own count while each found Robin's account.
    make_user(email="robin@example.org")
    for tail in ["\x01", "\x02", "\x03", "\x04", "\u200b"]:
        assert sign_in("robin@example.org" + tail, "wrong horse").status_code == 422

    right_password = sign_in("robin@example.org\x05", "correct horse")

    assert right_password.status_code == 429
    assert not is_signed_in(client)


def test_wrong_passwords_are_counted_even_with_request_limits_turned_off(other_app, make_user):
    make_user(email="robin@example.org")
    unlimited = other_app(RATELIMIT_ENABLED=False)
    browser = unlimited.test_client()

    for _ in range(5):
        wrong = sign_in_from(browser, "robin@example.org", "wrong horse")
        assert "That email and password don&#39;t match an account." in page_text(wrong, status=422)
    paused = sign_in_from(browser, "robin@example.org", "correct horse")

    assert "Too many wrong passwords have been tried" in page_text(paused, status=429)

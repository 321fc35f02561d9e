"""Redis down (issue 18, item 4): with RATELIMIT_STORAGE_URI naming a Redis that does not answer,
signing in and placing a hold still work, every limit still counts (in each worker's memory),
the log says so once, and the counts go back to Redis when it answers again
(firestorm/web/rate_limit_storage.py, and Flask-Limiter's in-memory fallback)."""

import logging
import socket
import threading
import time

import pytest
import redis
from auth_helpers import sign_in_from
from hold_helpers import send_form
from html_checks import TUESDAY_AFTERNOON
from redis_helpers import REDIS_URL, CuttableLink, SilentRedis, needs_redis
from review_helpers import page_text

VICTIM = "victim@example.net"
MAIL = {"MAIL_SERVER": "mail.example.org", "MAIL_DEFAULT_SENDER": "catalog@example.org"}
OUTAGE = "do not answer"


def port_nobody_listens_on() -> int:
    """A port the system just gave out and took back: nothing listens there."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down_app(other_app):
    """A worker whose RATELIMIT_STORAGE_URI names a Redis that is not running."""
    nobody = f"redis://127.0.0.1:{port_nobody_listens_on()}/0"
    return other_app(RATELIMIT_STORAGE_URI=nobody, **MAIL)


def browser_at(app, address):
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=10)


def test_signing_in_works_while_redis_is_down(redis_down_app, make_user):
    make_user(email="robin@example.org")

    signed_in = sign_in_from(redis_down_app.test_client(), "robin@example.org")

    assert signed_in.status_code == 302


def test_wrong_passwords_still_lock_the_account_out_while_redis_is_down(redis_down_app, make_user):
    make_user(email="robin@example.org")
    for _ in range(5):
        wrong = sign_in_from(browser_at(redis_down_app, "198.51.100.7"), "robin@example.org", "x")
        assert wrong.status_code == 422

    paused = sign_in_from(browser_at(redis_down_app, "198.51.100.7"), "robin@example.org")

    assert paused.status_code == 429
    assert "Too many wrong passwords" in page_text(paused)


def test_the_limit_on_sign_in_tries_still_counts_while_redis_is_down(redis_down_app):
    browser = browser_at(redis_down_app, "203.0.113.5")
    for number in range(10):
        assert sign_in_from(browser, f"guess{number}@example.org", "x").status_code == 422

    refused = sign_in_from(browser, "guess10@example.org", "x")

    assert refused.status_code == 429 and "Too many tries" in page_text(refused)


def test_placing_a_hold_works_and_its_emails_still_count_while_redis_is_down(
    redis_down_app, book, clock, mail_server
):
    clock(TUESDAY_AFTERNOON)
    pages = [
        send_form(browser_at(redis_down_app, f"192.0.2.{n}"), book, email=VICTIM) for n in range(4)
    ]

    assert [page.status_code for page in pages] == [200] * 4
    assert "Your reference" in page_text(pages[0])
    assert "We have not emailed this confirmation" in page_text(pages[3]), "3 a day, then none"
    assert [message["To"] for message in mail_server] == [VICTIM] * 3


def test_the_log_says_so_once_for_many_requests(redis_down_app, make_user, caplog):
    make_user(email="robin@example.org")
    with caplog.at_level(logging.INFO):
        for number in range(8):
            browser = browser_at(redis_down_app, f"192.0.2.{number}")
            sign_in_from(browser, "robin@example.org", "wrong" if number % 2 else "correct horse")

    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    # One for Flask-Limiter's limits, one for the site's own counts: none per request.
    assert sorted(record.name for record in warnings) == [
        "firestorm.web.rate_limit_storage",
        "flask-limiter",
    ]
    assert not any("robin" in record.getMessage() for record in caplog.records)


@pytest.mark.redis
@needs_redis
def test_when_redis_answers_again_the_counts_go_back_to_it(other_app, make_user, caplog):
    make_user(email="robin@example.org")
    kept = redis.Redis.from_url(REDIS_URL)
    kept.flushdb()
    link = CuttableLink()
    try:
        worker = other_app(RATELIMIT_STORAGE_URI=link.url)
        # Ask Redis again at the next count, not 30 seconds later.
        worker.extensions["wrong_passwords"].retry_after = 0
        link.cut()
        for _ in range(3):
            wrong = sign_in_from(browser_at(worker, "198.51.100.7"), "robin@example.org", "x")
            assert wrong.status_code == 422
        assert not kept.keys("*"), "nothing reached Redis while it was cut off"

        link.mend()
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="firestorm"):
            sign_in_from(browser_at(worker, "203.0.113.9"), "robin@example.org", "x")

        assert kept.keys("LIMITS*place*"), "the wrong password is counted in Redis again"
        assert "answers again" in caplog.text
        # Flask-Limiter asks its storage again after 1, 2, 4 … 32 seconds.
        assert sign_ins_counted_in_redis_within(worker, kept, seconds=40)
    finally:
        link.close()
        kept.flushdb()


def sign_ins_counted_in_redis_within(worker, kept, seconds) -> bool:
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        number += 1
        sign_in_from(browser_at(worker, f"10.1.{number // 250}.{number % 250}"), "a@b.org", "x")
        if kept.keys("LIMITS*auth.login*"):
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def hung_redis():
    silent = SilentRedis()
    yield silent
    silent.close()


def test_signing_in_works_while_redis_accepts_connections_but_never_answers(
    other_app, hung_redis, make_user, caplog
):
    """RATELIMIT_STORAGE_OPTIONS' timeouts (config.py): without them this sign-in would wait
    for ever. The bound below only stops the test hanging; it measures nothing."""
    make_user(email="robin@example.org")
    worker = other_app(RATELIMIT_STORAGE_URI=hung_redis.url)

    with caplog.at_level(logging.WARNING):
        signed_in = answered_within(
            10, lambda: sign_in_from(worker.test_client(), "robin@example.org")
        )

    assert signed_in.status_code == 302
    assert "counted in this worker's memory" in caplog.text, "the site's own counts fell back"


def answered_within(seconds: float, request):
    answers = []
    asking = threading.Thread(target=lambda: answers.append(request()), daemon=True)
    asking.start()
    asking.join(seconds)
    assert answers, f"no answer within {seconds} s: the request hangs on Redis"
    return answers[0]

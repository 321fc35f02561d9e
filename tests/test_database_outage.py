"""The database away (issue 18, item 4): while PostgreSQL is stopped or restarting, every page
answers with the site's own 503 page in words, drawn without the database, and the log says it
in one warning line per request, without the password (firestorm/web/errors.py). The real
restart, through gunicorn, is tests/test_postgres_restart.py."""

import logging

import psycopg
import pytest
from auth_helpers import sign_in_from
from review_helpers import page_text, sign_in_client
from server_helpers import free_port
from sqlalchemy.exc import OperationalError

from firestorm.database import database_unreachable, db

PASSWORD = "s3cret-db-password"
BREAK = "The catalog is taking a short break"
TRY_AGAIN = "Please try again in a minute."


@pytest.fixture
def database_away(other_app):
    """A worker whose PostgreSQL does not answer: nothing listens on its port."""
    return other_app(DATABASE_URL=f"postgresql://shop:{PASSWORD}@127.0.0.1:{free_port()}/shop")


def test_a_public_page_says_in_words_to_try_again_in_a_minute(database_away):
    page = database_away.test_client().get("/books")

    text = page_text(page, status=503)
    assert BREAK in text and TRY_AGAIN in text
    assert page.headers["Retry-After"] == "60"
    assert "Traceback" not in text and "OperationalError" not in text


def test_a_signed_in_volunteer_gets_the_same_page(database_away, make_user):
    browser = sign_in_client(database_away.test_client(), make_user())

    page = browser.get("/my/")

    text = page_text(page, status=503)
    assert BREAK in text
    # Drawn for a stranger: loading the account is what failed.
    assert "Sign out" not in text


def test_htmx_is_told_in_the_pages_message_box(database_away):
    partial = {"HX-Request": "true", "HX-Request-Type": "partial"}

    page = database_away.test_client().get("/books?q=kindred", headers=partial)

    # htmx swaps no 5xx answer: site.js puts the box's words for a 503 in the message box.
    text = page_text(page, status=503)
    assert f'data-unavailable="{BREAK}. We can&#39;t reach our records just now.' in text


def test_the_log_says_so_once_per_request_without_the_password(database_away, caplog):
    browser = database_away.test_client()
    with caplog.at_level(logging.INFO):
        for path in ("/", "/books", "/hours"):
            assert browser.get(path).status_code == 503

    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.levelname for record in warnings] == ["WARNING"] * 3
    assert all("The database does not answer" in record.getMessage() for record in warnings)
    assert "Connection refused" in warnings[0].getMessage()
    assert PASSWORD not in caplog.text
    assert not any(record.exc_info for record in caplog.records)


def test_a_commit_that_loses_the_database_gets_the_503_page(
    other_app, make_user, monkeypatch, caplog
):
    """The server goes away after the request's reads, before its commit (web/transaction.py):
    outside the handlers, Flask hands the failure over as a 500 (with its traceback logged)."""
    site = other_app(TESTING=False)
    make_user(email="robin@example.org")
    lost = psycopg.OperationalError("server closed the connection unexpectedly")

    def connection_lost():
        raise OperationalError("COMMIT", {}, lost)

    monkeypatch.setattr(db.session, "commit", connection_lost)
    with caplog.at_level(logging.WARNING):
        page = sign_in_from(site.test_client(), "robin@example.org")

    assert BREAK in page_text(page, status=503)
    assert "The database does not answer" in caplog.text


@pytest.mark.parametrize(
    ("driver_error", "away"),
    [
        (psycopg.OperationalError("connection failed: Connection refused"), True),
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), True),
        (psycopg.errors.CannotConnectNow("the database system is starting up"), True),
        (psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), False),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False),
    ],
)
def test_only_a_server_that_is_away_is_an_outage(driver_error, away):
    assert database_unreachable(OperationalError("SELECT 1", {}, driver_error)) is away


def test_a_locked_sqlite_file_is_no_outage():
    import sqlite3

    locked = OperationalError("UPDATE books", {}, sqlite3.OperationalError("database is locked"))

    assert not database_unreachable(locked)

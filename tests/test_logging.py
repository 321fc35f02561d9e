"""Logging of who did what (firestorm/web/logs.py and the domain's own log lines): every event
is there, and no password, hash, token or invitation link ever is."""

import logging
import re
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from review_helpers import (
    approve_path,
    as_drawn,
    page_text,
    return_path,
    sign_in_client,
)
from sqlalchemy.exc import IntegrityError

from firestorm.database import db
from firestorm.people.models import User
from firestorm.web.logs import (
    LOG_FORMAT,
    RedactingGunicornLogger,
    RedactPrivateLinks,
    SafeFormatter,
)

PASSWORD = "correct horse"


@pytest.fixture
def log(caplog):
    """Everything the app logged during the test, one line per event."""
    caplog.set_level(logging.INFO, logger="firestorm")

    def lines() -> str:
        return "\n".join(
            record.getMessage() for record in caplog.records if record.name.startswith("firestorm")
        )

    return lines


def assert_no_secrets(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text
    assert "$argon2" not in text, "a password hash reached the log"


def test_signing_in_and_out_is_logged_by_account_without_the_password(
    client, make_user, sign_in, log, post
):
    person = make_user(email="robin@example.org")

    sign_in("robin@example.org", PASSWORD)
    post("/logout")

    assert f"Signed in: user {person.id} (volunteer)" in log()
    assert f"Signed out everywhere: user {person.id} (volunteer)" in log()
    assert_no_secrets(log(), PASSWORD, "robin@example.org")


def test_refused_sign_ins_are_logged_without_what_was_typed(client, make_user, sign_in, log):
    person = make_user(email="robin@example.org")

    sign_in("robin@example.org", "not my password")
    # People type their password into the email field: that must not land in the log either.
    sign_in("my secret passphrase", "whatever")

    assert f"Sign-in refused: wrong password for user {person.id}" in log()
    assert "Sign-in refused: no active account for that address" in log()
    assert_no_secrets(log(), "not my password", "my secret passphrase", "whatever")


def test_a_pause_for_too_many_wrong_passwords_is_logged(client, make_user, sign_in, log):
    make_user(email="robin@example.org")

    for _ in range(6):
        sign_in("robin@example.org", "wrong guess")

    assert "Sign-in refused: too many wrong passwords for that email" in log()


def test_a_password_change_is_logged_without_either_password(client, login_as, log, post):
    person = login_as("volunteer")

    response = post(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "new_password_again": "a brand new passphrase",
        },
    )

    assert response.status_code == 302
    assert f"Password changed by user {person.id}" in log()
    assert_no_secrets(log(), PASSWORD, "a brand new passphrase")


def test_decisions_and_withdrawals_are_logged_with_who_took_them(
    app, client, people, submit, as_member, post, log
):
    approved = submit(people["robin"])
    returned = submit(people["robin"])
    as_member(people["sam"])

    post(approve_path(approved), as_drawn(app, approved))
    post(return_path(returned), {**as_drawn(app, returned), "note": "Say more."})
    sign_in_client(client, people["robin"])
    post(f"/my/reviews/{approved}/withdraw")

    sam, robin = people["sam"].id, people["robin"].id
    assert f"Review {approved} submitted by user {robin} (volunteer) (round 1)" in log()
    assert f"Review {approved} approved by user {sam} (collective) (round 1)" in log()
    assert f"Review {approved} published" in log()
    assert f"Review {returned} returned to its author by user {sam} (collective)" in log()
    assert f"Review {approved} withdrawn by its author, user {robin} (volunteer)" in log()


def test_invitations_are_logged_but_never_their_links(client, login_as, post, log, in_app):
    inviter = login_as("collective")

    post("/collective/invitations", {"email": "new@example.org", "role": "volunteer"})
    invitations_page = page_text(client.get("/collective/invitations"))
    link = re.search(r"https://books.example.org/invite/[\w-]+", invitations_page).group(0)
    token = link.rsplit("/", 1)[1]
    post("/logout")
    accepted = post(
        f"/invite/{token}",
        {
            "display_name": "Robin",
            "password": "a long passphrase",
            "password_again": "a long passphrase",
        },
    )

    assert accepted.status_code == 302
    with in_app():
        newcomer = db.session.scalars(db.select(User).filter_by(email="new@example.org")).one()
    assert f"made by user {inviter.id} (collective) for a new volunteer, valid 7 days" in log()
    assert f"accepted: new user {newcomer.id} (volunteer)" in log()
    assert_no_secrets(log(), token, "a long passphrase")


@pytest.mark.parametrize(
    ("email", "role"),
    [("taken@example.org", "volunteer"), ("new@example.org", "boss")],
    ids=["duplicate address", "unknown role (PostgreSQL quotes the whole row)"],
)
def test_a_logged_database_error_does_not_carry_the_rows_values(app, make_user, email, role):
    make_user(email="taken@example.org")
    refused_row = User(
        email=email, display_name="Twin", password_hash="$argon2id$secret", role=role
    )

    with app.app_context():
        try:
            db.session.add(refused_row)
            db.session.flush()
        except IntegrityError:
            logged = SafeFormatter(LOG_FORMAT).format(error_record())
        db.session.rollback()

    assert "IntegrityError" in logged
    # Neither the parameters SQLAlchemy would print nor PostgreSQL's DETAIL line quoting them.
    assert email not in logged
    assert_no_secrets(logged, "$argon2id$secret")


def error_record() -> logging.LogRecord:
    """What Flask logs for an unhandled exception: a message and the traceback."""
    return logging.LogRecord(
        "firestorm", logging.ERROR, __file__, 1, "Exception on /x [POST]", (), sys.exc_info()
    )


TOKEN = "Qx1-abc_DEF234"


def test_the_development_servers_request_lines_hide_invitation_tokens():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "%s" %s',
        ("127.0.0.1", f"GET /invite/{TOKEN} HTTP/1.1", "200"),
        None,
    )

    RedactPrivateLinks().filter(record)

    assert TOKEN not in record.getMessage()
    assert '"GET /invite/[redacted] HTTP/1.1" 200' in record.getMessage()


def test_gunicorns_access_log_hides_invitation_tokens_in_path_and_referer():
    logger = RedactingGunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/invite/{TOKEN}",
        "PATH_INFO": f"/invite/{TOKEN}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://shop.example/invite/{TOKEN}",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])

    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))

    assert TOKEN not in repr(atoms)
    assert atoms["r"] == "GET /invite/[redacted] HTTP/1.1"
    assert atoms["f"] == "https://shop.example/invite/[redacted]"


HOLD_TOKEN = "J4MkGD96LKKDQDlV7fwJ9Yt1PsBtahvN487Rq0BIxLY"


@pytest.mark.parametrize(
    ("path", "redacted"),
    [
        (f"/holds/{HOLD_TOKEN}", "/holds/[redacted]"),
        (f"/holds/{HOLD_TOKEN}/cancel", "/holds/[redacted]/cancel"),
        # A link cut short is nearly the whole secret: hidden as well.
        (f"/holds/{HOLD_TOKEN[:20]}", "/holds/[redacted]"),
        # An event sign-up's link is as private as a hold's.
        (f"/sign-ups/{HOLD_TOKEN}", "/sign-ups/[redacted]"),
        (f"/sign-ups/{HOLD_TOKEN}/cancel", "/sign-ups/[redacted]/cancel"),
    ],
)
def test_gunicorns_access_log_hides_a_holds_private_link_in_path_and_referer(path, redacted):
    logger = RedactingGunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://shop.example{path}",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="303 SEE OTHER", sent=10, headers=[])

    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))

    assert HOLD_TOKEN[:20] not in repr(atoms)
    assert atoms["r"] == f"POST {redacted} HTTP/1.1"
    assert atoms["f"] == f"https://shop.example{redacted}"


def test_the_holds_desk_addresses_stay_in_the_log():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "%s" %s',
        ("127.0.0.1", "POST /collective/holds/12/ready HTTP/1.1", "200"),
        None,
    )

    RedactPrivateLinks().filter(record)

    assert '"POST /collective/holds/12/ready HTTP/1.1" 200' in record.getMessage()


def test_gunicorns_access_log_hides_a_password_reset_link_in_path_and_referer():
    logger = RedactingGunicornLogger(Config())
    path = f"/password/reset/{HOLD_TOKEN}"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://shop.example{path}",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])

    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))

    assert HOLD_TOKEN not in repr(atoms)
    assert atoms["r"] == "GET /password/reset/[redacted] HTTP/1.1"
    assert atoms["f"] == "https://shop.example/password/reset/[redacted]"

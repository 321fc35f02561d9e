"""The shared parts failing under the server production runs (issue 18, item 4): gunicorn from
gunicorn.conf.py with two workers, PostgreSQL, Redis (through a link the test cuts) and a mail
server that is down. Customers and members go on signing in and placing holds; only the outbox
notices the mail server, and the next `send-mail` delivers what waited.

With the load tests (`-m load`: make load-test, and CI), where PostgreSQL is required; a Redis
that does not answer fails CI like a missing browser."""

import contextlib
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cover_images import jpeg
from html_checks import PROJECT_ROOT
from http_browser import Browser, place_hold
from load_sites import SECRET_KEY, fresh_postgres_database, start_site
from redis_helpers import CuttableLink, needs_redis
from server_helpers import free_port, wait_until_up
from sqlalchemy import select, update

from firestorm import create_app
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.outbox.models import MessageState, OutgoingMessage

pytestmark = [pytest.mark.load, pytest.mark.redis, needs_redis]

PASSWORD = "faults passphrase"
CUSTOMER = "customer@example.org"  # http_browser.place_hold's
# Another customer's: while Redis was cut a worker counted CUSTOMER's hold emails in its own
# memory, and may have counted the day's allowance (HOLD_EMAIL_LIMIT) for at most 30 seconds
# after (rate_limit_storage.RETRY_AFTER_SECONDS); a withheld email would never reach the outbox.
SECOND_CUSTOMER = "second.customer@example.org"
# The site's own counts', and Flask-Limiter's.
REDIS_DOWN_WARNINGS = ("The shared rate limit storage does not answer", "storage unreachable")


class Mailbox:
    """What the local mail server was handed: the recipients of each message."""

    def __init__(self):
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.append(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site on gunicorn, its Redis link and its mail server's settings (nothing listens on
    the mail port until a test starts a server there)."""
    import seed_for_load

    database_url = fresh_postgres_database("firestorm_faults")
    people = seed_for_load.seed(database_url, 2, 5, 5, PASSWORD)
    link = CuttableLink()
    mail_port, port = free_port(), free_port()
    settings = {
        "RATELIMIT_STORAGE_URI": link.url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
        "MAIL_USE_TLS": "false",
        "MAIL_DEFAULT_SENDER": "catalog@example.org",
    }
    folder = tmp_path_factory.mktemp("faults")
    covers_disk = full_disk(folder / "covers-disk")
    if covers_disk is not None:
        settings["COVERS_DIR"] = str(covers_disk)
    server = start_site(database_url, port, folder, 2, LOG_LEVEL="INFO", **settings)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        yield {
            "url": f"http://127.0.0.1:{port}",
            "database_url": database_url,
            "people": people,
            "link": link,
            "mail_port": mail_port,
            "env": {f"FIRESTORM_{name}": value for name, value in settings.items()},
            "server": server,
            "covers_disk": covers_disk,
        }
    finally:
        server.terminate()
        link.close()
        log = server.communicate(timeout=30)[0]
        if covers_disk is not None:
            subprocess.run(["umount", str(covers_disk)], check=False)
    # Each outage is a line in the log, never a traceback; Redis's once per worker (two), not
    # once per request.
    assert "Traceback" not in log, log[-3000:]
    for warning in REDIS_DOWN_WARNINGS:
        assert 1 <= log.count(warning) <= 2, log[-3000:]
    assert CUSTOMER not in log and SECOND_CUSTOMER not in log


def full_disk(mount_point: Path) -> Path | None:
    """A 64 kB disk of its own (tmpfs), filled up: the covers folder when the disk is full.
    Mounting needs root, as CI has; None without it."""
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        return None
    with contextlib.suppress(OSError), (mount_point / "filler").open("wb") as filler:
        while True:
            filler.write(b"x" * 4096)
            filler.flush()
    return mount_point


def member_email(site) -> str:
    return next(p["email"] for p in site["people"] if p["role"] == "collective")


def outbox(site) -> list[OutgoingMessage]:
    app = create_app({"DATABASE_URL": site["database_url"], "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        messages = list(db.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)))
        db.session.expunge_all()
        db.engine.dispose()
    return messages


def outbox_once_tried(site) -> list[OutgoingMessage]:
    """The outbox once the worker's try after the response has ended (sent, or queued again
    after a failure): a message being sent is claimed meanwhile."""
    for _ in range(100):
        messages = outbox(site)
        if all(message.state != MessageState.SENDING for message in messages):
            return messages
        time.sleep(0.1)
    raise AssertionError("a message was still being sent after 10 s")


def test_with_redis_cut_off_members_sign_in_and_customers_hold(site):
    site["link"].cut()
    try:
        member = Browser(site["url"])
        member.sign_in(member_email(site), PASSWORD)
        desk = member.get("/collective/holds")
        answers = [place_hold(Browser(site["url"]), book) for book in (1, 2, 3, 4)]
    finally:
        site["link"].mend()

    assert "Holds" in desk and "Sign in" not in desk
    assert answers == [200, 200, 200, 200]


def test_with_the_mail_server_down_only_the_outbox_notices(site):
    before = len(outbox(site))

    answer = place_hold(Browser(site["url"]), 5, SECOND_CUSTOMER)

    assert answer == 200
    waiting = outbox_once_tried(site)[before:]
    assert [(m.recipient, m.state, m.attempts) for m in waiting] == [
        (SECOND_CUSTOMER, MessageState.QUEUED, 1)
    ]
    assert waiting[0].last_error == "the mail server refused the connection"

    # A minute on (the first wait after a failed try), with the mail server back:
    app = create_app({"DATABASE_URL": site["database_url"], "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        db.session.execute(update(OutgoingMessage).values(next_attempt_at=datetime.now(UTC)))
        db.session.commit()
        db.engine.dispose()
    mailbox = Mailbox()
    mail_server = Controller(mailbox, hostname="127.0.0.1", port=site["mail_port"])
    mail_server.start()
    try:
        sent = send_mail(site)
    finally:
        mail_server.stop()

    assert sent.returncode == 0, sent.stderr
    assert SECOND_CUSTOMER in [recipient for message in mailbox.recipients for recipient in message]
    assert {m.state for m in outbox(site)} == {MessageState.SENT}


def send_mail(site) -> subprocess.CompletedProcess:
    """`flask send-mail`, as the timer runs it, with the site's settings."""
    env = {
        **os.environ,
        "FIRESTORM_DATABASE_URL": site["database_url"],
        "FIRESTORM_SECRET_KEY": SECRET_KEY,
        **site["env"],
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "send-mail"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_the_covers_disk_full_the_book_is_saved_without_its_cover(site):
    if site["covers_disk"] is None:
        pytest.skip("mounting a small full disk for the covers needs root (CI has it)")
    member = Browser(site["url"])
    member.sign_in(member_email(site), PASSWORD)
    member.get("/collective/books/2/edit")
    # The seed's "Load book 1" by "Author 1", its title changed, and a cover.
    book = {"title": "Load book 1, second edition", "authors": "Author 1", "stock": "5"}

    status, page = member.upload("/collective/books/2", book, {"cover": jpeg((1200, 1800))})

    assert status == 200
    assert "is saved, but its cover could not be stored: the server" in page
    assert "disk is full" in page
    app = create_app({"DATABASE_URL": site["database_url"], "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        saved = db.session.get(Book, 2)
        assert (saved.title, saved.cover_key) == ("Load book 1, second edition", None)
        db.engine.dispose()

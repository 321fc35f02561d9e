"""The outbox (firestorm/outbox): a message is a row committed with the step that sent it, tried
after the response, and sent by `flask send-mail` whatever happened to that try: claimed before
it is sent, never by two senders, retried with backoff, failed after the last try."""

import logging
import smtplib
import threading
import time
from datetime import timedelta

import pytest
from hold_helpers import CUSTOMER, hold_path, holds_of, opened_form, send_form
from html_checks import TUESDAY_AFTERNOON
from mail_helpers import FakeSMTP, commits_failing
from review_helpers import page_text, token_of
from sqlalchemy import select

from firestorm import mail
from firestorm.database import db
from firestorm.outbox import queue, sending
from firestorm.outbox.models import MessageState, OutgoingMessage
from firestorm.web import mail_after_response

CUSTOMER_EMAIL = "robin.customer@example.org"


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


def messages(app) -> list[OutgoingMessage]:
    """Every row of the outbox, oldest first (detached)."""
    with app.app_context():
        rows = list(db.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)))
        db.session.expunge_all()
        return rows


def queue_messages(app, count: int, now, link: str | None = None) -> None:
    """`count` messages committed to the outbox, as a request would leave them."""
    with app.app_context():
        for n in range(count):
            body = "Open it: [[link]]" if link else f"Message {n}"
            queue.enqueue(
                app.config, f"reader{n}@example.org", f"Hello {n}", body, f"message {n}", now, link
            )
        db.session.commit()


def refusing_the_login(monkeypatch) -> None:
    def refuse(self, message):
        raise smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed")

    monkeypatch.setattr(FakeSMTP, "send_message", refuse)


# --- Written with the step, sent after the response ---------------------------------------------


def test_a_confirmation_is_a_row_committed_with_the_hold_and_sent_after_the_response(
    app, client, book, clock, mail_server
):
    clock(TUESDAY_AFTERNOON)

    page = page_text(send_form(client, book))

    [hold] = holds_of(app, book)
    [message] = messages(app)
    assert hold.reference in page
    assert message.state == MessageState.SENT
    assert message.sent_at == TUESDAY_AFTERNOON
    assert message.attempts == 1
    assert message.about == f"the confirmation of hold {hold.reference}"
    assert [sent["To"] for sent in mail_server] == [CUSTOMER_EMAIL]


def test_the_message_waits_in_the_outbox_until_the_response_is_closed(
    app, book, clock, mail_server
):
    clock(TUESDAY_AFTERNOON)
    client = app.test_client()

    response = client.post(
        hold_path(book), data={**opened_form(client, book), **CUSTOMER}, buffered=False
    )

    assert response.status_code == 303
    assert [message.state for message in messages(app)] == [MessageState.QUEUED]
    assert mail_server == []
    response.close()
    assert [message.state for message in messages(app)] == [MessageState.SENT]
    assert len(mail_server) == 1


def test_a_refused_form_leaves_no_message(app, client, book, clock, mail_server):
    clock(TUESDAY_AFTERNOON)

    response = send_form(client, book, quantity="9")

    assert response.status_code == 422
    assert messages(app) == []
    assert mail_server == []


def test_a_hold_whose_commit_fails_leaves_no_hold_and_no_message_and_mails_nobody(
    app, client, book, clock, mail_server, monkeypatch
):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    clock(TUESDAY_AFTERNOON)

    with commits_failing(app):
        response = send_form(client, book)

    assert response.status_code == 500
    assert holds_of(app, book) == []
    assert messages(app) == []
    assert mail_server == []


def test_with_no_mail_server_nothing_is_queued(app, client, book, clock):
    clock(TUESDAY_AFTERNOON)

    response = send_form(client, book)

    assert response.status_code == 200
    assert messages(app) == []


# --- A sender that never finished -------------------------------------------------------------


def test_a_message_whose_sender_never_ran_goes_with_the_next_send_mail(
    app, client, runner, book, clock, mail_server, monkeypatch
):
    """The process stopped between the commit and the send: the row is there, queued."""
    monkeypatch.setattr(mail_after_response, "send_messages", lambda app, ids: None)
    clock(TUESDAY_AFTERNOON)
    send_form(client, book)
    assert [message.state for message in messages(app)] == [MessageState.QUEUED]
    assert mail_server == []

    result = runner.invoke(args=["send-mail"])

    assert "1 message sent" in result.output
    assert [message.state for message in messages(app)] == [MessageState.SENT]
    assert [sent["To"] for sent in mail_server] == [CUSTOMER_EMAIL]


def test_a_sender_that_died_after_claiming_is_relieved_once_its_lease_runs_out(
    app, client, runner, book, clock, mail_server, monkeypatch
):
    """Killed after the claim, before marking: the message stays claimed until its lease ends,
    then the next send-mail sends it (mail is at-least-once)."""

    def die(*args):
        raise RuntimeError("the worker was killed")

    with monkeypatch.context() as dying:
        dying.setattr(mail, "send_text", die)
        clock(TUESDAY_AFTERNOON)
        send_form(client, book)
    [claimed] = messages(app)
    assert claimed.state == MessageState.SENDING
    assert claimed.claimed_until == TUESDAY_AFTERNOON + sending.LEASE

    assert "0 messages sent" in runner.invoke(args=["send-mail"]).output
    clock(TUESDAY_AFTERNOON + sending.LEASE + timedelta(seconds=1))
    assert "1 message sent" in runner.invoke(args=["send-mail"]).output

    assert [message.state for message in messages(app)] == [MessageState.SENT]
    assert [sent["To"] for sent in mail_server] == [CUSTOMER_EMAIL]


# --- Several senders at once -------------------------------------------------------------------


def test_two_senders_at_once_never_send_one_message_twice(app, mail_server, monkeypatch):
    """Two `send-mail` runs on two machines: each message goes once, whoever takes it."""
    queue_messages(app, 12, TUESDAY_AFTERNOON)
    send = FakeSMTP.send_message

    def slow_send(self, message):
        time.sleep(0.02)  # long enough for the other sender to be claiming meanwhile
        send(self, message)

    monkeypatch.setattr(FakeSMTP, "send_message", slow_send)
    start = threading.Barrier(2)
    outcomes = []

    def sender():
        with app.app_context():
            start.wait(timeout=10)
            outcomes.append(sending.send_due(app.config, TUESDAY_AFTERNOON))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    recipients = sorted(sent["To"] for sent in mail_server)
    assert recipients == sorted(f"reader{n}@example.org" for n in range(12))
    assert sum(outcome.sent for outcome in outcomes) == 12
    assert {message.state for message in messages(app)} == {MessageState.SENT}


# --- A server that refuses -----------------------------------------------------------------------


def test_a_failing_message_is_retried_with_backoff_then_failed(
    app, runner, clock, mail_server, monkeypatch
):
    refusing_the_login(monkeypatch)
    queue_messages(app, 1, TUESDAY_AFTERNOON)
    now = TUESDAY_AFTERNOON

    for attempt, wait in enumerate(sending.BACKOFF, start=1):
        clock(now)
        runner.invoke(args=["send-mail"])
        [message] = messages(app)
        assert message.state == MessageState.QUEUED
        assert message.attempts == attempt
        assert message.next_attempt_at == now + wait
        assert message.last_error == "the mail server refused the login"
        # Not due before its time.
        clock(now + wait - timedelta(seconds=1))
        assert "0 messages sent, 0 messages to try" in runner.invoke(args=["send-mail"]).output
        now += wait

    clock(now)
    result = runner.invoke(args=["send-mail"])

    assert "1 message failed after the last try" in result.output
    [message] = messages(app)
    assert message.state == MessageState.FAILED
    assert message.attempts == sending.MAX_ATTEMPTS
    assert message.failed_at == now
    assert mail_server == []


def test_the_log_names_the_message_never_its_address_body_or_link(
    app, clock, mail_server, monkeypatch, caplog
):
    def refuse(self, message):
        raise smtplib.SMTPRecipientsRefused({"Reader0@example.org": (550, b"No such mailbox")})

    monkeypatch.setattr(FakeSMTP, "send_message", refuse)
    link = "https://books.example.org/invite/s3cret-token"
    with caplog.at_level(logging.DEBUG, logger="firestorm"):
        queue_messages(app, 1, TUESDAY_AFTERNOON, link=link)
        with app.app_context():
            sending.send_due(app.config, TUESDAY_AFTERNOON)

    assert "Mail not sent, message 0: " in caplog.text
    assert "the mail server refused the recipient's address" in caplog.text
    for secret in ("reader0@example.org", "open it", "s3cret-token"):
        assert secret not in caplog.text.lower()


def test_send_mail_with_no_mail_server_says_so(runner):
    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 0
    assert "MAIL_SERVER is not set" in result.output


# --- The collective sees what failed, and sends it again ----------------------------------------


def failed_for_good(app, count: int, monkeypatch) -> None:
    """`count` messages given up on after every try, the mail server refusing the login."""
    with monkeypatch.context() as refusing:
        refusing_the_login(refusing)
        queue_messages(app, count, TUESDAY_AFTERNOON)
        now = TUESDAY_AFTERNOON
        with app.app_context():
            for wait in (*sending.BACKOFF, timedelta(0)):
                sending.send_due(app.config, now)
                now += wait
    assert {message.state for message in messages(app)} == {MessageState.FAILED}


FAILURES = "2 emails could not be sent: the mail server refused the login."


@pytest.mark.parametrize("page", ["/collective/holds", "/collective/people"])
def test_the_collective_sees_failed_emails_on_the_desk_and_the_people_page(
    app, client, login_as, mail_server, monkeypatch, page
):
    failed_for_good(app, 2, monkeypatch)
    login_as("collective")

    text = page_text(client.get(page))

    assert FAILURES in text
    assert "Send them again" in text


def test_no_failure_no_words(app, client, login_as, mail_server):
    queue_messages(app, 1, TUESDAY_AFTERNOON)
    login_as("collective")

    text = page_text(client.get("/collective/holds"))

    assert "could not be sent" not in text
    assert "Send them again" not in text


def test_send_them_again_queues_them_afresh_and_sends_them_after_the_response(
    app, client, login_as, post, mail_server, monkeypatch, clock
):
    failed_for_good(app, 2, monkeypatch)
    login_as("collective")
    clock(TUESDAY_AFTERNOON + timedelta(days=1))

    response = post("/collective/emails/failed/send-again", {"next": "/collective/people"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/collective/people"
    assert [(m.state, m.attempts) for m in messages(app)] == [(MessageState.SENT, 1)] * 2
    assert len(mail_server) == 2
    text = page_text(client.get("/collective/people"))
    assert "2 emails will be sent again now." in text
    assert "could not be sent:" not in text


def test_a_failed_invitation_whose_link_is_gone_is_dropped_in_words(
    app, client, login_as, post, mail_server, monkeypatch
):
    with monkeypatch.context() as refusing:
        refusing_the_login(refusing)
        queue_messages(app, 1, TUESDAY_AFTERNOON, link="https://example.org/invite/t0ken")
        now = TUESDAY_AFTERNOON
        with app.app_context():
            for wait in (*sending.BACKOFF, timedelta(0)):
                sending.send_due(app.config, now)
                now += wait
    [failed] = messages(app)
    assert (failed.state, failed.link) == (MessageState.FAILED, None)
    assert failed.link_hash == queue.link_hash("https://example.org/invite/t0ken")
    login_as("collective")

    post("/collective/emails/failed/send-again", {"next": "/collective/holds"})

    assert messages(app) == []
    assert "1 invitation could not be sent again" in page_text(client.get("/collective/holds"))
    assert mail_server == []


def test_only_collective_members_may_send_them_again(
    app, client, login_as, post, mail_server, monkeypatch
):
    failed_for_good(app, 1, monkeypatch)

    path = "/collective/emails/failed/send-again"
    anonymous = client.post(path, data={"csrf_token": token_of(client)})
    login_as("volunteer")
    volunteer = post(path)
    volunteer_page = client.get("/collective/holds")

    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login?next=")
    assert volunteer.status_code == 403
    assert volunteer_page.status_code == 403
    assert [m.state for m in messages(app)] == [MessageState.FAILED]
    assert mail_server == []

"""Handing mail to a real SMTP server (firestorm/mail.py): aiosmtpd on this machine, with a
certificate from a test CA the client is made to trust: STARTTLS, SSL from the first byte, the
login, the port each mode dials when MAIL_PORT names none, and failures in plain words."""

import smtplib
import socket
import ssl

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from firestorm import mail

USER, PASSWORD = "catalog", "mail password"


class Mailbox:
    """What the server was handed: (recipients, text, over TLS?, signed in?) per message."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        text = envelope.content.decode()
        self.received.append(
            (
                envelope.rcpt_tos,
                text,
                server.transport.get_extra_info("ssl_object") is not None,
                session.authenticated,
            )
        )
        return "250 OK"


def check_login(server, session, envelope, mechanism, auth_data):
    good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    # Not handled: the server answers a refusal with its own 535.
    return AuthResult(success=good, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def test_ca():
    return trustme.CA()


@pytest.fixture
def server_context(test_ca):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    test_ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def trusted(test_ca, monkeypatch):
    """The site's mail client trusts the test CA (as it trusts the system's CAs in production)."""
    original = ssl.create_default_context

    def trusting(*args, **kwargs):
        context = original(*args, **kwargs)
        test_ca.configure_trust(context)
        return context

    monkeypatch.setattr(ssl, "create_default_context", trusting)


@pytest.fixture
def smtp_server(server_context):
    """start(ssl=False): a local server asking for STARTTLS and a login (or, with ssl=True,
    speaking TLS from the first byte); yields (port, mailbox)."""
    started = []

    def start(implicit_tls: bool = False):
        mailbox, port = Mailbox(), free_port()
        options = {"authenticator": check_login, "auth_required": True}
        if implicit_tls:
            # The whole connection is TLS: the login needs no STARTTLS first.
            controller = Controller(
                mailbox,
                hostname="127.0.0.1",
                port=port,
                ssl_context=server_context,
                auth_require_tls=False,
                **options,
            )
        else:
            controller = Controller(
                mailbox,
                hostname="127.0.0.1",
                port=port,
                tls_context=server_context,
                require_starttls=True,
                auth_require_tls=True,
                **options,
            )
        controller.start()
        started.append(controller)
        return port, mailbox

    yield start
    for controller in started:
        controller.stop()


def settings(port: int | None, use_ssl: bool = False, password: str = PASSWORD) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": not use_ssl,
        "MAIL_USE_SSL": use_ssl,
        "MAIL_USERNAME": USER,
        "MAIL_PASSWORD": password,
        "MAIL_DEFAULT_SENDER": "catalog@example.org",
    }


def test_starttls_and_a_login_hand_the_message_over(smtp_server, trusted):
    port, mailbox = smtp_server()

    mail.send_text(settings(port), "reader@example.org", "Hello", "A plain message.")

    [(recipients, text, over_tls, signed_in)] = mailbox.received
    assert recipients == ["reader@example.org"]
    assert "Subject: Hello" in text and "A plain message." in text
    assert over_tls and signed_in


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_ssl_from_the_first_byte_and_a_login_hand_the_message_over(smtp_server, trusted):
    port, mailbox = smtp_server(implicit_tls=True)

    mail.send_text(settings(port, use_ssl=True), "reader@example.org", "Hello", "Over SSL.")

    [(recipients, text, over_tls, signed_in)] = mailbox.received
    assert recipients == ["reader@example.org"] and "Over SSL." in text
    assert over_tls and signed_in


def test_a_wrong_password_is_said_as_the_login_refused(smtp_server, trusted):
    port, mailbox = smtp_server()

    with pytest.raises(mail.MailError) as refused:
        mail.send_text(settings(port, password="wrong"), "reader@example.org", "Hi", "Text")

    assert refused.value.reason == "the mail server refused the login"
    assert mailbox.received == []


def test_a_certificate_the_client_does_not_trust_is_refused(smtp_server):
    port, mailbox = smtp_server()

    with pytest.raises(mail.MailError) as refused:
        mail.send_text(settings(port), "reader@example.org", "Hi", "Text")

    assert refused.value.reason == "the secure connection to the mail server failed"
    assert mailbox.received == []


def test_nobody_listening_is_said_as_a_refused_connection():
    with pytest.raises(mail.MailError) as refused:
        mail.send_text(settings(free_port()), "reader@example.org", "Hi", "Text")

    assert refused.value.reason == "the mail server refused the connection"


@pytest.mark.parametrize(("use_ssl", "port"), [(True, 465), (False, 587)])
def test_with_no_port_set_each_mode_dials_its_own(app, monkeypatch, use_ssl, port):
    """MAIL_USE_SSL on without MAIL_PORT dialled SSL on 587, where servers expect STARTTLS."""
    dialled = []

    def dial(host, port, **kwargs):
        dialled.append(port)
        raise ConnectionRefusedError("nobody there")

    monkeypatch.setattr(smtplib, "SMTP_SSL", dial)
    monkeypatch.setattr(smtplib, "SMTP", dial)
    config = {**app.config, "MAIL_SERVER": "mail.example.org", "MAIL_USE_SSL": use_ssl}
    config["MAIL_DEFAULT_SENDER"] = "catalog@example.org"

    with pytest.raises(mail.MailError):
        mail.send_text(config, "reader@example.org", "Hi", "Text")

    assert dialled == [port]


def test_a_port_set_is_the_port_dialled(app):
    assert mail.port_of({**app.config, "MAIL_USE_SSL": True, "MAIL_PORT": 2465}) == 2465

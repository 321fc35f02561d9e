"""Handing a plain-text message to the mail server MAIL_* configures; a failure said in plain
words (MailError.reason) that never quote the message's address."""

import smtplib
import socket
import ssl
from collections.abc import Mapping
from email.message import EmailMessage

TIMEOUT_SECONDS = 10
# The ports of the two modes, when MAIL_PORT names none.
SSL_PORT = 465
SUBMISSION_PORT = 587


class MailError(Exception):
    """The message could not be handed to the mail server: `reason` in the collective's words,
    `detail` as the server or the network said it (it may quote the address)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or reason


def mail_configured(config: Mapping) -> bool:
    return bool(config.get("MAIL_SERVER"))


def send_text(config: Mapping, to: str, subject: str, body: str) -> None:
    """One plain-text message from the site's sender; MailError when it cannot be handed over."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender(config)
    message["To"] = to
    message.set_content(body)
    send(config, message)


def sender(config: Mapping) -> str:
    address = config.get("MAIL_DEFAULT_SENDER") or config.get("MAIL_USERNAME")
    if not address:
        raise MailError("the site's sender address (MAIL_DEFAULT_SENDER) is not set")
    return address


def send(config: Mapping, message: EmailMessage) -> None:
    try:
        with connect(config) as server:
            server.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(reason_in_words(error), str(error)) from error


def reason_in_words(error: Exception) -> str:
    """Why the server did not take the message, as the collective reads it on the desk."""
    # Most specific first: several of these are subclasses of the later ones.
    reasons = (
        (smtplib.SMTPAuthenticationError, "the mail server refused the login"),
        (smtplib.SMTPNotSupportedError, "the mail server does not offer what MAIL_* asks for"),
        (smtplib.SMTPSenderRefused, "the mail server refused the site's sender address"),
        (smtplib.SMTPRecipientsRefused, "the mail server refused the recipient's address"),
        (smtplib.SMTPServerDisconnected, "the mail server closed the connection"),
        (smtplib.SMTPException, "the mail server refused the message"),
        (ssl.SSLError, "the secure connection to the mail server failed"),
        (socket.timeout, "the mail server did not answer in time"),
        (socket.gaierror, "the mail server's name (MAIL_SERVER) was not found"),
        (ConnectionRefusedError, "the mail server refused the connection"),
    )
    for kind, words in reasons:
        if isinstance(error, kind):
            return words
    return "the mail server could not be reached"


def port_of(config: Mapping) -> int:
    """MAIL_PORT, or the port of the mode MAIL_USE_SSL chooses: SSL is never dialled on 587."""
    if config["MAIL_PORT"]:
        return int(config["MAIL_PORT"])
    return SSL_PORT if config["MAIL_USE_SSL"] else SUBMISSION_PORT


def connect(config: Mapping) -> smtplib.SMTP:
    host = config["MAIL_SERVER"]
    context = ssl.create_default_context()
    port = port_of(config)
    use_ssl = config["MAIL_USE_SSL"]
    server: smtplib.SMTP
    if use_ssl:
        server = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        server = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
    try:
        if not use_ssl and config["MAIL_USE_TLS"]:
            server.starttls(context=context)
        if config["MAIL_USERNAME"]:
            server.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        server.close()
        raise
    return server

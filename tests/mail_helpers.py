"""Mail in tests: a test client that closes each response (the request's mail goes then);
smtplib.SMTP replaced by a fake that keeps what would have been sent; what the database held
when it was sent; commits that fail."""

from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event

from firestorm.database import db


class ClosingClient(FlaskClient):
    """A test client that reads each response whole and closes it, as a server does once it has
    sent it: what the app does after the response (sending the request's mail) has happened by
    the time the test reads the answer."""

    def open(self, *args, buffered=True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


class FakeSMTP:
    """Stands in for smtplib.SMTP and keeps what would have been sent."""

    sent: list = []

    def __init__(self, host, port, timeout):
        self.host, self.port = host, port

    def starttls(self, context):
        pass

    def login(self, username, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def read_when_mailed(monkeypatch, query) -> list:
    """What `query` read, through a connection of its own, as each message went to the server:
    the rows another request would see then. A message sent before its transaction was committed
    finds the database still without that transaction's rows."""
    seen = []
    send = FakeSMTP.send_message

    def read_then_send(self, message):
        with db.engine.connect() as elsewhere:
            seen.append(elsewhere.execute(query).all())
        send(self, message)

    monkeypatch.setattr(FakeSMTP, "send_message", read_then_send)
    return seen


@contextmanager
def commits_failing(app):
    """Every commit refused by the database while inside, as when the disk is full: the request
    answers 500 and its transaction is rolled back."""

    def refuse(connection):
        raise OSError("the database refused the commit")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", refuse)
    try:
        yield
    finally:
        event.remove(engine, "commit", refuse)

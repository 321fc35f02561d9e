"""Sending what the outbox holds: each message claimed first, in a small transaction of its own
(so two senders never take the same one), then handed to the mail server with no transaction
open, then marked sent, or queued again for a later try, or failed after the last one.

Mail is at-least-once: a sender that dies after the server took a message but before marking it
leaves it claimed; once its lease has run out, the next `flask send-mail` sends it again.
These steps use connections of their own, never the request's session: nothing here waits for
a request's write lock, nor counts as a change to the catalog's pages."""

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Update, and_, or_, select, update

from firestorm import mail
from firestorm.database import db
from firestorm.outbox.models import LINK_PLACEHOLDER, MessageState, OutgoingMessage

log = logging.getLogger(__name__)

# How long a claim lasts: longer than any one send takes (mail.TIMEOUT_SECONDS per step).
LEASE = timedelta(minutes=5)
# The waits after each failed try; after the try that follows the last wait, it has failed.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Messages one sender claims at once with `flask send-mail`.
BATCH = 20

T = OutgoingMessage.__table__


@dataclass(frozen=True)
class Claimed:
    """A message as its sender took it, in plain values: sent with no transaction open."""

    id: int
    recipient: str
    subject: str
    text: str
    about: str
    attempts: int
    claimed_until: datetime


@dataclass
class Outcome:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def add(self, other: "Outcome") -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed


def send_messages(message_ids: list[int], config: Mapping, now: datetime) -> Outcome:
    """Send these messages, if they are still waiting (after the response of the request that
    queued them). One another sender has claimed is left to it."""
    outcome = Outcome()
    for message_id in message_ids:
        with db.engine.begin() as connection:
            claimed = _claim(connection, [message_id], now)
        for message in claimed:
            outcome.add(_send(message, config, now))
    return outcome


def send_due(config: Mapping, now: datetime) -> Outcome:
    """Send every message due by `now`: waiting for its next try, or claimed by a sender whose
    lease ran out (it crashed). Safe with other senders at work: each claims its own."""
    outcome = Outcome()
    while claimed := _claim_due(now):
        for message in claimed:
            outcome.add(_send(message, config, now))
    return outcome


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(T.c.state == MessageState.QUEUED, T.c.next_attempt_at <= now),
        and_(T.c.state == MessageState.SENDING, T.c.claimed_until < now),
    )


def _claim_due(now: datetime) -> list[Claimed]:
    due = select(T.c.id).where(_due(now)).order_by(T.c.next_attempt_at, T.c.id).limit(BATCH)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            # Rows another sender has locked are skipped, not waited for: each takes its own.
            ids = connection.scalars(due.with_for_update(skip_locked=True)).all()
            return _claim(connection, list(ids), now)
    # SQLite: the candidates read, then each claimed by its conditional UPDATE in a
    # transaction that begins with it (a transaction that read first could not wait for the
    # write lock); one another sender claimed first is no longer due, and is left out.
    with db.engine.connect() as connection:
        ids = connection.scalars(due).all()
    claimed = []
    for message_id in ids:
        with db.engine.begin() as connection:
            claimed += _claim(connection, [message_id], now)
    return claimed


def _claim(connection: Connection, ids: list[int], now: datetime) -> list[Claimed]:
    """Take these messages for this sender, each only if it is still due."""
    lease = now + LEASE
    claimed = []
    for message_id in ids:
        taken = connection.execute(
            update(T)
            .where(T.c.id == message_id, _due(now))
            .values(state=MessageState.SENDING, claimed_until=lease)
        ).rowcount
        if taken:
            row = connection.execute(select(T).where(T.c.id == message_id)).one()
            text = row.body.replace(LINK_PLACEHOLDER, row.link or "")
            claimed.append(
                Claimed(row.id, row.recipient, row.subject, text, row.about, row.attempts, lease)
            )
    return claimed


def _send(message: Claimed, config: Mapping, now: datetime) -> Outcome:
    try:
        mail.send_text(config, message.recipient, message.subject, message.text)
    except mail.MailError as error:
        return _mark_try_failed(message, error, now)
    with db.engine.begin() as connection:
        connection.execute(
            _update_claimed(message).values(
                state=MessageState.SENT,
                sent_at=now,
                attempts=message.attempts + 1,
                claimed_until=None,
                link=None,
                last_error="",
            )
        )
    log.info("Mailed %s (message %d)", message.about, message.id)
    return Outcome(sent=1)


def _mark_try_failed(message: Claimed, error: "mail.MailError", now: datetime) -> Outcome:
    attempts = message.attempts + 1
    # The server's own answer may quote the address: the log says it without it.
    detail = re.sub(re.escape(message.recipient), "<address>", error.detail, flags=re.IGNORECASE)
    if attempts >= MAX_ATTEMPTS:
        values = {"state": MessageState.FAILED, "failed_at": now, "link": None}
        log.warning("Mail failed for good, %s: %s (%s)", message.about, detail, error.reason)
    else:
        wait = BACKOFF[attempts - 1]
        values = {"state": MessageState.QUEUED, "next_attempt_at": now + wait}
        log.warning(
            "Mail not sent, %s: %s (%s); next try in %s", message.about, detail, error.reason, wait
        )
    with db.engine.begin() as connection:
        connection.execute(
            _update_claimed(message).values(
                attempts=attempts, claimed_until=None, last_error=error.reason, **values
            )
        )
    return Outcome(failed=1) if attempts >= MAX_ATTEMPTS else Outcome(retrying=1)


def _update_claimed(message: Claimed) -> Update:
    # Only while this sender's claim holds: once its lease ran out, another may have the message.
    return update(T).where(
        T.c.id == message.id,
        T.c.state == MessageState.SENDING,
        T.c.claimed_until == message.claimed_until,
    )

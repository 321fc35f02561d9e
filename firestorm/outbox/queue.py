"""Putting a message in the outbox: a row written in the caller's transaction, so a step that is
refused or rolled back mails nobody, and a committed one loses no message whatever happens
next. The ids committed are kept in the session for whoever sends them after the response."""

import enum
import hashlib
import logging
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from firestorm import mail
from firestorm.database import db
from firestorm.outbox.models import MessageState, OutgoingMessage

log = logging.getLogger(__name__)

# In the session's info: the messages this transaction queued, then, once it has committed,
# the ones to try at once (after the response has gone).
QUEUED = "outbox_queued"
COMMITTED = "outbox_committed"


def will_send(config: Mapping, address: str) -> bool:
    """Whether a message to `address` would be queued: the site sends mail (MAIL_SERVER is
    set) and there is an address to send to."""
    return bool(address) and mail.mail_configured(config)


def enqueue(
    config: Mapping,
    to: str,
    subject: str,
    body: str,
    about: str,
    now: datetime,
    link: str | None = None,
) -> OutgoingMessage | None:
    """A message written into the outbox in the caller's transaction; None, writing nothing,
    when the site sends no mail or there is no address. `about` names it in the log ("the
    confirmation of hold ABC123"). A secret `link` goes where the body says LINK_PLACEHOLDER,
    and is kept only until the message is sent or given up on."""
    if not will_send(config, to):
        return None
    message = OutgoingMessage(
        recipient=to,
        subject=subject,
        body=body,
        about=about,
        link=link,
        link_hash=link_hash(link) if link else "",
        state=MessageState.QUEUED,
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )
    db.session.add(message)
    db.session.flush()
    try_after_commit(db.session(), [message.id])
    log.info("Queued %s (message %d)", about, message.id)
    return message


class Progress(enum.StrEnum):
    """Where one message stands, as a page that queued it says it."""

    SENT = "sent"
    # Queued or being sent, not tried yet.
    WAITING = "waiting"
    # A try failed; another follows (or, after the last, none: FAILED).
    RETRYING = "retrying"
    FAILED = "failed"


def progress_of(message_id: int) -> tuple[Progress, str]:
    """How far the message has gone, and why its last try failed ("" if none did)."""
    message = db.session.get(OutgoingMessage, message_id)
    if message is None:
        # Erased by the purge, long after it ended.
        return Progress.SENT, ""
    if message.state == MessageState.SENT:
        return Progress.SENT, ""
    if message.state == MessageState.FAILED:
        return Progress.FAILED, message.last_error
    if message.attempts:
        return Progress.RETRYING, message.last_error
    return Progress.WAITING, ""


def link_hash(link: str) -> str:
    return hashlib.sha256(link.encode()).hexdigest()


def try_after_commit(session: Session, message_ids: list[int]) -> None:
    """Send these messages as soon as this transaction has committed (and the response gone)."""
    session.info.setdefault(QUEUED, []).extend(message_ids)


def committed_messages(session: Session) -> list[int]:
    """The messages the transaction just committed queued, taken away so they are tried once
    here (`flask send-mail` sends any this misses)."""
    return session.info.pop(COMMITTED, [])


@event.listens_for(db.session, "after_commit")
def _committed(session: Session) -> None:
    # A savepoint's release is not yet the commit: its messages wait for the outer one.
    if session.in_nested_transaction():
        return
    session.info.setdefault(COMMITTED, []).extend(session.info.pop(QUEUED, []))


@event.listens_for(db.session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ended without committing queued nothing: its rows are gone too."""
    if transaction.parent is None:
        session.info.pop(QUEUED, None)

"""Mail that waits for the commit: a request's messages are kept in its database session and sent
only once its transaction is committed, so a refused step or a lost race mails nobody and a slow
mail server never holds the database's write lock. A message that can't be sent is logged,
without its address, and what was committed stands."""

import logging
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from firestorm import mail
from firestorm.database import db

log = logging.getLogger(__name__)

# Where the transaction's messages wait, in its session's info.
OUTBOX = "outbox"


@dataclass(frozen=True)
class Message:
    """One plain-text email, written in full before the commit (when the models can still be
    read). `about` names it in the log, never by its address: "the confirmation of hold ABC123"."""

    to: str
    subject: str
    body: str
    about: str


def can_send_to(address: str) -> bool:
    """Whether a message to `address` would go: the site sends mail (MAIL_SERVER is set) and
    there is an address to send to."""
    return bool(address) and mail.mail_configured(current_app.config)


def send_after_commit(message: Message) -> bool:
    """Keep the message to send once this transaction commits. False, keeping nothing, when the
    site sends no mail (MAIL_SERVER unset) or there is no address to send to."""
    if not can_send_to(message.to):
        return False
    db.session.info.setdefault(OUTBOX, []).append(message)
    return True


@event.listens_for(db.session, "after_commit")
def _send_kept_messages(session: Session) -> None:
    # A savepoint's release is not yet the commit: its messages wait for the outer transaction.
    if session.in_nested_transaction():
        return
    for message in session.info.pop(OUTBOX, []):
        deliver(message)


@event.listens_for(db.session, "after_transaction_end")
def _drop_kept_messages(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ended without committing (a refusal, a lost race, an error) sends
    nothing; after a commit, _send_kept_messages has taken them already."""
    if transaction.parent is None:
        session.info.pop(OUTBOX, None)


def deliver(message: Message) -> None:
    try:
        mail.send_text(current_app.config, message.to, message.subject, message.body)
    except mail.MailError as error:
        # The server's answer may quote the address: the log names the message instead.
        reason = re.sub(re.escape(message.to), "<address>", str(error), flags=re.IGNORECASE)
        log.warning("Mail not sent, %s: %s", message.about, reason)
    else:
        log.info("Mailed %s", message.about)

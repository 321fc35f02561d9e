"""Notices mailed to their authors when the site sends mail: each letter the inbox wrote becomes
a message in the outbox (firestorm/web/outbox.py) as the decision is committed, so a decision
that lost a race mails nobody; a failed letter is logged and the decision stands."""

from flask import current_app, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from firestorm.database import db
from firestorm.notices import inbox
from firestorm.web import outbox
from firestorm.web.site_address import absolute_url


@event.listens_for(db.session, "before_commit")
def _post_letters(session: Session) -> None:
    letters = inbox.take_letters(session)
    # The command line (seed-demo, scripts) has no request to build links from: it mails nobody.
    if not has_request_context():
        return
    for letter in letters:
        outbox.send_after_commit(message_of(letter))


@event.listens_for(db.session, "after_transaction_end")
def _forget_letters(session: Session, transaction: SessionTransaction) -> None:
    """Letters of a transaction that ended without committing (a refusal, a lost race) never
    reach the outbox; after a commit, _post_letters has taken them already."""
    if transaction.parent is None:
        inbox.take_letters(session)


def message_of(letter: inbox.Letter) -> outbox.Message:
    link = absolute_url("volunteer.edit_review", review_id=letter.review_id)
    return outbox.Message(
        to=letter.to,
        subject=letter.subject,
        body=letter.text(link, current_app.config["STORE_NAME"]),
        about=f"notice to user {letter.user_id} about review {letter.review_id}",
    )

"""Notices mailed to their authors when the site sends mail: only once the decision that made
them is committed, so a decision that lost a race mails nobody; a failed letter is logged and
the decision stands."""

import logging

from flask import current_app, has_request_context, url_for
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from firestorm import mail
from firestorm.database import db
from firestorm.notices import inbox

log = logging.getLogger(__name__)


@event.listens_for(db.session, "after_commit")
def _send_letters(session: Session) -> None:
    letters = inbox.take_letters(session)
    # The command line (seed-demo, scripts) has no request to build links from: it mails nobody.
    if not letters or not has_request_context() or not mail.mail_configured(current_app.config):
        return
    for letter in letters:
        send_letter(letter)


@event.listens_for(db.session, "after_transaction_end")
def _forget_letters(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ended without committing (a refusal, a lost race) sends nothing; after
    a commit, _send_letters has taken them already."""
    if transaction.parent is None:
        inbox.take_letters(session)


def send_letter(letter: inbox.Letter) -> None:
    config = current_app.config
    link = url_for("volunteer.edit_review", review_id=letter.review_id, _external=True)
    try:
        mail.send_text(config, letter.to, letter.subject, letter.text(link, config["STORE_NAME"]))
    except mail.MailError as error:
        # The server's answer may quote the address: the log names the person by id only.
        reason = str(error).replace(letter.to, "<address>")
        log.warning(
            "Notice mail to user %d about review %d failed: %s",
            letter.user_id,
            letter.review_id,
            reason,
        )
    else:
        log.info("Notice mailed to user %d about review %d", letter.user_id, letter.review_id)

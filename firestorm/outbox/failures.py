"""The messages given up on after the last try, as the collective sees them on the holds desk
and the people page, and sending them again."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update

from firestorm.database import db, rows_changed
from firestorm.outbox import queue
from firestorm.outbox.models import MessageState, OutgoingMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failures:
    count: int
    # Why the latest of them failed, in plain words.
    last_reason: str

    @property
    def in_words(self) -> str:
        emails = "1 email" if self.count == 1 else f"{self.count} emails"
        return f"{emails} could not be sent: {self.last_reason}."


@dataclass(frozen=True)
class SentAgain:
    queued: int
    # Messages whose secret link is no longer kept (an invitation): they can't be sent again.
    dropped: int


def failed_mail() -> Failures | None:
    """The failed messages, or None when there are none (one query)."""
    failed = OutgoingMessage.state == MessageState.FAILED
    count = db.session.scalar(select(func.count()).where(failed))
    if not count:
        return None
    last_reason = db.session.scalar(
        select(OutgoingMessage.last_error)
        .where(failed)
        .order_by(OutgoingMessage.failed_at.desc(), OutgoingMessage.id.desc())
        .limit(1)
    )
    return Failures(count, last_reason or "")


def send_again(now: datetime) -> SentAgain:
    """Every failed message back in the queue with its tries counted afresh, to be sent once
    this transaction commits. One whose link was erased when it failed can't be: it is deleted
    (a new invitation makes a new link)."""
    failed = OutgoingMessage.state == MessageState.FAILED
    link_gone = (OutgoingMessage.link.is_(None)) & (OutgoingMessage.link_hash != "")
    dropped = rows_changed(
        delete(OutgoingMessage)
        .where(failed, link_gone)
        .execution_options(synchronize_session=False)
    )
    ids = list(
        db.session.scalars(
            update(OutgoingMessage)
            .where(failed)
            .values(
                state=MessageState.QUEUED,
                attempts=0,
                next_attempt_at=now,
                failed_at=None,
                claimed_until=None,
            )
            .returning(OutgoingMessage.id)
            .execution_options(synchronize_session=False)
        )
    )
    queue.try_after_commit(db.session(), ids)
    log.info("%d failed messages queued again, %d without their link dropped", len(ids), dropped)
    return SentAgain(queued=len(ids), dropped=dropped)

"""The daily purge's part in the outbox: sent and failed messages hold names and addresses, so
they are erased after the same retention as holds' customer details (`flask purge`)."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, or_

from firestorm.database import rows_changed
from firestorm.outbox.models import MessageState, OutgoingMessage

log = logging.getLogger(__name__)


def erase_ended_messages(now: datetime, retention_days: int) -> int:
    """Delete messages sent or failed more than `retention_days` ago; waiting ones stay, however
    old. The caller commits."""
    before = now - timedelta(days=retention_days)
    erased = rows_changed(
        delete(OutgoingMessage)
        .where(
            or_(
                (OutgoingMessage.state == MessageState.SENT) & (OutgoingMessage.sent_at < before),
                (OutgoingMessage.state == MessageState.FAILED)
                & (OutgoingMessage.failed_at < before),
            )
        )
        .execution_options(synchronize_session=False)
    )
    log.info("%d sent or failed messages erased, over %d days old", erased, retention_days)
    return erased

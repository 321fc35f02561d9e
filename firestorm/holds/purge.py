"""The daily purge (`flask --app app purge`): ready holds nobody collected expire, and the
customer's name, email, phone and note are erased from holds that ended long enough ago."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update

from firestorm.database import rows_changed
from firestorm.holds import desk
from firestorm.holds.models import OPEN_STATES, Hold

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeResult:
    expired: int
    erased: int


def purge(now: datetime, hold_days: int, retention_days: int) -> PurgeResult:
    """Expire overdue holds, then erase what the shop no longer needs to keep. The caller
    commits."""
    expired = desk.expire_overdue(now, hold_days)
    erased = erase_ended_holds(now, retention_days)
    return PurgeResult(expired=len(expired), erased=erased)


def erase_ended_holds(now: datetime, retention_days: int) -> int:
    """Blank the customer's details on holds that ended more than `retention_days` ago. The
    hold itself stays (reference, book, dates: the shop's own record); open holds are never
    touched, however old."""
    erased = rows_changed(
        update(Hold)
        .where(
            Hold.state.not_in(OPEN_STATES),
            Hold.ended_at < now - timedelta(days=retention_days),
            Hold.erased_at.is_(None),
        )
        .values(
            customer_name="",
            customer_name_key="",
            customer_email="",
            customer_email_key="",
            customer_phone="",
            customer_phone_digits="",
            note="",
            erased_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    log.info(
        "customers' details erased from %d holds that ended over %d days ago",
        erased,
        retention_days,
    )
    return erased

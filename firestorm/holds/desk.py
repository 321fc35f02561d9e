"""The collective's holds desk: the lists by state, the count of new holds, and the steps a hold
takes there (ready for pickup, collected, cancelled, expired).

Every step is one conditional UPDATE on the state the member saw (WHERE id = ? AND state = ?):
of two members acting on one hold at once, the database lets one through, and the other is
told in words who moved it and when. Logs name holds by reference and members by id, never a
customer's name, email or phone.
"""

import logging
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import joinedload

from firestorm import typed_text
from firestorm.catalog import stock
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.holds.models import OPEN_STATES, Hold, HoldKind, HoldState
from firestorm.holds.pickup import copies
from firestorm.pagination import Page, paginate
from firestorm.people.models import User
from firestorm.refusals import Refusal

REASON_MAX_LENGTH = 200
# The desk's lists, by the name in the query string: the open holds, or one state.
OPEN = "open"
FILTERS: dict[str, tuple[HoldState, ...]] = {
    OPEN: OPEN_STATES,
    **{state.value: (state,) for state in HoldState},
}

log = logging.getLogger(__name__)


class DeskProblem(Refusal):
    """A step the rules refuse, in words the member can act on; `field` names what was typed
    wrong ("reason"), or is None when it is the step itself."""


class MovedMeanwhile(DeskProblem):
    """The hold is no longer in the state the member saw: someone else moved it first."""


class UnknownFilter(ValueError):
    """A list of holds the desk does not have (a hand-typed or outdated link)."""


class HoldGone(LookupError):
    """The hold is not in the database (never was, or its book was removed)."""


# --- What the desk shows ----------------------------------------------------------------------


def with_what_the_desk_shows(statement: Select[Hold]) -> Select[Hold]:
    return statement.options(
        joinedload(Hold.book).load_only(Book.title),
        joinedload(Hold.handled_by).load_only(User.display_name),
    )


def _in_desk_order(statement: Select[Hold], states: tuple[HoldState, ...]) -> Select[Hold]:
    if states == (HoldState.READY,):
        # The ones that expire first, first.
        return statement.order_by(Hold.ready_at, Hold.id)
    if all(state in OPEN_STATES for state in states):
        return statement.order_by(Hold.created_at, Hold.id)
    # Ended holds: the latest news first.
    return statement.order_by(Hold.ended_at.desc(), Hold.id.desc())


def holds_for_desk(filter_name: str, page: int, per_page: int) -> Page:
    """One page of the holds in a list of FILTERS (the open ones unless asked), with their
    books and who last handled them."""
    states = FILTERS.get(filter_name)
    if states is None:
        raise UnknownFilter(filter_name)
    statement = with_what_the_desk_shows(select(Hold).where(Hold.state.in_(states)))
    return paginate(_in_desk_order(statement, states), page, per_page)


def hold_for_desk(hold_id: int) -> Hold | None:
    """One hold as the desk draws it, read afresh from the database."""
    return db.session.scalar(
        with_what_the_desk_shows(select(Hold).where(Hold.id == hold_id)).execution_options(
            populate_existing=True
        )
    )


def new_hold_count() -> int:
    """Holds nobody has looked at yet: the count in the collective's navigation."""
    return db.session.execute(
        select(func.count(Hold.id)).where(Hold.state == HoldState.NEW)
    ).scalar_one()


def held_until(hold: Hold, hold_days: int) -> datetime | None:
    """When a ready hold expires if nobody collects it."""
    if hold.state != HoldState.READY or hold.ready_at is None:
        return None
    return hold.ready_at + timedelta(days=hold_days)


# --- The steps ---------------------------------------------------------------------------------


def mark_ready(hold_id: int, member_id: int, now: datetime) -> Hold:
    """The copies are put aside (an order has arrived): the customer may come for them."""
    hold = _moved(hold_id, HoldState.NEW, HoldState.READY, member_id, now, ready_at=now)
    log.info("hold %s ready for pickup, marked by user %d", hold.reference, member_id)
    return hold


def mark_collected(hold_id: int, member_id: int, now: datetime) -> Hold:
    """The customer took the copies. A hold's copies come off the stock through the stock log,
    so the never-below-zero rule and the history apply. An order's copies were never part of
    the stock (they are the customer's from the day they arrive, and are not counted as free
    to hold), so collecting one changes no stock."""
    hold = _moved(hold_id, HoldState.READY, HoldState.COLLECTED, member_id, now, ended_at=now)
    if hold.kind == HoldKind.HOLD:
        _take_off_the_stock(hold, member_id, now)
    log.info("hold %s collected by user %d", hold.reference, member_id)
    return hold


def cancel_hold(
    hold_id: int, member_id: int, reason: str, seen_state: str | None, now: datetime
) -> Hold:
    """Cancelled from the state the member saw (new or ready), with the reason they give."""
    if seen_state not in OPEN_STATES:
        raise DeskProblem("This hold can't be cancelled from here: reload the page and try again.")
    expected = HoldState(seen_state)
    reason = typed_text.one_line(reason)
    problem = _reason_problem(reason)
    if problem:
        # Someone else's step matters more than a missing reason: say that first.
        _still_in(hold_id, expected, member_id, now)
        raise DeskProblem(problem, "reason")
    hold = _moved(
        hold_id,
        expected,
        HoldState.CANCELLED,
        member_id,
        now,
        ended_at=now,
        cancel_reason=reason,
    )
    log.info("hold %s cancelled by user %d", hold.reference, member_id)
    return hold


def expire_overdue(now: datetime, hold_days: int) -> list[str]:
    """Ready holds nobody collected within `hold_days` of being ready expire; their copies are
    free to hold again. The references of those that expired."""
    references = list(
        db.session.scalars(
            update(Hold)
            .where(
                Hold.state == HoldState.READY,
                Hold.ready_at <= now - timedelta(days=hold_days),
            )
            .values(state=HoldState.EXPIRED, ended_at=now, handled_by_id=None)
            .returning(Hold.reference)
            .execution_options(synchronize_session=False)
        )
    )
    for reference in references:
        log.info("hold %s expired: not collected within %d days", reference, hold_days)
    return references


def _moved(
    hold_id: int,
    expected: HoldState,
    to: HoldState,
    member_id: int,
    now: datetime,
    **values: object,
) -> Hold:
    moved = db.session.execute(
        update(Hold)
        .where(Hold.id == hold_id, Hold.state == expected)
        .values(state=to, handled_by_id=member_id, **values)
        .returning(Hold.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if moved is None:
        raise _why_not(hold_id, member_id, now)
    hold = hold_for_desk(hold_id)
    if hold is None:  # never: the row was just updated and is locked until the commit
        raise _why_not(hold_id, member_id, now)
    return hold


def _still_in(hold_id: int, expected: HoldState, member_id: int, now: datetime) -> None:
    state = db.session.scalar(select(Hold.state).where(Hold.id == hold_id))
    if state != expected:
        raise _why_not(hold_id, member_id, now)


def _take_off_the_stock(hold: Hold, member_id: int, now: datetime) -> None:
    reason = f"hold {hold.reference} collected"
    # Only an order may lack a book (the schema's rule): a hold's copies are the catalog's.
    assert hold.book_id is not None
    try:
        stock.change_stock(hold.book_id, -hold.quantity, reason, member_id, now)
    except stock.StockProblem as problem:
        raise DeskProblem(
            f"{problem} This hold is for {copies(hold.quantity)}: count the shelf and set the "
            "stock on the book's page, then mark it collected."
        ) from None


def _reason_problem(reason: str) -> str:
    if not reason:
        return "Say why the hold is cancelled (the customer called, the book is lost…)."
    if len(reason) > REASON_MAX_LENGTH:
        return f"Keep the reason under {REASON_MAX_LENGTH} characters."
    return ""


# --- Why a step was refused ---------------------------------------------------------------------


def _why_not(hold_id: int, member_id: int, now: datetime) -> DeskProblem:
    """The refusal to raise for a hold no longer where the member saw it: who moved it, how
    long ago. HoldGone when there is no such hold."""
    hold = hold_for_desk(hold_id)
    if hold is None:
        raise HoldGone(hold_id)
    if hold.state == HoldState.NEW:
        return MovedMeanwhile("This hold is new: mark it ready for pickup first.")
    who = _who(hold, member_id)
    if hold.state == HoldState.READY:
        return MovedMeanwhile(
            f"{who} marked this hold ready for pickup {_ago(hold.ready_at, now)}."
        )
    when = _ago(hold.ended_at, now)
    if hold.state == HoldState.COLLECTED:
        return MovedMeanwhile(f"{who} marked this hold collected {when}.")
    if hold.state == HoldState.CANCELLED:
        if hold.cancelled_by_the_customer:
            return MovedMeanwhile(f"The customer cancelled this hold {when}, on its own page.")
        return MovedMeanwhile(f"{who} cancelled this hold {when}: “{hold.cancel_reason}”.")
    return MovedMeanwhile(f"This hold expired {when}: nobody collected it in time.")


def _who(hold: Hold, member_id: int) -> str:
    if hold.handled_by_id == member_id:
        return "You"
    return hold.handled_by.display_name if hold.handled_by else "Someone"


def _ago(moment: datetime | None, now: datetime) -> str:
    """How long ago, in the words people use at the counter."""
    if moment is None:
        return "earlier"
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 2:
        return "a moment ago"
    if minutes < 60:
        return f"{minutes} minutes ago"
    if minutes < 48 * 60:
        hours = minutes // 60
        return "an hour ago" if hours == 1 else f"{hours} hours ago"
    return f"{minutes // (24 * 60)} days ago"


def orders_waiting(book_ids: Collection[int], isbns: Collection[str]) -> list[Hold]:
    """The new orders copies of these books can serve, oldest first: the catalog books' own,
    and special orders not yet attached to a book that asked for one of these ISBNs
    (receiving says so as the copies are scanned). One query, however many books."""
    waiting_for = Hold.book_id.is_(None) & Hold.asked_isbn.in_(list(isbns))
    if book_ids:
        waiting_for = waiting_for | Hold.book_id.in_(list(book_ids))
    statement = (
        select(Hold)
        .where(Hold.kind == HoldKind.ORDER, Hold.state == HoldState.NEW, waiting_for)
        .order_by(Hold.created_at, Hold.id)
    )
    return list(db.session.scalars(statement))

"""Signing up for an event with a number of places, one list per date (the event's id and the
date's start): places never given beyond the capacity (even with two people at once), a
waiting list once the date is full, and the first on it who fits moving up when someone
cancels. The private link to a sign-up's page works as a hold's does (holds/following.py).
No Flask: the routes pass `now`, the site's secret and the mail."""

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from firestorm import typed_text
from firestorm.database import db, rows_changed
from firestorm.events import series, wording
from firestorm.events.models import Event
from firestorm.events.sign_up_models import OPEN_STATES, SignUp, SignUpState
from firestorm.holds import following, placing
from firestorm.refusals import Refusal

# What the sign-up link's HMAC is for: never the same token as a hold's from the same key.
LINK_PURPOSE = b"firestorm event sign-up\x00"
FULL = (
    "Someone has just taken the last place: the evening is full. Send the form again to "
    "join the waiting list, and we'll tell you if a place comes free."
)
SENT_FOR_ANOTHER_DATE = "This form was sent for another event: please send it again."
MESSAGE_MAX_LENGTH = 2_000
CLOSED = "Sign-ups for this date are closed: it has started, or it was cancelled."

log = logging.getLogger(__name__)


class NoSuchDate(LookupError):
    """The event is gone, or has no such date."""


class TakesNoSignUps(LookupError):
    """The event has no number of places: nobody signs up for it."""


class SignUpRefused(Refusal):
    """What is wrong with the form, by field ("" for the form as a whole), in the person's
    words; `left` is how many places are free now."""

    def __init__(self, problems: dict[str, str], left: int):
        super().__init__(" ".join(problems.values()))
        self.problems = problems
        self.left = left

    @property
    def just_filled(self) -> bool:
        """The last place went meanwhile: the form offers the waiting list instead."""
        return self.problems.get("") == FULL


@dataclass(frozen=True)
class SignUpRequest:
    """What the person typed; `places` is None when it was not a whole number. `waiting`: they
    were offered the waiting list (the date was full when the form was drawn)."""

    name: str
    email: str
    phone: str
    places: int | None
    waiting: bool = False
    # The hold form's note, which a sign-up does not ask for (placing.customer_problems).
    note: str = ""

    def tidied(self) -> "SignUpRequest":
        return replace(
            self,
            name=typed_text.one_line(self.name),
            email=typed_text.one_line(self.email),
            phone=typed_text.one_line(self.phone),
        )


@dataclass(frozen=True)
class SignedUp:
    sign_up: SignUp
    event: Event
    # False when this form had been sent before: the sign-up it made then.
    is_new: bool
    # None only when the site's secret changed since the form was first sent.
    link_token: str | None


def dates_of(event: Event, timezone: ZoneInfo) -> list[series.EventDate]:
    """The event's dates that take sign-ups: all but those cancelled (events/series.py). A
    date's list is keyed by the start the series gives it (`series_starts_at`, in UTC), which
    stays when the desk moves the date."""
    return [shown for shown in series.event_dates(event, timezone) if not shown.date_cancelled]


def takes_sign_ups(event: Event) -> bool:
    """An event with a number of places takes sign-ups (and keeps a waiting list)."""
    return event.capacity is not None


def places_taken(event_id: int, starts_at: datetime) -> int:
    """Places signed up for on the date (the waiting list not counted)."""
    return db.session.execute(
        select(func.coalesce(func.sum(SignUp.places), 0)).where(
            SignUp.event_id == event_id,
            SignUp.starts_at == starts_at,
            SignUp.state == SignUpState.SIGNED_UP,
        )
    ).scalar_one()


def places_left(event: Event, starts_at: datetime) -> int:
    """Places still free on the date (0 when full; the event has a capacity)."""
    assert event.capacity is not None
    return max(event.capacity - places_taken(event.id, starts_at), 0)


def open_for_sign_ups(event: Event, starts_at: datetime, now: datetime) -> bool:
    return not event.is_cancelled and starts_at > now


@dataclass(frozen=True)
class DatePlaces:
    """One date's places as the public page says them: "12 of 20 places left"."""

    starts_at: datetime
    capacity: int
    left: int
    # Still to come and not cancelled: the page offers the form.
    is_open: bool

    @property
    def is_full(self) -> bool:
        return self.left == 0


def dates_to_sign_up(
    event: Event, now: datetime, timezone: ZoneInfo, most: int
) -> list[DatePlaces]:
    """The places on each of the event's next `most` dates still to come; none for an event
    without a number of places."""
    if event.capacity is None:
        return []
    coming = [shown for shown in dates_of(event, timezone) if shown.starts_at > now][:most]
    return [
        DatePlaces(
            shown.series_starts_at,
            event.capacity,
            places_left(event, shown.series_starts_at),
            open_for_sign_ups(event, shown.series_starts_at, now),
        )
        for shown in coming
    ]


def event_date(event_id: int, date: str | None, timezone: ZoneInfo) -> tuple[Event, datetime]:
    """The event and the date named by `date` (as wording.date_value writes it; the first
    date when none is given); NoSuchDate when there is no such event or date, TakesNoSignUps
    when it has no number of places."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NoSuchDate(event_id)
    if not takes_sign_ups(event):
        raise TakesNoSignUps(event_id)
    starts = [shown.series_starts_at for shown in dates_of(event, timezone)]
    starts_at = wording.date_from(date) if date else (starts[0] if starts else None)
    if starts_at is None or starts_at not in starts:
        raise NoSuchDate(event_id)
    return event, starts_at


def locked_event(event_id: int) -> Event | None:
    """The event with its row locked until the transaction ends; None when it is gone.

    Whoever changes who has the places of an event (signing up, cancelling, moving up) takes
    this lock first, so two people after the last place are served one after the other.
    PostgreSQL locks the row (FOR UPDATE); on SQLite, requests that write hold the database's
    write lock from their first statement (BEGIN IMMEDIATE, web/sqlite.py), which serialises
    them just the same."""
    return db.session.scalar(select(Event).where(Event.id == event_id).with_for_update())


def sign_up(
    event_id: int,
    date: str | None,
    typed: SignUpRequest,
    request_key: str,
    now: datetime,
    link_secret: str | bytes,
    timezone: ZoneInfo,
) -> SignedUp:
    """Places on the date, or a turn on its waiting list when the person was offered it.

    The event's row stays locked (locked_event) from counting the places taken to the new
    sign-up's insert: of two people after the last place, the second sees the first one's
    and is told. A form sent twice finds its sign-up by its key."""
    if locked_event(event_id) is None:
        raise NoSuchDate(event_id)
    event, starts_at = event_date(event_id, date, timezone)
    left = places_left(event, starts_at)
    if not placing.REQUEST_KEY_SHAPE.fullmatch(request_key or ""):
        raise SignUpRefused({"": placing.MISSING_PIECE}, left)
    earlier = db.session.scalar(select(SignUp).where(SignUp.request_key == request_key))
    if earlier is not None:
        if earlier.event_id != event_id or earlier.starts_at != starts_at:
            raise SignUpRefused({"": SENT_FOR_ANOTHER_DATE}, left)
        return SignedUp(earlier, event, False, link_made_again(earlier, link_secret))
    if not open_for_sign_ups(event, starts_at, now):
        raise SignUpRefused({"": CLOSED}, left)
    typed = typed.tidied()
    problems = placing.customer_problems(typed) | _places_problems(typed, event, left)
    if problems:
        raise SignUpRefused(problems, left)
    token = link_token(request_key, link_secret)
    signed = SignUp(
        event_id=event_id,
        starts_at=starts_at,
        state=SignUpState.SIGNED_UP if left else SignUpState.WAITING,
        places=typed.places,
        request_key=request_key,
        private_link_hash=following.token_hash(token),
        customer_name=typed.name,
        customer_email=typed.email,
        customer_phone=typed.phone,
        created_at=now,
    )
    db.session.add(signed)
    db.session.flush()
    # Never the person's name, email or phone: logs are kept longer than sign-ups.
    log.info("sign-up %d (%s) for event %d on %s", signed.id, signed.state, event_id, starts_at)
    return SignedUp(signed, event, True, token)


def _places_problems(typed: SignUpRequest, event: Event, left: int) -> dict[str, str]:
    assert event.capacity is not None
    if left == 0 and not typed.waiting:
        return {"": FULL}
    if typed.places is None or not 1 <= typed.places <= event.capacity:
        return {"places": f"Give a number of places from 1 to {left or event.capacity}."}
    if left and typed.places > left:
        return {"places": f"Only {left} of {event.capacity} places are left."}
    return {}


def link_token(request_key: str, secret: str | bytes) -> str:
    return following.link_token(request_key, secret, LINK_PURPOSE)


def link_made_again(signed: SignUp, secret: str | bytes) -> str | None:
    """The token of the sign-up's link made again from its key; None when the site's secret
    has changed since."""
    token = link_token(signed.request_key, secret)
    return token if signed.private_link_hash == following.token_hash(token) else None


def sign_up_by_token(token: str) -> SignUp | None:
    """The sign-up whose private link carries `token`; None for a token nobody was given."""
    if not token or len(token) > following.TOKEN_MAX_LENGTH:
        return None
    return db.session.scalar(
        select(SignUp)
        .where(SignUp.private_link_hash == following.token_hash(token))
        .execution_options(populate_existing=True)
    )


class CannotCancel(Exception):
    """The sign-up was cancelled already (twice at once, or a second tab)."""


def cancel_by_the_person(signed: SignUp, now: datetime) -> list[SignUp]:
    """The person gives up their places (or their turn); the sign-ups that moved up from the
    waiting list into the places that came free, for the caller to tell. One conditional
    UPDATE, with the event's row locked first like signing up, so no place is given twice."""
    locked_event(signed.event_id)
    was_signed_up = signed.state == SignUpState.SIGNED_UP
    cancelled = rows_changed(
        update(SignUp)
        .where(SignUp.id == signed.id, SignUp.state.in_(OPEN_STATES))
        .values(state=SignUpState.CANCELLED, cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(signed)
    if not cancelled:
        raise CannotCancel(signed.id)
    log.info("sign-up %d cancelled by the person", signed.id)
    if not was_signed_up:
        return []
    event = db.session.get(Event, signed.event_id)
    assert event is not None  # the sign-up's event, locked above
    return move_up(event, signed.starts_at, now)


def move_up(event: Event, starts_at: datetime, now: datetime) -> list[SignUp]:
    """Those on the date's waiting list who fit in the places free, in their turn: the first
    who fits, then the next who fits in what is left. The caller holds the event's lock."""
    left = places_left(event, starts_at)
    moved = []
    for waiting in waiting_list(event.id, starts_at):
        if waiting.places <= left:
            waiting.state = SignUpState.SIGNED_UP
            waiting.moved_up_at = now
            left -= waiting.places
            moved.append(waiting)
            log.info("sign-up %d moved up from the waiting list", waiting.id)
    db.session.flush()
    return moved


def waiting_list(event_id: int, starts_at: datetime) -> list[SignUp]:
    return _date_list(event_id, starts_at, SignUpState.WAITING)


def signed_up_list(event_id: int, starts_at: datetime) -> list[SignUp]:
    return _date_list(event_id, starts_at, SignUpState.SIGNED_UP)


def _date_list(event_id: int, starts_at: datetime, state: SignUpState) -> list[SignUp]:
    return list(
        db.session.scalars(
            select(SignUp)
            .where(
                SignUp.event_id == event_id, SignUp.starts_at == starts_at, SignUp.state == state
            )
            .order_by(SignUp.created_at, SignUp.id)
        )
    )


@dataclass(frozen=True)
class DateList:
    """One date's lists as the desk reads them."""

    starts_at: datetime
    signed_up: list[SignUp]
    waiting: list[SignUp]
    left: int


def desk_lists(event: Event, timezone: ZoneInfo) -> list[DateList]:
    """Each date's sign-ups and waiting list, in date order."""
    return [
        DateList(
            starts_at,
            signed_up_list(event.id, starts_at),
            waiting_list(event.id, starts_at),
            places_left(event, starts_at),
        )
        for starts_at in (shown.series_starts_at for shown in dates_of(event, timezone))
    ]


class MessageRefused(Refusal, field="message"):
    """A message to those signed up that can't go as written."""


def checked_message(text: str) -> str:
    """The desk's message to everyone signed up for a date, tidied; MessageRefused when it
    says nothing or too much."""
    text = typed_text.paragraphs(text)
    if not text:
        raise MessageRefused("Write the message: what changed, in a few words.")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise MessageRefused(f"Keep the message under {MESSAGE_MAX_LENGTH:,} characters.")
    return text


def erase_past_sign_ups(now: datetime, retention_days: int) -> int:
    """Blank the names, emails and phones of sign-ups for dates more than `retention_days`
    past; the rows stay (how many came: the shop's own record)."""
    erased = rows_changed(
        update(SignUp)
        .where(
            SignUp.starts_at < now - timedelta(days=retention_days),
            SignUp.erased_at.is_(None),
        )
        .values(customer_name="", customer_email="", customer_phone="", erased_at=now)
        .execution_options(synchronize_session=False)
    )
    log.info("details erased from %d event sign-ups over %d days old", erased, retention_days)
    return erased

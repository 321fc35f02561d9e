"""Opening hours for the store: weekly hours, special hours (closures and changed hours)
and the status banner."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

# Spelled out rather than using strftime("%b"), which follows the server's locale.
# fmt: off
MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)
# fmt: on

# How far ahead to look for the next opening before giving up.
_SEARCH_DAYS = 366


@dataclass(frozen=True)
class DayHours:
    """Opening hours for one day; the store never stays open past midnight."""

    opens: time
    closes: time

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise ValueError(f"closing time {self.closes} must be after opening time {self.opens}")


@dataclass(frozen=True)
class SpecialHours:
    """Special hours to the weekly hours, first_day through last_day, both inclusive: the
    store is closed on those days, or, when `hours` is given, open at those hours instead."""

    first_day: date
    last_day: date
    reason: str = ""
    hours: DayHours | None = None

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"closure ends ({self.last_day}) before it starts ({self.first_day})")

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    @property
    def is_closed(self) -> bool:
        """A closure proper, rather than changed hours."""
        return self.hours is None

    @property
    def in_words(self) -> str:
        """ "Closed: Thanksgiving", "Open 10am – 4pm: Christmas Eve"."""
        return special_hours_in_words(self)

    @property
    def days_in_words(self) -> str:
        """ "Nov 26, 2026", or "Dec 24, 2026 to Dec 26, 2026"."""
        return format_day_range(self.first_day, self.last_day)


@dataclass(frozen=True)
class Schedule:
    """Weekly hours (index 0 = Monday, None = closed), time zone, special hours (closures
    and changed hours, never two on one day) and a note for each weekday ("" for none)."""

    week: tuple[DayHours | None, ...]
    timezone: ZoneInfo
    special_hours: tuple[SpecialHours, ...] = ()
    notes: tuple[str, ...] = ("",) * 7

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError(f"a week needs 7 entries, got {len(self.week)}")
        if len(self.notes) != 7:
            raise ValueError(f"a week needs 7 notes, got {len(self.notes)}")


_USUAL_HOURS = DayHours(time(8), time(21))
DEFAULT_WEEK: tuple[DayHours | None, ...] = (None,) + (_USUAL_HOURS,) * 6


@dataclass(frozen=True)
class StoreStatus:
    """What the site tells a visitor about the store at one moment."""

    is_open: bool
    closed_today: bool
    closure_reason: str
    closes_at: datetime | None
    next_opening: datetime | None
    message: str


def special_hours_on(schedule: Schedule, day: date) -> SpecialHours | None:
    """The special hours covering `day` (a closure or changed hours), or None."""
    return next((c for c in schedule.special_hours if c.covers(day)), None)


def closure_on(schedule: Schedule, day: date) -> SpecialHours | None:
    """The special closure covering `day`, or None: changed hours are not a closure."""
    special_hours = special_hours_on(schedule, day)
    return special_hours if special_hours and special_hours.is_closed else None


def hours_on(schedule: Schedule, day: date) -> DayHours | None:
    """The hours for `day`, changed ones included, or None when closed (weekly closed day or
    closure)."""
    special_hours = special_hours_on(schedule, day)
    if special_hours:
        return special_hours.hours
    return schedule.week[day.weekday()]


def _local(schedule: Schedule, now: datetime) -> datetime:
    """`now` as wall-clock time in the store's zone, whatever zone it was given in."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now.astimezone(schedule.timezone)


def _at(schedule: Schedule, day: date, t: time) -> datetime:
    # Combining the wall-clock time keeps "8am" at 8am local on both sides of a
    # daylight-saving change, unlike adding timedeltas to an aware datetime.
    return datetime.combine(day, t, tzinfo=schedule.timezone)


def is_open_at(schedule: Schedule, now: datetime) -> bool:
    """Whether the store is open at `now`: open from the opening minute to closing."""
    local = _local(schedule, now)
    hours = hours_on(schedule, local.date())
    return hours is not None and hours.opens <= local.time() < hours.closes


def next_opening_after(schedule: Schedule, now: datetime) -> datetime | None:
    """The first opening strictly after `now` (store-local), or None within 366 days.

    An opening at exactly `now` is not returned: the store is already open then.
    """
    local = _local(schedule, now)
    today = local.date()
    for offset in range(_SEARCH_DAYS + 1):
        day = today + timedelta(days=offset)
        hours = hours_on(schedule, day)
        # Compare wall-clock times so the answer doesn't depend on UTC offsets.
        if hours and (day > today or hours.opens > local.time()):
            return _at(schedule, day, hours.opens)
    return None


def format_time(t: time) -> str:
    """A short clock time: 8am, 8:30am, 12pm (noon), 12am (midnight), 9pm."""
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    minutes = f":{t.minute:02d}" if t.minute else ""
    return f"{hour}{minutes}{suffix}"


def format_date(day: date) -> str:
    """A date as the site writes it: Nov 26, 2026."""
    return f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.day}, {day.year}"


def format_day_range(first_day: date, last_day: date) -> str:
    """One day, or "Dec 24, 2026 to Dec 26, 2026"."""
    if first_day == last_day:
        return format_date(first_day)
    return f"{format_date(first_day)} to {format_date(last_day)}"


def _format_range(hours: DayHours) -> str:
    return f"{format_time(hours.opens)} – {format_time(hours.closes)}"


def special_hours_in_words(special_hours: SpecialHours) -> str:
    """What the public reads for special hours: "Closed: Thanksgiving",
    "Open 10am – 4pm: Christmas Eve"."""
    changed = special_hours.hours
    hours = "Closed" if changed is None else f"Open {_format_range(changed)}"
    return f"{hours}: {special_hours.reason}" if special_hours.reason else hours


def _opening_day(opening: datetime, today: date) -> str:
    """The weekday name, plus the date once the weekday alone would be ambiguous."""
    name = WEEKDAY_NAMES[opening.weekday()]
    if (opening.date() - today).days > 6:
        return f"{name}, {MONTH_ABBREVIATIONS[opening.month - 1]} {opening.day}"
    return name


def _closed_today_message(reason: str, opening: datetime | None, today: date) -> str:
    # The reason, when there is one, goes right after "Closed" so it is read first.
    reason_note = f" ({reason})" if reason else ""
    if opening is None:
        return f"Closed{reason_note} until further notice"
    when = f"{_opening_day(opening, today)} at {format_time(opening.time())}"
    return f"Closed today{reason_note} — opens {when}"


def _reason_note(special_hours: SpecialHours | None) -> str:
    return f" ({special_hours.reason})" if special_hours and special_hours.reason else ""


def _after_hours_message(
    hours: DayHours, local: datetime, opening: datetime | None, changed: SpecialHours | None
) -> str:
    if local.time() < hours.opens:
        return f"Opens today at {format_time(hours.opens)}{_reason_note(changed)}"
    if opening is None:
        return "Closed until further notice"
    when = f"{_opening_day(opening, local.date())} {format_time(opening.time())}"
    return f"Closed for the night — opens {when}"


def status_at(schedule: Schedule, now: datetime) -> StoreStatus:
    """Everything the banner needs at `now`, an aware datetime in any zone."""
    local = _local(schedule, now)
    today = local.date()
    hours = hours_on(schedule, today)
    # Today's special hours: a closure, or changed hours whose reason the message gives too.
    special_hours = special_hours_on(schedule, today)

    if hours is not None and is_open_at(schedule, local):
        return StoreStatus(
            is_open=True,
            closed_today=False,
            closure_reason="",
            closes_at=_at(schedule, today, hours.closes),
            next_opening=None,
            message=f"Open now until {format_time(hours.closes)}{_reason_note(special_hours)}",
        )

    opening = next_opening_after(schedule, local)
    if hours is None:
        reason = special_hours.reason if special_hours else ""
        message = _closed_today_message(reason, opening, today)
    else:
        reason = ""
        message = _after_hours_message(hours, local, opening, special_hours)
    return StoreStatus(
        is_open=False,
        closed_today=hours is None,
        closure_reason=reason,
        closes_at=None,
        next_opening=opening,
        message=message,
    )


def _summary_order(week: Sequence[DayHours | None]) -> list[int]:
    # Start the week on Tuesday when Monday is closed, so Tue–Sun reads as one run.
    start = 1 if week[0] is None else 0
    return [(start + i) % 7 for i in range(7)]


def _format_days(days: list[int]) -> str:
    names = [WEEKDAY_NAMES[d][:3] for d in days]
    if len(names) >= 3:
        return f"{names[0]} thru {names[-1]}"
    return ", ".join(names)


def week_summary(week: Sequence[DayHours | None]) -> str:
    """One line of weekly hours, e.g. "Tue thru Sun 8am – 9pm · Closed Monday".

    Walking the week from Monday (from Tuesday when Monday is closed), consecutive
    days with identical hours form a run: one day is "Sat", two are "Sat, Sun",
    three or more are "Tue thru Fri". Closed weekdays are listed last by full name;
    a week with no open days is just "Closed".
    """
    runs: list[tuple[list[int], DayHours]] = []
    for day in _summary_order(week):
        hours = week[day]
        if hours is None:
            continue
        last_run = runs[-1] if runs else None
        # Only extend a run when this day directly follows the run's last day.
        if last_run and last_run[1] == hours and (last_run[0][-1] + 1) % 7 == day:
            last_run[0].append(day)
        else:
            runs.append(([day], hours))

    if not runs:
        return "Closed"
    parts = [f"{_format_days(days)} {_format_range(hours)}" for days, hours in runs]
    closed = [WEEKDAY_NAMES[d] for d in range(7) if week[d] is None]
    if closed:
        parts.append("Closed " + ", ".join(closed))
    return " · ".join(parts)


class DayRow(NamedTuple):
    """One day of the hours table: hours are None when closed; special_hours are the day's (a
    closure or changed hours) when it has them, else note is the weekday's own."""

    day: date
    weekday: str
    hours: DayHours | None
    special_hours: SpecialHours | None
    note: str = ""
    # On a day the shop is closed, what it opens for all the same ("Open for “Book club”,
    # 7pm – 9pm"): said by the feature that opens it (events/shop_days.py).
    opened_for: str = ""

    @property
    def in_words(self) -> str:
        """ "Closed", "8am – 9pm", or the special hours ("Open 10am – 4pm: Christmas Eve")."""
        if self.opened_for:
            return self.opened_for
        if self.special_hours:
            return self.special_hours.in_words
        return _format_range(self.hours) if self.hours else "Closed"


class UsualDay(NamedTuple):
    """One weekday of the usual week (0 = Monday): its hours, None when closed, and its note."""

    weekday: int
    name: str
    hours: DayHours | None
    note: str

    @property
    def in_words(self) -> str:
        return _format_range(self.hours) if self.hours else "Closed"


def usual_week(schedule: Schedule) -> list[UsualDay]:
    """Monday to Sunday as the store usually opens, whatever the special hours say."""
    return [
        UsualDay(weekday, WEEKDAY_NAMES[weekday], schedule.week[weekday], schedule.notes[weekday])
        for weekday in range(7)
    ]


def week_table(schedule: Schedule, today: date) -> list[DayRow]:
    """The seven days from `today`, one row each."""
    rows = []
    for offset in range(7):
        day = today + timedelta(days=offset)
        special_hours = special_hours_on(schedule, day)
        # The weekday's note is about its usual hours, which special hours replace.
        note = "" if special_hours else schedule.notes[day.weekday()]
        rows.append(
            DayRow(day, WEEKDAY_NAMES[day.weekday()], hours_on(schedule, day), special_hours, note)
        )
    return rows


def upcoming_special_hours(schedule: Schedule, today: date) -> list[SpecialHours]:
    """Closures and changed hours not yet over on `today` (including ones in progress), soonest
    first."""
    return sorted(
        (c for c in schedule.special_hours if c.last_day >= today),
        key=lambda c: c.first_day,
    )

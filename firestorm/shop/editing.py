"""Changing the shop's hours: one weekday at a time, and the special hours (a closure, or
changed hours, for a day or a range), each refusal said in words a member can act on."""

import logging
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select, text

from firestorm import typed_text
from firestorm.database import Model, db
from firestorm.pagination import Page, paginate
from firestorm.refusals import Refusal
from firestorm.shop import hours
from firestorm.shop.models import OpeningHours, SpecialHoursEntry
from firestorm.shop.schedule import weekly_hours

# The columns' size.
NOTE_MAX_LENGTH = 200
REASON_MAX_LENGTH = 200
# Longer than any holiday or renovation the shop plans: more is a mistyped year.
LONGEST_SPECIAL_HOURS_DAYS = 60

log = logging.getLogger(__name__)


class HoursProblem(Refusal):
    """A change the rules refuse, in words the member can act on; `field` names the field
    typed wrong ("opens", "last_day", …), or is None when it is the change as a whole."""


@dataclass(frozen=True)
class TypedHours:
    """A day's hours as a form read them: a time is None when what was typed was not one."""

    is_open: bool
    opens: time | None
    closes: time | None

    def checked(self) -> hours.DayHours | None:
        """The hours, or None when closed; refused when a time is missing or out of order."""
        if not self.is_open:
            return None
        if self.opens is None:
            raise HoursProblem("Give the opening time, like 8:00 or 10:30.", "opens")
        if self.closes is None:
            raise HoursProblem("Give the closing time, like 17:00 or 21:00.", "closes")
        if self.closes <= self.opens:
            raise HoursProblem(
                f"Closing time must be after opening time ({hours.format_time(self.opens)}),"
                " on the same day.",
                "closes",
            )
        return hours.DayHours(self.opens, self.closes)


@dataclass(frozen=True)
class TypedSpecialHours:
    """Special hours as a form read it: a date is None when what was typed was not one;
    no last day means the first day alone."""

    first_day: date | None
    last_day: date | None
    hours: TypedHours
    reason: str


# --- The week ----------------------------------------------------------------------------------


def set_weekday(weekday: int, typed: TypedHours, note: str, by: str) -> OpeningHours:
    """Set one weekday's usual hours (or closed) and its note, for every week from now on."""
    if weekday not in range(7):
        raise HoursProblem("There is no such day of the week.")
    day_hours = typed.checked()
    note = _checked_text(note, NOTE_MAX_LENGTH, "note")
    row = _week_rows()[weekday]
    row.opens, row.closes = (day_hours.opens, day_hours.closes) if day_hours else (None, None)
    row.note = note
    db.session.flush()
    log.info(
        "Usual hours of %s set to %s by %s",
        hours.WEEKDAY_NAMES[weekday],
        _hours_for_log(day_hours),
        by,
    )
    return row


def _week_rows() -> list[OpeningHours]:
    """The seven weekday rows, locked. Until the collective first sets a day the table is empty
    and the default week applies: it is written out, so setting one day keeps the others."""
    _one_change_at_a_time(OpeningHours)
    rows = {row.weekday: row for row in db.session.scalars(select(OpeningHours))}
    week = weekly_hours(list(rows.values())) if rows else hours.DEFAULT_WEEK
    for weekday, day_hours in enumerate(week):
        if weekday not in rows:
            rows[weekday] = OpeningHours(
                weekday=weekday,
                opens=day_hours.opens if day_hours else None,
                closes=day_hours.closes if day_hours else None,
                note="",
            )
            db.session.add(rows[weekday])
    return [rows[weekday] for weekday in range(7)]


# --- Special hours -----------------------------------------------------------------------


def coming_special_hours(today: date, page: int, per_page: int) -> Page:
    """The special hours not yet over on `today`, soonest first, a page at a time."""
    statement = (
        select(SpecialHoursEntry)
        .where(SpecialHoursEntry.last_day >= today)
        .order_by(SpecialHoursEntry.first_day, SpecialHoursEntry.id)
    )
    return paginate(statement, page, per_page)


def get_special_hours(special_hours_id: int) -> SpecialHoursEntry | None:
    return db.session.get(SpecialHoursEntry, special_hours_id)


def add_special_hours(typed: TypedSpecialHours, today: date, by: str) -> SpecialHoursEntry:
    """A closure or changed hours for a day or a range, ending today or later."""
    special_hours = SpecialHoursEntry()
    _fill(special_hours, typed, today)
    db.session.add(special_hours)
    db.session.flush()
    log.info(
        "Special hours %d added by %s: %s",
        special_hours.id,
        by,
        _special_hours_for_log(special_hours),
    )
    return special_hours


def change_special_hours(
    special_hours: SpecialHoursEntry, typed: TypedSpecialHours, today: date, by: str
) -> SpecialHoursEntry:
    before = _special_hours_for_log(special_hours)
    _fill(special_hours, typed, today)
    db.session.flush()
    log.info(
        "Special hours %d changed by %s: was %s, now %s",
        special_hours.id,
        by,
        before,
        _special_hours_for_log(special_hours),
    )
    return special_hours


def remove_special_hours(special_hours: SpecialHoursEntry, by: str) -> None:
    log.info(
        "Special hours %d removed by %s: %s",
        special_hours.id,
        by,
        _special_hours_for_log(special_hours),
    )
    db.session.delete(special_hours)
    db.session.flush()


def _fill(special_hours: SpecialHoursEntry, typed: TypedSpecialHours, today: date) -> None:
    """Check what was typed and write it on the entry, or refuse it with why."""
    first_day, last_day = _checked_days(typed, today)
    day_hours = typed.hours.checked()
    reason = _checked_text(typed.reason, REASON_MAX_LENGTH, "reason")
    if not reason:
        raise HoursProblem(
            "Say why, in a few words the public will read: “Thanksgiving”, “Stocktaking”.",
            "reason",
        )
    _one_change_at_a_time(SpecialHoursEntry)
    _refuse_overlap(first_day, last_day, special_hours.id)
    special_hours.first_day, special_hours.last_day, special_hours.reason = (
        first_day,
        last_day,
        reason,
    )
    special_hours.opens = day_hours.opens if day_hours else None
    special_hours.closes = day_hours.closes if day_hours else None


def _checked_days(typed: TypedSpecialHours, today: date) -> tuple[date, date]:
    if typed.first_day is None:
        raise HoursProblem("Give the first day as a date, like 2026-11-26.", "first_day")
    last_day = typed.last_day or typed.first_day
    # Refusals about the end go next to the last day, unless only the first was given.
    end_field = "last_day" if typed.last_day else "first_day"
    if last_day < typed.first_day:
        raise HoursProblem("The last day comes before the first day.", "last_day")
    if last_day < today:
        raise HoursProblem(
            f"{hours.format_date(last_day)} is past: "
            "closures and changed hours must end today or later.",
            end_field,
        )
    days = (last_day - typed.first_day).days + 1
    if days > LONGEST_SPECIAL_HOURS_DAYS:
        raise HoursProblem(
            f"That is {days} days: "
            f"closures and changed hours cover at most {LONGEST_SPECIAL_HOURS_DAYS}."
            " Check the dates, or enter a longer time as two.",
            "last_day",
        )
    return typed.first_day, last_day


def _refuse_overlap(first_day: date, last_day: date, special_hours_id: int | None) -> None:
    """Two entries of special hours on one day would contradict each other: the member
    settles which."""
    overlapping = db.session.scalar(
        select(SpecialHoursEntry)
        .where(
            SpecialHoursEntry.first_day <= last_day,
            SpecialHoursEntry.last_day >= first_day,
            SpecialHoursEntry.id != (special_hours_id or 0),
        )
        .order_by(SpecialHoursEntry.first_day)
        .limit(1)
    )
    if overlapping:
        what = overlapping.reason or ("a closure" if overlapping.opens is None else "changed hours")
        raise HoursProblem(
            f"These days overlap “{what}” "
            f"({hours.format_day_range(overlapping.first_day, overlapping.last_day)}):"
            " change or remove that one first.",
            "first_day",
        )


# --- Shared ---------------------------------------------------------------------------------


def _checked_text(typed: str, max_length: int, field: str) -> str:
    cleaned = typed_text.one_line(typed or "")
    if len(cleaned) > max_length:
        raise HoursProblem(f"Keep the {field} under {max_length} characters.", field)
    return cleaned


def _one_change_at_a_time(model: type[Model]) -> None:
    """Two members saving at once must not both pass the checks (two overlapping entries,
    or the week written out twice). SQLite already queues writing requests (BEGIN IMMEDIATE);
    PostgreSQL is told to, for this table, while readers carry on."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"LOCK TABLE {model.__tablename__} IN SHARE ROW EXCLUSIVE MODE"))


def _hours_for_log(day_hours: hours.DayHours | None) -> str:
    if day_hours is None:
        return "closed"
    return f"{day_hours.opens:%H:%M}–{day_hours.closes:%H:%M}"


def _special_hours_for_log(special_hours: SpecialHoursEntry) -> str:
    changed = (
        hours.DayHours(special_hours.opens, special_hours.closes)
        if special_hours.opens and special_hours.closes
        else None
    )
    days = f"{special_hours.first_day}–{special_hours.last_day}"
    return f"{days} {_hours_for_log(changed)} ({special_hours.reason})"

"""An event as the pages say it: "Thursday, Dec 10, 2026, 7pm – 9pm", "20 places", the
cafe or the address. No Flask: the templates' filters pass the shop's zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from firestorm.shop import hours


def when_in_words(starts_at: datetime, ends_at: datetime, timezone: ZoneInfo) -> str:
    """ "Thursday, Dec 10, 2026, 7pm – 9pm", at the shop's wall-clock time."""
    starts = starts_at.astimezone(timezone)
    ends = ends_at.astimezone(timezone)
    day = f"{hours.WEEKDAY_NAMES[starts.weekday()]}, {hours.format_date(starts.date())}"
    return f"{day}, {hours.format_time(starts.time())} – {hours.format_time(ends.time())}"


def start_in_words(starts_at: datetime, timezone: ZoneInfo) -> str:
    """ "Thu Dec 10 at 7pm": when an event starts, as a line about it elsewhere says it."""
    starts = starts_at.astimezone(timezone)
    weekday = hours.WEEKDAY_NAMES[starts.weekday()][:3]
    month = hours.MONTH_ABBREVIATIONS[starts.month - 1]
    return f"{weekday} {month} {starts.day} at {hours.format_time(starts.time())}"


def capacity_in_words(capacity: int | None) -> str:
    """ "20 places", "1 place", or "" when no number was given."""
    if capacity is None:
        return ""
    return "1 place" if capacity == 1 else f"{capacity:,} places"


def places_left_in_words(left: int, capacity: int) -> str:
    """ "12 of 20 places left", "1 of 20 places left", or "Full" (event sign-ups)."""
    if left == 0:
        return "Full"
    return f"{left:,} of {capacity:,} {'place' if capacity == 1 else 'places'} left"


# A date of an event as a form or an address carries it: its start in UTC.
DATE_VALUE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def date_value(starts_at: datetime) -> str:
    """ "2026-12-11T00:00:00Z": which date of an event a form or a link is about."""
    return starts_at.astimezone(UTC).strftime(DATE_VALUE_FORMAT)


def date_from(value: str) -> datetime | None:
    """The date's start that date_value wrote; None for anything else."""
    try:
        return datetime.strptime(value, DATE_VALUE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None

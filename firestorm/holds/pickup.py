"""What happens after a hold or an order is placed, in words that know the opening hours and
closures: "Ready for pickup from Tuesday at 8am — we are closed on Mondays"; and what to do
with a hold email you did not ask for."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from firestorm.shop import hours
from firestorm.shop.hours import MONTH_ABBREVIATIONS, WEEKDAY_NAMES, Schedule

# How long it takes to find the copies and put them aside while the shop is open.
PUTTING_ASIDE = timedelta(hours=1)


@dataclass(frozen=True)
class NextSteps:
    """The confirmation's words: one line that answers "when?", then the sentences after it."""

    headline: str
    details: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """As a plain-text email says it."""
        return "\n\n".join((self.headline, *self.details))


def hold_next_steps(
    schedule: Schedule, placed_at: datetime, hold_days: int, reach_us: str
) -> NextSteps:
    """When copies held at `placed_at` can be picked up, how long they are kept, and the
    closures that get in the way."""
    local = placed_at.astimezone(schedule.timezone)
    today = local.date()
    closing = _closing_today(schedule, local)
    if closing is not None and local + PUTTING_ASIDE <= closing:
        headline = (
            "We'll put it aside within the hour: pick it up today until "
            f"{hours.format_time(closing.time())} or any day we're open."
        )
        ready_day, named = today, list[hours.SpecialHours]()
    else:
        opening = hours.next_opening_after(schedule, local)
        if opening is None:
            return _no_opening_in_sight(schedule, today, reach_us)
        headline, named = _ready_from(schedule, local, opening)
        ready_day = opening.date()
    keeping = (
        f"Once it's ready we keep it for you for {_days(hold_days)}; "
        "after that it goes back on the shelf."
    )
    details = [keeping]
    closed_meanwhile = [
        c for c in _closures_within(schedule, ready_day, hold_days) if c not in named
    ]
    if closed_meanwhile:
        details.append(f"Please note: we are closed {_and(map(_closure_words, closed_meanwhile))}.")
    return NextSteps(headline, (*details, reach_us))


def order_next_steps(reach_us: str) -> NextSteps:
    return NextSteps("We'll order it and let you know when it arrives.", (reach_us,))


def special_order_next_steps(reach_us: str) -> NextSteps:
    """For a book the catalog doesn't list, asked for by title: its price isn't known yet."""
    return NextSteps(
        "We'll find it and order it, and let you know when it arrives.",
        ("We'll confirm the price when the book arrives; you pay when you pick it up.", reach_us),
    )


def copies(count: int) -> str:
    """ "1 copy", "2 copies": how every page and email of the holds counts them."""
    return "1 copy" if count == 1 else f"{count} copies"


def request_in_words(
    kind: str, quantity: int, title: str, author_names: list[str], details: str = ""
) -> str:
    """ "2 copies of “Dispersing Power” by Raúl Zibechi, held for pickup."; `details` are a
    special order's format and ISBN: "(paperback, ISBN 978-1-84935-011-2)"."""
    authors = f" by {', '.join(author_names)}" if author_names else ""
    what = "to be ordered for you" if kind == "order" else "held for pickup"
    details = f" ({details})" if details else ""
    return f"{copies(quantity)} of “{title}”{authors}{details}, {what}."


def how_to_reach_us(phone: str, email: str, reference: str) -> str:
    """The shop's phone and email, whichever it gives, for questions or a change of plans."""
    contact = _ways_to_reach_us(phone, email) or "ask us at the counter"
    return (
        f"Questions, or a change of plans? Please {contact}, and give your reference {reference}."
    )


def ends_once_ready(kind: str, hold_days: int) -> str:
    """When a hold nobody collects ends, said before it is ready: "7 days after it is ready"."""
    ready = "the book arrives" if kind == "order" else "it is ready"
    return f"{_days(hold_days)} after {ready}"


def if_you_did_not_ask(kind: str, ends: str, phone: str, email: str) -> str:
    """What someone mailed about a hold they never asked for may do: nothing (it ends by itself
    `ends`), or have it cancelled. The form takes any address, so every hold email says this."""
    words = (
        "This email address was given on the hold form of our website. If you did not ask for "
        f"this, ignore this email: nothing happens, you pay nothing, and the {kind} ends by "
        f"itself {ends}."
    )
    contact = _ways_to_reach_us(phone, email)
    return f"{words} To have it cancelled now, {contact}." if contact else words


# --- The pieces ----------------------------------------------------------------------------


def _ways_to_reach_us(phone: str, email: str) -> str:
    """ "call us at 828-555-0100 or write to books@example.org"; "" when the shop gives none."""
    ways = [f"call us at {phone}"] if phone else []
    ways += [f"write to {email}"] if email else []
    return " or ".join(ways)


def _closing_today(schedule: Schedule, local: datetime) -> datetime | None:
    """When the shop closes today, if it is open now."""
    open_hours = hours.hours_on(schedule, local.date())
    if open_hours is None or not hours.is_open_at(schedule, local):
        return None
    return datetime.combine(local.date(), open_hours.closes, tzinfo=schedule.timezone)


def _ready_from(
    schedule: Schedule, local: datetime, opening: datetime
) -> tuple[str, list[hours.SpecialHours]]:
    """ "Ready for pickup from <opening>", and why not sooner: the closed days in between.
    Returns the closures it names, so they are not named twice."""
    weekly, closures = _closed_days_before(schedule, local, opening.date())
    # A weekday alone could mean next week's once a special closure is in the way.
    day = _day_words(opening.date(), local.date(), with_date=bool(closures))
    headline = f"Ready for pickup from {day} at {hours.format_time(opening.time())}"
    why = [_closure_words(c) for c in closures]
    if weekly:
        why.append("on " + _and(f"{WEEKDAY_NAMES[weekday]}s" for weekday in weekly))
    if why:
        headline += f" — we are closed {_and(why)}"
    return headline + ".", closures


def _closed_days_before(
    schedule: Schedule, local: datetime, opening_day: date
) -> tuple[list[int], list[hours.SpecialHours]]:
    """The days the shop is shut between now and `opening_day`: the usual closed weekdays,
    and the special closures, each once, in order. Today counts when it is shut all day."""
    today = local.date()
    day = today if hours.hours_on(schedule, today) is None else today + timedelta(days=1)
    weekly: list[int] = []
    closures: list[hours.SpecialHours] = []
    while day < opening_day:
        closure = hours.closure_on(schedule, day)
        if closure is not None and closure not in closures:
            closures.append(closure)
        elif closure is None and day.weekday() not in weekly:
            weekly.append(day.weekday())
        day += timedelta(days=1)
    return weekly, closures


def _closures_within(schedule: Schedule, first_day: date, days: int) -> list[hours.SpecialHours]:
    """Special closures that shut the shop on a day of the `days` from `first_day`."""
    found: list[hours.SpecialHours] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        closure = hours.closure_on(schedule, day)
        # A dated exception with hours of its own is a day the shop is open.
        if closure and hours.hours_on(schedule, day) is None and closure not in found:
            found.append(closure)
    return found


def _no_opening_in_sight(schedule: Schedule, today: date, reach_us: str) -> NextSteps:
    closure = hours.closure_on(schedule, today)
    closed = f"we are closed {_closure_words(closure)}" if closure else "we are closed"
    return NextSteps(
        f"We've noted your hold, but {closed} and can't say yet when we open again.",
        ("We'll let you know when you can pick it up.", reach_us),
    )


def _day_words(day: date, today: date, with_date: bool) -> str:
    """ "today", "Tuesday", or "Monday, Dec 28" when the weekday alone could be misread."""
    if day == today:
        return "today"
    name = WEEKDAY_NAMES[day.weekday()]
    if with_date or (day - today).days > 6:
        return f"{name}, {_month_day(day)}"
    return name


def _closure_words(closure: hours.SpecialHours) -> str:
    """ "Dec 24–27 (Holidays)", "Nov 26 (Thanksgiving)", "Dec 30–Jan 2"."""
    first, last = closure.first_day, closure.last_day
    if first == last:
        days = _month_day(first)
    elif first.month == last.month:
        days = f"{_month_day(first)}–{last.day}"
    else:
        days = f"{_month_day(first)}–{_month_day(last)}"
    return f"{days} ({closure.reason})" if closure.reason else days


def _month_day(day: date) -> str:
    return f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.day}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _and(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"

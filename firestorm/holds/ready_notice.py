"""The email a customer gets when their hold is ready: where to pick it up, from when and until
when, in terms of the shop's opening hours, and what to do if you never asked for it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from firestorm.holds.models import Hold, HoldKind
from firestorm.holds.pickup import copies, how_to_reach_us, if_you_did_not_ask
from firestorm.outbox.models import LINK_PLACEHOLDER
from firestorm.shop import hours


@dataclass(frozen=True)
class Shop:
    """The shop as the message names it (from config: STORE_NAME, STORE_ADDRESS, …)."""

    name: str
    address: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ReadyNotice:
    subject: str
    body: str


def ready_notice(
    hold: Hold,
    book_title: str,
    shop: Shop,
    schedule: hours.Schedule,
    now: datetime,
    held_until: datetime,
    with_link: bool = False,
) -> ReadyNotice:
    """The message for a hold marked ready at `now`, kept for the customer until `held_until`;
    `with_link`: with a paragraph pointing to the hold's own page, its address left for the
    outbox to put where LINK_PLACEHOLDER is.

    It says nothing the customer typed, not even their name: anyone may give anyone's address
    on the hold form, so what a stranger could be sent is only ever the shop's words.
    """
    what = f"“{book_title}” ({copies(hold.quantity)})"
    if hold.kind == HoldKind.ORDER:
        opening = f"{shop.name} has your order: {what} has arrived and is ready for pickup"
    else:
        opening = f"{shop.name} has put {what} aside for you: it is ready for pickup"
    until = until_when(schedule, now, held_until)
    body = (
        f"{opening} at {shop.address}.\n\n"
        f"Come by {from_when(schedule, now)}, until {until}, and quote the reference "
        f"{hold.reference} at the counter. If nobody collects it by then, it goes back on the "
        "shelf.\n"
        f"Our hours: {hours.week_summary(schedule.week)}.\n\n"
        f"{how_to_reach_us(shop.phone, shop.email, hold.reference)}\n\n"
        f"{_follow_it(hold.kind) if with_link else ''}"
        f"{if_you_did_not_ask(hold.kind, f'after {until}', shop.phone, shop.email)}\n\n"
        f"{shop.name}\n"
    )
    return ReadyNotice(f"Your hold {hold.reference} is ready for pickup at {shop.name}", body)


def _follow_it(kind: str) -> str:
    return (
        f"Follow your {kind}, or cancel it, on its own page (keep this link to yourself: "
        f"anyone with it can cancel the {kind}):\n\n{LINK_PLACEHOLDER}\n\n"
    )


def from_when(schedule: hours.Schedule, now: datetime) -> str:
    """When a ready hold can be picked up, seen at `now`: "from Tuesday at 8am"."""
    if hours.is_open_at(schedule, now):
        return "any time we are open, starting now"
    opening = hours.next_opening_after(schedule, now)
    if opening is None:
        return "when we open again"
    local_today = now.astimezone(schedule.timezone).date()
    day = "today" if opening.date() == local_today else _day(opening.date())
    return f"from {day} at {hours.format_time(opening.time())}"


def until_when(schedule: hours.Schedule, now: datetime, held_until: datetime) -> str:
    """Closing time on the last day the shop opens before the hold runs out (the daily purge
    expires it during the night after that day)."""
    today = now.astimezone(schedule.timezone).date()
    last_day = held_until.astimezone(schedule.timezone).date()
    day = last_day
    while day >= today:
        opening_hours = hours.hours_on(schedule, day)
        if opening_hours:
            return f"closing time on {_day(day)} ({hours.format_time(opening_hours.closes)})"
        day -= timedelta(days=1)
    return _day(last_day)


def _day(day: date) -> str:
    month = hours.MONTH_ABBREVIATIONS[day.month - 1]
    return f"{hours.WEEKDAY_NAMES[day.weekday()]}, {month} {day.day}"

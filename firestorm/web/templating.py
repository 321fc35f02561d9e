"""What templates can call: cache-busted static URLs and the shop's ways of writing things."""

import hashlib
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.lists import format_list
from flask import Flask, current_app, url_for
from markupsafe import Markup

from firestorm import typed_text
from firestorm.catalog import books, covers, isbn, prices, stock
from firestorm.events import series, wording
from firestorm.events.models import Event
from firestorm.events.series import EventDate
from firestorm.reviews import approvals, rendering
from firestorm.shelf_talkers import qr
from firestorm.shop import hours
from firestorm.web.clock import store_timezone
from firestorm.web.site_address import absolute_url


@cache
def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    """The file's URL with its content hash, so a year-long cache never serves a stale copy."""
    # create_app always gives the app its static folder.
    digest = _file_digest(Path(current_app.static_folder or "static") / filename)

    return url_for("static", filename=filename, v=digest)


def store_date(moment: datetime) -> date:
    """The day a moment fell on at the store."""
    return moment.astimezone(store_timezone()).date()


def long_date(value: date | datetime | None) -> str:
    """Jul 1, 2010 — in the store's time zone for moments, spelled out whatever the locale."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = store_date(value)
    return hours.format_date(value)


def date_and_time(moment: datetime) -> str:
    """Nov 24, 2026, 3:42pm — at the store, whatever the server's zone."""
    local = moment.astimezone(store_timezone())
    return f"{long_date(local.date())}, {hours.format_time(local.time())}"


@cache
def _money(currency: str, locale: str) -> prices.Money:
    return prices.Money(currency, locale)


def shop_money() -> prices.Money:
    """The shop's currency and locale (CURRENCY, LOCALE): how its prices are written and read."""
    return _money(current_app.config["CURRENCY"], current_app.config["LOCALE"])


def price(value: Decimal | None) -> str:
    """ "$18.00"; "Free" for 0; "" for no price."""
    return prices.format_price(value, shop_money())


def price_and_format(value: Decimal | None, book_format: str) -> str:
    """ "$18.00, paperback", either left out when the book has none."""
    return prices.price_and_format(value, book_format, shop_money())


def event_when(event: Event | EventDate) -> str:
    """ "Thursday, Dec 10, 2026, 7pm – 9pm": an event's (or one date's) times at the shop."""
    return wording.when_in_words(event.starts_at, event.ends_at, store_timezone())


def event_start(starts_at: datetime) -> str:
    """ "Thu Dec 10 at 7pm": an event's start at the shop, in a line about it."""
    return wording.start_in_words(starts_at, store_timezone())


def event_repeat(event: Event) -> str:
    """ "Every second Tuesday of the month until Jun 30, 2027"; "" for a single date."""
    first_day = event.starts_at.astimezone(store_timezone()).date()
    return series.repeat_in_words(event.repeat, first_day, event.repeat_until)


def join_words(words: list[str]) -> str:
    """ "subtitle, authors and description": a list as a sentence says it (the site's words
    are English, whatever LOCALE writes prices in)."""
    return format_list(words, style="standard", locale="en_GB")


def email_address(address: str) -> Markup:
    """The address with places to wrap after its @ and before each dot (<wbr>, which copies as
    nothing): on a phone a long one breaks there, not in the middle of a name."""
    # Markup.join escapes each part: only the <wbr> written here is markup.
    before_dot = Markup("<wbr>.")
    local, at, domain = address.partition("@")
    wrapped_local = before_dot.join(local.split("."))
    if not at:
        return wrapped_local
    return wrapped_local + Markup("@<wbr>") + before_dot.join(domain.split("."))


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        static_url=static_url, absolute_url=absolute_url, queue_size=approvals.queue_size
    )
    app.jinja_env.filters.update(
        long_date=long_date,
        date_and_time=date_and_time,
        email_address=email_address,
        store_date=store_date,
        isbn=isbn.hyphenated,
        cover_image=covers.cover_image,
        stock_in_words=stock.stock_in_words,
        pages_in_words=books.pages_in_words,
        price=price,
        price_and_format=price_and_format,
        markdown_html=rendering.render_markdown,
        plain_text=rendering.plain_text,
        xml_safe=typed_text.xml_safe,
        clock=hours.format_time,
        qr_code=qr.qr_svg,
        join_words=join_words,
        event_when=event_when,
        event_start=event_start,
        event_repeat=event_repeat,
        places_in_words=wording.capacity_in_words,
        places_left=wording.places_left_in_words,
        date_value=wording.date_value,
    )

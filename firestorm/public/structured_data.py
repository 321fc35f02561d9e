"""What search engines read of a page: one schema.org JSON-LD block, built from the data the
page shows. The shop (`BookStore`, with its week and its coming closures and changed hours) is
on every page; a book page adds the `Book` with its offer, a list of books an `ItemList`, an
event's page an `Event` for each date it lists (a series' next ones).

The collective's reviews are not in it: they are essays without stars, and the search engines'
rules for a `Review` demand a rating (Google's review snippets; tests/test_structured_data_rules.py
runs those rules). They stay on the book page, where people read them.

The builders take plain values and addresses; the template globals at the end fetch those
for the page being drawn. Nothing about a customer (holds) is ever read here.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from markupsafe import Markup

from firestorm.catalog.models import Book
from firestorm.events.models import Event
from firestorm.events.series import EventDate
from firestorm.holds.availability import Availability
from firestorm.holds.models import HoldKind
from firestorm.pagination import Page
from firestorm.public import bp
from firestorm.public.page_head import cover_url
from firestorm.reviews.rendering import plain_text
from firestorm.shop import hours
from firestorm.web.clock import current_schedule, store_timezone, store_today
from firestorm.web.site_address import absolute_url

SCHEMA = "https://schema.org/"
# What schema.org writes for "closed all day" in a special opening hours specification.
CLOSED_ALL_DAY = {"opens": "00:00", "closes": "00:00"}
# In JSON these three are escaped so that no text (a title ending "</script>", say) can end
# the script element or start markup inside it; JSON parsers read them back unchanged.
_HTML_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))

# A JSON-LD node: its values are text, numbers, lists and other nodes.
Node = dict[str, Any]


def as_script_text(data: Mapping[str, Any]) -> Markup:
    """The JSON for a <script type="application/ld+json"> element, safe inside HTML."""
    script_text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # str.replace, not str.translate: translating with a table looks up every character in
    # Python (0.2 ms of a book page's JSON), replacing runs in C.
    for character, escaped in _HTML_SAFE:
        script_text = script_text.replace(character, escaped)
    # Safe as markup: no "<", ">" or "&" is left (see _HTML_SAFE); tests try a hostile title.
    return Markup(script_text)  # nosec B704


# --- The shop -------------------------------------------------------------------------------


def book_store(
    config: Mapping[str, Any], home_url: str, schedule: hours.Schedule, today: date
) -> Node:
    """The shop: how to find and reach it, its usual week and the special hours coming up."""
    store: Node = {
        "@type": "BookStore",
        "@id": store_id(home_url),
        "name": config["STORE_NAME"],
        "url": home_url,
        "address": _postal_address(config),
        "openingHoursSpecification": weekly_hours(schedule),
    }
    if config.get("STORE_GEO"):
        latitude, longitude = config["STORE_GEO"]
        store["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    for key, setting in (("telephone", "STORE_PHONE"), ("email", "STORE_EMAIL")):
        if (config.get(setting) or "").strip():
            store[key] = config[setting].strip()
    if config.get("STORE_MAP_URL"):
        store["hasMap"] = config["STORE_MAP_URL"]
    same_as = [url for _label, url in config.get("SOCIAL_LINKS") or () if url]
    if same_as:
        store["sameAs"] = same_as
    coming = special_hours(schedule, today)
    if coming:
        store["specialOpeningHoursSpecification"] = coming
    return store


def store_id(home_url: str) -> str:
    """The shop's node id: a book's offer points at it rather than repeating it."""
    return f"{home_url}#store"


def _postal_address(config: Mapping[str, Any]) -> Node:
    given = config.get("STORE_POSTAL_ADDRESS") or {}
    parts = {key: value for key, value in given.items() if value}
    # Without its parts, the address as the header writes it still says where the shop is.
    return {"@type": "PostalAddress", **(parts or {"streetAddress": config["STORE_ADDRESS"]})}


def _clock(t: time) -> str:
    return t.strftime("%H:%M")


def weekly_hours(schedule: hours.Schedule) -> list[Node]:
    """The usual week, weekdays with the same hours together; closed weekdays left out."""
    by_hours: dict[hours.DayHours, list[str]] = {}
    for weekday, day_hours in enumerate(schedule.week):
        if day_hours is not None:
            by_hours.setdefault(day_hours, []).append(SCHEMA + hours.WEEKDAY_NAMES[weekday])
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            "opens": _clock(day_hours.opens),
            "closes": _clock(day_hours.closes),
        }
        for day_hours, days in by_hours.items()
    ]


def special_hours(schedule: hours.Schedule, today: date) -> list[Node]:
    """Closures and changed hours not yet over, as the /hours page lists them."""
    specifications = []
    for special_hours in hours.upcoming_special_hours(schedule, today):
        changed = special_hours.hours
        times = (
            CLOSED_ALL_DAY
            if changed is None
            else {"opens": _clock(changed.opens), "closes": _clock(changed.closes)}
        )
        specification = {
            "@type": "OpeningHoursSpecification",
            "validFrom": special_hours.first_day.isoformat(),
            "validThrough": special_hours.last_day.isoformat(),
            **times,
        }
        if special_hours.reason:
            specification["name"] = special_hours.reason
        specifications.append(specification)
    return specifications


# --- Books ----------------------------------------------------------------------------------


def offer_availability(copies: Availability, hidden: bool) -> str:
    """In stock while a copy is free to hold; with none free the shop orders one for the
    customer (the page says "Ask us to order it"): back-ordered, never a pre-order, which is
    for a book not yet published; a hidden book is offered for neither."""
    if copies.kind_offered == HoldKind.HOLD:
        return SCHEMA + "InStock"
    return SCHEMA + ("OutOfStock" if hidden else "BackOrder")


def book(
    book: Book, copies: Availability, links: "BookLinks", home_url: str, currency: str
) -> Node:
    """A book as its page shows it: the facts and the offer at the shop, with its price."""
    data: Node = {
        "@type": "Book",
        "@id": f"{links.page}#book",
        "name": book.title,
        "url": links.page,
    }
    if book.subtitle:
        data["alternativeHeadline"] = book.subtitle
    if book.author_names:
        data["author"] = [{"@type": "Person", "name": name} for name in book.author_names]
    if book.isbn13:
        data["isbn"] = book.isbn13
    if book.publisher:
        data["publisher"] = {"@type": "Organization", "name": book.publisher}
    if book.release_date:
        data["datePublished"] = book.release_date.isoformat()
    if book.page_count is not None:
        data["numberOfPages"] = book.page_count
    if links.cover:
        data["image"] = links.cover
    if book.description:
        data["description"] = plain_text(book.description)
    data["offers"] = {
        "@type": "Offer",
        "url": links.page,
        "availability": offer_availability(copies, book.hidden),
        "availableAtOrFrom": {"@id": store_id(home_url)},
        **offer_price(book.price, currency),
    }
    return data


def item_list(
    name: str, books: Sequence[Book], first_position: int, page_url: Callable[[int], str]
) -> Node:
    """The books a list page shows, in its order; positions count on from earlier pages."""
    return {
        "@type": "ItemList",
        "name": name,
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": first_position + offset,
                "url": page_url(listed.id),
                "name": listed.title,
            }
            for offset, listed in enumerate(books)
        ],
    }


def offer_price(price: Decimal | None, currency: str) -> Node:
    """The price as schema.org writes it ("18.00", a string with a dot, and the ISO 4217
    code); nothing for a book with no price, as the page says nothing about it."""
    if price is None:
        return {}
    return {"price": f"{price:.2f}", "priceCurrency": currency}


# --- Events ---------------------------------------------------------------------------------


def event_date(
    shown: EventDate,
    page_url: str,
    home_url: str,
    config: Mapping[str, Any],
    timezone: ZoneInfo,
) -> Node:
    """One date of an event as its page shows it: when (with the shop's UTC offset then),
    where (the cafe, or the address typed), who holds it and what it costs (0 is free)."""
    event = shown.event
    if event.place:
        place: Node = {"@type": "Place", "name": event.place, "address": event.place}
    else:
        place = {"@type": "Place", "name": config["STORE_NAME"], "address": _postal_address(config)}
    if shown.is_cancelled:
        status = "EventCancelled"
    elif shown.moved:
        status = "EventRescheduled"
    else:
        status = "EventScheduled"
    data: Node = {
        "@type": "Event",
        "name": event.title,
        "url": page_url,
        "startDate": shown.starts_at.astimezone(timezone).isoformat(),
        "endDate": shown.ends_at.astimezone(timezone).isoformat(),
        "eventStatus": SCHEMA + status,
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": place,
        "organizer": {"@type": "Organization", "name": config["STORE_NAME"], "url": home_url},
        "offers": {
            "@type": "Offer",
            "url": page_url,
            "availability": SCHEMA + "InStock",
            "availableAtOrFrom": {"@id": store_id(home_url)},
            **offer_price(event.price, config["CURRENCY"]),
        },
    }
    if shown.moved:
        data["previousStartDate"] = shown.series_starts_at.astimezone(timezone).isoformat()
    if event.description:
        data["description"] = plain_text(event.description)
    return data


class BookLinks:
    """The absolute addresses a book's data points to."""

    def __init__(self, book: Book) -> None:
        self.page = absolute_url("public.book_page", book_id=book.id)
        self.cover = cover_url(book)


# --- For templates --------------------------------------------------------------------------


def _home_url() -> str:
    return absolute_url("public.home")


@bp.app_template_global()
def structured_data(*things: Node | None) -> Markup:
    """The page's one JSON-LD graph: the shop, and what the page is about (None: nothing)."""
    store = book_store(current_app.config, _home_url(), current_schedule(), store_today())
    graph = [store, *(thing for thing in things if thing)]
    return as_script_text({"@context": "https://schema.org", "@graph": graph})


@bp.app_template_global()
def book_data(shown: Book, copies: Availability) -> Node:
    return book(shown, copies, BookLinks(shown), _home_url(), current_app.config["CURRENCY"])


@bp.app_template_global()
def book_list_data(name: str, results: Page[Book]) -> Node | None:
    """An ItemList for a page of results (pagination.Page); None when it has no books."""
    if not results.items:
        return None
    first = (results.page - 1) * results.per_page + 1
    return item_list(
        name,
        results.items,
        first,
        lambda book_id: absolute_url("public.book_page", book_id=book_id),
    )


@bp.app_template_global()
def event_data(shown: Event, dates: Sequence[EventDate]) -> list[Node]:
    """An Event for each date the page lists (`dates`, the next ones of a series, or the
    event's own)."""
    page_url = absolute_url("public.event_page", event_id=shown.id)
    return [
        event_date(listed, page_url, _home_url(), current_app.config, store_timezone())
        for listed in dates
    ]

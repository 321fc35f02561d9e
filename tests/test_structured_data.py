"""The JSON-LD on the public pages: one block a page, parsed and checked against a small schema of
our own (required properties, and the type of every property we write), built from what the
page shows, never naming a customer, and safe whatever a title holds."""

import json
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hold_helpers import place_hold
from html_checks import TUESDAY_AFTERNOON
from review_helpers import page_text
from shelf_helpers import add_shelves, hide, shelve

from firestorm.database import db
from firestorm.events import planning, series
from firestorm.events.models import Event
from firestorm.public import structured_data
from firestorm.shop.models import SpecialHoursEntry
from firestorm.shop.schedule import load_schedule

SCHEMA_ORG = "https://schema.org/"
URL = re.compile(r"https?://\S+")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CLOCK = re.compile(r"\d{2}:\d{2}")
WEEKDAY = re.compile(SCHEMA_ORG + r"(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
# Never PreOrder: that is for a book not yet published, and the shop orders books that are.
AVAILABILITY = re.compile(SCHEMA_ORG + r"(InStock|OutOfStock|BackOrder)")
ISBN13 = re.compile(r"97[89]\d{10}")
# A moment with its UTC offset at the shop: 2026-12-03T19:00:00-05:00.
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
EVENT_STATUS = re.compile(SCHEMA_ORG + r"Event(Scheduled|Cancelled|Rescheduled)")


def text_matching(pattern):
    return lambda value: isinstance(value, str) and bool(pattern.fullmatch(value))


def words(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def node(type_name):
    return lambda value: isinstance(value, dict) and value.get("@type") == type_name


def reference(value) -> bool:
    return isinstance(value, dict) and set(value) == {"@id"} and URL.fullmatch(value["@id"])


def list_of(check):
    return lambda value: isinstance(value, list) and value != [] and all(map(check, value))


# Our schema: for each type, its properties and the check each value must pass; the required
# ones are listed apart. A property not listed here is a mistake (a typo, or something new that
# needs adding here on purpose).
PROPERTIES = {
    "BookStore": {
        "@id": text_matching(URL),
        "name": words,
        "url": text_matching(URL),
        "address": node("PostalAddress"),
        "geo": node("GeoCoordinates"),
        "telephone": words,
        "email": words,
        "hasMap": text_matching(URL),
        "sameAs": list_of(text_matching(URL)),
        "openingHoursSpecification": list_of(node("OpeningHoursSpecification")),
        "specialOpeningHoursSpecification": list_of(node("OpeningHoursSpecification")),
    },
    "PostalAddress": {
        "streetAddress": words,
        "addressLocality": words,
        "addressRegion": words,
        "postalCode": words,
        "addressCountry": words,
    },
    "GeoCoordinates": {"latitude": number, "longitude": number},
    "OpeningHoursSpecification": {
        "dayOfWeek": list_of(text_matching(WEEKDAY)),
        "opens": text_matching(CLOCK),
        "closes": text_matching(CLOCK),
        "validFrom": text_matching(DATE),
        "validThrough": text_matching(DATE),
        "name": words,
    },
    "Book": {
        "@id": text_matching(URL),
        "name": words,
        "alternativeHeadline": words,
        "url": text_matching(URL),
        "author": list_of(node("Person")),
        "isbn": text_matching(ISBN13),
        "publisher": node("Organization"),
        "datePublished": text_matching(DATE),
        "numberOfPages": lambda value: number(value) and isinstance(value, int) and value > 0,
        "image": text_matching(URL),
        "description": words,
        "offers": node("Offer"),
    },
    "Person": {"name": words, "url": text_matching(URL)},
    "Organization": {"name": words, "url": text_matching(URL)},
    "Event": {
        "name": words,
        "url": text_matching(URL),
        "startDate": text_matching(MOMENT),
        "endDate": text_matching(MOMENT),
        "previousStartDate": text_matching(MOMENT),
        "eventStatus": text_matching(EVENT_STATUS),
        "eventAttendanceMode": lambda value: value == SCHEMA_ORG + "OfflineEventAttendanceMode",
        "location": node("Place"),
        "organizer": node("Organization"),
        "offers": node("Offer"),
        "description": words,
    },
    # The cafe's PostalAddress, or the address typed for an event elsewhere.
    "Place": {"name": words, "address": lambda value: words(value) or node("PostalAddress")(value)},
    "Offer": {
        "url": text_matching(URL),
        # A plain decimal as a string, whatever the locale; the ISO 4217 code.
        "price": text_matching(re.compile(r"[0-9]+\.[0-9]{2}")),
        "priceCurrency": text_matching(re.compile("[A-Z]{3}")),
        "availability": text_matching(AVAILABILITY),
        "availableAtOrFrom": reference,
    },
    "ItemList": {"name": words, "itemListElement": list_of(node("ListItem"))},
    "ListItem": {"position": number, "url": text_matching(URL), "name": words},
}
REQUIRED = {
    "BookStore": {"@id", "name", "url", "address", "openingHoursSpecification"},
    "PostalAddress": {"streetAddress"},
    "GeoCoordinates": {"latitude", "longitude"},
    "OpeningHoursSpecification": {"opens", "closes"},
    "Book": {"@id", "name", "url", "offers"},
    "Person": {"name"},
    "Organization": {"name"},
    "Event": {"name", "url", "startDate", "endDate", "eventStatus", "location", "offers"},
    "Place": {"name", "address"},
    "Offer": {"availability", "availableAtOrFrom"},
    "ItemList": {"itemListElement"},
    "ListItem": {"position", "url"},
}


def schema_problems(thing: dict, where: str = "") -> list[str]:
    """What is wrong with a node and the nodes inside it, in words; [] when nothing is."""
    type_name = thing.get("@type")
    if type_name not in PROPERTIES:
        return [f"{where}: unknown type {type_name!r}"]
    problems = [
        f"{where}{type_name}: no {name}" for name in sorted(REQUIRED[type_name] - set(thing))
    ]
    for name, value in thing.items():
        if name == "@type":
            continue
        check = PROPERTIES[type_name].get(name)
        if check is None:
            problems.append(f"{where}{type_name}: unexpected property {name}")
        elif not check(value):
            problems.append(f"{where}{type_name}.{name}: wrong value {value!r}")
        for inner in value if isinstance(value, list) else [value]:
            if isinstance(inner, dict) and "@type" in inner:
                problems += schema_problems(inner, f"{where}{type_name}.{name} > ")
    if type_name == "OpeningHoursSpecification" and not (
        "dayOfWeek" in thing or {"validFrom", "validThrough"} <= set(thing)
    ):
        problems.append(f"{where}{type_name}: neither the weekdays nor the dates it holds for")
    return problems


def json_ld_blocks(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


def graph_of(response) -> dict[str, list[dict]]:
    """The page's one JSON-LD block, checked against the schema: its nodes by type."""
    assert response.status_code == 200
    (block,) = json_ld_blocks(page_text(response))
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    problems = [problem for thing in data["@graph"] for problem in schema_problems(thing)]
    assert not problems, "\n".join(problems)
    by_type: dict[str, list[dict]] = {}
    for thing in data["@graph"]:
        by_type.setdefault(thing["@type"], []).append(thing)
    return by_type


def the_one(graph: dict[str, list[dict]], type_name: str) -> dict:
    (thing,) = graph[type_name]
    return thing


@pytest.fixture(autouse=True)
def on_a_tuesday(clock):
    clock(TUESDAY_AFTERNOON)


def test_the_schema_check_finds_what_is_wrong():
    bad = {
        "@type": "BookStore",
        "name": "",
        "address": {"@type": "PostalAddress", "streetAdress": "1 Main St"},
        "openingHoursSpecification": [{"@type": "OpeningHoursSpecification", "opens": "8am"}],
    }

    problems = schema_problems(bad)

    assert "BookStore: no @id" in problems and "BookStore: no url" in problems
    assert "BookStore.name: wrong value ''" in problems
    assert any("unexpected property streetAdress" in problem for problem in problems)
    assert any("no streetAddress" in problem for problem in problems)
    assert any("opens: wrong value '8am'" in problem for problem in problems)
    assert any("neither the weekdays nor the dates" in problem for problem in problems)


def test_the_home_page_describes_the_shop_and_its_week(client):
    store = the_one(graph_of(client.get("/")), "BookStore")

    assert store["name"] == "Firestorm Cafe & Books"
    assert store["url"] == "https://books.example.org/"
    assert store["address"]["streetAddress"] == "610 Haywood Rd"
    (usual,) = store["openingHoursSpecification"]
    assert (usual["opens"], usual["closes"]) == ("08:00", "21:00")
    assert SCHEMA_ORG + "Monday" not in usual["dayOfWeek"] and len(usual["dayOfWeek"]) == 6
    # Nothing configured, nothing said: no phone, email or map position to invent.
    assert {"telephone", "email", "geo", "specialOpeningHoursSpecification"}.isdisjoint(store)


def test_the_shop_gives_its_phone_email_and_position_when_they_are_set(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "STORE_PHONE", "(828) 555-0142")
    monkeypatch.setitem(app.config, "STORE_EMAIL", "hello@example.org")
    monkeypatch.setitem(app.config, "STORE_GEO", [35.5788, -82.5853])

    store = the_one(graph_of(client.get("/about")), "BookStore")

    assert (store["telephone"], store["email"]) == ("(828) 555-0142", "hello@example.org")
    assert store["geo"] == {"@type": "GeoCoordinates", "latitude": 35.5788, "longitude": -82.5853}


def test_the_hours_page_gives_coming_closures_and_changed_hours(client, in_app):
    with in_app():
        db.session.add_all(
            [
                SpecialHoursEntry(
                    first_day=date(2026, 11, 26), last_day=date(2026, 11, 26), reason="Thanksgiving"
                ),
                SpecialHoursEntry(
                    first_day=date(2026, 12, 24),
                    last_day=date(2026, 12, 24),
                    reason="Christmas Eve",
                    opens=time(10),
                    closes=time(16),
                ),
                SpecialHoursEntry(
                    first_day=date(2026, 11, 1), last_day=date(2026, 11, 2), reason="Past"
                ),
            ]
        )
        db.session.commit()

    store = the_one(graph_of(client.get("/hours")), "BookStore")

    assert store["specialOpeningHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2026-11-26",
            "validThrough": "2026-11-26",
            "opens": "00:00",
            "closes": "00:00",
            "name": "Thanksgiving",
        },
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2026-12-24",
            "validThrough": "2026-12-24",
            "opens": "10:00",
            "closes": "16:00",
            "name": "Christmas Eve",
        },
    ]


def test_a_reviewed_book_gives_its_facts_and_offer_but_not_its_reviews(client, app, bookshop):
    book_id = bookshop["reviewed"].id
    # A customer's hold: never named in anything a search engine reads.
    place_hold(
        app, bookshop["reviewed"], datetime.now(UTC), name="Kit Holder", email="kit@example.net"
    )

    response = client.get(f"/books/{book_id}")

    graph = graph_of(response)
    book, store = the_one(graph, "Book"), the_one(graph, "BookStore")
    assert book["name"] == "Dispersing Power"
    assert book["alternativeHeadline"] == "Social Movements as Anti-State Forces"
    assert book["author"] == [{"@type": "Person", "name": "Raúl Zibechi"}]
    assert (book["isbn"], book["publisher"]["name"]) == ("9781849350112", "AK Press")
    assert book["url"] == f"https://books.example.org/books/{book_id}"
    # Two in stock, one held: one still free to hold.
    assert book["offers"]["availability"] == SCHEMA_ORG + "InStock"
    assert book["offers"]["availableAtOrFrom"] == {"@id": store["@id"]}
    # Essays without stars: a Review without a rating breaks the search engines' rules
    # (test_structured_data_rules.py). The page still shows it.
    assert "review" not in book
    assert "Sam Reviewer" in page_text(response)
    text = page_text(response).split("</head>")[0]
    assert "Kit Holder" not in text and "kit@example.net" not in text


def test_a_book_without_reviews_or_free_copies_can_be_ordered(client, app, make_book):
    sold_out = make_book("Emergent Strategy", authors=["adrienne maree brown"], stock=0)
    held = make_book("Pleasure Activism", stock=1, release_date=date(2019, 2, 26))
    place_hold(app, held, datetime.now(UTC))

    for book in (sold_out, held):
        shown = the_one(graph_of(client.get(f"/books/{book.id}")), "Book")

        assert "review" not in shown
        assert shown["offers"]["availability"] == SCHEMA_ORG + "BackOrder"
    assert shown["datePublished"] == "2019-02-26"


def test_a_book_gives_its_number_of_pages_only_when_it_is_known(client, make_book):
    counted = make_book("Kindred", page_count=320)
    unknown = make_book("Parable of the Sower")

    assert the_one(graph_of(client.get(f"/books/{counted.id}")), "Book")["numberOfPages"] == 320
    assert "numberOfPages" not in the_one(graph_of(client.get(f"/books/{unknown.id}")), "Book")


def test_a_hidden_book_out_of_stock_cannot_be_ordered(client, make_book, login_as, app):
    book = make_book("Withdrawn Title", stock=0)
    hide(app, book)
    login_as("collective")

    shown = the_one(graph_of(client.get(f"/books/{book.id}")), "Book")

    # Only the collective sees its page, which offers no order.
    assert shown["offers"]["availability"] == SCHEMA_ORG + "OutOfStock"


@pytest.mark.parametrize("path", ["/books", "/shelves/anarchism"])
def test_lists_of_books_give_them_in_order_and_count_on_across_pages(client, app, make_book, path):
    add_shelves(app, "Anarchism")
    for n in range(7):
        shelve(app, make_book(f"Book {n}"), "Anarchism")

    first = the_one(graph_of(client.get(f"{path}?sort=title")), "ItemList")
    second = the_one(graph_of(client.get(f"{path}?sort=title&page=2")), "ItemList")

    # BOOKS_PER_PAGE is 5 in the tests.
    assert [item["name"] for item in first["itemListElement"]] == [f"Book {n}" for n in range(5)]
    assert [item["position"] for item in second["itemListElement"]] == [6, 7]
    assert second["itemListElement"][0]["url"].startswith("https://books.example.org/books/")


def test_an_empty_shelf_is_no_list(client, app):
    add_shelves(app, "Kids")

    graph = graph_of(client.get("/shelves/kids"))

    assert "ItemList" not in graph


def test_a_hostile_title_stays_inside_its_string(client, make_book):
    title = 'Breaking </script><script>alert("out")</script> & <!-- out'
    book = make_book(title, authors=["</SCRIPT >Someone"])

    html = page_text(client.get(f"/books/{book.id}"))

    (block,) = json_ld_blocks(html)
    assert "<" not in block and ">" not in block and "&" not in block
    assert the_one(graph_of(client.get(f"/books/{book.id}")), "Book")["name"] == title
    assert 'alert("out")</script>' not in html.split("</head>")[0]


def test_the_html_escaping_reads_back_as_the_same_data():
    data = {"name": "a </script> & <b> ‘quoted’ \u2028"}

    assert json.loads(str(structured_data.as_script_text(data))) == data


def test_error_pages_say_nothing_about_a_page_that_is_not_there(client):
    html = page_text(client.get("/no-such-page"), status=404)

    assert len(json_ld_blocks(html)) == 1
    assert 'rel="canonical"' not in html


# --- Events -------------------------------------------------------------------------------------


@pytest.fixture
def add_event(app):
    """add_event(title, day, cancel_on=(), move=None, **typed): an event added at 7pm–9pm as
    the desk adds it; for a series, dates cancelled (days) or one moved ((day, new day)); its
    id."""

    def add_event(title, day, cancel_on=(), move=None, **typed) -> int:
        zone = ZoneInfo(app.config["STORE_TIMEZONE"])
        with app.app_context():
            now = TUESDAY_AFTERNOON
            schedule = load_schedule(now.date(), zone)
            event = planning.add_event(
                planning.TypedEvent(title, day, time(19), time(21), **typed), schedule, now
            )
            for cancelled in cancel_on:
                planning.cancel_date(series.date_on(event, cancelled, zone), now)
            if move:
                moved = series.date_on(event, move[0], zone)
                planning.move_date(moved, move[1], time(18), time(20), schedule, now)
            db.session.commit()
            return event.id

    return add_event


def test_an_event_page_gives_the_event_at_the_cafe_with_its_offer(client, add_event):
    event_id = add_event(
        "Reading", date(2026, 12, 3), description="With **the author**.", price=Decimal("5")
    )

    graph = graph_of(client.get(f"/events/{event_id}"))
    event = the_one(graph, "Event")

    assert event == {
        "@type": "Event",
        "name": "Reading",
        "url": f"https://books.example.org/events/{event_id}",
        "startDate": "2026-12-03T19:00:00-05:00",
        "endDate": "2026-12-03T21:00:00-05:00",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": "Firestorm Cafe & Books",
            # The shop's own, as on every page.
            "address": the_one(graph, "BookStore")["address"],
        },
        "organizer": {
            "@type": "Organization",
            "name": "Firestorm Cafe & Books",
            "url": "https://books.example.org/",
        },
        "offers": {
            "@type": "Offer",
            "url": f"https://books.example.org/events/{event_id}",
            "availability": "https://schema.org/InStock",
            "availableAtOrFrom": {"@id": "https://books.example.org/#store"},
            "price": "5.00",
            "priceCurrency": "USD",
        },
        "description": "With the author.",
    }


def test_a_free_cancelled_event_elsewhere_says_so(client, app, add_event):
    event_id = add_event(
        "Film night", date(2026, 12, 10), place="Grail Moviehouse, 45 S French Broad"
    )
    with app.app_context():
        planning.cancel_event(db.session.get(Event, event_id), TUESDAY_AFTERNOON)
        db.session.commit()

    event = the_one(graph_of(client.get(f"/events/{event_id}")), "Event")

    assert event["eventStatus"] == "https://schema.org/EventCancelled"
    assert event["location"] == {
        "@type": "Place",
        "name": "Grail Moviehouse, 45 S French Broad",
        "address": "Grail Moviehouse, 45 S French Broad",
    }
    assert (event["offers"]["price"], event["offers"]["priceCurrency"]) == ("0.00", "USD")


def test_a_series_gives_its_next_dates_each_with_its_status_and_offset(client, add_event):
    event_id = add_event(
        "Book club",
        date(2026, 12, 8),
        repeat="monthly",
        repeat_until=date(2027, 4, 30),
        cancel_on=[date(2027, 1, 12)],
        move=(date(2027, 2, 9), date(2027, 2, 11)),
    )

    events = graph_of(client.get(f"/events/{event_id}"))["Event"]

    assert [(e["startDate"], e["eventStatus"].removeprefix(SCHEMA_ORG)) for e in events] == [
        ("2026-12-08T19:00:00-05:00", "EventScheduled"),
        ("2027-01-12T19:00:00-05:00", "EventCancelled"),
        ("2027-02-11T18:00:00-05:00", "EventRescheduled"),
        ("2027-03-09T19:00:00-05:00", "EventScheduled"),
        # Daylight time from March 14: 7pm stays 7pm, four hours behind UTC.
        ("2027-04-13T19:00:00-04:00", "EventScheduled"),
    ]
    assert events[2]["previousStartDate"] == "2027-02-09T19:00:00-05:00"

"""What machines read of the events: the Atom feed of new events at /events.atom (linked from
/events), and the event pages in /sitemap.xml. The JSON-LD on an event's page:
test_structured_data.py and test_structured_data_rules.py."""

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial

import feedparser
import pytest
from event_helpers import NOW
from event_helpers import add_event as add_one_event
from html_checks import PageElements
from review_helpers import page_text

from firestorm.database import db
from firestorm.events import planning
from firestorm.events.models import Event

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def add_event(app):
    """add_event(title, day, made_at=NOW, **typed): an event at 7pm–9pm as the desk adds it."""
    return partial(add_one_event, app)


@pytest.fixture
def three_events(app, clock, add_event) -> dict[str, int]:
    """A reading added first, a book club series, then a film night, cancelled."""
    clock(NOW)
    reading = add_event(
        "Reading",
        date(2026, 12, 3),
        made_at=datetime(2026, 11, 20, tzinfo=UTC),
        description="With **the author**.",
        price=Decimal("5"),
    )
    club = add_event(
        "Book club",
        date(2026, 12, 8),
        made_at=datetime(2026, 11, 21, tzinfo=UTC),
        repeat="monthly",
        repeat_until=date(2027, 6, 30),
    )
    film = add_event("Film night", date(2026, 12, 10), made_at=datetime(2026, 11, 22, tzinfo=UTC))
    with app.app_context():
        planning.cancel_event(db.session.get(Event, film), datetime(2026, 11, 23, tzinfo=UTC))
        db.session.commit()
    return {"reading": reading, "club": club, "film": film}


@pytest.mark.parametrize("role", [None, "volunteer", "collective"])
def test_the_feed_lists_new_events_newest_first_for_everyone(client, login_as, three_events, role):
    if role:
        login_as(role)

    response = client.get("/events.atom")
    feed = feedparser.parse(response.data)

    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert feed.version == "atom10" and not feed.bozo
    assert feed.feed.title == "New events at Firestorm Cafe & Books"
    assert [entry.title for entry in feed.entries] == [
        "Cancelled: Film night",
        "Book club",
        "Reading",
    ]
    film, club, reading = feed.entries
    assert reading.link == f"https://books.example.org/events/{three_events['reading']}"
    assert reading.summary == "Thursday, Dec 3, 2026, 7pm – 9pm · At the cafe · $5.00"
    assert "<strong>the author</strong>" in reading.content[0].value
    assert "Every second Tuesday of the month until Jun 30, 2027" in club.summary
    assert film.updated == "2026-11-23T00:00:00+00:00"
    assert feed.feed.updated == "2026-11-23T00:00:00+00:00"


@pytest.mark.parametrize("query", ["?page=-1", "?page=" + "9" * 400, "?x=%00%ff"])
def test_the_feed_ignores_what_it_does_not_read(client, three_events, query):
    feed = feedparser.parse(client.get(f"/events.atom{query}").data)

    assert len(feed.entries) == 3


def test_an_empty_feed_was_updated_when_the_site_s_clock_says(client, clock):
    clock(datetime(2030, 3, 5, 15, 30, tzinfo=UTC))

    feed = feedparser.parse(client.get("/events.atom").data)

    assert feed.entries == []
    assert feed.feed.updated == "2030-03-05T15:30:00+00:00"


def test_the_events_page_links_the_feed(client):
    head = PageElements(page_text(client.get("/events")).split("</head>")[0]).elements
    feeds = [
        attrs["href"]
        for tag, attrs in head
        if tag == "link" and attrs.get("rel") == "alternate"
        if attrs.get("type") == "application/atom+xml"
    ]

    assert feeds == ["/events.atom"]
    assert 'href="/events.atom">New events as a feed</a>' in page_text(client.get("/events"))


def test_a_hostile_title_stays_text_in_the_feed(client, clock, add_event):
    clock(NOW)
    add_event("</title><script>alert(1)</script> & more", date(2026, 12, 3))

    feed = feedparser.parse(client.get("/events.atom").data)

    assert not feed.bozo
    assert feed.entries[0].title == "</title><script>alert(1)</script> & more"


def test_the_sitemap_lists_every_event_page_with_when_it_changed(client, three_events):
    root = ET.fromstring(client.get("/sitemap.xml").data)
    listed = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }

    for name, changed in (
        ("reading", "2026-11-20"),
        ("club", "2026-11-21"),
        ("film", "2026-11-23"),
    ):
        address = f"https://books.example.org/events/{three_events[name]}"
        assert listed[address].startswith(changed), name

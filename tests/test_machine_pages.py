"""Pages for machines and shared links: /sitemap.xml (and its index), /robots.txt, /favicon.ico,
the new arrivals feed, canonical addresses, a book's description and its Open Graph tags."""

import io
import urllib.robotparser
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import cover_images
import feedparser
import pytest
from html_checks import PageElements
from PIL import Image
from review_helpers import page_text
from shelf_helpers import add_shelves, hide

from firestorm.catalog.covers import store_cover
from firestorm.catalog.models import Book
from firestorm.database import db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def head_of(response) -> list[tuple[str, dict]]:
    return PageElements(page_text(response).split("</head>")[0]).elements


def meta(response, key: str) -> list[str]:
    """The content of every <meta> whose name or property is `key`."""
    return [
        attrs["content"]
        for tag, attrs in head_of(response)
        if tag == "meta" and key in (attrs.get("name"), attrs.get("property"))
    ]


def canonical_of(response) -> str | None:
    links = [a["href"] for t, a in head_of(response) if t == "link" and a.get("rel") == "canonical"]
    assert len(links) <= 1
    return links[0] if links else None


def addresses_in(response) -> dict[str, str | None]:
    """A sitemap's addresses, each with its lastmod (None when it has none)."""
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{SITEMAP}urlset"
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }


# --- The sitemap ------------------------------------------------------------------------------


def test_the_sitemap_lists_the_pages_that_stay_and_when_they_changed(
    client, app, bookshop, make_book, make_user, publish_review
):
    add_shelves(app, "Anarchism")
    hidden = make_book("Withdrawn")
    publish_review(hidden, make_user(display_name="Only Hidden"))
    hide(app, hidden)
    reviewer_id = (
        page_text(client.get(f"/books/{bookshop['reviewed'].id}"))
        .split('href="/reviewers/')[1]
        .split('"')[0]
    )

    listed = addresses_in(client.get("/sitemap.xml"))

    for page in ("/", "/books", "/shelves", "/reviews", "/events", "/hours", "/about"):
        assert f"https://books.example.org{page}" in listed
    book = f"https://books.example.org/books/{bookshop['reviewed'].id}"
    assert datetime.fromisoformat(listed[book]).tzinfo is not None
    assert "https://books.example.org/shelves/anarchism" in listed
    assert listed[f"https://books.example.org/reviewers/{reviewer_id}"] is not None
    # Hidden books, and reviewers whose only review is of one, are not for search engines.
    assert f"https://books.example.org/books/{hidden.id}" not in listed
    assert not any("Only Hidden" in address for address in listed)
    assert len([a for a in listed if "/reviewers/" in a]) == 1
    assert not any("?" in address for address in listed)


def test_a_long_sitemap_becomes_an_index_of_files_that_list_each_page_once(
    client, app, make_book, monkeypatch
):
    for n in range(7):
        make_book(f"Book {n}")
    monkeypatch.setitem(app.config, "SITEMAP_URLS_PER_FILE", 5)

    index = client.get("/sitemap.xml")

    root = ET.fromstring(index.data)
    assert root.tag == f"{SITEMAP}sitemapindex"
    files = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    # Seven static pages and seven books: fourteen addresses, five to a file.
    assert files == [f"https://books.example.org/sitemaps/{n}.xml" for n in (1, 2, 3)]
    listed = [address for file in files for address in addresses_in(client.get(file))]
    assert len(listed) == len(set(listed)) == 14
    assert client.get("/sitemaps/4.xml").status_code == 404
    assert client.get("/sitemaps/0.xml").status_code == 404


def test_the_sitemap_is_cached_like_the_pages(client):
    first = client.get("/sitemap.xml")

    again = client.get("/sitemap.xml", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert "public" in first.headers["Cache-Control"]


# --- robots.txt -------------------------------------------------------------------------------


def test_robots_keeps_search_engines_out_of_private_pages_and_searches(client):
    response = client.get("/robots.txt")
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(page_text(response).splitlines())

    assert response.status_code == 200 and response.mimetype == "text/plain"
    for path in ("/my/", "/my/reviews/3/edit", "/collective/", "/login", "/books?q=anarchy"):
        assert not robots.can_fetch("Googlebot", f"https://books.example.org{path}"), path
    for path in ("/", "/books", "/books/12", "/shelves/kids", "/reviews", "/hours", "/about"):
        assert robots.can_fetch("Googlebot", f"https://books.example.org{path}"), path
    assert robots.site_maps() == ["https://books.example.org/sitemap.xml"]


# --- The icon ---------------------------------------------------------------------------------


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    icon = Image.open(io.BytesIO(response.data))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    assert "max-age" in response.headers["Cache-Control"]


def test_favicon_ico_is_cached_for_a_signed_in_member_too(client, login_as):
    # Pages are no-store for signed-in people (a shared computer); the shop's icon is no secret.
    login_as("collective")

    assert "no-store" not in client.get("/favicon.ico").headers["Cache-Control"]


# --- The new arrivals feed ----------------------------------------------------------------------


def test_the_new_arrivals_feed_lists_the_newest_books_the_public_sees(client, app, make_book):
    make_book("Older", created_at=datetime(2026, 1, 5, tzinfo=UTC))
    make_book("Newer", authors=["Ana Author"], description="A *bold* start. Then more.")
    hide(app, make_book("Hidden One"))

    response = client.get("/new-arrivals.atom")
    feed = feedparser.parse(response.data)

    assert response.mimetype == "application/atom+xml"
    assert feed.version == "atom10" and not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Newer by Ana Author", "Older by Some Author"]
    assert feed.entries[0].link.startswith("https://books.example.org/books/")
    assert "<em>bold</em>" in feed.entries[0].content[0].value


@pytest.mark.parametrize("path", ["/new-arrivals.atom", "/feed.atom"])
def test_an_empty_feed_was_updated_when_the_site_s_clock_says(client, clock, path):
    # Nothing in it yet: the feed's own date is now, as every page reads the time.
    clock(datetime(2030, 3, 5, 15, 30, tzinfo=UTC))

    feed = feedparser.parse(client.get(path).data)

    assert feed.entries == []
    assert feed.feed.updated == "2030-03-05T15:30:00+00:00"


def test_the_home_page_links_both_feeds(client):
    feeds = {
        attrs["href"]
        for tag, attrs in head_of(client.get("/"))
        if tag == "link" and attrs.get("type") == "application/atom+xml"
    }

    assert feeds == {"/new-arrivals.atom", "/feed.atom"}


# --- Canonical addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/books?q=anarchy&in_stock=1", "https://books.example.org/books"),
        ("/books?sort=newest&utm_source=x", "https://books.example.org/books"),
        ("/books?page=2", "https://books.example.org/books?page=2"),
        ("/reviews?page=1", "https://books.example.org/reviews"),
        ("/hours", "https://books.example.org/hours"),
    ],
)
def test_pages_name_their_canonical_address(client, make_book, path, canonical):
    for n in range(7):
        make_book(f"Book {n}")

    assert canonical_of(client.get(path)) == canonical


def test_a_book_page_with_a_query_string_points_to_the_book(client, bookshop):
    book_id = bookshop["reviewed"].id

    response = client.get(f"/books/{book_id}?from=newsletter")

    assert canonical_of(response) == f"https://books.example.org/books/{book_id}"


# --- Descriptions and shared links ------------------------------------------------------------


def test_a_book_is_described_by_the_first_sentence_of_its_description(client, make_book):
    book = make_book(
        "Braiding Sweetgrass",
        description="Indigenous wisdom, *scientific* knowledge. The teachings of plants.",
    )

    response = client.get(f"/books/{book.id}")

    assert meta(response, "description") == ["Indigenous wisdom, scientific knowledge."]
    assert meta(response, "og:description") == ["Indigenous wisdom, scientific knowledge."]


def test_stars_a_description_shows_as_stars_stay_in_its_summary(client, make_book):
    book = make_book("Stars", description=r"A \*five star\* read. More below.")

    assert meta(client.get(f"/books/{book.id}"), "description") == ["A *five star* read."]


def test_without_a_description_the_newest_review_describes_the_book(
    client, make_book, make_user, publish_review
):
    book = make_book("Kindred")
    publish_review(book, make_user(), "Older view.", published_at=datetime(2026, 1, 1, tzinfo=UTC))
    publish_review(book, make_user(), "A time-travel classic! Read it twice.")

    assert meta(client.get(f"/books/{book.id}"), "description") == ["A time-travel classic!"]


def test_a_long_first_sentence_is_cut_at_a_word(client, make_book):
    book = make_book("Long", description="word " * 80 + "end.")

    (description,) = meta(client.get(f"/books/{book.id}"), "description")

    assert len(description) <= 160 and description.endswith("word…")


def test_a_shared_book_link_shows_its_title_and_cover(client, in_app, covers_dir, make_book):
    book = make_book("Dispersing Power", authors=["Raúl Zibechi"], isbn13="9781849350112")
    with in_app():
        stored = db.session.get(Book, book.id)
        store_cover(stored, cover_images.png((400, 600)), covers_dir)
        db.session.commit()
        key = stored.cover_key

    response = client.get(f"/books/{book.id}")

    assert meta(response, "og:type") == ["book"]
    assert meta(response, "og:title") == ["Dispersing Power by Raúl Zibechi"]
    assert meta(response, "og:url") == [f"https://books.example.org/books/{book.id}"]
    # As JPEG: many social sites read no WebP (tests/test_share_pages.py).
    assert meta(response, "og:image") == [f"https://books.example.org/covers/{key}.jpg"]
    assert meta(response, "twitter:image") == meta(response, "og:image")
    assert meta(response, "twitter:card") == ["summary_large_image"]
    assert meta(response, "book:isbn") == ["9781849350112"]


def test_other_pages_are_shared_with_their_title(client):
    response = client.get("/hours")

    assert meta(response, "og:title") == ["Opening hours"]
    assert meta(response, "og:site_name") == ["Firestorm Cafe & Books"]
    assert meta(response, "og:image") == []

"""The demo as a newcomer finds it after `make run`: links in its reviews that lead somewhere
real, unread notices for the authors of its newest reviews, customers' holds on the desk, and
a closure and changed hours on /hours, and its catalog among the past imports."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from html_checks import PageElements
from review_helpers import page_text, sign_in_client
from sqlalchemy import select

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.people.models import User
from firestorm.reviews.models import Review
from firestorm.reviews.rendering import render_markdown


def test_every_link_in_the_demo_reviews_leads_to_a_page_of_the_site(runner, app, client):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        texts = db.session.scalars(
            select(Review.published_body).where(Review.published_body.is_not(None))
        )
        links = {
            attributes["href"]
            for text in texts
            for tag, attributes in PageElements(render_markdown(text)).elements
            if tag == "a"
        }

    assert links, "a demo review has a link, so readers see how one looks"
    for link in links:
        assert not urlsplit(link).netloc, f"{link} leaves the site"
        assert client.get(link).status_code == 200, link


def sign_in_as_demo(app, client, email: str) -> None:
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(person)
    sign_in_client(client, person)


def test_a_demo_author_finds_the_notice_of_a_recent_review_unread(runner, app, client):
    runner.invoke(args=["seed-demo"])
    sign_in_as_demo(app, client, "robin@example.org")

    page = page_text(client.get("/my/"))

    assert "News about your reviews" in page
    assert "What You Are Getting Wrong About Appalachia" in page[: page.index("Drafts")]


def test_a_demo_member_finds_customers_holds_waiting_on_the_desk(runner, app, client):
    runner.invoke(args=["seed-demo"])
    sign_in_as_demo(app, client, "sam@example.org")

    page = page_text(client.get("/collective/holds"))

    # Two new requests (a hold and an order) and one hold ready for pickup.
    for words in ("Dee Harper", "Lou Brennan", "Ray Castillo", "Parable of the Sower"):
        assert words in page
    badge = page_text(client.get("/my/")).split('id="holds-count"')[1].split("</span></span>")[0]
    assert '<span class="count-badge">2</span>' in badge


def test_the_demo_hours_show_a_coming_closure_and_changed_hours(runner, client):
    runner.invoke(args=["seed-demo"])

    page = page_text(client.get("/hours"))

    assert "An evening reading" in page and "The collective&#39;s retreat" in page


def test_the_demo_is_made_around_the_site_s_clock(runner, client, clock):
    # The command reads the same clock as the pages: its closures are still to come on /hours
    # whatever day the clock says it is.
    clock(datetime(2030, 3, 5, 15, 0, tzinfo=UTC))
    runner.invoke(args=["seed-demo"])

    page = page_text(client.get("/hours"))

    assert "An evening reading" in page and "The collective&#39;s retreat" in page


def test_the_demo_catalog_shows_among_past_imports_as_from_the_command_line(runner, app, client):
    runner.invoke(args=["seed-demo"])
    sign_in_as_demo(app, client, "sam@example.org")

    page = page_text(client.get("/collective/books/imports"))

    row = page.split("demo_books.csv</a>")[1].split("</tr>")[0]
    assert "the command line" in row and '<td data-label="Added">52</td>' in row


def test_the_demo_books_have_prices_formats_and_some_page_counts(runner, app, client):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        book_id = db.session.scalar(select(Book.id).where(Book.title == "Dispersing Power"))

    page = page_text(client.get("/books?q=dispersing"))

    assert "$18.95, paperback" in page
    assert "$18.95, paperback, 160 pages" in page_text(client.get(f"/books/{book_id}"))

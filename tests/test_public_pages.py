"""The public pages as a visitor sees them: home, catalog, book pages, hours, the status banner."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from review_helpers import HTMX, page_text

from firestorm.database import db
from firestorm.shop.models import OpeningHours, SpecialHoursEntry

NEW_YORK = ZoneInfo("America/New_York")


# --- Home ---------------------------------------------------------------------------------


def test_home_shows_new_arrivals_recent_reviews_and_this_weeks_hours(
    client, make_book, make_user, publish_review
):
    make_book("Old Stock", created_at=datetime(2020, 1, 1, tzinfo=UTC))
    reviewed = make_book("Parable of the Sower", authors=["Octavia E. Butler"])
    publish_review(reviewed, make_user(display_name="Robin"))

    response = client.get("/")

    text = page_text(response)
    assert response.status_code == 200
    assert "New arrivals" in text and "Old Stock" in text
    assert "Recently reviewed" in text and "Parable of the Sower" in text
    assert "Opening hours for the next seven days" in text


def test_home_says_so_when_the_catalog_is_empty(client):
    text = page_text(client.get("/"))

    assert "The shelves are being stocked" in text
    assert "No reviews yet" in text


# --- The store header and status banner on every page --------------------------------------


@pytest.mark.parametrize("path", ["/", "/books", "/hours", "/no-such-page"])
def test_every_page_carries_the_store_header(client, path):
    text = page_text(client.get(path))

    assert "Firestorm Cafe &amp; Books" in text
    assert "610 Haywood Rd, Asheville NC" in text
    assert "view map" in text
    assert "Tue thru Sun 8am – 9pm · Closed Monday" in text


def test_on_a_monday_a_closed_today_banner_says_when_it_opens(client, clock):
    clock(datetime(2026, 11, 23, 12, 0, tzinfo=NEW_YORK))

    text = page_text(client.get("/"))

    assert 'class="status-banner status-closed"' in text
    assert "Closed today — opens Tuesday at 8am" in text


def test_during_opening_hours_a_quiet_line_says_until_when(client, clock):
    clock(datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK))

    text = page_text(client.get("/books"))

    assert "Open now until 9pm" in text
    assert "status-banner" not in text


def test_the_banner_uses_the_store_time_zone_not_the_servers(client, clock):
    # 01:30 UTC on a Wednesday is still 8:30pm on Tuesday in Asheville.
    clock(datetime(2026, 11, 25, 1, 30, tzinfo=UTC))

    assert "Open now until 9pm" in page_text(client.get("/"))


def test_a_special_closure_closes_an_ordinary_day_with_its_reason(client, clock, in_app):
    with in_app():
        db.session.add(
            SpecialHoursEntry(
                first_day=date(2026, 11, 26), last_day=date(2026, 11, 26), reason="Thanksgiving"
            )
        )
        db.session.commit()
    clock(datetime(2026, 11, 26, 10, 0, tzinfo=NEW_YORK))

    text = page_text(client.get("/"))

    assert "Closed today (Thanksgiving) — opens Friday at 8am" in text


def test_hours_set_by_the_collective_replace_the_default_week(client, clock, in_app):
    with in_app():
        for weekday in range(7):
            opens, closes = (time(10), time(18)) if weekday != 2 else (None, None)
            db.session.add(OpeningHours(weekday=weekday, opens=opens, closes=closes))
        db.session.commit()
    clock(datetime(2026, 11, 23, 11, 0, tzinfo=NEW_YORK))

    text = page_text(client.get("/hours"))

    assert "Open now until 6pm" in text
    assert "Mon, Tue 10am – 6pm · Thu thru Sun 10am – 6pm · Closed Wednesday" in text


# --- Hours page ---------------------------------------------------------------------------


def test_hours_page_lists_the_week_and_upcoming_closures_only(client, clock, in_app):
    with in_app():
        db.session.add_all(
            [
                SpecialHoursEntry(
                    first_day=date(2026, 11, 1), last_day=date(2026, 11, 2), reason="Past"
                ),
                SpecialHoursEntry(
                    first_day=date(2026, 12, 24), last_day=date(2026, 12, 26), reason="Winter break"
                ),
            ]
        )
        db.session.commit()
    clock(datetime(2026, 11, 24, 9, 0, tzinfo=NEW_YORK))

    text = page_text(client.get("/hours"))

    assert "Tuesday (today), Nov 24, 2026" in text
    assert "Monday, Nov 30, 2026" in text
    assert "Dec 24, 2026 to Dec 26, 2026 — Closed: Winter break" in text
    assert "Past" not in text


def test_hours_page_says_when_no_closures_are_coming(client):
    assert "No closures or changed hours coming up." in page_text(client.get("/hours"))


# --- Book page ----------------------------------------------------------------------------


def test_book_page_shows_every_field_of_the_seed_page(client, make_book):
    book = make_book(
        "Dispersing Power",
        authors=["Raúl Zibechi"],
        subtitle="Social Movements as Anti-State Forces",
        publisher="AK Press",
        release_date=date(2010, 7, 1),
        isbn13="9781849350112",
        stock=2,
        description="Neighborhood councils in El Alto.",
    )

    response = client.get(f"/books/{book.id}")

    text = page_text(response)
    assert response.status_code == 200
    assert "<title>Dispersing Power by Raúl Zibechi · Firestorm Cafe &amp; Books</title>" in text
    assert "Social Movements as Anti-State Forces" in text
    assert "by Raúl Zibechi" in text
    assert "AK Press" in text
    assert "Jul 1, 2010" in text
    assert "978-1-84935-011-2" in text
    assert "2 copies in stock" in text
    assert "Neighborhood councils in El Alto." in text


@pytest.mark.parametrize(
    ("stock", "words"),
    [(0, "Out of stock — ask us to order it"), (1, "1 copy in stock"), (5, "5 copies in stock")],
)
def test_book_page_says_the_stock_in_words(client, make_book, stock, words):
    book = make_book(stock=stock)

    assert words in page_text(client.get(f"/books/{book.id}"))


def test_book_page_shows_published_reviews_with_reviewer_and_date(
    client, make_book, make_user, publish_review
):
    book = make_book("The Dispossessed")
    reviewer = make_user(display_name="Jess Whitfield", email="jess@example.org")
    publish_review(
        book,
        reviewer,
        body="An *ambiguous* utopia.",
        published_at=datetime(2026, 6, 9, 15, 0, tzinfo=UTC),
    )

    text = page_text(client.get(f"/books/{book.id}"))

    byline = f'<a class="reviewer" href="/reviewers/{reviewer.id}">Jess Whitfield</a>'
    assert f"reviewed by {byline}" in text
    assert "Jun 9, 2026" in text
    assert "An <em>ambiguous</em> utopia." in text
    assert "jess@example.org" not in text


def test_book_page_keeps_drafts_and_unpublished_revisions_private(
    client, make_book, make_user, review_of
):
    book = make_book()
    review_of(make_user(), body="Secret draft text", book=book)

    text = page_text(client.get(f"/books/{book.id}"))

    assert "Secret draft text" not in text
    assert "No reviews of this book yet." in text


def test_a_review_cannot_smuggle_script_into_the_book_page(
    client, make_book, make_user, publish_review
):
    book = make_book()
    publish_review(
        book,
        make_user(),
        body="<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )

    text = page_text(client.get(f"/books/{book.id}"))

    assert "<script>alert" not in text
    assert 'href="javascript' not in text
    assert "<img" not in text


@pytest.mark.parametrize(
    "path",
    ["/books/999999", "/books/0", "/books/99999999999999999999", "/books/abc", "/nothing-here"],
)
def test_unknown_pages_get_a_404_in_the_site_layout(client, path):
    response = client.get(path)

    text = page_text(response)
    assert response.status_code == 404
    assert "We couldn&#39;t find that page" in text
    assert "store-header" in text


def test_a_server_error_shows_a_plain_page_without_details(client, app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr("firestorm.search.queries.search_books", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    response = client.get("/books")

    text = page_text(response)
    assert response.status_code == 500
    assert "Something went wrong on our side" in text
    assert "SELECT" not in text and "Traceback" not in text and "RuntimeError" not in text


def test_health_check_answers_while_the_database_does(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


# --- Security headers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/", {}),
        ("/books?q=x", {"HX-Request": "true", "HX-Request-Type": "partial"}),
        ("/no-such-page", {}),
        ("/static/css/site.css", {}),
    ],
)
def test_every_response_carries_the_security_headers(client, path, headers):
    response = client.get(path, headers=headers)

    csp = response.headers["Content-Security-Policy"]
    assert "unsafe" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_scripts_or_styles(client, make_book):
    book = make_book()
    for path in ["/", "/books", f"/books/{book.id}", "/hours"]:
        text = page_text(client.get(path))
        assert "<script>" not in text and "<style" not in text and " style=" not in text
        assert "hx-on" not in text and "js:" not in text


def test_static_files_are_cache_busted_and_cached_for_a_year(client):
    text = page_text(client.get("/"))
    stylesheet = text.split('rel="stylesheet" href="')[1].split('"')[0]

    response = client.get(stylesheet)

    assert "?v=" in stylesheet
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_htmx_is_vendored_and_configured_without_inline_code(client):
    text = page_text(client.get("/"))

    assert "/static/vendor/htmx/htmx.min.js?v=" in text
    # Nothing loaded from elsewhere (the head's JSON-LD and links name other sites' addresses).
    assert 'src="https://' not in text.split("<body")[0]
    assert '"includeIndicatorCSS": false' in text
    # Signed out, nothing on the home page posts: no CSRF token for htmx (test_public_caching.py).
    assert "X-CSRFToken" not in text


def test_the_store_banner_keeps_working_across_daylight_saving(client, clock):
    # The morning after clocks go back: 8am is now UTC-5.
    clock(datetime(2026, 11, 1, 12, 59, tzinfo=UTC))
    assert "Opens today at 8am" in page_text(client.get("/"))

    clock(datetime(2026, 11, 1, 12, 59, tzinfo=UTC) + timedelta(minutes=1))
    assert "Open now until 9pm" in page_text(client.get("/"))


def test_newsletter_and_social_links_come_from_config(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "NEWSLETTER_URL", "https://example.org/news")
    monkeypatch.setitem(
        app.config, "SOCIAL_LINKS", [["Mastodon", "https://example.social/@fs"], ["Yelp", ""]]
    )

    text = page_text(client.get("/"))

    assert '<a href="https://example.org/news">Newsletter</a>' in text
    assert '<a href="https://example.social/@fs">Mastodon</a>' in text
    assert "Yelp" not in text


def test_without_configured_links_the_header_shows_none(client):
    assert "Newsletter" not in page_text(client.get("/"))


def test_signed_in_volunteers_see_their_own_pages_in_the_navigation(client, login_as):
    login_as("volunteer")

    text = page_text(client.get("/books"))

    assert 'href="/my/">My reviews</a>' in text
    assert 'href="/account">Your account</a>' in text
    assert "/collective/people" not in text
    assert "Volunteers: sign in" not in text


def test_collective_members_also_see_people(client, login_as):
    login_as("collective")

    assert 'href="/collective/people">People</a>' in page_text(client.get("/"))


def test_visitors_see_a_quiet_way_in_for_volunteers(client):
    text = page_text(client.get("/"))

    assert 'href="/login">Volunteers: sign in</a>' in text
    assert "My reviews" not in text


def test_htmx_errors_go_to_the_pages_message_box_not_the_target(client):
    response = client.get(
        "/books/999999", headers={"HX-Request": "true", "HX-Request-Type": "partial"}
    )

    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#request-error"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert '<div id="request-error" class="request-error" role="alert"' in page_text(response)
    assert "store-header" not in page_text(response)


def test_going_back_to_the_catalog_gets_the_whole_page_not_a_fragment(client):
    headers = {
        "HX-Request": "true",
        "HX-Request-Type": "full",
        "HX-History-Restore-Request": "true",
    }

    text = page_text(client.get("/books?q=x", headers=headers))

    assert "<html" in text and "store-header" in text


def test_signed_in_pages_are_never_kept_by_the_browser(client, login_as):
    assert "no-store" not in client.get("/books").headers.get("Cache-Control", "")

    login_as("volunteer")

    assert client.get("/books").headers["Cache-Control"] == "no-store"
    assert client.get("/my/").headers["Cache-Control"] == "no-store"


def test_error_answers_vary_with_the_request_type_too(client):
    plain = client.get("/books/999999")
    partial = client.get("/books/999999", headers=HTMX)

    assert plain.status_code == partial.status_code == 404
    assert "HX-Request-Type" in plain.vary and "HX-Request-Type" in partial.vary
    assert "store-header" in page_text(plain) and "store-header" not in page_text(partial)


def test_a_request_htmx_swaps_into_the_body_gets_the_whole_page(client):
    response = client.get("/books?q=x", headers={"HX-Request": "true", "HX-Request-Type": "full"})

    assert "<!doctype html>" in page_text(response)
    assert "HX-Request-Type" in response.vary

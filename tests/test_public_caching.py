"""The public pages for people who are not signed in: no cookie, an ETag from what the page
shows, 304 when nothing changed, a short shared cache that never outlives the banner, and
nothing of the kind for signed-in people."""

import re
import runpy
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import render_template_string
from public_pages import NEW_YORK, TUESDAY_AFTERNOON, public_paths
from review_helpers import HTMX, page_text, sign_in_client, token_of

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.shop.models import SpecialHoursEntry


@pytest.fixture
def shop(public_shop):
    return public_shop


def etag_of(client, path, **headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    assert "ETag" in response.headers, path
    return response.headers["ETag"]


def reads_beyond_the_token(queries) -> list[str]:
    """The statements sent besides the one read of the last change's token (and SQLite's
    BEGIN), which every request makes first (web/last_change.py)."""
    token_reads = [query for query in queries if "FROM last_change" in query]
    assert len(token_reads) == 1, queries
    return [query for query in queries if query not in token_reads and query != "BEGIN"]


def asked_again(client, path, etag, **headers):
    """The visitor's browser asks whether its copy is still right."""
    return client.get(path, headers={"If-None-Match": etag, **headers})


@pytest.fixture
def member(app, make_user):
    """A collective member's own browser, signed in."""
    return sign_in_client(app.test_client(), make_user(role="collective", display_name="Sam"))


# --- No cookie -----------------------------------------------------------------------------


def test_no_public_page_sets_a_cookie_for_a_visitor(app, client, shop):
    for path in public_paths(shop):
        response = client.get(path)

        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        assert "X-CSRFToken" not in page_text(response), path


def test_the_sign_in_page_still_gives_its_form_a_token_that_works(client, make_user):
    make_user(email="robin@example.org")

    page = client.get("/login")

    assert "Set-Cookie" in page.headers
    assert 'name="csrf_token" value="' in page_text(page)
    signing_in = client.post(
        "/login",
        data={
            "csrf_token": token_of(client),
            "email": "robin@example.org",
            "password": "correct horse",
        },
    )
    assert signing_in.status_code == 302
    assert client.get("/account").status_code == 200


def test_signed_in_pages_keep_the_token_for_htmx_on_the_body(member):
    text = page_text(member.get("/books"))

    assert text.count('hx-headers:inherited=\'{"X-CSRFToken": "') == 1


def test_a_public_page_whose_htmx_requests_post_can_ask_for_the_token(app):
    page = '{% extends "base.html" %}{% set needs_csrf = true %}{% block title %}A{% endblock %}'

    with app.test_request_context("/"):
        text = render_template_string(page)

    assert 'hx-headers:inherited=\'{"X-CSRFToken": "' in text


def test_a_visitor_holds_a_copy_with_the_forms_own_token(app, client, shop):
    path = f"/books/{shop['book'].id}"
    etag = etag_of(client, path)

    form = client.get(f"{path}/hold")
    hidden = {
        name: re.search(rf'name="{name}"[^>]* value="([^"]*)"', page_text(form)).group(1)
        for name in ("csrf_token", "kind", "request_key")
    }
    typed = {"name": "Robin Customer", "phone": "828-555-0143", "quantity": "1"}
    placed = client.post(f"{path}/hold", data={**hidden, **typed}, follow_redirects=True)

    assert "Set-Cookie" in form.headers and "ETag" not in form.headers
    # The hold's own page, after the form's redirect: never kept, never revalidated.
    assert placed.status_code == 200 and "ETag" not in placed.headers
    assert "Your reference" in page_text(placed)
    # Everyone's copy of the book page is out of date: it says how many are on hold.
    assert asked_again(app.test_client(), path, etag).status_code == 200


# --- 304 Not Modified --------------------------------------------------------------------------


def test_every_public_page_answers_its_own_etag_with_304_and_no_body(app, client, shop):
    for path in public_paths(shop):
        etag = etag_of(client, path)

        response = asked_again(client, path, etag)

        assert response.status_code == 304, path
        assert response.get_data() == b"", path
        assert response.headers["ETag"] == etag, path
        assert "Set-Cookie" not in response.headers, path


def test_browsers_ask_every_time_and_a_shared_cache_may_keep_pages_briefly(client, shop):
    for response in (
        client.get("/books"),
        asked_again(client, "/books", etag_of(client, "/books")),
    ):
        cache_control = response.cache_control
        # A browser's copy is stale at once and must be checked (the ETag makes that a 304).
        assert cache_control.public and cache_control.must_revalidate
        assert cache_control.max_age == 0 and not cache_control.no_store
        assert cache_control.s_maxage == 10
        # Signed-in people are shown other pages at the same address, htmx other fragments.
        assert {"Cookie", "HX-Request-Type"} <= set(response.vary)


def test_the_htmx_fragment_and_the_page_have_their_own_etags(client, shop):
    page = etag_of(client, "/books?q=dispersing")
    fragment = etag_of(client, "/books?q=dispersing", **HTMX)

    assert page != fragment
    assert asked_again(client, "/books?q=dispersing", fragment).status_code == 200
    assert asked_again(client, "/books?q=dispersing", fragment, **HTMX).status_code == 304


def test_each_address_has_its_own_etag(client, shop):
    assert etag_of(client, "/books?q=dispersing") != etag_of(client, "/books?q=emergent")
    assert etag_of(client, "/books") != etag_of(client, "/books?page=2")


def test_a_304_reads_only_the_last_change_s_token(client, shop, count_queries):
    etag = etag_of(client, "/")
    client.get("/")  # the process has kept the schedule since

    with count_queries() as queries:
        response = asked_again(client, "/", etag)

    assert response.status_code == 304
    assert reads_beyond_the_token(queries) == []


def test_another_worker_gives_the_same_etags_and_sees_the_same_changes(
    app, client, other_app, shop
):
    other_worker = other_app().test_client()
    etag = etag_of(client, "/books")

    assert etag_of(other_worker, "/books") == etag
    with app.app_context():
        db.session.get(Book, shop["book"].id).title = "Dispersing Power (2nd edition)"
        db.session.commit()
    assert asked_again(other_worker, "/books", etag).status_code == 200


def test_a_change_through_one_server_is_seen_by_the_pages_another_kept(
    client, other_app, shop, member
):
    """Two servers on one database, each with its own kept pages: the token is shared."""
    other_server = other_app().test_client()
    path = f"/books/{shop['book'].id}"
    kept_etag = etag_of(other_server, path)
    assert etag_of(other_server, path) == kept_etag  # sent again from its kept pages

    member.post(
        f"/collective/books/{shop['book'].id}/stock",
        data={"csrf_token": token_of(member), "step": "-1"},
    )

    assert asked_again(other_server, path, kept_etag).status_code == 200
    page = other_server.get(path)
    assert "1 copy in stock" in page_text(page)
    assert page.headers["ETag"] != kept_etag


def test_a_request_rolled_back_leaves_the_token_as_it_was(client, other_app, shop):
    etag = etag_of(client, "/books")
    failing_app = other_app()

    @failing_app.get("/test-write-then-fail")
    def write_then_fail():
        db.session.get(Book, shop["book"].id).title = "Never Saved"
        db.session.flush()
        raise RuntimeError("the request fails after writing")

    with pytest.raises(RuntimeError):
        failing_app.test_client().get("/test-write-then-fail")

    assert asked_again(client, "/books", etag).status_code == 304
    assert "Never Saved" not in page_text(client.get("/books"))


# --- What makes a new ETag ------------------------------------------------------------------


def test_a_stock_change_made_at_the_desk_gives_the_book_page_a_new_etag(client, shop, member):
    path = f"/books/{shop['book'].id}"
    etag = etag_of(client, path)

    member.post(
        f"/collective/books/{shop['book'].id}/stock",
        data={"csrf_token": token_of(member), "step": "-1"},
    )

    response = asked_again(client, path, etag)
    assert response.status_code == 200
    assert "1 copy in stock" in page_text(response)
    assert response.headers["ETag"] != etag


def test_a_refused_post_changes_nothing_and_keeps_the_etag(client, make_book, member, clock):
    clock(TUESDAY_AFTERNOON)
    sold_out = make_book("Emergent Strategy", stock=0)
    etag = etag_of(client, f"/books/{sold_out.id}")

    refused = member.post(
        f"/collective/books/{sold_out.id}/stock",
        data={"csrf_token": token_of(member), "step": "-1"},
    )

    assert refused.status_code == 422
    assert asked_again(client, f"/books/{sold_out.id}", etag).status_code == 304


def edit_title(app, shop):
    with app.app_context():
        db.session.get(Book, shop["book"].id).title = "Dispersing Power, Revised"
        db.session.commit()


def publish_another_review(app, shop, make_user, publish_review):
    publish_review(shop["book"], make_user(display_name="Mara"), body="Read it twice.")


def close_for_a_day(app, shop):
    with app.app_context():
        db.session.add(SpecialHoursEntry(first_day=date(2026, 12, 24), last_day=date(2026, 12, 24)))
        db.session.commit()


@pytest.mark.parametrize(
    ("change", "path", "now_shown"),
    [
        (edit_title, "/books?q=dispersing", "Dispersing Power, Revised"),
        (publish_another_review, "/reviews", "Read it twice."),
        (close_for_a_day, "/hours", "Dec 24, 2026"),
    ],
)
def test_a_change_to_what_a_page_shows_gives_it_a_new_etag(
    app, client, shop, make_user, publish_review, change, path, now_shown
):
    etag = etag_of(client, path)

    if change is publish_another_review:
        change(app, shop, make_user, publish_review)
    else:
        change(app, shop)

    response = asked_again(client, path, etag)
    assert response.status_code == 200
    assert now_shown in page_text(response)


# --- The banner, never stale ----------------------------------------------------------------


@pytest.fixture
def shared_cache_for_a_minute(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_CACHE_SECONDS", 60)


@pytest.mark.usefixtures("shared_cache_for_a_minute")
def test_the_banner_changes_at_opening_time_and_so_does_the_etag(client, clock):
    clock(datetime(2026, 11, 24, 7, 59, 30, tzinfo=NEW_YORK))
    before = client.get("/")
    assert "Opens today at 8am" in page_text(before)
    # A shared cache may keep it for the thirty seconds left, not a minute.
    assert before.cache_control.s_maxage == 30

    clock(datetime(2026, 11, 24, 8, 0, tzinfo=NEW_YORK))
    after = asked_again(client, "/", before.headers["ETag"])

    assert after.status_code == 200
    assert "Open now until 9pm" in page_text(after)
    assert asked_again(client, "/", after.headers["ETag"]).status_code == 304


@pytest.mark.usefixtures("shared_cache_for_a_minute")
def test_no_cache_keeps_a_page_past_closing_time(client, clock):
    clock(datetime(2026, 11, 24, 20, 59, 50, tzinfo=NEW_YORK))
    assert client.get("/hours").cache_control.s_maxage == 10

    clock(datetime(2026, 11, 24, 21, 0, tzinfo=UTC).astimezone(NEW_YORK) + timedelta(hours=5))
    assert "Closed for the night" in page_text(client.get("/hours"))


@pytest.mark.usefixtures("shared_cache_for_a_minute")
def test_at_midnight_the_pages_move_on_to_the_new_day(client, clock):
    clock(datetime(2026, 11, 23, 23, 59, 0, tzinfo=NEW_YORK))
    monday_night = client.get("/hours")
    assert monday_night.cache_control.s_maxage == 60
    clock(datetime(2026, 11, 23, 23, 59, 30, tzinfo=NEW_YORK))
    assert client.get("/hours").cache_control.s_maxage == 30

    clock(datetime(2026, 11, 24, 0, 0, 0, tzinfo=NEW_YORK))
    tuesday = asked_again(client, "/hours", monday_night.headers["ETag"])

    assert tuesday.status_code == 200
    assert "Tuesday (today)" in page_text(tuesday)


# --- Not for signed-in people, nor pages that say something to one visitor -----------------


def test_signed_in_pages_are_never_kept_and_never_304(client, member, shop):
    for path in ["/", "/books", f"/books/{shop['book'].id}", "/hours"]:
        visitors_etag = etag_of(client, path)

        response = asked_again(member, path, visitors_etag)

        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        assert "ETag" not in response.headers, path


def test_a_flash_message_is_shown_not_answered_with_304(client, make_user, clock):
    clock(TUESDAY_AFTERNOON)
    etag = etag_of(client, "/")
    sign_in_client(client, make_user())

    client.post("/logout", data={"csrf_token": token_of(client)})
    response = asked_again(client, "/", etag)

    assert response.status_code == 200
    assert "You are signed out" in page_text(response)
    assert "ETag" not in response.headers


def test_a_visitor_who_opened_the_sign_in_page_still_gets_cached_pages(client, clock):
    clock(TUESDAY_AFTERNOON)
    client.get("/login")

    response = client.get("/")

    assert "Set-Cookie" not in response.headers
    assert asked_again(client, "/", response.headers["ETag"]).status_code == 304


def test_a_remembered_visitor_is_not_answered_for_the_public(client, clock):
    clock(TUESDAY_AFTERNOON)
    etag = etag_of(client, "/")
    client.set_cookie("remember_token", "12:1|signature")

    assert asked_again(client, "/", etag).status_code == 200


def test_starting_the_site_changes_every_etag_once(app, client, clock, monkeypatch):
    clock(TUESDAY_AFTERNOON)
    etag = etag_of(client, "/")
    gunicorn_settings = runpy.run_path(str(Path(app.root_path).parent / "gunicorn.conf.py"))
    monkeypatch.setenv("FIRESTORM_DATABASE_URL", app.config["DATABASE_URL"])

    gunicorn_settings["on_starting"](server=None)

    assert asked_again(client, "/", etag).status_code == 200


def test_a_page_drawn_in_debug_mode_is_never_kept(app, client, monkeypatch):
    monkeypatch.setattr(app, "debug", True)

    assert "ETag" not in client.get("/hours").headers


# --- Pages kept as drawn -----------------------------------------------------------------------


def test_a_page_asked_for_again_is_sent_as_drawn_reading_only_the_token(
    client, shop, count_queries
):
    first = client.get("/books")

    with count_queries() as queries:
        again = client.get("/books")

    assert reads_beyond_the_token(queries) == []
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    # The steps after the view still run for a kept page: its headers are all there.
    assert "Content-Security-Policy" in again.headers and "Set-Cookie" not in again.headers


def test_a_kept_page_is_drawn_again_once_what_it_shows_changes(client, shop, member):
    path = f"/books/{shop['book'].id}"
    assert "2 copies in stock" in page_text(client.get(path))

    member.post(
        f"/collective/books/{shop['book'].id}/stock",
        data={"csrf_token": token_of(member), "step": "-1"},
    )

    assert "1 copy in stock" in page_text(client.get(path))


def test_a_signed_in_member_is_never_sent_a_page_kept_for_the_public(client, shop, member):
    client.get("/books")

    page = page_text(member.get("/books"))

    assert "Sign out" in page
    assert "Sign out" not in page_text(client.get("/books"))


def test_no_page_is_kept_when_the_setting_is_0(app, client, shop, count_queries, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENTRIES", 0)
    client.get("/books")

    with count_queries() as queries:
        client.get("/books")

    assert queries


def test_the_least_recently_sent_page_makes_room_for_a_new_one(
    app, client, shop, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENTRIES", 2)
    for path in ("/books", "/reviews", "/books", "/hours"):  # /reviews is the one dropped
        client.get(path)

    with count_queries() as kept:
        client.get("/books")
    with count_queries() as dropped:
        client.get("/reviews")

    assert reads_beyond_the_token(kept) == [] and reads_beyond_the_token(dropped)

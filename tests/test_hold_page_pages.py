"""The hold's own page, /holds/<token>, and cancelling from it, as no one, a volunteer and a
member: the form's redirect to it, each state in words, the hours and how to reach the shop,
"Cancel this hold" (asked, then posted), wrong links, and the page kept out of every cache,
search engine and Referer; the confirmation email carrying the link, and only its hash kept."""

import hashlib
import re
from datetime import date, timedelta

import pytest
from hold_helpers import (
    HOLD_DAYS,
    hidden_fields,
    hold_now,
    hold_page_path,
    hold_taken_to,
    holds_of,
    link_of,
    place_hold,
    reference_in,
    send_form,
)
from html_checks import TUESDAY_AFTERNOON, check_html, describe_html_errors, save_responses
from public_pages import SITE_URL
from review_helpers import page_text
from sqlalchemy import select

from firestorm.database import db
from firestorm.holds import desk, purge
from firestorm.holds.models import HoldKind, HoldState
from firestorm.outbox.models import LINK_PLACEHOLDER, OutgoingMessage
from firestorm.shop import editing

LINK_SHAPE = re.compile(r"/holds/[A-Za-z0-9_-]{43}")
UNKNOWN = "We don't know this link"
CANCELLED_BY_YOU = "You cancelled this hold on Nov 24, 2026."


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


def assert_kept_private(response) -> None:
    """Out of every cache, search engine and Referer."""
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "ETag" not in response.headers


def cancel(client, path: str, **options):
    """Open the page that asks, and say yes: the form as the page gives it."""
    asked = page_text(client.get(f"{path}/cancel"))
    return client.post(f"{path}/cancel", data=hidden_fields(asked), **options)


# --- After the form ------------------------------------------------------------------------------


def test_after_the_form_the_customer_lands_on_the_holds_own_page(app, visitor, book, clock):
    clock(TUESDAY_AFTERNOON)

    response = send_form(visitor, book, quantity="2")

    path = hold_page_path(response)
    assert LINK_SHAPE.fullmatch(path)
    page = page_text(response)
    assert response.request.path == path
    assert "<h1>We have your hold</h1>" in page
    assert "2 copies of “Dispersing Power” by Raúl Zibechi, held for pickup." in page
    assert "Keep this link to follow your hold" in page
    assert f'<a href="{SITE_URL}{path}">{SITE_URL}{path}</a>' in page
    assert '<meta name="robots" content="noindex">' in page
    assert_kept_private(response)
    assert_kept_private(response.history[0])
    [hold] = holds_of(app, book)
    assert reference_in(page) == hold.reference
    assert hold.private_link_hash == hashlib.sha256(path.split("/")[-1].encode()).hexdigest()


def test_opened_again_the_link_shows_the_hold_and_nothing_the_customer_typed(
    app, client, book, clock
):
    clock(TUESDAY_AFTERNOON)
    path = hold_page_path(send_form(client, book))

    again = page_text(app.test_client().get(path))
    reloaded = page_text(client.get(path))

    for page in (again, reloaded):
        assert "<h1>Your hold at Firestorm Cafe &amp; Books</h1>" in page
        assert "We&#39;re putting it aside" in page
        assert "Keep this link" not in page
        for detail in ("Robin", "robin.customer@example.org", "555-0143", "After work"):
            assert detail not in page


def test_the_page_is_drawn_afresh_each_time_never_from_a_cache(app, client, book, people, clock):
    clock(TUESDAY_AFTERNOON)
    path = hold_page_path(send_form(client, book))
    reader = app.test_client()
    first = reader.get(path)
    [hold] = holds_of(app, book)
    with app.app_context():
        desk.mark_ready(hold.id, people["sam"].id, TUESDAY_AFTERNOON)
        db.session.commit()

    second = reader.get(path)

    assert "We&#39;re putting it aside" in page_text(first)
    assert "Ready for pickup" in page_text(second)
    for response in (first, second):
        assert_kept_private(response)


def test_the_sitemap_lists_no_hold(app, client, book, clock):
    clock(TUESDAY_AFTERNOON)
    send_form(app.test_client(), book)

    assert "/holds/" not in page_text(client.get("/sitemap.xml"))


# --- Wrong links ------------------------------------------------------------------------------


def test_a_wrong_link_is_a_404_in_plain_words(app, client, book, clock):
    clock(TUESDAY_AFTERNOON)
    path = hold_page_path(send_form(app.test_client(), book))
    [hold] = holds_of(app, book)
    wrong = [
        path[:-1],
        path + "x",
        f"/holds/{hold.reference}",
        f"/holds/{hold.private_link_hash}",
        "/holds/" + "A" * 43,
        "/holds/" + "x" * 2000,
    ]

    for wrong_path in wrong:
        for response in (
            client.get(wrong_path),
            client.get(f"{wrong_path}/cancel"),
            client.post(f"{wrong_path}/cancel"),
        ):
            # The POST has no CSRF token: refused before the token is looked at.
            if response.request.method == "POST":
                assert response.status_code == 400
                continue
            assert UNKNOWN in page_text(response, status=404)
            assert_kept_private(response)
    assert hold_now(app, hold).state == HoldState.NEW


# --- Each state, in words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "said", "open_still"),
    [
        (HoldState.NEW, "We&#39;re putting it aside", True),
        (HoldState.READY, "Come by any time we are open, starting now, until closing time", True),
        (HoldState.COLLECTED, "You picked it up on Nov 24, 2026. Thank you!", False),
        (HoldState.CANCELLED, "We cancelled this hold on Nov 24, 2026.", False),
        (HoldState.EXPIRED, "nobody came for it in time, so it went back on the shelf.", False),
    ],
)
def test_the_page_says_the_holds_state_in_words(
    app, client, book, people, clock, state, said, open_still
):
    clock(TUESDAY_AFTERNOON + timedelta(hours=2))
    hold = hold_taken_to(app, book, state, people["sam"], TUESDAY_AFTERNOON)

    page = page_text(client.get(link_of(hold)))

    assert said in page
    assert "“Dispersing Power” by Raúl Zibechi" in page
    assert ("Cancel this hold" in page) == open_still
    assert ("The next seven days" in page) == open_still
    # What the member typed as the reason stays at the desk.
    assert "The customer called" not in page


def test_an_order_says_it_is_being_ordered(app, client, make_book, clock):
    clock(TUESDAY_AFTERNOON)
    hold = place_hold(app, make_book("Out", stock=0), TUESDAY_AFTERNOON, kind=HoldKind.ORDER)

    page = page_text(client.get(link_of(hold)))

    assert "<h1>Your order at Firestorm Cafe &amp; Books</h1>" in page
    assert "We&#39;ll order it and let you know when it arrives." in page
    assert "Cancel this order" in page


def test_after_the_purge_the_page_says_the_hold_ended_and_nothing_more(
    app, client, book, people, clock
):
    hold = hold_taken_to(app, book, HoldState.COLLECTED, people["sam"], TUESDAY_AFTERNOON)
    with app.app_context():
        purge.purge(TUESDAY_AFTERNOON + timedelta(days=31), HOLD_DAYS, 30)
        db.session.commit()
    clock(TUESDAY_AFTERNOON + timedelta(days=31))

    page = page_text(client.get(link_of(hold)))

    assert "This hold has ended, and we have erased its details." in page
    assert hold.reference in page
    for gone in ("Dispersing Power", "Zibechi", "Cancel this", "Robin"):
        assert gone not in page


# --- When to come, how to reach us --------------------------------------------------------------


def test_an_open_holds_page_gives_the_hours_and_the_closures_coming(app, client, book, clock):
    with app.app_context():
        closure = editing.TypedSpecialHours(
            date(2026, 11, 26),
            date(2026, 11, 26),
            editing.TypedHours(is_open=False, opens=None, closes=None),
            "Thanksgiving",
        )
        editing.add_special_hours(closure, date(2026, 11, 24), "user 1 (collective)")
        db.session.commit()
    clock(TUESDAY_AFTERNOON)
    hold = place_hold(app, book, TUESDAY_AFTERNOON)

    page = page_text(client.get(link_of(hold)))

    assert '<h2 id="when-to-come">When we\'re open</h2>' in page
    assert "Tue thru Sun 8am – 9pm · Closed Monday" in page
    assert "Please note: we are closed Nov 26 (Thanksgiving)." in page
    assert "Thursday, Nov 26, 2026</th>" in page
    assert "Nov 26, 2026 — Closed: Thanksgiving" in page


def test_the_shops_phone_and_email_are_links_when_the_settings_give_them(
    app, client, book, clock, monkeypatch
):
    clock(TUESDAY_AFTERNOON)
    hold = place_hold(app, book, TUESDAY_AFTERNOON)
    path = link_of(hold)
    plain = page_text(client.get(path))
    monkeypatch.setitem(app.config, "STORE_PHONE", "(828) 555-0100")
    monkeypatch.setitem(app.config, "STORE_EMAIL", "books@example.org")

    page = page_text(client.get(path))

    assert 'href="tel:' not in plain and "mailto:" not in plain
    assert f"Ask us at the counter, and give your reference {hold.reference}." in plain
    assert (
        'Call us at <a href="tel:8285550100">(828) 555-0100</a> or write to '
        '<a href="mailto:books@example.org">books@<wbr>example<wbr>.org</a>, '
        f"and give your reference {hold.reference}."
    ) in page


# --- Cancelling -----------------------------------------------------------------------------------


def test_cancelling_asks_first_then_the_post_cancels(app, visitor, book, clock):
    clock(TUESDAY_AFTERNOON)
    path = hold_page_path(send_form(visitor, book, quantity="2"))

    asked = visitor.get(f"{path}/cancel")
    visitor.get(f"{path}/cancel")

    assert "<h1>Cancel your hold?</h1>" in page_text(asked)
    assert "The copies go back on the shelf for someone else" in page_text(asked)
    assert_kept_private(asked)
    [hold] = holds_of(app, book)
    assert hold.state == HoldState.NEW  # asking changes nothing
    assert "1 on hold" not in page_text(visitor.get(f"/books/{book.id}"))

    response = visitor.post(f"{path}/cancel", data=hidden_fields(page_text(asked)))

    assert response.status_code == 303
    assert response.headers["Location"] == path
    assert_kept_private(response)
    page = page_text(visitor.get(path))
    assert "Cancelled by you" in page
    assert CANCELLED_BY_YOU in page
    assert "Cancel this hold" not in page
    cancelled = hold_now(app, hold)
    assert (cancelled.state, cancelled.handled_by_id, cancelled.cancel_reason) == (
        HoldState.CANCELLED,
        None,
        "Cancelled by the customer",
    )
    assert "2 copies in stock" in page_text(visitor.get(f"/books/{book.id}"))


def test_the_desk_sees_the_customer_cancelled(app, client, book, login_as, clock):
    clock(TUESDAY_AFTERNOON)
    hold = place_hold(app, book, TUESDAY_AFTERNOON)
    cancel(app.test_client(), link_of(hold))
    login_as("collective")

    for path in ("/collective/holds?state=cancelled", f"/collective/holds/{hold.id}"):
        page = page_text(client.get(path))
        assert "by the customer, on the hold's own page." in page
        assert "“Cancelled by the customer”" not in page


def test_a_cancel_without_its_csrf_token_is_refused(app, client, book, clock):
    clock(TUESDAY_AFTERNOON)
    hold = place_hold(app, book, TUESDAY_AFTERNOON)

    response = client.post(f"{link_of(hold)}/cancel")

    assert response.status_code == 400
    assert_kept_private(response)
    assert hold_now(app, hold).state == HoldState.NEW


def test_an_ended_hold_cannot_be_cancelled_from_its_page(app, client, book, people, clock):
    clock(TUESDAY_AFTERNOON + timedelta(hours=3))
    hold = hold_taken_to(app, book, HoldState.COLLECTED, people["sam"], TUESDAY_AFTERNOON)
    path = link_of(hold)
    open_hold = place_hold(app, book, TUESDAY_AFTERNOON)
    form = hidden_fields(page_text(client.get(f"{link_of(open_hold)}/cancel")))

    asked = client.get(f"{path}/cancel")
    response = client.post(f"{path}/cancel", data=form)

    assert (asked.status_code, asked.headers["Location"]) == (303, path)
    page = page_text(response, status=409)
    assert (
        "This can&#39;t be cancelled any more: You picked it up on Nov 24, 2026. Thank you!" in page
    )
    assert hold_now(app, hold).state == HoldState.COLLECTED


def test_a_hold_the_desk_collected_while_the_customer_was_asked_is_not_cancelled(
    app, client, book, people, clock
):
    clock(TUESDAY_AFTERNOON)
    hold = place_hold(app, book, TUESDAY_AFTERNOON)
    asked = page_text(client.get(f"{link_of(hold)}/cancel"))
    with app.app_context():
        desk.mark_ready(hold.id, people["sam"].id, TUESDAY_AFTERNOON)
        desk.mark_collected(hold.id, people["sam"].id, TUESDAY_AFTERNOON)
        db.session.commit()

    response = client.post(f"{link_of(hold)}/cancel", data=hidden_fields(asked))

    assert "You picked it up" in page_text(response, status=409)
    assert hold_now(app, hold).state == HoldState.COLLECTED


def test_cancelling_is_limited_per_address(app, client, book, clock, monkeypatch):
    monkeypatch.setitem(app.config, "HOLD_CANCEL_LIMIT", "2 per hour")
    clock(TUESDAY_AFTERNOON)
    held = [place_hold(app, book, TUESDAY_AFTERNOON, quantity=1) for _ in range(2)]
    ordered = place_hold(app, book, TUESDAY_AFTERNOON, kind=HoldKind.ORDER)

    *cancelled, refused = [cancel(client, link_of(hold)) for hold in (*held, ordered)]

    assert [response.status_code for response in cancelled] == [303, 303]
    assert "Too many cancellations at once" in page_text(refused, status=429)
    assert_kept_private(refused)
    assert hold_now(app, ordered).state == HoldState.NEW
    # Elsewhere, the same hold is cancelled at once.
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    assert cancel(elsewhere, link_of(ordered)).status_code == 303


# --- The email ------------------------------------------------------------------------------------


def test_the_confirmation_email_carries_the_link_and_only_its_hash_is_kept(
    app, client, book, clock, mail_server
):
    clock(TUESDAY_AFTERNOON)

    path = hold_page_path(send_form(client, book))

    link = SITE_URL + path
    [message] = mail_server
    assert f"\n{link}\n" in message.get_content()
    with app.app_context():
        [row] = db.session.scalars(select(OutgoingMessage))
        assert (row.link, row.link_hash) == (None, hashlib.sha256(link.encode()).hexdigest())
        assert LINK_PLACEHOLDER in row.body
        token = path.split("/")[-1]
        for table in ("holds", "outgoing_messages"):
            for values in db.session.execute(db.text(f"SELECT * FROM {table}")):
                assert not any(token in str(value) for value in values), table


# --- Valid HTML -----------------------------------------------------------------------------------


def test_the_hold_pages_are_valid_html(tmp_path, app, client, book, people, clock, nu_html_checker):
    clock(TUESDAY_AFTERNOON)
    confirmation = send_form(client, book)
    path = hold_page_path(confirmation)
    # Expired first: expiring one expires every hold ready by then.
    ended = hold_taken_to(app, book, HoldState.EXPIRED, people["sam"], TUESDAY_AFTERNOON)
    ready = hold_taken_to(app, book, HoldState.READY, people["sam"], TUESDAY_AFTERNOON)
    pages = {
        "hold-confirmation": confirmation,
        "hold-page-new": client.get(path),
        "hold-page-ready": client.get(link_of(ready)),
        "hold-page-expired": client.get(link_of(ended)),
        "cancel-hold": client.get(f"{path}/cancel"),
        "unknown-hold-link": client.get("/holds/nothing-here"),
    }
    pages["cancel-refused"] = client.post(
        f"{link_of(ended)}/cancel", data=hidden_fields(page_text(pages["cancel-hold"]))
    )
    pages["hold-page-cancelled"] = cancel(client, path, follow_redirects=True)
    assert [response.status_code for response in pages.values()] == [200] * 5 + [404, 409, 200]

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)

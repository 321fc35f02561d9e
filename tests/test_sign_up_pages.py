"""Signing up for an event with a number of places (firestorm/public/sign_up_routes.py,
events/signing_up.py), as no one, a volunteer and a member: the places left on the event's
page, the form and each refusal in words with what was typed kept, the sign-up's own page at
its private link (kept out of caches and logs), cancelling from it, the waiting list and the
first who fits moving up (told through the outbox), the limits per address, and the purge."""

import hashlib
import re
from datetime import date, time, timedelta

import pytest
from hold_helpers import hidden_fields
from html_checks import check_html, describe_html_errors, save_responses
from public_pages import SITE_URL
from review_helpers import not_found_page, page_text, token_of
from sign_up_helpers import (
    EVENING,
    NEW_YORK,
    NOW,
    a_person,
    add_event,
    link_of,
    send_form,
    sign_up,
    sign_ups_of,
)
from sqlalchemy import select

from firestorm.database import db
from firestorm.events import planning
from firestorm.events.sign_up_models import SignUp
from firestorm.outbox.models import LINK_PLACEHOLDER, OutgoingMessage
from firestorm.shop.schedule import load_schedule
from firestorm.web.logs import redact

LINK_SHAPE = re.compile(r"/sign-ups/[A-Za-z0-9_-]{43}")
FULL = "The evening is full: join the waiting list"


def assert_kept_private(response) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "ETag" not in response.headers


def sign_up_path(response) -> str:
    assert response.status_code == 303, response.data
    path = response.headers["Location"]
    assert LINK_SHAPE.fullmatch(path), path
    return path


def cancel(client, path: str, **options):
    """Open the page that asks, and say yes: the form as the page gives it."""
    asked = page_text(client.get(f"{path}/cancel"))
    return client.post(f"{path}/cancel", data=hidden_fields(asked), **options)


def outbox(app) -> list[tuple[str, str, str]]:
    """(recipient, subject, body) of every message queued, oldest first."""
    with app.app_context():
        rows = db.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id))
        return [(row.recipient, row.subject, row.body) for row in rows]


# --- The event's page --------------------------------------------------------------------------


def test_the_events_page_says_the_places_left_and_leads_to_the_form(app, visitor, clock):
    clock(NOW)
    event_id = add_event(app, capacity=20)
    sign_up(app, event_id, places=3)

    page = page_text(visitor.get(f"/events/{event_id}"))

    assert "17 of 20 places left" in page
    assert f'href="/events/{event_id}/sign-up?date=2026-12-11T00:00:00Z">Sign up</a>' in page


def test_a_full_evening_offers_the_waiting_list(app, client, clock):
    clock(NOW)
    event_id = add_event(app, capacity=2)
    sign_up(app, event_id, places=2)

    page = page_text(client.get(f"/events/{event_id}"))
    form = page_text(client.get(f"/events/{event_id}/sign-up"))

    assert "Full" in page and FULL in page
    assert "<h1>Join the waiting list</h1>" in form
    assert hidden_fields(form)["waiting"] == "1"


def test_an_event_without_a_number_of_places_takes_no_sign_ups(app, client, clock):
    clock(NOW)
    event_id = add_event(app, capacity=None)

    assert "Sign up" not in page_text(client.get(f"/events/{event_id}"))
    form = {"csrf_token": token_of(client), "request_key": "k" * 24, **a_person()}
    for response in (
        client.get(f"/events/{event_id}/sign-up"),
        client.post(f"/events/{event_id}/sign-up", data=form),
    ):
        assert (response.status_code, response.headers["Location"]) == (
            303,
            f"/events/{event_id}",
        )
    assert sign_ups_of(app, event_id) == []


@pytest.mark.parametrize("date", ["2026-12-12T00:00:00Z", "tomorrow", "2026-12-11T00:00:00"])
def test_a_date_the_event_does_not_have_is_a_404(app, client, clock, date):
    clock(NOW)
    event_id = add_event(app)

    not_found_page(client.get(f"/events/{event_id}/sign-up?date={date}"))
    not_found_page(client.get(f"/events/{event_id + 1}/sign-up"))


def test_once_the_event_has_started_the_form_leads_back_to_its_page(app, client, clock):
    clock(NOW)
    event_id = add_event(app)
    clock(EVENING + timedelta(minutes=5))

    response = client.get(f"/events/{event_id}/sign-up")

    assert (response.status_code, response.headers["Location"]) == (303, f"/events/{event_id}")
    assert "Sign up" not in page_text(client.get(f"/events/{event_id}"))


# --- Signing up ----------------------------------------------------------------------------------


def test_after_the_form_the_person_lands_on_their_sign_ups_own_page(app, visitor, clock):
    clock(NOW)
    event_id = add_event(app, capacity=20)

    response = send_form(visitor, event_id, places="2", name="Robin Reader")

    path = sign_up_path(response)
    assert_kept_private(response)
    page = page_text(visitor.get(path))
    assert_kept_private(visitor.get(path))
    assert "We have your sign-up" in page
    assert "You have 2 places." in page
    assert "This site sends no email: keep this page's link." in page
    assert f"{SITE_URL}{path}" in page
    assert "Cancel my place" in page
    # Anyone the link reaches reads the page: never what the person typed.
    assert "Robin Reader" not in page and "person1@example.org" not in page
    assert sign_ups_of(app, event_id) == [("Robin Reader", 2, "signed up")]
    assert "18 of 20 places left" in page_text(visitor.get(f"/events/{event_id}"))
    # Opened again later, the page is the same, without the confirmation's words.
    assert "We have your sign-up" not in page_text(visitor.get(path))


def test_the_same_form_sent_twice_is_one_sign_up(app, client, clock):
    clock(NOW)
    event_id = add_event(app)
    form = {**hidden_fields(page_text(client.get(f"/events/{event_id}/sign-up"))), **a_person()}

    first = client.post(f"/events/{event_id}/sign-up", data=form)
    again = client.post(f"/events/{event_id}/sign-up", data=form)

    assert sign_up_path(first) == sign_up_path(again)
    assert len(sign_ups_of(app, event_id)) == 1


BAD_INPUT = [
    ({"name": ""}, "name", "Give your name, so we know whose it is."),
    ({"name": "Robin www.example.com"}, "name", "without a web or email address"),
    ({"email": "", "phone": ""}, None, "Give an email address or a phone number"),
    ({"email": "robin@"}, "email", "doesn&#39;t look like an email address"),
    ({"phone": "call me"}, "phone", "doesn&#39;t look like a phone number"),
    ({"places": "0"}, "places", "Give a number of places from 1 to 20."),
    ({"places": "two"}, "places", "Give a number of places from 1 to 20."),
    ({"places": "21"}, "places", "Give a number of places from 1 to 20."),
]


@pytest.mark.parametrize(("typed", "field", "words"), BAD_INPUT)
def test_each_bad_input_is_refused_in_words_and_the_form_keeps_what_was_typed(
    app, client, clock, typed, field, words
):
    clock(NOW)
    event_id = add_event(app, capacity=20)

    response = send_form(client, event_id, **{"name": "Robin Reader", **typed})

    page = page_text(response, status=422)
    assert words in page
    assert "There is a problem" in page or "problem" in page.lower()
    if field:
        assert f'id="{field}-errors"' in page
    for name, value in {**a_person(name="Robin Reader"), **typed}.items():
        assert f'name="{name}"' in page
        if value and name != "places":
            assert f'value="{value}"' in page.replace("&#39;", "'") or value in page
    assert_kept_private(response)
    assert sign_ups_of(app, event_id) == []


def test_more_places_than_are_left_is_refused_with_the_number_left(app, client, clock):
    clock(NOW)
    event_id = add_event(app, capacity=5)
    sign_up(app, event_id, places=3)

    page = page_text(send_form(client, event_id, places="3"), status=422)

    assert "Only 2 of 5 places are left." in page
    assert 'value="3"' in page


def test_a_form_without_its_request_key_is_refused(app, client, clock):
    clock(NOW)
    event_id = add_event(app)
    form = {**hidden_fields(page_text(client.get(f"/events/{event_id}/sign-up"))), **a_person()}

    page = page_text(
        client.post(f"/events/{event_id}/sign-up", data={**form, "request_key": ""}), status=422
    )

    assert "This form is missing a piece: please send it again." in page
    assert sign_ups_of(app, event_id) == []


def test_the_last_place_taken_meanwhile_turns_the_form_into_the_waiting_list(app, client, clock):
    clock(NOW)
    event_id = add_event(app, capacity=1)
    opened = hidden_fields(page_text(client.get(f"/events/{event_id}/sign-up")))
    sign_up(app, event_id, name="Quicker")

    refused = client.post(f"/events/{event_id}/sign-up", data={**opened, **a_person()})
    page = page_text(refused, status=422)
    again = client.post(f"/events/{event_id}/sign-up", data={**hidden_fields(page), **a_person()})

    assert "Someone has just taken the last place" in page
    assert "<h1>Join the waiting list</h1>" in page
    assert "You're on the waiting list for 1 place." in page_text(client.get(sign_up_path(again)))
    assert sign_ups_of(app, event_id) == [("Quicker", 1, "signed up"), ("Person 1", 1, "waiting")]


def test_signing_up_is_limited_per_address(app, client, clock, monkeypatch):
    monkeypatch.setitem(app.config, "EVENT_SIGNUP_LIMIT", "2 per hour")
    clock(NOW)
    event_id = add_event(app)

    *taken, refused = [send_form(client, event_id, number=n) for n in range(3)]

    assert [response.status_code for response in taken] == [303, 303]
    assert "Too many sign-ups at once" in page_text(refused, status=429)
    assert_kept_private(refused)
    assert len(sign_ups_of(app, event_id)) == 2


# --- Cancelling, the waiting list moving up ------------------------------------------------------


def test_cancelling_asks_first_then_the_post_cancels(app, visitor, clock):
    clock(NOW)
    event_id = add_event(app)
    path = sign_up_path(send_form(visitor, event_id))

    asked = visitor.get(f"{path}/cancel")
    response = cancel(visitor, path)

    assert "Cancel your place?" in page_text(asked)
    assert_kept_private(asked)
    assert (response.status_code, response.headers["Location"]) == (303, path)
    assert "You cancelled this sign-up on Nov 24, 2026." in page_text(visitor.get(path))
    assert sign_ups_of(app, event_id) == [("Person 1", 1, "cancelled")]
    # Once cancelled, the page that asks leads back, and a second POST is refused.
    assert visitor.get(f"{path}/cancel").status_code == 303


def test_a_second_cancel_is_refused_in_words(app, client, clock):
    clock(NOW)
    event_id = add_event(app)
    signed = sign_up(app, event_id)
    asked = hidden_fields(page_text(client.get(f"{link_of(signed)}/cancel")))
    client.post(f"{link_of(signed)}/cancel", data=asked)

    response = client.post(f"{link_of(signed)}/cancel", data=asked)

    assert "This sign-up was already cancelled." in page_text(response, status=409)


def test_a_cancel_without_its_csrf_token_is_refused(app, client, clock):
    clock(NOW)
    event_id = add_event(app)
    signed = sign_up(app, event_id)

    response = client.post(f"{link_of(signed)}/cancel")

    assert response.status_code == 400
    assert_kept_private(response)
    assert sign_ups_of(app, event_id) == [("Robin Reader", 1, "signed up")]


def test_a_wrong_link_is_a_404_in_plain_words(client, clock):
    clock(NOW)
    for path in (
        "/sign-ups/nothing-here",
        "/sign-ups/nothing-here/cancel",
        "/sign-ups/" + "x" * 200,
    ):
        response = client.get(path)
        assert "This address leads to no sign-up." in page_text(response, status=404)
        assert_kept_private(response)


def test_full_then_waiting_then_a_cancel_moves_the_first_who_fits_up_and_emails_them(
    app, client, clock, mail_server
):
    clock(NOW)
    event_id = add_event(app, capacity=3)
    leaving = sign_up(app, event_id, places=2, name="Ana", email="ana@example.org")
    sign_up(app, event_id, places=1, name="Bo", email="bo@example.org")
    sign_up(app, event_id, places=3, waiting=True, name="Cy", email="cy@example.org")
    waiting = sign_up(app, event_id, places=2, waiting=True, name="Di", email="di@example.org")
    sign_up(app, event_id, places=1, waiting=True, name="Ed", phone="828-555-0143", email="")
    assert [state for *_, state in sign_ups_of(app, event_id)] == [
        "signed up",
        "signed up",
        "waiting",
        "waiting",
        "waiting",
    ]
    assert FULL in page_text(client.get(f"/events/{event_id}"))

    response = cancel(client, link_of(leaving))

    assert response.status_code == 303
    # Cy's three don't fit in the two places free; Di's two do; then none is left for Ed.
    assert sign_ups_of(app, event_id) == [
        ("Ana", 2, "cancelled"),
        ("Bo", 1, "signed up"),
        ("Cy", 3, "waiting"),
        ("Di", 2, "signed up"),
        ("Ed", 1, "waiting"),
    ]
    [(to, subject, body)] = [m for m in outbox(app) if m[0] == "di@example.org"]
    assert subject == "Film night at Firestorm Books: your place" or "your place" in subject
    assert "you moved up from the waiting list" in body
    assert "You have 2 places." in body
    assert LINK_PLACEHOLDER in body
    [sent] = [m for m in mail_server if m["To"] == "di@example.org"]
    assert f"{SITE_URL}{link_of(waiting)}" in sent.get_content()
    assert "places came free, and you moved up" in page_text(client.get(link_of(waiting)))


def test_a_cancel_from_the_waiting_list_moves_nobody(app, client, clock):
    clock(NOW)
    event_id = add_event(app, capacity=1)
    sign_up(app, event_id, name="Ana")
    first = sign_up(app, event_id, waiting=True, name="Bo")
    sign_up(app, event_id, waiting=True, name="Cy")

    cancel(client, link_of(first))

    assert sign_ups_of(app, event_id) == [
        ("Ana", 1, "signed up"),
        ("Bo", 1, "cancelled"),
        ("Cy", 1, "waiting"),
    ]


def test_cancelling_is_limited_per_address(app, client, clock, monkeypatch):
    monkeypatch.setitem(app.config, "EVENT_SIGNUP_CANCEL_LIMIT", "1 per hour")
    clock(NOW)
    event_id = add_event(app)
    first, second = sign_up(app, event_id), sign_up(app, event_id)

    assert cancel(client, link_of(first)).status_code == 303
    refused = cancel(client, link_of(second))

    assert "Too many cancellations at once" in page_text(refused, status=429)
    assert_kept_private(refused)


# --- The email, the link, the purge --------------------------------------------------------------


def test_the_confirmation_email_carries_the_link_and_only_its_hash_is_kept(
    app, client, clock, mail_server
):
    clock(NOW)
    event_id = add_event(app)

    response = send_form(client, event_id, places="2")

    path = sign_up_path(response)
    link = SITE_URL + path
    assert "We're also sending this to the email address you gave." in page_text(client.get(path))
    [message] = mail_server
    assert message["To"] == "person1@example.org"
    assert f"\n{link}\n" in message.get_content()
    assert "You have 2 places." in message.get_content()
    with app.app_context():
        [row] = db.session.scalars(select(OutgoingMessage))
        assert (row.link, row.link_hash) == (None, hashlib.sha256(link.encode()).hexdigest())
        token = path.split("/")[-1]
        for table in ("event_sign_ups", "outgoing_messages"):
            for values in db.session.execute(db.text(f"SELECT * FROM {table}")):
                assert not any(token in str(value) for value in values), table


def test_the_private_link_is_redacted_from_logs():
    token = "J4MkGD96LKKDQDlV7fwJ9Yt1PsBtahvN487Rq0BIxLY"

    line = redact(f'"GET /sign-ups/{token}/cancel HTTP/1.1" 200 Referer /sign-ups/{token[:20]}')

    assert token[:20] not in line
    assert "/sign-ups/[redacted]/cancel" in line
    # The desk's list is no secret.
    assert redact("/collective/events/12/signed-up") == "/collective/events/12/signed-up"


def test_the_purge_erases_contacts_after_the_retention_days(app, runner, clock):
    clock(NOW)
    event_id = add_event(app)
    signed = sign_up(app, event_id, name="Robin Reader", phone="828-555-0143")

    clock(EVENING + timedelta(days=29))
    kept = runner.invoke(args=["purge"])
    clock(EVENING + timedelta(days=31))
    erased = runner.invoke(args=["purge"])

    assert "0 event sign-ups erased" in kept.output
    assert "1 event sign-up erased (name, email and phone, 30 days after the event)." in (
        erased.output
    )
    with app.app_context():
        row = db.session.get(SignUp, signed.id)
        assert (row.customer_name, row.customer_email, row.customer_phone) == ("", "", "")
        assert row.erased_at is not None and row.places == 1


# --- Valid HTML ----------------------------------------------------------------------------------


def test_the_sign_up_pages_are_valid_html(tmp_path, app, client, clock, nu_html_checker):
    clock(NOW)
    event_id = add_event(app, capacity=2)
    full_id = add_event(app, capacity=1, title="Full night")
    sign_up(app, full_id)
    confirmation = send_form(client, event_id)
    path = sign_up_path(confirmation)
    pages = {
        "event-with-places": client.get(f"/events/{event_id}"),
        "event-full": client.get(f"/events/{full_id}"),
        "sign-up-form": client.get(f"/events/{event_id}/sign-up"),
        "waiting-list-form": client.get(f"/events/{full_id}/sign-up"),
        "sign-up-confirmation": client.get(path),
        "sign-up-page": client.get(path),
        "cancel-sign-up": client.get(f"{path}/cancel"),
        "sign-up-refused": send_form(client, event_id, name="", email="x@", places="9"),
        "unknown-sign-up-link": client.get("/sign-ups/nothing-here"),
    }
    pages["sign-up-cancelled"] = cancel(client, path, follow_redirects=True)
    assert [response.status_code for response in pages.values()] == [200] * 7 + [422, 404, 200]

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


# --- A series: each date its own places and list --------------------------------------------------


def test_each_date_of_a_series_has_its_own_places_and_list(app, client, clock):
    clock(NOW)
    with app.app_context():
        weekly = planning.TypedEvent(
            "Book club",
            date(2026, 12, 10),
            time(19),
            time(21),
            capacity=2,
            repeat="weekly",
            repeat_until=date(2026, 12, 24),
        )
        event_id = planning.add_event(weekly, load_schedule(NOW.date(), NEW_YORK), NOW).id
        db.session.commit()
    second_date = "2026-12-18T00:00:00Z"  # Thursday Dec 17, 7pm at the shop

    opened = page_text(client.get(f"/events/{event_id}/sign-up?date={second_date}"))
    sent = client.post(
        f"/events/{event_id}/sign-up", data={**hidden_fields(opened), **a_person(places="2")}
    )

    assert sent.status_code == 303
    page = page_text(client.get(f"/events/{event_id}"))
    # Three dates, each with its own list: the second is full, the others untouched.
    assert page.count("2 of 2 places left") == 2
    assert page.count("Full") == 1
    with app.app_context():
        taken = db.session.scalars(select(SignUp.starts_at).where(SignUp.event_id == event_id))
        assert [moment.isoformat() for moment in taken] == ["2026-12-18T00:00:00+00:00"]

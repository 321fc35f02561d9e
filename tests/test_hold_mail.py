"""The hold emails as a stranger could get them: anyone may type anyone's address into the hold
form, so each email opens with the shop's words and carries nothing the sender typed, a name
holds no link or address, one address gets at most HOLD_EMAIL_LIMIT confirmations a day
wherever the forms come from, and every email says what to do if you did not ask for it. The
wording itself: test_pickup_wording.py, test_hold_desk.py; the name rule: test_hold_placing.py."""

import logging

import pytest
import redis
from hold_helpers import (
    CUSTOMER,
    hold_path,
    holds_of,
    link_of,
    opened_form,
    place_hold,
    reference_in,
    send_form,
)
from html_checks import MONDAY_MORNING, TUESDAY_AFTERNOON
from public_pages import SITE_URL
from redis_helpers import REDIS_URL, needs_redis
from review_helpers import NOW, page_text
from sqlalchemy import select

from firestorm.database import db
from firestorm.outbox.models import OutgoingMessage
from firestorm.people.accounts import email_digest

# What a visitor sent in issue 16, and the victim mailed "Hello URGENT: verify your bank at …".
PHISHING = {"name": "URGENT: verify your bank at http://evil.example/login"}
VICTIM = "victim@example.net"
NOT_AN_ADDRESS = "Please write just your name, without a web or email address."
SENDING = "We're also sending this to the email address you gave."
WITHHELD = "We have not emailed this confirmation"
NOT_ASKED = "If you did not ask for this, ignore this email: nothing happens, you pay nothing"
# A name that is no link or address, but still words a stranger would rather not be sent.
PLAIN_BAIT = "Call 828-555-0199 now about your account"


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=10)


def from_address(app, address: str):
    """A test client whose requests come from that network address."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def mailed_text(message) -> str:
    return f"{message['Subject']}\n{message.get_content()}"


# --- A name is a name ------------------------------------------------------------------------


def test_the_name_from_the_issue_is_refused_next_to_the_field_and_nobody_is_mailed(
    client, app, book, clock, mail_server
):
    clock(TUESDAY_AFTERNOON)

    response = send_form(client, book, email=VICTIM, **PHISHING)

    page = page_text(response)
    assert response.status_code == 422
    assert f"<li>{NOT_AN_ADDRESS}</li>" in page
    assert 'value="URGENT: verify your bank at http://evil.example/login"' in page
    assert f'value="{VICTIM}"' in page
    assert holds_of(app, book) == []
    assert mail_server == []


@pytest.mark.parametrize(
    "name",
    [
        "Robin robin@example.net",
        "Robin ＠ home",
        "Visit WWW.EVIL.EXAMPLE today",
        "Robin HTTPS : // evil",
        "Robin http:evil",
        "Robin evil.example/login",
    ],
)
def test_a_name_with_a_link_or_an_address_in_any_spelling_is_refused(client, app, book, name):
    page = page_text(send_form(client, book, name=name))

    assert f"<li>{NOT_AN_ADDRESS}</li>" in page
    assert holds_of(app, book) == []


def test_the_order_form_refuses_such_a_name_too(client, app, make_book, clock, mail_server):
    sold_out = make_book("Emergent Strategy", stock=0)
    clock(TUESDAY_AFTERNOON)

    response = send_form(client, sold_out, email=VICTIM, **PHISHING)

    assert response.status_code == 422
    assert f"<li>{NOT_AN_ADDRESS}</li>" in page_text(response)
    assert "<h1>Ask us to order it</h1>" in page_text(response)
    assert holds_of(app, sold_out) == []
    assert mail_server == []


@pytest.mark.parametrize("name", ["J. R. R. Tolkien", "Anne-Marie O'Neil", "Dr. Ng"])
def test_real_names_with_dots_hyphens_and_apostrophes_place_the_hold(client, app, book, name):
    response = send_form(client, book, name=name)

    assert response.status_code == 200
    [hold] = holds_of(app, book)
    assert hold.customer_name == name


# --- The confirmation: the shop's words, nothing the sender typed ----------------------------


def test_the_confirmation_opens_with_the_shops_words_and_says_what_to_do_if_unasked(
    client, app, book, clock, mail_server, monkeypatch
):
    monkeypatch.setitem(app.config, "STORE_PHONE", "828-555-0100")
    clock(MONDAY_MORNING)

    reference = reference_in(page_text(send_form(client, book)))

    [message] = mail_server
    assert message["Subject"] == f"Your hold at Firestorm Cafe & Books: {reference}"
    body = message.get_content()
    assert body.startswith(
        "Firestorm Cafe & Books has your hold: "
        "1 copy of “Dispersing Power” by Raúl Zibechi, held for pickup.\n"
    )
    assert (
        "This email address was given on the hold form of our website. "
        f"{NOT_ASKED}, and the hold ends by itself 7 days after it is ready. "
        "To have it cancelled now, call us at 828-555-0100."
    ) in body


def test_the_confirmation_carries_nothing_the_sender_typed(client, book, clock, mail_server):
    clock(TUESDAY_AFTERNOON)

    send_form(client, book, name=PLAIN_BAIT, email=VICTIM, note="Verify at the counter")

    [message] = mail_server
    assert message["To"] == VICTIM
    for typed in (PLAIN_BAIT, "828-555-0199", CUSTOMER["phone"], "Verify at the counter"):
        assert typed not in mailed_text(message)


def test_an_orders_confirmation_says_when_an_unasked_order_ends(
    client, make_book, clock, mail_server
):
    clock(TUESDAY_AFTERNOON)

    send_form(client, make_book("Emergent Strategy", authors=["adrienne maree brown"], stock=0))

    body = mail_server[0].get_content()
    assert body.startswith("Firestorm Cafe & Books has your order: 1 copy of “Emergent Strategy”")
    assert f"{NOT_ASKED}, and the order ends by itself 7 days after the book arrives." in body


# --- The ready email, sent by the desk -------------------------------------------------------


def test_the_ready_email_opens_with_the_shops_words_and_never_the_name(
    app, book, clock, login_as, post, mail_server
):
    hold = place_hold(app, book, NOW, name=PLAIN_BAIT, email=VICTIM)
    clock(NOW)
    login_as("collective")

    post(f"/collective/holds/{hold.id}/ready")

    [message] = mail_server
    body = message.get_content()
    assert body.startswith(
        "Firestorm Cafe & Books has put “Dispersing Power” (1 copy) aside for you"
    )
    assert PLAIN_BAIT not in mailed_text(message)
    assert (
        f"{NOT_ASKED}, and the hold ends by itself after closing time on Tuesday, Dec 1 (9pm)."
    ) in body


def test_the_ready_email_links_the_holds_own_page_and_keeps_only_its_hash(
    app, client, book, clock, login_as, post, mail_server
):
    hold = place_hold(app, book, NOW)
    clock(NOW)
    login_as("collective")

    post(f"/collective/holds/{hold.id}/ready")

    [message] = mail_server
    body = message.get_content()
    address = f"{SITE_URL}{link_of(hold)}"
    assert "Follow your hold, or cancel it, on its own page" in body
    assert f"\n{address}\n" in body
    with app.app_context():
        [kept] = db.session.scalars(select(OutgoingMessage)).all()
        assert kept.link is None and address not in kept.body
    assert "Ready for pickup" in page_text(client.get(link_of(hold)))


def test_after_the_sites_secret_changed_the_ready_email_has_no_link(
    app, book, clock, login_as, post, mail_server, monkeypatch
):
    hold = place_hold(app, book, NOW)
    clock(NOW)
    login_as("collective")
    # A new key after a leak; sign-ins made with the old one still count meanwhile.
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [app.config["SECRET_KEY"]])
    monkeypatch.setitem(app.config, "SECRET_KEY", "a new secret key after a leak")

    post(f"/collective/holds/{hold.id}/ready")

    [message] = mail_server
    body = message.get_content()
    assert "/holds/" not in body and "own page" not in body
    assert hold.reference in body


# --- At most HOLD_EMAIL_LIMIT confirmations to one address a day --------------------------------


def test_a_fourth_confirmation_to_one_address_from_a_fourth_place_is_not_sent(
    app, book, clock, mail_server, caplog
):
    clock(TUESDAY_AFTERNOON)
    # The same address however it is typed, from four network addresses.
    spellings = [VICTIM, "Victim@Example.NET", " VICTIM@example.net ", "victim@EXAMPLE.net"]
    with caplog.at_level(logging.INFO, logger="firestorm"):
        pages = [
            page_text(send_form(from_address(app, f"203.0.113.{n}"), book, email=email))
            for n, email in enumerate(spellings, start=1)
        ]

    assert len(mail_server) == 3
    assert all(SENDING in page for page in pages[:3])
    fourth = pages[3]
    assert SENDING not in fourth
    reference = reference_in(fourth)
    assert (
        f"{WITHHELD}: the address you gave has had as many emails from us today as we send "
        "to one address in a day. Please keep this page's link, or write down your reference, "
    ) in fourth
    assert f"<strong>{reference}</strong>" in fourth
    # The customer asked for a book: the hold is placed all the same.
    assert reference in {hold.reference for hold in holds_of(app, book)}
    assert len(holds_of(app, book)) == 4
    assert f"Mail withheld, the confirmation of hold {reference}" in caplog.text
    assert "victim" not in caplog.text.lower()


def test_other_addresses_are_still_mailed_and_the_desk_still_says_a_hold_is_ready(
    app, book, clock, login_as, post, mail_server
):
    clock(NOW)
    for n in range(4):
        send_form(from_address(app, f"198.51.100.{n}"), book, email=VICTIM)
    send_form(from_address(app, "198.51.100.9"), book)
    assert [message["To"] for message in mail_server] == [VICTIM] * 3 + [CUSTOMER["email"]]

    # The desk acts on each hold deliberately: its ready email is not counted nor held back.
    login_as("collective")
    victims = [hold for hold in holds_of(app, book) if hold.customer_email == VICTIM]
    for hold in victims:
        post(f"/collective/holds/{hold.id}/ready")

    assert [message["To"] for message in mail_server[4:]] == [VICTIM] * 4


def test_the_same_form_sent_again_mails_once_and_counts_once(client, app, book, clock, mail_server):
    clock(TUESDAY_AFTERNOON)
    form = {**opened_form(client, book), **CUSTOMER, "email": VICTIM}
    for _ in range(4):
        assert client.post(hold_path(book), data=form).status_code == 303

    for n in range(2):
        send_form(from_address(app, f"192.0.2.{n}"), book, email=VICTIM)

    assert len(mail_server) == 3
    assert len(holds_of(app, book)) == 3


@pytest.mark.redis
@needs_redis
def test_with_redis_two_workers_share_the_count_and_keep_no_address(
    other_app, book, clock, mail_server
):
    mail = {"MAIL_SERVER": "mail.example.org", "MAIL_DEFAULT_SENDER": "catalog@example.org"}
    workers = [other_app(RATELIMIT_STORAGE_URI=REDIS_URL, **mail) for _ in range(2)]
    kept = redis.Redis.from_url(REDIS_URL)
    kept.flushdb()
    clock(TUESDAY_AFTERNOON)
    try:
        for n, worker in enumerate([0, 1, 0, 1]):
            send_form(from_address(workers[worker], f"203.0.113.{n}"), book, email=VICTIM)

        assert len(mail_server) == 3
        keys = [key.decode() for key in kept.keys("*")]
        assert any(email_digest(VICTIM) in key for key in keys), "counted in Redis"
        assert not any("victim" in key or "example.net" in key for key in keys)
    finally:
        kept.flushdb()

"""The public side of holds: the book page's link and stock words, /books/<id>/hold as no one, a
volunteer and a member, every kind of bad input, the confirmation and its email."""

import logging
import re

import pytest
from hold_helpers import (
    CUSTOMER,
    hidden_fields,
    hold_path,
    holds_of,
    opened_form,
    reference_in,
    send_form,
)
from html_checks import (
    MONDAY_MORNING,
    TUESDAY_AFTERNOON,
    check_html,
    describe_html_errors,
    save_responses,
)
from mail_helpers import FakeSMTP, read_when_mailed
from review_helpers import not_found_page, page_text
from sqlalchemy import select

from firestorm.catalog import books
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.holds import desk
from firestorm.holds.models import Hold, HoldKind, HoldState

PUT_ASIDE = "We&#39;ll put it aside within the hour: pick it up today until 9pm"
CLOSED_MONDAYS = "Ready for pickup from Tuesday at 8am — we are closed on Mondays."


def stock_words(page: str) -> str:
    """The book page's stock line, as the public reads it on screen."""
    return re.search(r'<p class="stock[^"]*">([^<]*)', page).group(1)


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


# --- The book page ------------------------------------------------------------------------


def test_the_book_page_offers_a_hold_and_says_how_many_copies_are_on_hold(client, app, book, clock):
    clock(TUESDAY_AFTERNOON)
    page = page_text(client.get(f"/books/{book.id}"))
    assert stock_words(page) == "2 copies in stock"
    assert f'href="{hold_path(book)}">Hold a copy for pickup</a>' in page

    send_form(client, book)

    page = page_text(app.test_client().get(f"/books/{book.id}"))
    assert stock_words(page) == "1 copy free to hold (1 on hold)"
    assert "Hold a copy for pickup" in page


def test_when_every_copy_is_held_the_book_page_offers_an_order(client, app, book, clock):
    clock(TUESDAY_AFTERNOON)
    send_form(client, book, quantity="2")

    page = page_text(app.test_client().get(f"/books/{book.id}"))

    assert stock_words(page) == "All 2 copies are on hold — ask us to order one"
    assert '<p class="stock stock-large stock-out">All 2 copies' in page, "not green"
    assert f'href="{hold_path(book)}">Ask us to order it</a>' in page
    assert "Hold a copy for pickup" not in page


def test_an_out_of_stock_book_offers_an_order(client, make_book):
    book = make_book(stock=0)

    page = page_text(client.get(f"/books/{book.id}"))

    assert stock_words(page) == "Out of stock — ask us to order it"
    assert f'href="{hold_path(book)}">Ask us to order it</a>' in page


def test_a_hidden_book_offers_nothing_to_the_collective_either(client, app, book, login_as):
    with app.app_context():
        books.set_hidden(db.session.get(Book, book.id), True)
        db.session.commit()
    login_as("collective")

    page = page_text(client.get(f"/books/{book.id}"))

    assert "Hidden from the public." in page
    assert hold_path(book) not in page


# --- The form ------------------------------------------------------------------------------


def test_the_form_opens_for_everyone_and_is_never_cached(visitor, book):
    response = visitor.get(hold_path(book))
    page = page_text(response)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "<h1>Hold a copy for pickup</h1>" in page
    assert "2 copies are free to hold." in page
    for label in ("Your name", "Email address", "Phone number", "Copies", "A note for us"):
        assert label in page
    assert 'max="2"' in page
    fields = hidden_fields(page)
    assert fields["kind"] == "hold"
    assert len(fields["request_key"]) >= 16 and fields["csrf_token"]


def test_each_opening_of_the_form_has_a_key_of_its_own(client, book):
    assert opened_form(client, book)["request_key"] != opened_form(client, book)["request_key"]


def test_the_form_for_an_out_of_stock_book_asks_for_an_order(client, make_book):
    page = page_text(client.get(hold_path(make_book(stock=0))))

    assert "<h1>Ask us to order it</h1>" in page
    assert "We'll order it for you" in page
    assert hidden_fields(page)["kind"] == "order"


def test_a_hidden_or_missing_book_has_no_form(client, app, book):
    with app.app_context():
        books.set_hidden(db.session.get(Book, book.id), True)
        db.session.commit()

    not_found_page(client.get(hold_path(book)))
    not_found_page(client.get("/books/999999/hold"))


# --- Placing a hold ------------------------------------------------------------------------


def test_a_hold_placed_in_opening_hours_is_put_aside_within_the_hour(app, visitor, book, clock):
    clock(TUESDAY_AFTERNOON)

    response = send_form(visitor, book, quantity="2")

    page = page_text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "<h1>We have your hold</h1>" in page
    assert "2 copies of “Dispersing Power” by Raúl Zibechi, held for pickup." in page
    assert PUT_ASIDE in page
    assert "we keep it for you for 7 days" in page
    [hold] = holds_of(app, book)
    assert reference_in(page) == hold.reference
    assert (hold.kind, hold.state, hold.quantity) == (HoldKind.HOLD, HoldState.NEW, 2)
    assert (hold.customer_name, hold.customer_email, hold.customer_phone, hold.note) == (
        "Robin Customer",
        "robin.customer@example.org",
        "828-555-0143",
        "After work",
    )


def test_a_hold_placed_on_a_monday_is_ready_on_tuesday(client, book, clock):
    clock(MONDAY_MORNING)

    page = page_text(send_form(client, book))

    assert CLOSED_MONDAYS in page


def test_the_confirmation_shows_none_of_the_customers_details(client, book, clock):
    clock(TUESDAY_AFTERNOON)

    page = page_text(send_form(client, book))

    for detail in ("Robin", "robin.customer@example.org", "555-0143", "After work"):
        assert detail not in page


def test_the_confirmation_says_how_to_reach_the_shop(client, app, book, clock, monkeypatch):
    monkeypatch.setitem(app.config, "STORE_PHONE", "828-555-0100")
    clock(TUESDAY_AFTERNOON)

    page = page_text(send_form(client, book))

    assert (
        'Call us at <a href="tel:8285550100">828-555-0100</a>, '
        f"and give your reference {reference_in(page)}."
    ) in page


def test_the_form_sent_twice_makes_one_hold_and_shows_the_same_confirmation(
    client, app, book, clock
):
    clock(TUESDAY_AFTERNOON)
    form = {**opened_form(client, book), **CUSTOMER}

    first = client.post(hold_path(book), data=form)
    again = client.post(hold_path(book), data=form)

    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert PUT_ASIDE in page_text(client.get(again.headers["Location"]))
    assert len(holds_of(app, book)) == 1


def test_the_log_names_the_hold_and_never_the_customer(client, book, clock, caplog):
    clock(TUESDAY_AFTERNOON)

    with caplog.at_level(logging.INFO, logger="firestorm"):
        page = page_text(send_form(client, book, quantity="2"))

    assert f"hold {reference_in(page)} placed for book {book.id}, 2 copies" in caplog.text
    for detail in ("Robin", "robin.customer", "555-0143", "After work"):
        assert detail not in caplog.text


def test_an_order_for_an_out_of_stock_book(client, app, make_book, clock):
    book = make_book("Emergent Strategy", authors=["adrienne maree brown"], stock=0)
    clock(TUESDAY_AFTERNOON)

    page = page_text(send_form(client, book, quantity="5"))

    assert "<h1>We have your order</h1>" in page
    assert "5 copies of “Emergent Strategy” by adrienne maree brown, to be ordered" in page
    assert "We&#39;ll order it and let you know when it arrives." in page
    [order] = holds_of(app, book)
    assert (order.kind, order.quantity) == (HoldKind.ORDER, 5)


# --- Bad input -----------------------------------------------------------------------------


def refused_page(response) -> str:
    assert response.status_code == 422
    assert response.headers["Cache-Control"] == "no-store"
    return page_text(response)


def test_more_copies_than_are_free_are_refused_offering_the_most(client, app, book):
    page = refused_page(send_form(client, book, quantity="3"))

    assert "Only 2 copies are free to hold; you can hold up to 2." in page
    assert 'value="3"' in page
    assert 'value="Robin Customer"' in page
    assert "After work</textarea>" in page
    assert holds_of(app, book) == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"email": "robin at home"}, "“robin at home” doesn&#39;t look like an email address."),
        ({"phone": "call me"}, "“call me” doesn&#39;t look like a phone number"),
        (
            {"email": "", "phone": ""},
            "Give an email address or a phone number, so we can reach you.",
        ),
        ({"name": ""}, "Give your name, so we know whose it is."),
        (
            {"name": "Visit http://evil.example/login"},
            "Please write just your name, without a web or email address.",
        ),
        ({"quantity": "two"}, "Give a number of copies from 1 to 2."),
    ],
)
def test_each_bad_detail_is_said_next_to_its_field_and_the_form_comes_back_filled_in(
    visitor, app, book, typed, message
):
    page = refused_page(send_form(visitor, book, **typed))

    assert f"<li>{message}" in page
    assert 'aria-invalid="true"' in page or 'aria-describedby="customer-contact-errors"' in page
    assert "After work</textarea>" in page
    assert hidden_fields(page)["kind"] == "hold"
    assert holds_of(app, book) == []


def test_a_refused_form_corrected_and_sent_again_places_the_hold(client, app, book, clock):
    clock(TUESDAY_AFTERNOON)
    refused = refused_page(send_form(client, book, email="nope"))

    again = client.post(hold_path(book), data={**hidden_fields(refused), **CUSTOMER})

    assert again.status_code == 303
    assert len(holds_of(app, book)) == 1


def test_when_the_last_copy_goes_while_the_form_is_open_the_customer_is_offered_an_order(
    client, app, make_book, clock
):
    clock(TUESDAY_AFTERNOON)
    book = make_book(stock=1)
    form = {**opened_form(client, book), **CUSTOMER}
    send_form(app.test_client(), book, name="Someone Quicker")

    page = refused_page(client.post(hold_path(book), data=form))

    assert "Someone has just taken the last copy" in page
    assert "<h1>Ask us to order it</h1>" in page
    assert hidden_fields(page)["kind"] == "order"
    assert 'value="Robin Customer"' in page
    ordered = client.post(
        hold_path(book), data={**hidden_fields(page), **CUSTOMER}, follow_redirects=True
    )
    assert "We have your order" in page_text(ordered)
    assert sorted(h.kind for h in holds_of(app, book)) == [HoldKind.HOLD, HoldKind.ORDER]


def test_a_hold_on_a_hidden_book_is_a_404(client, app, book):
    form = {**opened_form(client, book), **CUSTOMER}
    with app.app_context():
        books.set_hidden(db.session.get(Book, book.id), True)
        db.session.commit()

    assert client.post(hold_path(book), data=form).status_code == 404
    assert client.post("/books/999999/hold", data=form).status_code == 404
    assert holds_of(app, book) == []


def test_a_form_without_its_csrf_token_is_refused(client, app, book):
    form = {**opened_form(client, book), **CUSTOMER}
    del form["csrf_token"]

    assert client.post(hold_path(book), data=form).status_code == 400
    assert holds_of(app, book) == []


def test_a_form_without_its_key_is_refused_with_a_new_one(client, app, book):
    form = {**opened_form(client, book), **CUSTOMER, "request_key": ""}

    page = refused_page(client.post(hold_path(book), data=form))

    assert "This form is missing a piece: please send it again." in page
    assert len(hidden_fields(page)["request_key"]) >= 16


def test_holds_are_limited_per_address(client, app, make_book, clock):
    clock(TUESDAY_AFTERNOON)
    book = make_book(stock=20)
    for _ in range(10):
        assert send_form(client, book).status_code == 200

    response = send_form(client, book)

    assert response.status_code == 429
    assert "Many holds have been sent from your address in the last hour" in page_text(response)
    assert len(holds_of(app, book)) == 10
    assert app.test_client().get(hold_path(book)).status_code == 200


# --- The confirmation by email -------------------------------------------------------------


SENDING = "We're also sending this to the email address you gave."


def test_with_mail_configured_the_customer_is_mailed_the_same_words(
    client, book, clock, mail_server
):
    clock(MONDAY_MORNING)

    page = page_text(send_form(client, book))

    reference = reference_in(page)
    assert SENDING in page
    [message] = mail_server
    assert message["To"] == "robin.customer@example.org"
    assert message["Subject"] == f"Your hold at Firestorm Cafe & Books: {reference}"
    body = message.get_content()
    assert body.startswith(
        "Firestorm Cafe & Books has your hold: "
        "1 copy of “Dispersing Power” by Raúl Zibechi, held for pickup."
    )
    assert f"Your reference: {reference}" in body
    assert CLOSED_MONDAYS in body


def test_the_confirmation_is_mailed_once_the_hold_is_committed(
    client, book, clock, mail_server, monkeypatch
):
    """Never while the request holds the database's write lock, nor for a hold that might still
    be rolled back: another request already sees the hold when its email goes."""
    seen = read_when_mailed(monkeypatch, select(Hold.reference))
    clock(TUESDAY_AFTERNOON)

    page = page_text(send_form(client, book))

    assert seen == [[(reference_in(page),)]]
    assert len(mail_server) == 1


def test_the_same_form_sent_twice_is_mailed_once(client, book, clock, mail_server):
    clock(TUESDAY_AFTERNOON)
    form = {**opened_form(client, book), **CUSTOMER}

    client.post(hold_path(book), data=form)
    again = page_text(client.post(hold_path(book), data=form))

    assert len(mail_server) == 1
    assert SENDING not in again


def test_a_customer_with_only_a_phone_is_not_mailed(client, book, clock, mail_server):
    clock(TUESDAY_AFTERNOON)

    page = page_text(send_form(client, book, email=""))

    assert mail_server == []
    assert SENDING not in page


def test_without_mail_settings_the_page_promises_no_email(client, book, clock):
    clock(TUESDAY_AFTERNOON)

    page = page_text(send_form(client, book))

    assert reference_in(page)
    assert SENDING not in page
    assert "This site sends no email: keep this page's link, or write down your reference." in page


PROMISE = "We email you this confirmation, and tell you when it is ready."


def test_without_mail_settings_the_form_promises_no_email(client, book):
    form = page_text(client.get(hold_path(book)))

    assert PROMISE not in form
    assert "So we can tell you when it is ready." in form


def test_with_mail_settings_the_form_says_the_confirmation_is_emailed(client, book, mail_server):
    form = page_text(client.get(hold_path(book)))

    assert PROMISE in form


def test_a_refused_hold_mails_nobody(client, app, book, clock, mail_server):
    clock(TUESDAY_AFTERNOON)

    response = send_form(client, book, quantity="3")

    assert response.status_code == 422
    assert mail_server == []
    assert holds_of(app, book) == []


def test_when_mail_fails_the_hold_stands_and_the_log_has_no_address(
    client, app, book, clock, mail_server, monkeypatch, caplog
):
    def refuse(self, message):
        raise OSError("connection refused for Robin.Customer@example.org")

    monkeypatch.setattr(FakeSMTP, "send_message", refuse)
    clock(TUESDAY_AFTERNOON)

    with caplog.at_level(logging.WARNING, logger="firestorm"):
        response = send_form(client, book)

    page = page_text(response)
    assert response.status_code == 200
    assert PUT_ASIDE in page
    assert [hold.reference for hold in holds_of(app, book)] == [reference_in(page)]
    assert (
        f"Mail not sent, the confirmation of hold {reference_in(page)}: "
        "connection refused for <address>"
    ) in caplog.text
    assert "robin.customer@example.org" not in caplog.text.lower()


# --- Deleting a book that customers wait for -----------------------------------------------


def test_a_book_with_an_open_hold_is_not_deleted(client, app, book, login_as, post, clock):
    clock(TUESDAY_AFTERNOON)
    send_form(app.test_client(), book)
    member = login_as("collective")

    confirm = page_text(client.get(f"/collective/books/{book.id}/delete"))
    response = post(f"/collective/books/{book.id}/delete")

    said = "“Dispersing Power” has 1 open hold or order, so it stays in the catalog"
    to_the_desk = '<a href="/collective/holds">Open holds at the holds desk</a>'
    for page in (confirm, page_text(response)):
        assert said in page
        assert to_the_desk in page
        assert "where you can hide it" not in page
    assert response.status_code == 409
    (hold,) = holds_of(app, book)
    with app.app_context():
        desk.cancel_hold(
            hold.id, member.id, "The customer called", HoldState.NEW, TUESDAY_AFTERNOON
        )
        db.session.commit()
    assert post(f"/collective/books/{book.id}/delete").status_code == 302


# --- Valid HTML ------------------------------------------------------------------------------


def test_the_forms_and_confirmations_are_valid_html(
    tmp_path,
    app,
    client,
    make_book,
    book,
    clock,
    login_as,
    mail_server,
    nu_html_checker,
    monkeypatch,
):
    clock(MONDAY_MORNING)
    monkeypatch.setitem(app.config, "HOLD_EMAIL_LIMIT", "2 per day")
    sold_out = make_book("Sold Out", stock=0)
    pages = {
        "order-form": client.get(hold_path(sold_out)),
        "refused-hold": send_form(client, book, email="nope", phone="", quantity="9"),
        "refused-contact": send_form(client, book, email="", phone=""),
        "hold-confirmation": send_form(client, book),
        "order-confirmation": send_form(client, sold_out),
        "confirmation-not-mailed": send_form(client, book),
    }
    login_as("collective")
    pages["delete-refused-for-holds"] = client.get(f"/collective/books/{book.id}/delete")
    assert [response.status_code for response in pages.values()] == [200, 422, 422] + [200] * 4
    assert "We have not emailed this confirmation" in page_text(pages["confirmation-not-mailed"])

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)

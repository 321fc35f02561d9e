"""/order ("We can order it: tell us which book") as no one, a volunteer and a member: the links
to it, every kind of bad input, the confirmation (the order's own page) and its email; and at
the desk, the special order shown as asked and attached to a book once it is in the catalog."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from hold_helpers import hidden_fields, hold_now, hold_page_path
from html_checks import TUESDAY_AFTERNOON, check_html, describe_html_errors, save_responses
from public_pages import SITE_URL
from review_helpers import HTMX, page_text, token_of

from firestorm.database import db
from firestorm.holds.models import Hold, HoldKind, HoldState

ORDER = "/order"
THE_BOOK = {
    "title": "The Dispossessed",
    "author": "Ursula K. Le Guin",
    "isbn": "0-06-051275-X",
    "format": "paperback",
    "quantity": "2",
}
CUSTOMER = {"name": "Robin Customer", "email": "robin@example.org", "phone": "", "note": ""}
PRICE_LATER = "We&#39;ll confirm the price when the book arrives; you pay when you pick it up."


def send_order(client, **typed):
    """Open /order, fill it in and send it: the page it ends on (the order's own page, or the
    form again, refused)."""
    form = hidden_fields(page_text(client.get(ORDER)))
    return client.post(ORDER, data={**form, **THE_BOOK, **CUSTOMER, **typed}, follow_redirects=True)


def special_orders(app) -> list[Hold]:
    with app.app_context():
        orders = list(db.session.scalars(db.select(Hold).where(Hold.book_id.is_(None))))
        db.session.expunge_all()
        return orders


# --- The ways to it -----------------------------------------------------------------------------


def test_a_search_that_finds_nothing_offers_to_order_the_book(client, make_book):
    make_book("Dispersing Power", stock=1)

    page = page_text(client.get("/books?q=the+dispossessed"))

    assert (
        'We can order it: <a href="/order?title=the+dispossessed">tell us which book</a>.' in page
    )
    form = page_text(client.get("/order?title=the+dispossessed"))
    assert 'name="title" required type="text" value="the dispossessed"' in form


def test_the_footer_and_the_about_page_link_to_the_order_form(client):
    for path in ("/", "/hours", "/about"):
        assert '<a href="/order">Order any book</a>' in page_text(client.get(path))
    assert '<a href="/order">tell us which book</a>' in page_text(client.get("/about"))


def test_the_form_opens_for_everyone_and_is_never_cached(visitor):
    response = visitor.get(ORDER)

    page = page_text(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert "<h1>Ask us to order a book</h1>" in page
    assert "We'll confirm the price when the book arrives" in page
    for field in ("title", "author", "isbn", "format", "quantity", "name", "email", "phone"):
        assert f'name="{field}"' in page
    assert '<option value="paperback">' in page


# --- Sending it ----------------------------------------------------------------------------------


ORDER_PROMISE = "We email you a confirmation, and tell you when it arrives."


def test_without_mail_settings_the_order_form_promises_no_email(client):
    form = page_text(client.get(ORDER))

    assert ORDER_PROMISE not in form
    assert "So we can tell you when it arrives." in form


def test_with_mail_settings_the_order_form_says_the_confirmation_is_emailed(client, mail_server):
    form = page_text(client.get(ORDER))

    assert ORDER_PROMISE in form
    assert "So we can tell you when it arrives." not in form


def test_an_order_lands_on_its_own_page_saying_the_price_comes_later(app, visitor, clock):
    clock(TUESDAY_AFTERNOON)

    response = send_order(visitor)

    path = hold_page_path(response)
    page = page_text(response)
    assert "<h1>We have your order</h1>" in page
    assert (
        "2 copies of “The Dispossessed” by Ursula K. Le Guin "
        "(paperback, ISBN 978-0-06-051275-0), to be ordered for you."
    ) in page
    assert "We&#39;ll find it and order it, and let you know when it arrives." in page
    assert PRICE_LATER in page
    assert "Cancel this order" in page
    assert "in the catalog</a>" not in page
    assert response.headers["X-Robots-Tag"] == "noindex"
    [order] = special_orders(app)
    assert (order.kind, order.state, order.quantity, order.customer_name) == (
        HoldKind.ORDER,
        HoldState.NEW,
        2,
        "Robin Customer",
    )
    assert order.reference in page
    assert page_text(app.test_client().get(path)).count("The Dispossessed") >= 1


def test_the_same_form_sent_twice_is_one_order(app, client, clock):
    clock(TUESDAY_AFTERNOON)
    form = {**hidden_fields(page_text(client.get(ORDER))), **THE_BOOK, **CUSTOMER}

    first, again = client.post(ORDER, data=form), client.post(ORDER, data=form)

    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert len(special_orders(app)) == 1


BAD_INPUT = {
    "no title": ({"title": ""}, "title", "Give the book&#39;s title, as near as you know it."),
    "a wrong isbn": ({"isbn": "978-0-06-051275-1"}, "isbn", "last digit doesn&#39;t match"),
    "not an isbn": ({"isbn": "abc"}, "isbn", "An ISBN has 10 or 13 digits"),
    "too many": ({"quantity": "100"}, "quantity", "Give a number of copies from 1 to 99."),
    "not a number": ({"quantity": "two"}, "quantity", "Give a number of copies from 1 to 99."),
    "no name": ({"name": ""}, "name", "Give your name, so we know whose it is."),
    "no way to reach": ({"email": "", "phone": ""}, "contact", "Give an email address or a"),
    "a bad email": ({"email": "robin@"}, "email", "doesn&#39;t look like an email address"),
    "a bad phone": ({"phone": "call me"}, "phone", "doesn&#39;t look like a phone number"),
}


@pytest.mark.parametrize(("typed", "field", "said"), BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_is_said_next_to_its_field_and_what_was_typed_kept(
    app, client, clock, typed, field, said
):
    clock(TUESDAY_AFTERNOON)

    response = send_order(client, **typed)

    page = page_text(response, status=422)
    errors_id = "customer-contact-errors" if field == "contact" else f"{field}-errors"
    assert re.search(
        rf'<ul id="{errors_id}" class="field-errors">\s*<li>[^<]*{re.escape(said)}', page
    )
    if field != "contact":
        assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*name="{field}"', page) or (
            re.search(rf'<input[^>]*name="{field}"[^>]*aria-invalid="true"', page)
        )
    for name, value in {**THE_BOOK, **CUSTOMER, **typed}.items():
        if value and name not in ("quantity", "note"):
            assert f'value="{value}"' in page, name
    assert special_orders(app) == []


def test_an_order_without_its_csrf_token_or_key_is_refused(app, client):
    form = hidden_fields(page_text(client.get(ORDER)))

    no_token = client.post(ORDER, data={**THE_BOOK, **CUSTOMER, "request_key": form["request_key"]})
    no_key = client.post(ORDER, data={**THE_BOOK, **CUSTOMER, "csrf_token": form["csrf_token"]})

    assert no_token.status_code == 400
    assert "This form is missing a piece" in page_text(no_key, status=422)
    assert special_orders(app) == []


def test_orders_are_limited_per_address(app, client, clock, monkeypatch):
    monkeypatch.setitem(app.config, "HOLD_LIMIT", "2 per hour")
    clock(TUESDAY_AFTERNOON)
    for _ in range(2):
        assert send_order(client).status_code == 200

    response = send_order(client)

    assert "Too many orders at once" in page_text(response, status=429)
    assert len(special_orders(app)) == 2


def test_the_confirmation_email_carries_the_link_and_says_the_price_comes_later(
    client, clock, mail_server
):
    clock(TUESDAY_AFTERNOON)

    path = hold_page_path(send_order(client))

    [message] = mail_server
    body = message.get_content()
    assert f"\n{SITE_URL}{path}\n" in body
    assert "We'll confirm the price when the book arrives" in body
    assert "“The Dispossessed” by Ursula K. Le Guin (paperback, ISBN 978-0-06-051275-0)" in body


# --- At the desk ---------------------------------------------------------------------------------


def test_the_desk_shows_the_book_as_asked_and_attaches_it_once_added(
    app, client, login_as, make_book, clock, post
):
    clock(TUESDAY_AFTERNOON)
    customer_page = hold_page_path(send_order(app.test_client()))
    [order] = special_orders(app)
    make_book("The Dispossessed", authors=["Ursula K. Le Guin"], isbn13="9780060512750", stock=0)
    book = make_book("The Left Hand of Darkness", authors=["Ursula K. Le Guin"], stock=0)
    login_as("collective")

    desk = page_text(client.get("/collective/holds"))
    assert "A special order for 2 copies" in desk
    assert "<dd>“The Dispossessed” by Ursula K. Le Guin</dd>" in desk
    assert "<dd>978-0-06-051275-0</dd>" in desk and "<dd>paperback</dd>" in desk
    attach_path = f"/collective/holds/{order.id}/book"
    assert f'<a href="{attach_path}">Attach to a book in the catalog' in desk

    # Found by the ISBN the customer gave; another search finds the other one.
    by_isbn = page_text(client.get(attach_path))
    assert 'value="9780060512750"' in by_isbn
    assert "“The Dispossessed” by Ursula K. Le Guin · ISBN 978-0-06-051275-0" in by_isbn
    searched = page_text(client.get(f"{attach_path}?q=left+hand"))
    assert 'Attach to this book<span class="visually-hidden">: The Left Hand' in searched
    assert 'Attach to this book<span class="visually-hidden">: The Dispossessed' not in searched

    response = post(attach_path, {"book_id": str(book.id)})

    assert (response.status_code, response.headers["Location"]) == (
        303,
        f"/collective/holds/{order.id}",
    )
    page = page_text(client.get(response.headers["Location"]))
    assert f"Order {order.reference} is now for “The Left Hand of Darkness”." in page
    assert hold_now(app, order).book_id == book.id
    assert "Attach to a book" not in page
    assert "See “The Left Hand of Darkness” in the catalog" in page_text(
        app.test_client().get(customer_page)
    )


def test_attaching_twice_or_to_no_book_is_refused(app, client, login_as, make_book, clock, post):
    clock(TUESDAY_AFTERNOON)
    send_order(app.test_client())
    [order] = special_orders(app)
    book = make_book("The Dispossessed", stock=0)
    login_as("collective")
    attach_path = f"/collective/holds/{order.id}/book"

    no_book = post(attach_path, {"book_id": "999999"})
    past_the_ids = post(attach_path, {"book_id": "99999999999999999999"})
    post(attach_path, {"book_id": str(book.id)})
    again = post(attach_path, {"book_id": str(book.id)})

    assert "That book is no longer in the catalog" in page_text(no_book, status=422)
    assert "That book is no longer in the catalog" in page_text(past_the_ids, status=422)
    assert "This order is already for “The Dispossessed”." in page_text(again, status=409)
    assert post("/collective/holds/999999/book", {"book_id": str(book.id)}).status_code == 404


def test_strangers_are_sent_to_sign_in_and_volunteers_refused_at_the_attach_page(
    app, client, login_as, make_book, clock
):
    clock(TUESDAY_AFTERNOON)
    send_order(app.test_client())
    [order] = special_orders(app)
    book = make_book("The Dispossessed", stock=0)
    path = f"/collective/holds/{order.id}/book"
    data = {"csrf_token": token_of(client), "book_id": str(book.id)}

    for method in ("GET", "POST"):
        signed_out = client.open(path, method=method, data=data)
        location = urlsplit(signed_out.headers["Location"])
        assert (signed_out.status_code, location.path) == (302, "/login")
        assert parse_qs(location.query)["next"] == [path]
        assert client.open(path, method=method, data=data, headers=HTMX).status_code == 401
    login_as("volunteer")
    for method in ("GET", "POST"):
        assert client.open(path, method=method, data=data).status_code == 403
    assert hold_now(app, order).book_id is None


# --- Valid HTML -----------------------------------------------------------------------------------


def test_the_order_pages_are_valid_html(
    tmp_path, app, client, login_as, make_book, clock, nu_html_checker
):
    clock(TUESDAY_AFTERNOON)
    customer = app.test_client()
    pages = {
        "order-form": customer.get("/order?title=the+dispossessed"),
        "order-refused": send_order(customer, title="", isbn="12", email="", phone=""),
        "order-confirmation": send_order(customer),
        "catalog-order-link": customer.get("/books?q=the+dispossessed"),
    }
    [order] = special_orders(app)
    make_book("The Dispossessed", isbn13="9780060512750", stock=0)
    login_as("collective")
    pages["desk-special-order"] = client.get("/collective/holds")
    pages["desk-attach"] = client.get(f"/collective/holds/{order.id}/book")
    pages["desk-attach-nothing-found"] = client.get(f"/collective/holds/{order.id}/book?q=zzzz")
    assert [response.status_code for response in pages.values()] == [200, 422] + [200] * 5

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


def test_the_format_field_suggests_the_formats_the_catalog_uses(client, make_book):
    make_book("Riso Dreams", book_format="risograph zine")

    page = client.get("/order").get_data(as_text=True)

    suggestions = page[page.index('<datalist id="book-formats">') :]
    for name in ("paperback", "hardcover", "risograph zine"):
        assert f'<option value="{name}">' in suggestions

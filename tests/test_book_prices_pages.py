"""A book's price, format and number of pages on the pages: typed on the desk's book form (the
price the shop's locale's way; each refused in words next to its field), the price and format
shown wherever a book is: lists, its page, the hold form, shelf-talkers and what search engines
read; the number of pages on the book's own page (its JSON-LD: test_structured_data.py). No
price says nothing; 0 is "Free"; an unknown page count says nothing."""

import json
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from page_reading import words_in
from review_helpers import page_text
from sqlalchemy import select

from firestorm.catalog.models import Book
from firestorm.database import db

FORM = {
    "title": "Dispersing Power",
    "authors": "Raúl Zibechi",
    "publisher": "AK Press",
    "stock": "2",
    "price": "18",
    "format": "paperback",
}


def stored(in_app, title: str) -> Book | None:
    with in_app():
        book = db.session.scalar(select(Book).filter_by(title=title))
        if book is not None:
            db.session.expunge(book)
        return book


def typed_in(page: str, field: str) -> str:
    """What the form's text input holds."""
    found = re.search(rf'<input [^>]*name="{field}"[^>]*value="([^"]*)"', page)
    assert found, f"no {field} input with a value"
    return found.group(1)


def field_errors(page: str, field: str) -> str:
    return page.split(f'id="{field}-errors"')[1].split("</ul>")[0]


@pytest.fixture
def member(login_as):
    return login_as("collective")


@pytest.fixture
def in_germany(app, monkeypatch):
    monkeypatch.setitem(app.config, "CURRENCY", "EUR")
    monkeypatch.setitem(app.config, "LOCALE", "de_DE")
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENTRIES", 0)


@pytest.fixture
def priced(make_book):
    return make_book(
        "Dispersing Power",
        ["Raúl Zibechi"],
        stock=2,
        price=Decimal("18.00"),
        book_format="paperback",
    )


# --- The desk's book form --------------------------------------------------------------------


def test_a_price_and_format_typed_on_the_form_are_kept(client, in_app, member, post):
    response = post("/collective/books", FORM)

    book = stored(in_app, "Dispersing Power")
    assert response.status_code == 302
    assert (book.price, book.format) == (Decimal("18.00"), "paperback")
    form = page_text(client.get(f"/collective/books/{book.id}/edit"))
    assert (typed_in(form, "price"), typed_in(form, "format")) == ("18.00", "paperback")


def test_the_form_offers_the_usual_formats_and_those_the_catalog_uses(client, make_book, member):
    make_book("Some Poems", book_format="chapbook")
    make_book("More Poems", book_format="Chapbook")

    page = page_text(client.get("/collective/books/new"))

    offered = re.findall(r'<option value="([^"]*)">', page.split('<datalist id="book-formats">')[1])
    assert offered == ["paperback", "hardcover", "zine", "Chapbook"]
    assert 'list="book-formats"' in page


def test_an_empty_price_is_no_price_and_zero_is_free(client, in_app, member, post):
    post("/collective/books", {**FORM, "price": ""})
    post("/collective/books", {**FORM, "title": "Zine Library", "price": "0", "format": ""})

    assert stored(in_app, "Dispersing Power").price is None
    free = stored(in_app, "Zine Library")
    assert (free.price, free.format) == (Decimal("0.00"), "")


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("-5", "can&#39;t be below zero"),
        ("12,5", "Give the price as a number, like 18.00"),
        ("free", "Give the price as a number, like 18.00"),
        ("18.005", "at most 2 decimals"),
        ("5000000", "Give a price under $1,000,000.00"),
    ],
)
def test_a_bad_price_comes_back_next_to_its_field_as_typed(in_app, member, post, typed, words):
    response = post("/collective/books", {**FORM, "price": typed})

    page = page_text(response, status=422)
    assert words in field_errors(page, "price")
    assert typed_in(page, "price") == typed, "what was typed stays"
    assert typed_in(page, "format") == "paperback"
    assert stored(in_app, "Dispersing Power") is None, "nothing is half-written"


def test_a_bad_price_on_an_edit_changes_nothing(client, in_app, member, post, priced):
    response = post(f"/collective/books/{priced.id}", {**FORM, "price": "-1", "format": "zine"})

    assert response.status_code == 422
    book = stored(in_app, "Dispersing Power")
    assert (book.price, book.format) == (Decimal("18.00"), "paperback")


def test_a_format_too_long_is_refused(in_app, member, post):
    response = post("/collective/books", {**FORM, "format": "x" * 41})

    assert "Keep the format under 40 characters" in field_errors(page_text(response, 422), "format")


def test_in_germany_prices_are_typed_and_shown_the_german_way(
    client, in_app, member, post, in_germany
):
    post("/collective/books", {**FORM, "price": "12,5"})
    refused = post("/collective/books", {**FORM, "title": "Other", "price": "12.50"})

    book = stored(in_app, "Dispersing Power")
    assert book.price == Decimal("12.50")
    assert "like 18,00" in field_errors(page_text(refused, 422), "price")
    assert typed_in(page_text(client.get(f"/collective/books/{book.id}/edit")), "price") == "12,50"
    assert "12,50 €, paperback" in words_in(page_text(client.get(f"/books/{book.id}")))


def test_a_number_of_pages_typed_on_the_form_is_kept_and_shown_again(client, in_app, member, post):
    post("/collective/books", {**FORM, "page_count": " 320 "})
    post("/collective/books", {**FORM, "title": "Unknown Length", "page_count": ""})

    book = stored(in_app, "Dispersing Power")
    assert book.page_count == 320
    assert stored(in_app, "Unknown Length").page_count is None
    assert (
        typed_in(page_text(client.get(f"/collective/books/{book.id}/edit")), "page_count") == "320"
    )


@pytest.mark.parametrize("typed", ["0", "-12", "three hundred", "12.5", "100001"])
def test_a_bad_number_of_pages_comes_back_next_to_its_field_as_typed(in_app, member, post, typed):
    response = post("/collective/books", {**FORM, "page_count": typed})

    page = page_text(response, status=422)
    assert "Give the number of pages as a whole number from 1 to 100,000, like 320." in (
        field_errors(page, "page_count")
    )
    assert typed_in(page, "page_count") == typed, "what was typed stays"
    assert stored(in_app, "Dispersing Power") is None


def test_emptying_the_number_of_pages_forgets_it(in_app, member, post, make_book):
    book = make_book("Dispersing Power", ["Raúl Zibechi"], page_count=160)

    refused = post(f"/collective/books/{book.id}", {**FORM, "page_count": "0"})
    assert stored(in_app, "Dispersing Power").page_count == 160, "a refused edit changes nothing"
    post(f"/collective/books/{book.id}", {**FORM, "page_count": ""})

    assert refused.status_code == 422
    assert stored(in_app, "Dispersing Power").page_count is None


def test_only_members_may_see_or_set_a_price(client, in_app, login_as, post, priced):
    stranger = client.get(f"/collective/books/{priced.id}/edit")
    login_as("volunteer")
    volunteer = post(f"/collective/books/{priced.id}", {**FORM, "price": "1"})

    assert stranger.status_code == 302
    assert urlsplit(stranger.headers["Location"]).path == "/login"
    assert volunteer.status_code == 403
    assert stored(in_app, "Dispersing Power").price == Decimal("18.00")


# --- Where the public sees it ------------------------------------------------------------------


def test_the_book_page_and_the_lists_show_price_and_format(
    client, priced, make_user, publish_review
):
    reviewer = make_user(display_name="Robin")
    publish_review(priced, reviewer)

    for path in (
        f"/books/{priced.id}",
        "/books",
        "/books?q=dispersing",
        "/",
        "/reviews",
        f"/reviewers/{reviewer.id}",
    ):
        assert "$18.00, paperback" in words_in(page_text(client.get(path))), path


def test_a_free_book_says_free(client, make_book):
    book = make_book("Zine Library", price=Decimal("0"), stock=1)

    for path in (f"/books/{book.id}", "/books"):
        words = words_in(page_text(client.get(path)))
        assert "Free" in words and "$0.00" not in words, path


def test_a_book_without_a_price_says_nothing_about_it(client, make_book):
    book = make_book("Unpriced", stock=1)

    for path in (f"/books/{book.id}", "/books", f"/books/{book.id}/hold"):
        page = page_text(client.get(path))
        assert "$" not in words_in(page) and "Free" not in words_in(page), path
        assert 'class="price' not in page and "You pay $" not in page, path


def test_a_format_alone_is_shown_alone(client, make_book):
    book = make_book("Zine", book_format="zine", stock=1)

    page = page_text(client.get(f"/books/{book.id}"))

    assert '<p class="price price-large">zine</p>' in page


def test_the_book_page_gives_the_number_of_pages_with_the_format(client, make_book, priced):
    one_page = make_book("Broadside", page_count=1, stock=1)
    with_pages = make_book(
        "Kindred", price=Decimal("18.00"), book_format="paperback", page_count=1_024, stock=1
    )
    pages_alone = make_book("Long Zine", page_count=48, stock=1)

    assert "$18.00, paperback, 1,024 pages" in words_in(
        page_text(client.get(f"/books/{with_pages.id}"))
    )
    assert '<p class="price price-large">1 page</p>' in page_text(
        client.get(f"/books/{one_page.id}")
    )
    assert '<p class="price price-large">48 pages</p>' in page_text(
        client.get(f"/books/{pages_alone.id}")
    )
    assert '<p class="price price-large">$18.00, paperback</p>' in page_text(
        client.get(f"/books/{priced.id}")
    ), "an unknown page count says nothing"
    assert "1,024 pages" not in words_in(page_text(client.get("/books"))), "the book's page only"


def test_the_hold_form_says_what_the_customer_pays(client, make_book, priced):
    one_copy = make_book("Last One", price=Decimal("12.50"), stock=1)
    free = make_book("Free Zine", price=Decimal("0"), stock=1)

    assert "You pay $12.50 when you pick it up." in words_in(
        page_text(client.get(f"/books/{one_copy.id}/hold"))
    )
    assert "You pay $18.00 when you pick it up, for each copy." in words_in(
        page_text(client.get(f"/books/{priced.id}/hold"))
    )
    assert "It is free: nothing to pay when you pick it up." in words_in(
        page_text(client.get(f"/books/{free.id}/hold"))
    )


def test_a_shelf_talker_shows_price_and_format(client, login_as, make_user, publish_review, priced):
    review = publish_review(priced, make_user(display_name="Robin"))
    login_as("collective")

    sheet = page_text(client.get(f"/collective/shelf-talkers/sheet?review={review.id}"))

    assert '<p class="talker-price">$18.00, paperback</p>' in sheet


# --- What search engines read --------------------------------------------------------------------


def offer_of(client, book) -> dict:
    page = page_text(client.get(f"/books/{book.id}"))
    block = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    (found,) = [node for node in json.loads(block)["@graph"] if node["@type"] == "Book"]
    return found["offers"]


def test_the_offer_has_the_price_as_a_string_and_the_currency(client, priced, make_book):
    free = make_book("Free Zine", price=Decimal("0"), stock=1)
    unpriced = make_book("Unpriced", stock=1)

    offer = offer_of(client, priced)
    assert (offer["price"], offer["priceCurrency"]) == ("18.00", "USD")
    assert (offer_of(client, free)["price"], offer_of(client, free)["priceCurrency"]) == (
        "0.00",
        "USD",
    )
    assert "price" not in offer_of(client, unpriced)
    assert "priceCurrency" not in offer_of(client, unpriced)


def test_the_offer_in_euros(client, priced, in_germany):
    offer = offer_of(client, priced)

    assert (offer["price"], offer["priceCurrency"]) == ("18.00", "EUR")

"""What a shared link shows: a book's cover as JPEG, or its share card (a 1200 × 630 PNG of its
title and authors at an address that changes with them); the shop's card on the home page;
covers as JPEG at /covers/<key>.jpg; all of them cached for a year."""

import re

import cover_images as images
import pytest
from html_checks import PageElements
from review_helpers import page_text
from shelf_helpers import hide
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from firestorm.catalog import books
from firestorm.catalog.covers import store_cover
from firestorm.catalog.models import Book
from firestorm.database import db

SITE = "https://books.example.org"
FOR_A_YEAR = "public, max-age=31536000, immutable"
CARD_ADDRESS = re.compile(re.escape(SITE) + r"(/books/\d+/share-[0-9a-f]{16}\.png)")
STORE_CARD_ADDRESS = re.compile(re.escape(SITE) + r"(/share-[0-9a-f]{16}\.png)")


def meta(response, key: str) -> list[str]:
    """The content of every <meta> in the head whose name or property is `key`."""
    head = page_text(response).split("</head>")[0]
    return [
        attrs["content"]
        for tag, attrs in PageElements(head).elements
        if tag == "meta" and key in (attrs.get("name"), attrs.get("property"))
    ]


def shared_path(response, address: re.Pattern) -> str:
    (image,) = meta(response, "og:image")
    found = address.fullmatch(image)
    assert found, image
    return found.group(1)


@pytest.fixture
def give_cover(in_app, covers_dir):
    def give_cover(book, data=None) -> str:
        with in_app():
            stored = db.session.get(Book, book.id)
            store_cover(stored, data or images.jpeg((1200, 1800)), covers_dir)
            db.session.commit()
            return stored.cover_key

    return give_cover


@pytest.fixture
def rename(in_app):
    """rename(book, title, authors): the book's title and authors changed as the book form does."""

    def rename(book, title, authors):
        with in_app():
            loaded = db.session.scalar(
                books.with_authors(select(Book).where(Book.id == book.id)).options(
                    selectinload(Book.shelves)
                )
            )
            books.update_book(loaded, books.BookDetails(title=title, authors=tuple(authors)))
            db.session.commit()

    return rename


# --- A book with a cover --------------------------------------------------------------------


def test_a_book_with_a_cover_is_shared_with_it_as_jpeg(client, make_book, give_cover):
    book = make_book("Dispersing Power", authors=["Raúl Zibechi"])
    key = give_cover(book)

    response = client.get(f"/books/{book.id}")

    assert meta(response, "og:image") == [f"{SITE}/covers/{key}.jpg"]
    assert meta(response, "og:image:type") == ["image/jpeg"]
    assert (meta(response, "og:image:width"), meta(response, "og:image:height")) == (
        ["600"],
        ["900"],
    )
    assert meta(response, "og:image:alt") == ["Cover of Dispersing Power"]
    assert meta(response, "twitter:card") == ["summary_large_image"]
    assert meta(response, "twitter:image") == [f"{SITE}/covers/{key}.jpg"]


@pytest.mark.parametrize(("suffix", "size"), [("", (600, 900)), ("-thumb", (160, 240))])
def test_a_cover_is_served_as_a_jpeg_for_a_year(client, make_book, give_cover, suffix, size):
    key = give_cover(make_book("Dispersing Power"))

    response = client.get(f"/covers/{key}{suffix}.jpg")

    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == FOR_A_YEAR
    image = images.opened(response.data)
    assert (image.format, image.size) == ("JPEG", size)
    # The cover's own colour, not a blank picture (JPEG shifts it a little).
    red, green, blue = image.convert("RGB").getpixel((size[0] // 2, size[1] // 2))
    assert red > 150 and green < 80 and blue < 80


def test_a_jpeg_cover_the_browser_has_is_not_sent_again(client, make_book, give_cover):
    key = give_cover(make_book("Dispersing Power"))
    first = client.get(f"/covers/{key}.jpg")

    again = client.get(f"/covers/{key}.jpg", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304 and again.data == b""
    # Another picture from the WebP's: another tag.
    assert first.headers["ETag"] != client.get(f"/covers/{key}.webp").headers["ETag"]


@pytest.mark.parametrize(
    "name",
    [
        "0123456789abcdef0123456789abcdef.jpg",  # the right shape, no such cover
        "{KEY}.jpg",
        "{key}.jpeg",
        "{key}.JPG",
        "{key}.jpg.webp",
        "{key}-thumb-thumb.jpg",
        "..%2f{key}.jpg",
    ],
)
def test_only_the_names_of_stored_covers_are_served_as_jpeg(client, make_book, give_cover, name):
    key = give_cover(make_book("Dispersing Power"))

    response = client.get("/covers/" + name.format(key=key, KEY=key.upper()))

    assert response.status_code == 404
    assert "find that page" in page_text(response, status=404)


# --- A book without a cover -----------------------------------------------------------------


def test_a_book_without_a_cover_is_shared_with_its_card(client, make_book):
    book = make_book("Emergent Strategy", authors=["adrienne maree brown"])

    response = client.get(f"/books/{book.id}")

    path = shared_path(response, CARD_ADDRESS)
    assert path.startswith(f"/books/{book.id}/share-")
    assert meta(response, "og:image:type") == ["image/png"]
    assert (meta(response, "og:image:width"), meta(response, "og:image:height")) == (
        ["1200"],
        ["630"],
    )
    assert meta(response, "og:image:alt") == ["Emergent Strategy by adrienne maree brown"]
    assert meta(response, "twitter:card") == ["summary_large_image"]
    assert meta(response, "twitter:image") == meta(response, "og:image")


def test_the_card_is_a_1200_by_630_png_kept_for_a_year(client, make_book):
    book = make_book("Emergent Strategy", authors=["adrienne maree brown"])
    path = shared_path(client.get(f"/books/{book.id}"), CARD_ADDRESS)

    response = client.get(path)

    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == FOR_A_YEAR
    image = images.opened(response.data)
    assert (image.format, image.size) == ("PNG", (1200, 630))
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_card_changes_address_when_the_title_or_authors_change(client, make_book, rename):
    book = make_book("Emergent Strategy", authors=["adrienne maree brown"])
    first_path = shared_path(client.get(f"/books/{book.id}"), CARD_ADDRESS)
    first_card = client.get(first_path).data

    rename(book, "Pleasure Activism", ["adrienne maree brown"])
    retitled_path = shared_path(client.get(f"/books/{book.id}"), CARD_ADDRESS)
    rename(book, "Pleasure Activism", ["adrienne maree brown", "Walidah Imarisha"])
    second_author_path = shared_path(client.get(f"/books/{book.id}"), CARD_ADDRESS)

    assert len({first_path, retitled_path, second_author_path}) == 3
    assert client.get(second_author_path).data != first_card
    # A link shared before the change still shows a picture: the card as it is now.
    old = client.get(first_path)
    assert old.status_code == 302
    assert old.headers["Location"] == second_author_path


def test_books_with_other_titles_have_other_cards(client, make_book):
    paths = [
        shared_path(client.get(f"/books/{make_book(title).id}"), CARD_ADDRESS)
        for title in ("Emergent Strategy", "Pleasure Activism")
    ]

    first, second = (client.get(path).data for path in paths)

    assert first != second


def test_a_card_is_drawn_for_a_book_the_public_sees_only(client, app, make_book, login_as):
    book = make_book("Withdrawn Title")
    path = shared_path(client.get(f"/books/{book.id}"), CARD_ADDRESS)
    hide(app, book)

    assert client.get(path).status_code == 404
    assert client.get("/books/999999/share-0123456789abcdef.png").status_code == 404
    login_as("collective")
    assert client.get(path).status_code == 404


def test_a_signed_in_member_caches_cards_too(client, make_book, login_as):
    book = make_book("Emergent Strategy")
    path = shared_path(client.get(f"/books/{book.id}"), CARD_ADDRESS)
    login_as("collective")

    response = client.get(path)

    assert response.headers["Cache-Control"] == FOR_A_YEAR


# --- The shop -------------------------------------------------------------------------------


def test_the_home_page_is_shared_with_the_shops_description_and_card(client):
    response = client.get("/")

    assert meta(response, "og:description") == meta(response, "description")
    assert "Firestorm Cafe & Books, a collective-run cafe" in meta(response, "og:description")[0]
    path = shared_path(response, STORE_CARD_ADDRESS)
    assert meta(response, "og:image:alt") == [
        "Firestorm Cafe & Books, 610 Haywood Rd, Asheville NC"
    ]
    assert meta(response, "twitter:card") == ["summary_large_image"]
    card = client.get(path)
    assert card.status_code == 200 and card.headers["Cache-Control"] == FOR_A_YEAR
    assert images.opened(card.data).size == (1200, 630)


def test_the_shops_card_changes_address_with_its_name(client, app, monkeypatch):
    before = shared_path(client.get("/"), STORE_CARD_ADDRESS)
    monkeypatch.setitem(app.config, "STORE_NAME", "Firestorm Books")

    after = client.get(before)

    assert after.status_code == 302 and after.headers["Location"] != before
    assert images.opened(client.get(after.headers["Location"]).data).size == (1200, 630)

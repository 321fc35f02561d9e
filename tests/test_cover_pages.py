"""Covers on the public pages: /covers/<name> served for a year, nothing else in (or outside)
the folder reachable, and every place a book shows using its cover."""

import cover_images as images
import pytest
from html_checks import TUESDAY_AFTERNOON, PageElements, check_html, describe_html_errors
from review_helpers import page_text

from firestorm.catalog.covers import store_cover
from firestorm.catalog.models import Book
from firestorm.database import db


@pytest.fixture
def give_cover(in_app, covers_dir):
    """give_cover(book, data) -> the key of the cover stored for the book and committed."""

    def give_cover(book, data=None):
        with in_app():
            stored = db.session.get(Book, book.id)
            store_cover(stored, data or images.jpeg((1200, 1800)), covers_dir)
            db.session.commit()
            return stored.cover_key

    return give_cover


@pytest.fixture
def covered_book(make_book, give_cover):
    book = make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)
    return book, give_cover(book)


def images_on(response) -> list[dict]:
    return [attrs for tag, attrs in PageElements(page_text(response)).elements if tag == "img"]


# --- Serving the files ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-thumb"])
def test_a_cover_is_served_as_webp_for_a_year(client, covered_book, covers_dir, suffix):
    _, key = covered_book

    response = client.get(f"/covers/{key}{suffix}.webp")

    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.data == (covers_dir / f"{key}{suffix}.webp").read_bytes()
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_signed_in_member_caches_covers_too(client, login_as, covered_book):
    # Pages are no-store for a signed-in member (a shared computer); a cover is public.
    login_as("collective")
    _, key = covered_book

    response = client.get(f"/covers/{key}.webp")

    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/books").headers["Cache-Control"] == "no-store"


def test_a_cover_the_browser_has_is_not_sent_again(client, covered_book):
    _, key = covered_book
    first = client.get(f"/covers/{key}.webp")

    again = client.get(f"/covers/{key}.webp", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize(
    "path",
    [
        "/covers/0123456789abcdef0123456789abcdef.webp",  # the right shape, no such cover
        "/covers/..%2fsecret_key",
        "/covers/%2e%2e%2fsecret_key",
        "/covers/../secret_key",
        "/covers/..%2F..%2Fapp.py",
        "/covers/%2fetc%2fpasswd",
        "/covers/notes.txt",
        "/covers/{key}.WEBP",
        "/covers/{KEY}.webp",
        "/covers/{key}.webp.bak",
        "/covers/{key}.jpeg",
        "/covers/{key}.JPG",
        "/covers/{key}-thumb.webp.jpg",
        "/covers/{key}-thumb-thumb.webp",
        "/covers/{key}.webp%00.txt",
        "/covers/.{key}.webp.partial",
        "/covers/{key}.webp/",
        "/covers/",
    ],
)
def test_nothing_else_is_served(client, covered_book, covers_dir, path):
    _, key = covered_book
    (covers_dir / "notes.txt").write_text("not a cover")
    (covers_dir / f".{key}.webp.partial").write_bytes(b"half a file")

    response = client.get(path.format(key=key, KEY=key.upper()))

    assert response.status_code == 404
    assert "find that page" in page_text(response, status=404)  # the site's own 404 page
    assert b"not a cover" not in response.data and b"half a file" not in response.data


# --- The pages that show books --------------------------------------------------------------


def test_the_book_page_shows_the_display_image(client, covered_book):
    book, key = covered_book

    (cover,) = images_on(client.get(f"/books/{book.id}"))

    assert cover["src"] == f"/covers/{key}.webp"
    assert cover["alt"] == "Cover of Dispersing Power"
    assert (cover["width"], cover["height"]) == ("600", "900")
    # At the top of the page: loaded at once, not when scrolled to.
    assert "loading" not in cover


@pytest.mark.parametrize("path", ["/books", "/books?q=dispersing", "/"])
def test_lists_show_the_thumbnail_lazily(client, covered_book, path):
    _, key = covered_book

    (cover,) = images_on(client.get(path))

    assert cover["src"] == f"/covers/{key}-thumb.webp"
    assert cover["alt"] == "Cover of Dispersing Power"
    assert (cover["width"], cover["height"]) == ("160", "240")
    assert cover["loading"] == "lazy"


def test_the_reviews_lists_show_the_books_cover(client, covered_book, make_user, publish_review):
    book, key = covered_book
    reviewer = make_user(display_name="Sam Reviewer")
    publish_review(book, reviewer)

    for path in ("/reviews", f"/reviewers/{reviewer.id}"):
        (cover,) = images_on(client.get(path))

        assert cover["src"] == f"/covers/{key}-thumb.webp", path
        assert (cover["alt"], cover["loading"]) == ("Cover of Dispersing Power", "lazy"), path


def test_a_review_of_a_book_without_a_cover_shows_the_typographic_one(
    client, make_book, make_user, publish_review
):
    publish_review(make_book("Emergent Strategy"), make_user())

    page = page_text(client.get("/reviews"))

    assert 'class="cover cover-tone' in page and "<img" not in page


def test_the_thumbnail_size_is_the_files_own(client, make_book, give_cover, covers_dir):
    # A wide image: the page must reserve exactly the space the file will take.
    book = make_book("Wide")
    key = give_cover(book, images.png((900, 300)))

    (cover,) = images_on(client.get("/books"))

    stored = images.opened((covers_dir / f"{key}-thumb.webp").read_bytes())
    assert (cover["width"], cover["height"]) == tuple(str(side) for side in stored.size)


def test_a_book_without_a_cover_keeps_its_typographic_cover(client, covered_book, make_book):
    plain = make_book("Emergent Strategy", authors=["adrienne maree brown"])

    page = client.get(f"/books/{plain.id}")
    catalog = client.get("/books")

    assert images_on(page) == []
    assert 'class="cover cover-tone' in page_text(page)
    assert [image["alt"] for image in images_on(catalog)] == ["Cover of Dispersing Power"]
    assert page_text(catalog).count('class="cover cover-tone') == 1


def test_covers_cost_the_lists_no_query(client, make_book, give_cover, count_queries):
    shelf = [make_book(f"Book {number}") for number in range(3)]
    with count_queries() as without_covers:
        client.get("/books")

    for number, book in enumerate(shelf):
        give_cover(book, images.png(colour=(number * 80, 30, 30)))
    with count_queries() as with_covers:
        catalog = client.get("/books")

    assert len(images_on(catalog)) == 3
    assert len(with_covers) == len(without_covers)


def test_pages_with_covers_are_valid_html(
    tmp_path, client, clock, covered_book, make_book, make_user, publish_review, nu_html_checker
):
    book, _ = covered_book
    make_book("Emergent Strategy")
    clock(TUESDAY_AFTERNOON)
    files = []
    publish_review(book, make_user())
    pages = [("book", f"/books/{book.id}"), ("catalog", "/books"), ("home", "/")]
    for name, path in [*pages, ("reviews", "/reviews")]:
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(client.get(path).data)

    errors = check_html(nu_html_checker, files)

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


@pytest.mark.parametrize(
    "path",
    ["/covers/" + "0" * 32 + ".webp", "/covers/not-a-cover.webp", "/static/css/missing.css"],
)
def test_a_missing_file_is_a_page_a_signed_in_member_never_leaves_behind(client, login_as, path):
    # The 404 page carries the member's navigation and CSRF token, like any signed-in page.
    login_as("collective", display_name="Ash")

    response = client.get(path)

    assert response.status_code == 404
    assert "Ash" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"

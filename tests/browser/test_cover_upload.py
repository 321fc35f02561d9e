"""Covers in a real browser: a cover chosen on the book form appears on the book page and in the
catalog, loaded under the site's Content-Security-Policy; a bad file is refused next to the
field. (Named apart from tests/test_covers.py: test modules need unique names.)"""

import cover_images as images
from browser_checks import describe_violations
from playwright.sync_api import expect

from firestorm.catalog.covers import store_cover
from firestorm.catalog.models import Book
from firestorm.database import db


def choose_cover(page, data: bytes, name: str, mime: str) -> None:
    page.get_by_label("Cover image").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )


def natural_size(image) -> list[int]:
    return image.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")


def test_a_cover_chosen_on_the_form_appears_on_the_book_page(
    page, context, sign_in_browser, covers_dir
):
    sign_in_browser(context, role="collective")
    page.goto("/collective/books/new")
    page.get_by_label("Title", exact=True).fill("Emergent Strategy")
    page.get_by_label("Authors, one per line").fill("adrienne maree brown")
    # A PNG with a .jpg name: the bytes decide.
    choose_cover(page, images.png((1200, 1800)), "photo-of-the-cover.jpg", "image/jpeg")
    page.get_by_role("button", name="Add the book").click()
    expect(page.get_by_role("img", name="Cover of Emergent Strategy")).to_be_visible()

    page.get_by_role("link", name="See its public page").click()

    cover = page.get_by_role("img", name="Cover of Emergent Strategy")
    expect(cover).to_be_visible()
    # Loaded, not blocked by the CSP nor broken: the browser decoded the 600 × 900 image.
    page.wait_for_function("() => document.querySelector('img.cover-image').complete")
    assert natural_size(cover) == [True, 600, 900]

    page.goto("/books")
    thumbnail = page.get_by_role("img", name="Cover of Emergent Strategy")
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('img.cover-image').naturalWidth > 0")
    assert natural_size(thumbnail) == [True, 160, 240]


def test_a_text_file_as_a_cover_is_refused_next_to_the_field(
    page, context, sign_in_browser, covers_dir
):
    sign_in_browser(context, role="collective")
    page.goto("/collective/books/new")
    page.get_by_label("Title", exact=True).fill("Emergent Strategy")
    choose_cover(page, b"Order more oat milk.\n", "cover.png", "image/png")

    page.get_by_role("button", name="Add the book").click()

    expect(page.locator("#cover-errors")).to_have_text(
        "That file is not a JPEG, PNG or WebP image."
    )
    expect(page.get_by_label("Title", exact=True)).to_have_value("Emergent Strategy")
    assert list(covers_dir.iterdir()) == []


def test_pages_with_a_cover_have_no_accessibility_violations(
    page, context, sign_in_browser, make_book, in_app, covers_dir, axe_violations
):
    book = make_book("Emergent Strategy")
    with in_app():
        store_cover(db.session.get(Book, book.id), images.jpeg((900, 1350)), covers_dir)
        db.session.commit()

    for path in (f"/books/{book.id}", "/books"):
        page.goto(path)
        violations = axe_violations(page)
        assert not violations, f"{path}: {describe_violations(violations)}"
    sign_in_browser(context, role="collective")
    page.goto(f"/collective/books/{book.id}/edit")
    violations = axe_violations(page)
    assert not violations, f"edit page: {describe_violations(violations)}"

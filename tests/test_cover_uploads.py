"""Covers through the book form at /collective/books: uploading, replacing, removing, and every
bad file refused next to the cover field with the rest of the form kept."""

import cover_images as images
import pytest
from book_form_helpers import GOOD_FORM, stored, with_cover
from html_checks import PageElements, check_html, describe_html_errors, save_responses
from review_helpers import page_text


@pytest.fixture(autouse=True)
def member(login_as):
    return login_as("collective")


def files_in(folder) -> set[str]:
    return {path.name for path in folder.iterdir()}


def cover_errors(page: str) -> str:
    return page.split('id="cover-errors"')[1].split("</ul>")[0]


def cover_shown(client, book_id) -> str | None:
    found = [
        a["src"]
        for t, a in PageElements(page_text(client.get(f"/books/{book_id}"))).elements
        if t == "img"
    ]
    return found[0] if found else None


@pytest.fixture
def added(post, in_app):
    """A book added through the form with a cover; returns it as stored."""
    response = post("/collective/books", with_cover(images.jpeg((1200, 1800))))
    assert response.status_code == 302
    return stored(in_app)


# --- Uploading, replacing, removing ---------------------------------------------------------


def test_a_book_added_with_a_cover_shows_it(client, added, covers_dir):
    assert (added.cover_width, added.cover_height) == (600, 900)
    assert files_in(covers_dir) == {f"{added.cover_key}.webp", f"{added.cover_key}-thumb.webp"}
    assert cover_shown(client, added.id) == f"/covers/{added.cover_key}.webp"


def test_the_edit_form_shows_the_cover_and_offers_to_remove_it(client, added):
    page = page_text(client.get(f"/collective/books/{added.id}/edit"))

    assert f'src="/covers/{added.cover_key}-thumb.webp"' in page
    assert "Remove the cover image" in page
    assert "to replace the one above" in page


def test_a_new_book_form_has_a_cover_field_and_nothing_to_remove(client):
    page = page_text(client.get("/collective/books/new"))

    assert 'type="file"' in page and 'accept="image/jpeg,image/png,image/webp"' in page
    assert "Remove the cover image" not in page


def test_replacing_a_cover_leaves_only_the_new_files(client, post, in_app, added, covers_dir):
    response = post(f"/collective/books/{added.id}", with_cover(images.png(colour=images.BLUE)))

    book = stored(in_app)
    assert response.status_code == 302
    assert book.cover_key != added.cover_key
    assert files_in(covers_dir) == {f"{book.cover_key}.webp", f"{book.cover_key}-thumb.webp"}
    assert cover_shown(client, book.id) == f"/covers/{book.cover_key}.webp"


def test_saving_without_choosing_a_file_keeps_the_cover(post, in_app, added, covers_dir):
    # A browser sends an empty, nameless file part when no file was chosen.
    response = post(f"/collective/books/{added.id}", with_cover(b"", name=""))

    assert response.status_code == 302
    assert stored(in_app).cover_key == added.cover_key
    assert len(files_in(covers_dir)) == 2


def test_removing_the_cover_brings_back_the_typographic_one(
    client, post, in_app, added, covers_dir
):
    response = post(f"/collective/books/{added.id}", {**GOOD_FORM, "remove_cover": "y"})

    assert response.status_code == 302
    assert stored(in_app).cover_key is None
    assert files_in(covers_dir) == set()
    assert cover_shown(client, added.id) is None
    assert 'class="cover cover-tone' in page_text(client.get(f"/books/{added.id}"))


def test_deleting_a_book_deletes_its_cover(post, in_app, added, covers_dir):
    response = post(f"/collective/books/{added.id}/delete")

    assert response.status_code == 302
    assert stored(in_app) is None
    assert files_in(covers_dir) == set()


def test_a_refused_deletion_keeps_the_cover(
    post, in_app, added, covers_dir, make_user, publish_review
):
    publish_review(added, make_user())

    response = post(f"/collective/books/{added.id}/delete")

    assert response.status_code == 409
    assert stored(in_app).cover_key == added.cover_key
    assert len(files_in(covers_dir)) == 2


# --- What the bytes decide ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (images.png(), "cover.jpg"),  # a PNG renamed .jpg
        (images.jpeg(), "cover.png"),
        (images.webp(), "COVER"),
        (images.animated("WEBP"), "moving.webp"),
        (images.cmyk_jpeg(), "from-the-printer.jpg"),
    ],
    ids=["png-named-jpg", "jpeg-named-png", "webp-no-extension", "animated", "cmyk"],
)
def test_images_are_accepted_whatever_their_name(post, in_app, covers_dir, data, name):
    response = post("/collective/books", with_cover(data, name))

    assert response.status_code == 302
    book = stored(in_app)
    assert book.cover_key and files_in(covers_dir) == {
        f"{book.cover_key}.webp",
        f"{book.cover_key}-thumb.webp",
    }


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (images.noise_png(6 * 1024 * 1024), "big.png", "a cover can be at most 5 MB"),
        (b"Order more oat milk.\n", "cover.png", "not a JPEG, PNG or WebP image"),
        (images.encoded(images.picture(), "GIF"), "cover.gif", "not a JPEG, PNG or WebP image"),
        (images.bomb_png(), "bomb.png", "too many pixels to open safely"),
        (images.truncated(images.jpeg((800, 1200))), "cut.jpg", "damaged or incomplete"),
        (images.corrupted_png(), "scrambled.png", "damaged or incomplete"),
        (b"", "empty.jpg", "That file is empty."),
    ],
    ids=["6-mb", "text-named-png", "gif", "bomb", "truncated", "corrupt", "empty"],
)
def test_a_bad_file_is_refused_next_to_the_cover_field(post, in_app, covers_dir, data, name, words):
    response = post("/collective/books", with_cover(data, name))

    page = page_text(response)
    assert response.status_code == 422
    assert words in cover_errors(page).replace("&#39;", "'")
    assert 'value="AK Press"' in page and 'value="1-84935-011-6"' in page, "what was typed stays"
    assert stored(in_app) is None, "nothing is half-written"
    assert files_in(covers_dir) == set()


def test_a_bad_file_on_edit_keeps_the_old_cover(client, post, in_app, added, covers_dir):
    response = post(
        f"/collective/books/{added.id}",
        with_cover(images.truncated(images.png()), publisher="Changed Press"),
    )

    assert response.status_code == 422
    assert 'value="Changed Press"' in page_text(response)
    book = stored(in_app)
    assert (book.cover_key, book.publisher) == (added.cover_key, "AK Press")
    assert len(files_in(covers_dir)) == 2
    assert cover_shown(client, added.id) == f"/covers/{added.cover_key}.webp"


def test_a_good_file_in_a_refused_form_leaves_no_file_and_is_asked_for_again(
    post, in_app, covers_dir
):
    response = post("/collective/books", with_cover(images.jpeg(), isbn="978-1-84935-011-3"))

    page = page_text(response)
    assert response.status_code == 422
    assert "last digit doesn&#39;t match" in page
    assert "Choose the image again" in page
    assert stored(in_app) is None
    assert files_in(covers_dir) == set()


def test_the_form_with_a_cover_and_with_a_refusal_is_valid_html(
    tmp_path, client, post, added, nu_html_checker
):
    responses = {
        "edit-with-cover": client.get(f"/collective/books/{added.id}/edit"),
        "refused-cover": post(f"/collective/books/{added.id}", with_cover(b"not an image")),
    }

    errors = check_html(nu_html_checker, save_responses(responses, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)

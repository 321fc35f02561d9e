"""catalog/covers.py: what an upload must be, what is stored, and files that follow the
transaction (nothing orphaned, nothing deleted that a book still shows)."""

import warnings

import cover_images as images
import pytest
from PIL import Image, ImageFile

from firestorm.catalog import covers
from firestorm.catalog.covers import CoverProblem, store_cover
from firestorm.catalog.models import Book
from firestorm.database import db


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"])


@pytest.fixture
def upload(in_app, book, tmp_path):
    """upload(data) stores it as the book's cover and commits; returns the book as stored."""

    def upload(data, commit=True):
        with in_app():
            stored = db.session.get(Book, book.id)
            store_cover(stored, data, tmp_path)
            if commit:
                db.session.commit()
            return stored.cover_key, stored.cover_width, stored.cover_height

    return upload


def refusal(in_app, book, covers_dir, data) -> str:
    """The message a member reads for this upload; nothing must have been written."""
    with in_app(), pytest.raises(CoverProblem) as refused:
        store_cover(db.session.get(Book, book.id), data, covers_dir)
    assert files_in(covers_dir) == set()
    return str(refused.value)


def files_in(folder) -> set[str]:
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


def stored_image(folder, key, thumbnail=False):
    return images.opened((folder / f"{key}{'-thumb' if thumbnail else ''}.webp").read_bytes())


# --- What is stored ------------------------------------------------------------------------


def test_a_jpeg_becomes_a_display_image_and_a_thumbnail(upload, tmp_path):
    key, width, height = upload(images.jpeg((1200, 1800)))

    assert (width, height) == (600, 900)
    assert files_in(tmp_path) == {f"{key}.webp", f"{key}-thumb.webp"}
    assert all(covers.FILE_NAME.fullmatch(name) for name in files_in(tmp_path))
    display, thumbnail = stored_image(tmp_path, key), stored_image(tmp_path, key, True)
    assert (display.format, display.size) == ("WEBP", (600, 900))
    assert (thumbnail.format, thumbnail.size) == ("WEBP", (160, 240))
    assert images.close_to(display.getpixel((300, 450)), images.RED)


def test_a_small_image_is_kept_at_its_size(upload, tmp_path):
    key, width, height = upload(images.png((120, 180)))

    assert (width, height) == (120, 180)
    assert stored_image(tmp_path, key, thumbnail=True).size == (120, 180)


def test_the_page_is_told_the_sizes_of_both_images(in_app, upload, book):
    key, _, _ = upload(images.webp((1000, 1200)))

    with in_app():
        stored = db.session.get(Book, book.id)
        assert covers.cover_image(stored) == covers.CoverImage(f"{key}.webp", 600, 720)
        thumbnail = covers.cover_image(stored, thumbnail=True)
    assert thumbnail == covers.CoverImage(f"{key}-thumb.webp", 160, 192)


def test_a_png_named_jpg_is_stored_the_bytes_decide(upload, tmp_path):
    # The name never reaches store_cover: a PNG is a PNG whatever it is called.
    key, _, _ = upload(images.png())

    assert stored_image(tmp_path, key).format == "WEBP"


def test_the_same_image_twice_is_one_pair_of_files(upload, make_book, in_app, tmp_path):
    first_key, _, _ = upload(images.png())
    other = make_book("Emergent Strategy")
    with in_app():
        store_cover(db.session.get(Book, other.id), images.png(), tmp_path)
        db.session.commit()
        assert db.session.get(Book, other.id).cover_key == first_key
    assert len(files_in(tmp_path)) == 2


def test_exif_orientation_is_applied_and_metadata_is_gone(upload, tmp_path):
    key, width, height = upload(images.rotated_photo())

    # Turned as the camera said: the 300 × 200 photo stands upright, its left half on top.
    assert (width, height) == (200, 300)
    display = stored_image(tmp_path, key)
    assert images.close_to(display.getpixel((100, 30)), images.RED)
    assert images.close_to(display.getpixel((100, 270)), images.BLUE)
    for thumbnail in (False, True):
        image = stored_image(tmp_path, key, thumbnail)
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(image.info)
        raw = (tmp_path / f"{key}{'-thumb' if thumbnail else ''}.webp").read_bytes()
        assert b"SpyCam" not in raw and b"EXIF" not in raw.upper()


def test_a_colour_profile_and_text_are_not_kept(upload, tmp_path):
    key, _, _ = upload(images.with_colour_profile())

    raw = (tmp_path / f"{key}.webp").read_bytes()
    assert b"ICCP" not in raw and b"back office" not in raw
    assert "icc_profile" not in stored_image(tmp_path, key).info


def test_an_animated_image_keeps_its_first_frame(upload, tmp_path):
    for format in ("WEBP", "PNG"):
        key, _, _ = upload(images.animated(format))

        display = stored_image(tmp_path, key)
        assert not getattr(display, "is_animated", False), format
        assert images.close_to(display.getpixel((200, 300)), images.RED), format


def test_a_cmyk_image_is_converted_to_rgb(upload, tmp_path):
    key, _, _ = upload(images.cmyk_jpeg())

    display = stored_image(tmp_path, key)
    assert display.mode == "RGB"
    red, green, blue = display.getpixel((200, 300))
    assert red > 180 and green < 80 and blue < 80


def test_transparency_is_laid_on_white(upload, tmp_path):
    key, _, _ = upload(images.transparent_png())

    display = stored_image(tmp_path, key)
    assert images.close_to(display.getpixel((10, 10)), (255, 255, 255), tolerance=6)
    assert images.close_to(display.getpixel((200, 300)), (200, 30, 30))


def test_a_16_bit_grey_scan_keeps_its_grey(upload, tmp_path):
    key, _, _ = upload(images.grey_16_bit_png())

    assert images.close_to(stored_image(tmp_path, key).getpixel((200, 300)), (128, 128, 128))


# --- What is refused ------------------------------------------------------------------------


def test_a_6_mb_cover_is_refused(in_app, book, tmp_path):
    data = images.noise_png(6 * 1024 * 1024)
    assert 6 * 1024 * 1024 <= len(data) < 6.1 * 1024 * 1024

    assert refusal(in_app, book, tmp_path, data) == (
        "That file is 6.1 MB; a cover can be at most 5 MB."
    )


def test_just_over_5_mb_never_reads_as_5_mb(in_app, book, tmp_path):
    data = images.png() + b"\0" * (5 * 1024 * 1024)

    assert refusal(in_app, book, tmp_path, data).startswith("That file is 5.1 MB;")


@pytest.mark.parametrize(
    "data",
    [
        b"Remember to order more oat milk.\n",  # a text file renamed cover.png
        b"",
        images.encoded(images.picture(), "GIF"),
        images.encoded(images.picture(), "BMP"),
        b"%PDF-1.7\n" + b"\0" * 100,
    ],
    ids=["text", "empty", "gif", "bmp", "pdf"],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused(in_app, book, tmp_path, data):
    message = refusal(in_app, book, tmp_path, data)

    assert message in ("That file is not a JPEG, PNG or WebP image.", "That file is empty.")


@pytest.fixture
def decoding_forbidden(monkeypatch):
    """Pixels may not be decoded: an image refused for its size is refused from its header.
    (Decoding a bomb takes seconds and hundreds of megabytes; reading its header, nothing.
    Counting what is decoded, not timing it, keeps the test true on a busy machine.)"""

    def decode(image, *args, **kwargs):
        # pytest.fail's exception is no Exception: the upload's own `except Exception` lets it by.
        pytest.fail(f"{image.format} pixels decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)


def test_a_decompression_bomb_is_refused_at_once(in_app, book, tmp_path, decoding_forbidden):
    data = images.bomb_png()
    assert len(data) < 50_000

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        message = refusal(in_app, book, tmp_path, data)

    assert message.startswith("That image has too many pixels")
    # Pillow's own bomb warning is turned into the refusal, not left to print in the log.
    assert not [w for w in warned if issubclass(w.category, Image.DecompressionBombWarning)]


@pytest.mark.parametrize(
    "data",
    [
        images.png_claiming(100_000, 100_000),  # past Pillow's own limit
        images.png_claiming(8_000, 6_000),  # 48 megapixels: past ours
        images.jpeg((8_000, 6_000), colour="white"),
    ],
    ids=["claims-10-gigapixels", "claims-48-megapixels", "jpeg-48-megapixels"],
)
def test_too_many_pixels_are_refused_before_decoding(
    in_app, book, tmp_path, data, decoding_forbidden
):
    message = refusal(in_app, book, tmp_path, data)

    assert message.startswith("That image has too many pixels")
    assert "at most 40 million" in message


def test_the_refusal_states_the_size_it_read(in_app, book, tmp_path):
    message = refusal(in_app, book, tmp_path, images.png_claiming(8_000, 6_000))

    assert "(8,000 × 6,000)" in message


@pytest.mark.parametrize(
    "data",
    [
        images.truncated(images.jpeg((800, 1200), quality=95)),
        images.truncated(images.png((800, 1200))),
        images.truncated(images.webp((800, 1200))),
        images.corrupted_png(),
        images.jpeg()[:200],
    ],
    ids=["jpeg-cut-short", "png-cut-short", "webp-cut-short", "png-scrambled", "jpeg-header"],
)
def test_a_damaged_image_is_refused_in_words(in_app, book, tmp_path, data):
    message = refusal(in_app, book, tmp_path, data)

    assert "damaged" in message and "can't be read" in message


def test_a_refused_upload_leaves_the_old_cover(upload, in_app, book, tmp_path):
    before = upload(images.png())

    with pytest.raises(CoverProblem):
        upload(images.truncated(images.jpeg()))

    with in_app():
        stored = db.session.get(Book, book.id)
        assert (stored.cover_key, stored.cover_width, stored.cover_height) == before
    assert files_in(tmp_path) == {f"{before[0]}.webp", f"{before[0]}-thumb.webp"}


# --- Files follow the transaction -----------------------------------------------------------


def test_replacing_a_cover_deletes_the_old_files_once_committed(upload, in_app, book, tmp_path):
    old_key, _, _ = upload(images.png(colour=images.RED))

    with in_app():
        stored = db.session.get(Book, book.id)
        store_cover(stored, images.png(colour=images.BLUE), tmp_path)
        new_key = stored.cover_key
        # Until the commit, the old files stay: the database still shows them to everyone.
        assert f"{old_key}.webp" in files_in(tmp_path)
        db.session.commit()

    assert files_in(tmp_path) == {f"{new_key}.webp", f"{new_key}-thumb.webp"}


def test_a_rolled_back_replacement_keeps_the_old_cover(upload, in_app, book, tmp_path):
    old_key, _, _ = upload(images.png(colour=images.RED))

    with in_app():
        store_cover(db.session.get(Book, book.id), images.png(colour=images.BLUE), tmp_path)
        db.session.rollback()
        assert db.session.get(Book, book.id).cover_key == old_key

    assert files_in(tmp_path) == {f"{old_key}.webp", f"{old_key}-thumb.webp"}


def test_an_upload_never_committed_leaves_no_file(in_app, book, tmp_path):
    # The request ended without a commit or a rollback (its session was simply closed).
    with in_app():
        store_cover(db.session.get(Book, book.id), images.png(), tmp_path)
        assert len(files_in(tmp_path)) == 2

    assert files_in(tmp_path) == set()
    with in_app():
        assert db.session.get(Book, book.id).cover_key is None


def test_a_commit_the_database_refuses_leaves_no_file(in_app, book, make_book, tmp_path):
    taken = make_book("Taken", isbn13="9781849350112")
    with in_app():
        stored = db.session.get(Book, book.id)
        store_cover(stored, images.png(), tmp_path)
        stored.isbn13 = taken.isbn13  # the unique ISBN makes the commit fail
        with pytest.raises(Exception, match="(?i)unique|duplicate"):
            db.session.commit()
        db.session.rollback()

    assert files_in(tmp_path) == set()


def test_uploading_twice_in_one_transaction_keeps_only_the_last(in_app, book, tmp_path):
    with in_app():
        stored = db.session.get(Book, book.id)
        store_cover(stored, images.png(colour=images.RED), tmp_path)
        store_cover(stored, images.png(colour=images.BLUE), tmp_path)
        db.session.commit()
        key = stored.cover_key

    assert files_in(tmp_path) == {f"{key}.webp", f"{key}-thumb.webp"}


def test_uploading_the_same_cover_again_keeps_its_files(upload, tmp_path):
    key, _, _ = upload(images.png())
    assert upload(images.png())[0] == key

    assert files_in(tmp_path) == {f"{key}.webp", f"{key}-thumb.webp"}


def test_removing_a_cover_deletes_its_files_once_committed(upload, in_app, book, tmp_path):
    key, _, _ = upload(images.png())

    with in_app():
        stored = db.session.get(Book, book.id)
        covers.remove_cover(stored, tmp_path)
        assert len(files_in(tmp_path)) == 2
        db.session.commit()
        assert (stored.cover_key, stored.cover_width, stored.cover_height) == (None, None, None)

    assert files_in(tmp_path) == set()


def test_a_rolled_back_removal_keeps_the_files(upload, in_app, book, tmp_path):
    key, _, _ = upload(images.png())

    with in_app():
        covers.remove_cover(db.session.get(Book, book.id), tmp_path)
        db.session.rollback()
        assert db.session.get(Book, book.id).cover_key == key

    assert len(files_in(tmp_path)) == 2


def test_files_another_book_shows_are_kept(upload, in_app, make_book, tmp_path):
    key, _, _ = upload(images.png())
    other = make_book("Emergent Strategy")
    with in_app():
        store_cover(db.session.get(Book, other.id), images.png(), tmp_path)
        db.session.commit()

    with in_app():
        covers.remove_cover(db.session.get(Book, other.id), tmp_path)
        db.session.commit()
    assert len(files_in(tmp_path)) == 2, "the first book still shows them"

    with in_app():
        stored = db.session.get(Book, other.id)
        store_cover(stored, images.png(), tmp_path)
        db.session.rollback()
    assert len(files_in(tmp_path)) == 2, "a rollback only deletes files it wrote"


def test_deleting_a_book_after_removing_its_cover_deletes_the_files(upload, in_app, book, tmp_path):
    upload(images.png())

    with in_app():
        stored = db.session.get(Book, book.id)
        covers.remove_cover(stored, tmp_path)
        db.session.delete(stored)
        db.session.commit()

    assert files_in(tmp_path) == set()

"""catalog/cover_storage.py through the desk's book form and /covers/: the same story in a
folder, in the database and in an S3 bucket (moto's server on a local port, never the
internet); share cards drawn once and stored there for every server; and a cover the storage
can't keep, which leaves the book saved without it."""

import errno
import os
import re
import socket
from itertools import count

import boto3
import cover_images as images
import pytest
from book_form_helpers import GOOD_FORM, stored, with_cover
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer
from review_helpers import page_text
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from firestorm.catalog import books, cover_storage, covers
from firestorm.catalog.models import Book, CoverFile
from firestorm.database import db
from firestorm.sharing import cards

IMMUTABLE = "public, max-age=31536000, immutable"
_buckets = count(1)


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 on a free local port, with made-up credentials in boto3's usual variables."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "NO_PROXY": "127.0.0.1",
        }.items():
            env.setenv(name, value)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        yield f"http://127.0.0.1:{port}"
        server.stop()


def s3_settings(endpoint, bucket, **more) -> dict:
    return {
        "COVER_STORAGE": "s3",
        "COVER_S3_BUCKET": bucket,
        "COVER_S3_ENDPOINT_URL": endpoint,
        "COVER_S3_REGION": "us-east-1",
        "COVER_S3_PUBLIC_URL": "",
        **more,
    }


def new_bucket(endpoint) -> str:
    name = f"covers-{os.getpid()}-{next(_buckets)}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=name)
    return name


@pytest.fixture(params=["folder", "database", "s3"])
def storage(request, app, covers_dir, monkeypatch):
    """The test app with its covers kept where the parameter says, as COVER_STORAGE makes it."""
    settings = {**app.config, "COVER_STORAGE": request.param}
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        settings.update(s3_settings(endpoint, new_bucket(endpoint)))
    chosen = cover_storage.storage_from_settings(settings)
    monkeypatch.setitem(app.extensions, "cover_storage", chosen)
    return chosen


def names_in(storage, in_app) -> set[str]:
    """Every image the storage holds, looked at the storage's own way."""
    if isinstance(storage, cover_storage.FolderStorage):
        return {path.name for path in storage.folder.iterdir()}
    if isinstance(storage, cover_storage.DatabaseStorage):
        with in_app():
            return set(db.session.scalars(select(CoverFile.name)))
    listed = storage.client.list_objects_v2(Bucket=storage.bucket)
    return {item["Key"] for item in listed.get("Contents", [])}


def pair(key) -> set[str]:
    return {f"{key}.webp", f"{key}-thumb.webp"}


@pytest.fixture
def member(login_as):
    return login_as("collective")


@pytest.fixture
def added(member, post, in_app, storage):
    response = post("/collective/books", with_cover(images.jpeg((1200, 1800))))
    assert response.status_code == 302
    return stored(in_app)


# --- The same in every storage ---------------------------------------------------------------


def test_an_uploaded_cover_is_stored_and_served_for_ever(client, added, storage, in_app):
    key = added.cover_key

    assert names_in(storage, in_app) == pair(key)
    for name in pair(key):
        response = client.get(f"/covers/{name}")
        assert response.status_code == 200
        assert response.mimetype == "image/webp"
        assert response.headers["Cache-Control"] == IMMUTABLE
        with in_app():
            assert response.data == storage.read(name)
        again = client.get(f"/covers/{name}", headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
    assert f'src="/covers/{key}.webp"' in page_text(client.get(f"/books/{added.id}"))


def test_a_cover_that_is_not_there_is_a_404(client, storage):
    assert client.get("/covers/0123456789abcdef0123456789abcdef.webp").status_code == 404


def test_replacing_a_cover_leaves_only_the_new_one(client, post, added, storage, in_app):
    response = post(f"/collective/books/{added.id}", with_cover(images.png(colour=images.BLUE)))

    assert response.status_code == 302
    new_key = stored(in_app).cover_key
    assert new_key != added.cover_key
    assert names_in(storage, in_app) == pair(new_key)
    assert client.get(f"/covers/{added.cover_key}.webp").status_code == 404


def test_a_refused_form_stores_nothing(post, member, storage, in_app):
    # The ISBN's check digit is wrong: the request rolls back after the cover was written.
    response = post("/collective/books", with_cover(images.jpeg(), isbn="978-1-84935-011-3"))

    assert response.status_code == 422
    assert stored(in_app) is None
    assert names_in(storage, in_app) == set()


def test_a_rolled_back_replacement_keeps_the_old_cover_only(added, storage, in_app):
    with in_app():
        book = db.session.get(Book, added.id)
        covers.store_cover(book, images.png(colour=images.BLUE), storage)
        db.session.rollback()

    assert stored(in_app).cover_key == added.cover_key
    assert names_in(storage, in_app) == pair(added.cover_key)


def test_deleting_a_book_deletes_its_cover_unless_another_book_shows_it(
    post, added, storage, in_app
):
    post("/collective/books", with_cover(images.jpeg((1200, 1800)), title="Same Cover", isbn=""))
    twin = stored(in_app, title="Same Cover")
    assert twin.cover_key == added.cover_key

    post(f"/collective/books/{added.id}/delete")
    assert stored(in_app) is None
    assert names_in(storage, in_app) == pair(twin.cover_key), "the other book still shows it"

    post(f"/collective/books/{twin.id}/delete")
    assert names_in(storage, in_app) == set()


# --- Share cards, kept beside the covers -------------------------------------------------------


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The headings of the share cards drawn from now on, one per drawing."""
    headings: list[str] = []
    draw = cards.card_png

    def counted(card):
        headings.append(card.heading)
        return draw(card)

    monkeypatch.setattr(cards, "card_png", counted)
    return headings


def card_path(client, book) -> str:
    """The address the book's page shares its card at."""
    found = re.search(
        rf"/books/{book.id}/share-[0-9a-f]{{16}}\.png", page_text(client.get(f"/books/{book.id}"))
    )
    assert found, "no share card on the book's page"
    return found.group()


def test_a_share_card_is_drawn_once_for_every_worker_and_server(
    client, make_book, storage, in_app, drawn, other_app, monkeypatch
):
    book = make_book("Emergent Strategy", authors=["adrienne maree brown"])
    path = card_path(client, book)

    first = client.get(path)
    again = client.get(path)
    # Another server (or worker) on the same storage.
    elsewhere = other_app()
    monkeypatch.setitem(elsewhere.extensions, "cover_storage", storage)
    there = elsewhere.test_client().get(path)

    assert drawn == ["Emergent Strategy"]
    assert [first.status_code, again.status_code, there.status_code] == [200, 200, 200]
    assert first.data == again.data == there.data
    assert there.mimetype == "image/png" and there.headers["Cache-Control"] == IMMUTABLE
    image = images.opened(there.data)
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert names_in(storage, in_app) == {f"share-{book.id}.png"}
    if isinstance(storage, cover_storage.S3Storage):
        kept = storage.client.head_object(Bucket=storage.bucket, Key=f"share-{book.id}.png")
        assert kept["ContentType"] == "image/png"


def test_a_retitled_books_card_replaces_its_old_one_and_goes_with_the_book(
    client, post, member, make_book, storage, in_app, drawn
):
    book = make_book("Emergent Strategy", authors=["adrienne maree brown"])
    client.get(card_path(client, book))
    with in_app():
        db.session.get(Book, book.id).title = "Pleasure Activism"
        db.session.commit()

    retitled = client.get(card_path(client, book))

    assert drawn == ["Emergent Strategy", "Pleasure Activism"]
    assert names_in(storage, in_app) == {f"share-{book.id}.png"}
    assert client.get(card_path(client, book)).data == retitled.data
    assert len(drawn) == 2

    post(f"/collective/books/{book.id}/delete")

    assert names_in(storage, in_app) == set()


# --- A cover the storage can't keep ----------------------------------------------------------


def failing_to_store(monkeypatch, storage, after_images=0):
    """Make storing the next images fail the way each storage fails: a full disk for the
    folder (after `after_images` images written) and the database; the S3 service refusing."""
    if isinstance(storage, cover_storage.FolderStorage):
        real_replace, written = os.replace, []

        def replace(source, destination):
            if len(written) >= after_images:
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(destination)
            real_replace(source, destination)

        monkeypatch.setattr(os, "replace", replace)
    elif isinstance(storage, cover_storage.DatabaseStorage):

        def rows_changed(statement):
            raise OperationalError("INSERT", {}, Exception("database or disk is full"))

        monkeypatch.setattr(cover_storage, "rows_changed", rows_changed)
    else:

        def put_object(**kwargs):
            refusal = {"Error": {"Code": "ServiceUnavailable"}, "ResponseMetadata": {}}
            raise ClientError(refusal, "PutObject")

        monkeypatch.setattr(storage.client, "put_object", put_object)


@pytest.mark.parametrize("step", ["add", "edit"])
def test_a_cover_that_cannot_be_stored_leaves_the_book_saved_without_it(
    client, post, member, storage, in_app, monkeypatch, step
):
    if step == "edit":
        post("/collective/books", GOOD_FORM)
        path = f"/collective/books/{stored(in_app).id}"
    else:
        path = "/collective/books"
    failing_to_store(monkeypatch, storage)

    response = post(path, with_cover(images.jpeg(), stock="5", publisher="PM Press"))

    assert response.status_code == 302
    book = stored(in_app)
    assert (book.stock, book.publisher, book.cover_key) == (5, "PM Press", None)
    page = page_text(client.get(response.headers["Location"]))
    assert "“Dispersing Power” is saved, but its cover could not be stored: " in page
    assert "Try the cover again later." in page
    assert names_in(storage, in_app) == set()


def test_the_member_is_told_why_in_plain_words(client, post, member, storage, in_app, monkeypatch):
    failing_to_store(monkeypatch, storage)
    why = {
        cover_storage.FolderStorage: "the server&#39;s disk is full",
        cover_storage.DatabaseStorage: "the server&#39;s disk is full",
        cover_storage.S3Storage: "the storage for covers did not take it",
    }[type(storage)]

    response = post("/collective/books", with_cover(images.jpeg()), follow_redirects=True)

    assert f"its cover could not be stored: {why}. Try the cover again later." in page_text(
        response
    )


def test_a_disk_full_after_the_display_image_leaves_neither(post, member, covers_dir, monkeypatch):
    # The display image is written; its thumbnail finds the disk full.
    failing_to_store(monkeypatch, cover_storage.FolderStorage(covers_dir), after_images=1)

    response = post("/collective/books", with_cover(images.jpeg()))

    assert response.status_code == 302
    assert os.listdir(covers_dir) == [], "no display image without its thumbnail, no draft"


def test_the_replaced_cover_stays_when_the_new_one_cannot_be_stored(
    client, post, added, storage, in_app, monkeypatch
):
    failing_to_store(monkeypatch, storage)

    post(f"/collective/books/{added.id}", with_cover(images.png(colour=images.BLUE)))

    assert stored(in_app).cover_key == added.cover_key
    assert names_in(storage, in_app) == pair(added.cover_key)
    assert client.get(f"/covers/{added.cover_key}.webp").status_code == 200


def test_a_full_disk_while_the_file_is_written_leaves_no_draft(
    post, member, covers_dir, monkeypatch
):
    # ENOSPC often comes as the data is written, before the rename.
    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("tempfile._TemporaryFileWrapper.write", write, raising=False)
    response = post("/collective/books", with_cover(images.jpeg()))

    assert response.status_code == 302
    assert os.listdir(covers_dir) == []


# --- The settings -----------------------------------------------------------------------------


def test_with_a_public_address_pages_link_covers_in_the_bucket(other_app, s3_endpoint, in_app):
    bucket = new_bucket(s3_endpoint)
    shop = other_app(**s3_settings(s3_endpoint, bucket, COVER_S3_PUBLIC_URL="https://img.example"))
    with shop.app_context():
        book = books.add_book(title="Dispersing Power", authors=["Raúl Zibechi"])
        covers.store_cover(book, images.jpeg(), shop.extensions["cover_storage"])
        db.session.commit()
        key, book_id = book.cover_key, book.id

    page = shop.test_client().get(f"/books/{book_id}")

    assert f'src="https://img.example/{key}.webp"' in page_text(page)
    assert "img-src 'self' data: https://img.example;" in page.headers["Content-Security-Policy"]
    headers = shop.extensions["cover_storage"].client.head_object(Bucket=bucket, Key=f"{key}.webp")
    assert (headers["ContentType"], headers["CacheControl"]) == ("image/webp", IMMUTABLE)


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"COVER_STORAGE": "attic"}, "it must be one of folder, database, s3"),
        ({"COVER_STORAGE": "s3"}, "set COVER_S3_BUCKET"),
        (
            {"COVER_STORAGE": "s3", "COVER_S3_BUCKET": "b", "COVER_S3_PUBLIC_URL": "img.example"},
            "starting https://",
        ),
    ],
)
def test_a_storage_setting_that_cannot_work_stops_the_site_in_words(other_app, settings, words):
    with pytest.raises(ValueError, match=words):
        other_app(**settings)

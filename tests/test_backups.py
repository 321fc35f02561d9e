"""flask backup and restore: a SQLite shop backed up, changed and put back; the files restore
refuses; the pg_dump advice for a PostgreSQL site."""

import io
import json
import shlex
import shutil
import sqlite3
import subprocess
import tarfile
import zipfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import cover_images as images
import flask_migrate
import pytest
from alembic.script import ScriptDirectory
from review_helpers import GOOD_TEXT, NOW, review_taken_to
from sqlalchemy import MetaData, delete, select, text

from firestorm.catalog import books, covers
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.people import accounts
from firestorm.reviews.models import ReviewState

PASSWORD = "a long passphrase"
POSTGRES_URL = "postgresql://firestorm:s3cret@db.example.org:5433/shop"


@pytest.fixture
def site(other_app, tmp_path):
    """A shop on its own SQLite file, built by the migrations, with its instance folder (where
    the covers live) in tmp_path: backed up and restored without touching the test database."""
    return shop_in(tmp_path, other_app)


def shop_in(tmp_path, other_app, **settings):
    instance = tmp_path / "instance"
    shop = other_app(
        DATABASE_URL=f"sqlite:///{tmp_path / 'shop.sqlite3'}",
        COVERS_DIR=str(instance / "covers"),
        **settings,
    )
    shop.instance_path = str(instance)
    with shop.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return shop


def run(site, *args):
    return site.test_cli_runner().invoke(args=[str(arg) for arg in args])


def open_shop(site) -> None:
    """A book with a published review, its reviewer and the member who approved it."""
    with site.app_context():
        reviewer = accounts.create_user("robin@example.org", "Robin", "volunteer", PASSWORD)
        member = accounts.create_user("sam@example.org", "Sam", "collective", PASSWORD)
        book = books.add_book(
            title="Dispersing Power", authors=["Raúl Zibechi"], isbn13="9781849350112", stock=2
        )
        db.session.flush()
        review_taken_to(
            ReviewState.PUBLISHED, reviewer.id, book.id, GOOD_TEXT, NOW, member_id=member.id
        )
        db.session.commit()
        db.engine.dispose()


def rows_of(site) -> dict[str, list[tuple]]:
    """Every row of every table, in primary key order, as the database holds them."""
    with site.app_context():
        tables = MetaData()
        tables.reflect(bind=db.engine)
        with db.engine.connect() as connection:
            rows = {
                table.name: [
                    tuple(row)
                    for row in connection.execute(select(table).order_by(*table.primary_key))
                ]
                for table in tables.sorted_tables
            }
        db.engine.dispose()
    return rows


def titles_in(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as connection:
        return [title for (title,) in connection.execute("SELECT title FROM books ORDER BY id")]


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def refused(result, message: str) -> bool:
    """Exit status 1 and the message in plain words: a click error, never a traceback."""
    return (
        result.exit_code == 1
        and isinstance(result.exception, SystemExit)
        and message in result.output
        and "Traceback" not in result.output
    )


def test_a_restored_backup_brings_back_the_rows_and_covers_it_was_made_from(site, tmp_path):
    open_shop(site)
    covers = Path(site.config["COVERS_DIR"])
    (covers / "3f").mkdir(parents=True)
    (covers / "3f" / "3fa9.webp").write_bytes(b"the cover of Dispersing Power")
    (covers / ".77c1.webp.draft").write_bytes(b"half a cover, still being written")
    (covers / "passwords.webp").symlink_to("/etc/passwd")
    backed_up = rows_of(site)
    backup_file = tmp_path / "firestorm.tar.gz"

    made = run(site, "backup", backup_file)
    with site.app_context():
        db.session.execute(delete(Book).where(Book.title == "Dispersing Power"))
        books.add_book(title="Emergent Strategy", authors=["adrienne maree brown"])
        db.session.commit()
        db.engine.dispose()
    shutil.rmtree(covers / "3f")
    (covers / "passwords.webp").unlink()
    (covers / "77").mkdir()
    (covers / "77" / "77c1.webp").write_bytes(b"the cover of Emergent Strategy")
    assert rows_of(site) != backed_up
    restored = run(site, "restore", backup_file)

    assert made.exit_code == 0, made.output
    assert f"Backed up the database and 1 cover to {backup_file}" in made.output
    assert backup_file.stat().st_mode & 0o077 == 0  # password hashes: the owner's eyes only
    assert restored.exit_code == 0, restored.output
    assert "Restored the database and 1 cover from the backup made" in restored.output
    assert rows_of(site) == backed_up
    assert backed_up["reviews"] and backed_up["users"] and backed_up["books"]
    assert titles_in(tmp_path / "shop.sqlite3") == ["Dispersing Power"]
    assert files_in(covers) == {"3f/3fa9.webp": b"the cover of Dispersing Power"}


def test_covers_kept_in_the_database_are_in_its_backup(other_app, tmp_path):
    site = shop_in(tmp_path, other_app, COVER_STORAGE="database")
    open_shop(site)
    with site.app_context():
        book = db.session.scalar(select(Book))
        covers.store_cover(book, images.png(), site.extensions["cover_storage"])
        book_id = book.id  # read before the commit expires it: no connection left open
        db.session.commit()
        db.engine.dispose()
    backed_up = rows_of(site)
    backup_file = tmp_path / "firestorm.tar.gz"

    made = run(site, "backup", backup_file)
    with site.app_context():
        covers.remove_cover(db.session.get(Book, book_id), site.extensions["cover_storage"])
        db.session.commit()
        db.engine.dispose()
    assert rows_of(site)["cover_files"] == []
    restored = run(site, "restore", backup_file)

    assert f"Backed up the database to {backup_file}" in made.output
    assert "The covers are in the database, so this backup holds them." in made.output
    with tarfile.open(backup_file) as tar:
        assert not [name for name in tar.getnames() if name.startswith("covers")]
    assert restored.exit_code == 0, restored.output
    assert len(backed_up["cover_files"]) == 2
    assert rows_of(site) == backed_up


def test_covers_in_a_bucket_are_backed_up_with_it(other_app, tmp_path):
    # Making the S3 client sends nothing: no bucket needs to answer for the advice.
    in_bucket = {"COVER_STORAGE": "s3", "COVER_S3_BUCKET": "shop-covers"}
    site = shop_in(tmp_path, other_app, **in_bucket)
    postgres_site = other_app(DATABASE_URL=POSTGRES_URL, **in_bucket)

    made = run(site, "backup", tmp_path / "firestorm.tar.gz")
    advice = run(postgres_site, "backup", tmp_path / "shop.dump")

    bucket = "The covers live in the S3 bucket shop-covers and are backed up with it, not in this"
    assert made.exit_code == 0 and bucket in made.output
    assert advice.exit_code == 0 and bucket in advice.output
    assert "covers in" not in advice.output


def test_a_backup_is_dated_by_the_site_s_clock(site, tmp_path, clock):
    clock(datetime(2030, 3, 5, 15, 30, tzinfo=UTC))
    backup_file = tmp_path / "firestorm.tar.gz"

    run(site, "backup", backup_file)
    restored = run(site, "restore", backup_file)

    assert "from the backup made 2030-03-05 15:30 UTC." in restored.output


def test_restore_keeps_what_it_replaced_beside_it(site, tmp_path):
    open_shop(site)
    run(site, "backup", tmp_path / "firestorm.tar.gz")
    with site.app_context():
        books.add_book(title="Emergent Strategy", authors=["adrienne maree brown"])
        db.session.commit()
        db.engine.dispose()
    covers = Path(site.config["COVERS_DIR"])
    covers.mkdir(parents=True)
    (covers / "77c1.webp").write_bytes(b"a cover added after the backup")

    result = run(site, "restore", tmp_path / "firestorm.tar.gz")

    database_aside = tmp_path / "shop.sqlite3.before-restore"
    covers_aside = covers.with_name("covers.before-restore")
    assert result.exit_code == 0, result.output
    assert f"What was there before is kept at {database_aside}." in result.output
    assert titles_in(database_aside) == ["Dispersing Power", "Emergent Strategy"]
    assert files_in(covers_aside) == {"77c1.webp": b"a cover added after the backup"}
    assert not covers.exists()
    assert titles_in(tmp_path / "shop.sqlite3") == ["Dispersing Power"]


def test_a_backup_made_while_the_site_writes_holds_what_was_committed(site, tmp_path):
    open_shop(site)
    writer = sqlite3.connect(tmp_path / "shop.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE books SET stock = 99")

    result = run(site, "backup", tmp_path / "firestorm.tar.gz")
    writer.execute("COMMIT")
    writer.close()

    assert result.exit_code == 0, result.output
    with tarfile.open(tmp_path / "firestorm.tar.gz") as backup:
        backup.extract("database.sqlite3", tmp_path / "unpacked", filter="data")
    with closing(sqlite3.connect(tmp_path / "unpacked" / "database.sqlite3")) as copy:
        stock = copy.execute("SELECT title, stock FROM books").fetchall()
    assert stock == [("Dispersing Power", 2)]


def test_restore_refuses_while_the_site_has_the_database_open(site, tmp_path):
    open_shop(site)
    run(site, "backup", tmp_path / "firestorm.tar.gz")
    before = rows_of(site)

    with site.app_context(), db.engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM books"))
        result = run(site, "restore", tmp_path / "firestorm.tar.gz")

    assert refused(result, "is in use: stop the site")
    assert rows_of(site) == before
    assert not (tmp_path / "shop.sqlite3.before-restore").exists()


def a_text_file(path: Path, site) -> None:
    path.write_text("Books to order: Dispersing Power, Emergent Strategy\n")


def a_zip_file(path: Path, site) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", '{"app": "firestorm", "format_version": 1}')


def an_archive_without_a_manifest(path: Path, site) -> None:
    with tarfile.open(path, "w:gz") as archive:
        add(archive, "database.sqlite3", b"SQLite format 3\0")


def a_backup_in_a_newer_format(path: Path, site) -> None:
    run(site, "backup", path)
    rewrite(path, manifest_changes={"format_version": 2})


def a_backup_of_another_app(path: Path, site) -> None:
    run(site, "backup", path)
    rewrite(path, manifest_changes={"app": "bookshelf"})


def a_backup_that_writes_outside_its_folders(path: Path, site) -> None:
    run(site, "backup", path)
    rewrite(path, extra={"../../escaped.txt": b"written outside the instance folder"})


def a_backup_cut_short(path: Path, site) -> None:
    run(site, "backup", path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def no_file_at_all(path: Path, site) -> None:
    pass


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (a_text_file, "is not a Firestorm backup: it is not a .tar.gz archive."),
        (a_zip_file, "is not a Firestorm backup: it is not a .tar.gz archive."),
        (an_archive_without_a_manifest, "is an archive but not a Firestorm backup"),
        (a_backup_in_a_newer_format, "in format version 2; this version of Firestorm reads"),
        (a_backup_of_another_app, "is not a Firestorm backup: its manifest is not ours."),
        (a_backup_that_writes_outside_its_folders, "which no Firestorm backup holds"),
        (a_backup_cut_short, "is damaged and cannot be read"),
        (no_file_at_all, "There is no file at"),
    ],
)
def test_restore_refuses_a_file_that_is_not_one_of_our_backups(site, tmp_path, make_file, message):
    open_shop(site)
    before = rows_of(site)
    make_file(tmp_path / "backup.tar.gz", site)

    result = run(site, "restore", tmp_path / "backup.tar.gz")

    assert refused(result, message), result.output
    assert rows_of(site) == before
    assert not (tmp_path / "shop.sqlite3.before-restore").exists()
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_restore_refuses_a_backup_made_by_a_newer_version(site, tmp_path):
    open_shop(site)
    run(site, "backup", tmp_path / "firestorm.tar.gz")
    # The backup's schema is one this version's migrations have never heard of.
    with closing(sqlite3.connect(tmp_path / "shop.sqlite3")) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00dfacef00d'")
    run(site, "backup", tmp_path / "from-the-future.tar.gz")
    with closing(sqlite3.connect(tmp_path / "shop.sqlite3")) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (head_revision(site),))
    before = rows_of(site)

    result = run(site, "restore", tmp_path / "from-the-future.tar.gz")

    assert refused(result, "was made by a newer version of Firestorm"), result.output
    assert "schema f00dfacef00d" in result.output
    assert rows_of(site) == before
    assert run(site, "restore", tmp_path / "firestorm.tar.gz").exit_code == 0


def head_revision(site) -> str:
    with site.app_context():
        directory = site.extensions["migrate"].directory
    return ScriptDirectory(directory).get_current_head()


def test_backup_refuses_a_missing_folder_or_database_in_plain_words(site, other_app, tmp_path):
    no_folder = run(site, "backup", tmp_path / "no such folder" / "backup.tar.gz")
    empty = other_app(DATABASE_URL=f"sqlite:///{tmp_path / 'never-made.sqlite3'}")
    no_database = run(empty, "backup", tmp_path / "backup.tar.gz")

    assert refused(no_folder, "There is no folder")
    assert refused(no_database, "There is no database at")
    assert not (tmp_path / "never-made.sqlite3").exists()
    assert not (tmp_path / "backup.tar.gz").exists()


def test_backup_on_postgresql_prints_the_pg_dump_command_and_writes_nothing(other_app, tmp_path):
    shop = other_app(DATABASE_URL=POSTGRES_URL)
    dump = tmp_path / "shop.dump"

    result = run(shop, "backup", dump)

    assert result.exit_code == 0, result.output
    assert (
        f"pg_dump --format=custom --file={dump} --host=db.example.org --port=5433 "
        "--username=firestorm shop"
    ) in result.output
    assert "Nothing was written" in result.output
    assert "s3cret" not in result.output
    assert not dump.exists()


def test_restore_on_postgresql_refuses_and_names_pg_restore(site, other_app, tmp_path):
    run(site, "backup", tmp_path / "firestorm.tar.gz")
    shop = other_app(DATABASE_URL=POSTGRES_URL)

    result = run(shop, "restore", tmp_path / "firestorm.tar.gz")

    assert refused(result, "This site's database is PostgreSQL")
    assert "pg_restore --clean --if-exists" in result.output
    assert "--dbname=shop" in result.output and "s3cret" not in result.output


@pytest.fixture
def on_postgresql(database_url):
    if not database_url.startswith("postgres"):
        pytest.skip(
            "needs the PostgreSQL test database; this run uses SQLite (make test-postgres sets "
            "FIRESTORM_TEST_DATABASE_URL). The tests above cover the wording on both."
        )


def test_the_printed_pg_dump_command_backs_up_the_test_database(
    on_postgresql, runner, make_book, tmp_path
):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed (apt-get install postgresql-client)")
    make_book("Dispersing Power")
    dump = tmp_path / "test.dump"

    result = runner.invoke(args=["backup", str(dump)])
    assert result.exit_code == 0 and not dump.exists()
    command = next(line for line in result.output.splitlines() if line.startswith("  pg_dump "))
    subprocess.run(shlex.split(command), check=True, timeout=60)

    listing = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public books" in listing


def test_restore_refuses_on_the_postgresql_test_database(
    on_postgresql, runner, make_book, site, in_app, tmp_path
):
    make_book("Dispersing Power")
    run(site, "backup", tmp_path / "firestorm.tar.gz")

    result = runner.invoke(args=["restore", str(tmp_path / "firestorm.tar.gz")])

    assert refused(result, "This site's database is PostgreSQL")
    with in_app():
        assert db.session.scalars(select(Book.title)).all() == ["Dispersing Power"]


def add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def rewrite(path: Path, manifest_changes=None, extra=None) -> None:
    """The backup at `path`, written again with its manifest changed or files added."""
    with tarfile.open(path) as original:
        members = [(m.name, original.extractfile(m).read()) for m in original if m.isfile()]
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members:
            if name == "manifest.json":
                data = json.dumps({**json.loads(data), **(manifest_changes or {})}).encode()
            add(archive, name, data)
        for name, data in (extra or {}).items():
            add(archive, name, data)

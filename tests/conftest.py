"""Fixtures: an app on a migrated test database (SQLite, or FIRESTORM_TEST_DATABASE_URL), emptied
after every test, and helpers to make books, reviews and people."""

import os
import shutil
import smtplib
import threading
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import count
from pathlib import Path

import flask_migrate
import pytest
from auth_helpers import sign_in_from
from database_helpers import scratch_postgres_database
from html_checks import PROJECT_ROOT, VNU_JAR, missing_tool
from mail_helpers import ClosingClient, FakeSMTP
from open_library_stand_in import OpenLibrary
from public_pages import SITE_URL, TUESDAY_AFTERNOON
from review_helpers import GOOD_TEXT, NOW, TEXT, review_taken_to, sign_in_client, token_of
from shelf_helpers import add_shelves, shelve
from sqlalchemy import event, make_url, text

from firestorm import create_app
from firestorm.catalog import books
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.extensions import limiter
from firestorm.people.models import User
from firestorm.people.passwords import hash_password
from firestorm.reviews import approvals, workflow
from firestorm.reviews.models import Review, ReviewState
from firestorm.web import clock as request_clock


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped browser, Redis, proxy, private PostgreSQL or Node.js test is a failure,
    whatever made it skip."""
    outcome = yield
    report = outcome.get_result()
    required = os.environ.get("FIRESTORM_REQUIRE_ALL_TESTS") == "1"
    needs_a_service = any(
        item.get_closest_marker(name) for name in ("browser", "redis", "proxy", "postgres", "node")
    )
    if report.skipped and required and needs_a_service:
        report.outcome = "failed"
        report.longrepr = f"test skipped where all tests are required: {report.longrepr}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server_database = os.environ.get("FIRESTORM_TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not server_database:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    elif worker is None:
        yield server_database
    else:
        # Tests run in parallel (pytest -n): each worker empties its tables after every test,
        # so each has a database of its own beside the named one.
        name = f"{make_url(server_database).database}_{worker}"
        with scratch_postgres_database(server_database, name) as own_database:
            yield own_database


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test secret key",
            "BOOKS_PER_PAGE": 5,
            "SITE_URL": SITE_URL,
            # Uploaded covers go here, never into the project's instance/covers.
            "COVERS_DIR": str(tmp_path_factory.mktemp("covers")),
            # No test asks the real Open Library: the open_library fixture stands in for it.
            "BOOK_LOOKUP_URL": "",
            "COVER_LOOKUP_URL": "",
        }
    )
    app.test_client_class = ClosingClient
    with app.app_context():
        # Start from nothing, and build the schema the way production does: by migrations.
        db.drop_all()
        # On a connection of its own: a commit through the session writes the last change's
        # token (web/last_change.py), whose table is gone until the migrations run.
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def empty_database(app):
    yield
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


@pytest.fixture(scope="session")
def open_library_server():
    server = OpenLibrary()
    yield server
    server.close()


@pytest.fixture
def open_library(app, open_library_server, monkeypatch):
    """The local stand-in for Open Library (tests/open_library_stand_in.py), emptied, with the
    app looking books up there and waiting a second at most."""
    open_library_server.clear()
    monkeypatch.setitem(app.config, "BOOK_LOOKUP_URL", open_library_server.url)
    monkeypatch.setitem(app.config, "COVER_LOOKUP_URL", open_library_server.url)
    monkeypatch.setitem(app.config, "BOOK_LOOKUP_TIMEOUT", 1.0)
    return open_library_server


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    """Every test client comes from 127.0.0.1: sign-in limits, counts of wrong passwords and
    of hold emails (the same storage) must not carry from test to test."""
    limiter.reset()
    app.extensions["wrong_passwords"].reset()
    yield


@pytest.fixture
def other_app(app, database_url):
    """other_app(SETTING=value): a second app on the test database, built by create_app.

    Flask-Limiter's object is shared by every app, and create_app points it at the new app's
    storage (and its in-memory fallback, and whether that storage answered): the session app
    gets its own back afterwards.
    """
    kept = ("_storage", "_limiter", "enabled", "_storage_dead", "_fallback_limiter")
    saved = {name: getattr(limiter, name) for name in kept}
    made = []

    def make(**overrides):
        settings = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test secret key",
            "SITE_URL": SITE_URL,
            "BOOK_LOOKUP_URL": "",
            "COVER_LOOKUP_URL": "",
        }
        made.append(create_app({**settings, **overrides}))
        made[-1].test_client_class = ClosingClient
        return made[-1]

    yield make
    # RATELIMIT_ENABLED=False in the other app turns the shared limiter off: on again after.
    for name, value in saved.items():
        setattr(limiter, name, value)
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def in_app(app):
    """`with in_app():` for arranging and checking the database outside a request."""
    return app.app_context


@pytest.fixture
def covers_dir(app):
    """The test app's covers folder (COVERS_DIR), emptied after the test."""
    folder = Path(app.config["COVERS_DIR"])
    yield folder
    for path in folder.iterdir():
        path.unlink()


@pytest.fixture(autouse=True)
def no_share_cards_left(app):
    """A share card fetched is stored in COVERS_DIR (sharing/cards.py), by any test that asks
    for one: none is left for the next test's covers folder."""
    yield
    for card in Path(app.config["COVERS_DIR"]).glob("share-*.png"):
        card.unlink()


def _detached(instance):
    db.session.refresh(instance)
    db.session.expunge(instance)
    return instance


_numbers = count(1)


@pytest.fixture
def make_book(app):
    def make_book(title="A Book", authors=("Some Author",), **fields):
        created_at = fields.pop("created_at", None)
        with app.app_context():
            book = books.add_book(title=title, authors=list(authors), **fields)
            if created_at:
                book.created_at = created_at
            db.session.commit()
            return _detached(book)

    return make_book


@pytest.fixture
def make_user(app):
    def make_user(role="volunteer", display_name=None, email=None, password="correct horse"):
        number = next(_numbers)
        with app.app_context():
            user = User(
                email=email or f"person{number}@example.org",
                display_name=display_name or f"Person {number}",
                role=role,
                password_hash=hash_password(password),
            )
            db.session.add(user)
            db.session.commit()
            return _detached(user)

    return make_user


@pytest.fixture
def login_as(client, make_user):
    """Sign the test client in as a new user of that role, as the sign-in page would."""

    def login_as(role="volunteer", **fields):
        user = make_user(role=role, **fields)
        sign_in_client(client, user)
        return user

    return login_as


@pytest.fixture(params=[None, "volunteer", "collective"])
def visitor(request, client, login_as):
    """The test client as no one, a volunteer and a collective member (one test each), for the
    customer's pages, which are everyone's."""
    if request.param:
        login_as(request.param)
    return client


@pytest.fixture
def as_member(client):
    """as_member(user): the test client, signed in as that person."""
    return lambda user: sign_in_client(client, user)


@pytest.fixture
def csrf_token(client):
    """The CSRF token the pages give this client, for forms and the htmx header."""

    def csrf_token() -> str:
        return token_of(client)

    return csrf_token


@pytest.fixture
def post(client, csrf_token):
    """post(path, data, htmx=False): a form post carrying the CSRF token, as the pages send it."""

    def post(path, data=None, htmx=False, **kwargs):
        headers = {"HX-Request": "true", "HX-Request-Type": "partial"} if htmx else {}
        return client.post(
            path, data={"csrf_token": csrf_token(), **(data or {})}, headers=headers, **kwargs
        )

    return post


@pytest.fixture
def sign_in(client):
    """Sign the test client in through the sign-in form; returns the response."""

    def sign_in(email, password="correct horse", remember=False, **form):
        if remember:
            form["remember"] = "y"
        return sign_in_from(client, email, password, **form)

    return sign_in


@pytest.fixture
def publish_review(app, make_user):
    """A published review: written, sent, and approved by a collective member at published_at."""

    def publish_review(book, reviewer, body="A fine book.", published_at=None):
        member = make_user(role="collective")
        with app.app_context():
            review = review_taken_to(
                ReviewState.PUBLISHED,
                reviewer.id,
                book.id,
                body,
                published_at or datetime.now(UTC),
                member_id=member.id,
            )
            db.session.commit()
            return _detached(review)

    return publish_review


@pytest.fixture
def clock(monkeypatch):
    """Set the time every page and command sees: clock(datetime(..., tzinfo=...))."""

    def set_clock(moment: datetime):
        monkeypatch.setattr(request_clock, "current_time", lambda: moment)

    return set_clock


@pytest.fixture
def count_queries(app):
    """`with count_queries() as queries:` … `len(queries)` statements were sent."""

    @contextmanager
    def counting():
        with app.app_context():
            engine = db.engine
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def review_of(app, make_book, make_user):
    """review_of(author, state=…, body=…, book=…, note=…, at=…) -> the id of a review brought to
    that state by the workflow at `at` (now unless given): returned with the note, or approved,
    by a new collective member."""

    def review_of(
        author,
        state=ReviewState.DRAFT,
        body=GOOD_TEXT,
        book=None,
        note="Please say who it is for.",
        at=None,
    ):
        book = book or make_book("Dispersing Power", authors=["Raúl Zibechi"])
        decides = state in (ReviewState.RETURNED, ReviewState.PUBLISHED)
        member = make_user(role="collective") if decides else None
        with app.app_context():
            review = review_taken_to(
                state,
                author.id,
                book.id,
                body,
                at or datetime.now(UTC),
                member_id=member.id if member else None,
                note=note,
            )
            db.session.commit()
            return review.id

    return review_of


@pytest.fixture
def note_a_return(app, make_user):
    """note_a_return(review_id, note): a collective member returns the submitted review to its
    author with that note."""

    def note_a_return(review_id, note):
        member = make_user(role="collective")
        with app.app_context():
            review = db.session.get(Review, review_id)
            approvals.return_review(
                review,
                db.session.get(User, member.id),
                note,
                datetime.now(UTC),
                seen_round=review.round,
            )
            db.session.commit()

    return note_a_return


@pytest.fixture
def people(make_user):
    """A volunteer who writes, and two collective members who decide."""
    return {
        "robin": make_user("volunteer", display_name="Robin"),
        "sam": make_user("collective", display_name="Sam"),
        "mara": make_user("collective", display_name="Mara"),
    }


_books = count(1)


@pytest.fixture
def submit(app, make_book):
    """submit(author, …) -> the id of a review written and sent through the workflow."""

    def submit(author, body=TEXT, title=None, authors=("Raúl Zibechi",), review_id=None, at=NOW):
        if review_id is None:
            book = make_book(title or f"Book {next(_books)}", authors=authors)
        with app.app_context():
            person = db.session.get(User, author.id)
            if review_id is None:
                review = workflow.start_review(person, db.session.get(Book, book.id))
                db.session.flush()
            else:
                review = db.session.get(Review, review_id)
            workflow.save_draft(
                review, person, body, max_length=10_000, seen_version=review.version
            )
            workflow.submit_review(review, person, at, 100, 10_000)
            db.session.commit()
            return review.id

    return submit


@pytest.fixture
def bookshop(make_book, make_user, publish_review):
    """A reviewed book in stock and a sold-out one."""
    reviewed = make_book(
        title="Dispersing Power",
        subtitle="Social Movements as Anti-State Forces",
        authors=["Raúl Zibechi"],
        publisher="AK Press",
        isbn13="9781849350112",
        description="How the Aymara of El Alto organise without a state.",
        stock=2,
    )
    make_book(title="Emergent Strategy", authors=["adrienne maree brown"], stock=0)
    reviewer = make_user(display_name="Sam Reviewer")
    publish_review(
        reviewed,
        reviewer,
        body="How people *organise themselves*.\n\nRead it with [a friend](https://example.org).",
    )
    return {"reviewed": reviewed}


@pytest.fixture
def nu_html_checker() -> list[str]:
    """The command that runs the Nu Html Checker (vnu.jar, from npm)."""
    java = shutil.which("java")
    if java is None:
        missing_tool("no java on PATH: the Nu Html Checker needs Java 11 or later")
    if not VNU_JAR.is_file():
        missing_tool(f"no vnu.jar at {VNU_JAR}: run npm ci in {PROJECT_ROOT}")
    return [java, "-jar", str(VNU_JAR)]


A_TUESDAY = date(2026, 11, 24)


@pytest.fixture
def wall_clock(monkeypatch):
    """The clock the rate limits read (time.time): wall_clock.advance(seconds) moves it on."""
    start = time.time()
    state = {"now": start}
    monkeypatch.setattr(time, "time", lambda: state["now"])

    class WallClock:
        def advance(self, seconds: float) -> None:
            state["now"] += seconds

    return WallClock()


@pytest.fixture
def mail_server(app, monkeypatch):
    """Mail configured, with smtplib.SMTP replaced: the list of EmailMessages "sent"."""
    FakeSMTP.sent = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "catalog@example.org")
    return FakeSMTP.sent


@pytest.fixture
def on_a_server_database(app):
    """Skips a test of two requests both under way at once on SQLite, where a request that
    writes takes the write lock as it begins, so it can't happen; on PostgreSQL it can."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            pytest.skip("SQLite serialises writing requests from their first statement")


@pytest.fixture
def meet_before(monkeypatch):
    """meet_before(module, "function", parties=2) -> a threading.Barrier: each call of
    module.function waits there until `parties` calls have arrived, then all go on at once.
    Reset it between rounds."""

    def meet(module, name: str, parties: int = 2) -> threading.Barrier:
        barrier = threading.Barrier(parties)
        original = getattr(module, name)

        def when_all_have_arrived(*args, **kwargs):
            barrier.wait(timeout=10)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, when_all_have_arrived)
        return barrier

    return meet


@pytest.fixture
def public_shop(app, make_book, make_user, publish_review, clock):
    """Every public page worth a visit: a reviewed book on a shelf, and the clock on a Tuesday
    afternoon (the shop open)."""
    clock(TUESDAY_AFTERNOON)
    book = make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)
    reviewer = make_user(display_name="Robin")
    publish_review(book, reviewer, body="How people *organise themselves*.")
    add_shelves(app, "Social Movements")
    shelve(app, book, "Social Movements")
    return {"book": book, "reviewer_id": reviewer.id}

"""Fixtures: an app on a migrated test database (SQLite, or FIRESTORM_TEST_DATABASE_URL), emptied
after every test, and helpers to make books, reviews and people."""

import os
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import count

import flask_migrate
import pytest
from sqlalchemy import event, text

from firestorm import catalog, create_app, store
from firestorm.extensions import db, limiter
from firestorm.models import Book, Review, ReviewState, User
from firestorm.passwords import hash_password


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped browser test is a failure, whatever made it skip."""
    outcome = yield
    report = outcome.get_result()
    required = os.environ.get("FIRESTORM_REQUIRE_ALL_TESTS") == "1"
    if report.skipped and required and item.get_closest_marker("browser"):
        report.outcome = "failed"
        report.longrepr = f"browser test skipped where all tests are required: {report.longrepr}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("FIRESTORM_TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    )


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test secret key",
            "BOOKS_PER_PAGE": 5,
        }
    )
    with app.app_context():
        # Start from nothing, and build the schema the way production does: by migrations.
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
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


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    """Every test client comes from 127.0.0.1: sign-in limits must not carry from test to test."""
    limiter.reset()
    yield


@pytest.fixture
def other_app(database_url):
    """other_app(SETTING=value): a second app on the test database, built by create_app.

    Flask-Limiter's object is shared by every app, and create_app points it at the new app's
    storage: the session app gets its own back afterwards.
    """
    saved = limiter._storage, limiter._limiter
    made = []

    def make(**overrides):
        settings = {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test secret key"}
        made.append(create_app({**settings, **overrides}))
        return made[-1]

    yield make
    limiter._storage, limiter._limiter = saved
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
            book = catalog.add_book(title=title, authors=list(authors), **fields)
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
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return login_as


@pytest.fixture
def csrf_token(client):
    """The CSRF token the pages give this client, for forms and the htmx header."""

    def csrf_token() -> str:
        page = client.get("/hours").get_data(as_text=True)
        return page.split('{"X-CSRFToken": "')[1].split('"')[0]

    return csrf_token


@pytest.fixture
def sign_in(client, csrf_token):
    """Sign the test client in through the sign-in form; returns the response."""

    def sign_in(email, password="correct horse", remember=False, **form):
        fields = {"email": email, "password": password, "csrf_token": csrf_token(), **form}
        if remember:
            fields["remember"] = "y"
        return client.post("/login", data=fields)

    return sign_in


@pytest.fixture
def publish_review(app):
    """A published review, as the approval workflow will leave it."""

    def publish_review(book, reviewer, body="A fine book.", published_at=None):
        published_at = published_at or datetime.now(UTC)
        with app.app_context():
            review = Review(
                book_id=book.id,
                reviewer_id=reviewer.id,
                state=ReviewState.PUBLISHED,
                body=body,
                published_body=body,
                published_at=published_at,
            )
            db.session.add(review)
            db.session.get(Book, book.id).last_reviewed_at = published_at
            db.session.commit()
            return _detached(review)

    return publish_review


@pytest.fixture
def clock(monkeypatch):
    """Set the time every page sees: clock(datetime(..., tzinfo=...))."""

    def set_clock(moment: datetime):
        monkeypatch.setattr(store, "current_time", lambda: moment)

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


A_TUESDAY = date(2026, 11, 24)

"""The request's transaction (firestorm/web/transaction.py): a state-changing request that
succeeds commits once; an exception, a refusal (4xx) or a safe method leaves nothing behind."""

import pytest
from flask import Blueprint, abort
from sqlalchemy import event, func, select

from firestorm.catalog import books
from firestorm.catalog.models import Book, Shelf
from firestorm.database import db

writes = Blueprint("writes", __name__)


def add_a_book() -> None:
    books.add_book(title="Written by the request", authors=["Someone"])
    db.session.flush()


@writes.route("/test/write-then", methods=["GET", "HEAD", "POST"])
def write_then_succeed():
    add_a_book()
    return "written", 200


@writes.post("/test/write-then-redirect")
def write_then_redirect():
    add_a_book()
    return "", 303, {"Location": "/"}


@writes.post("/test/write-then-raise")
def write_then_raise():
    add_a_book()
    raise RuntimeError("a bug after writing")


@writes.post("/test/insert-then-raise")
def insert_then_raise():
    # No reading at all before the failure, so any SELECT afterwards is the error page's. (A
    # shelf: flushing a book reads its authors and shelves for the search index.)
    db.session.add(Shelf(name="Half written", slug="half-written"))
    db.session.flush()
    raise RuntimeError("a bug after writing")


@writes.post("/test/write-then-refuse/<int:status>")
def write_then_refuse(status: int):
    add_a_book()
    return "refused", status


@writes.post("/test/write-then-abort")
def write_then_abort():
    add_a_book()
    abort(404)


@pytest.fixture
def writing_app(other_app):
    app = other_app(WTF_CSRF_ENABLED=False, PROPAGATE_EXCEPTIONS=False)
    app.register_blueprint(writes)
    return app


def books_stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Book))


def test_a_successful_post_is_committed(writing_app):
    response = writing_app.test_client().post("/test/write-then")

    assert response.status_code == 200
    assert books_stored(writing_app) == 1


def test_a_post_that_redirects_is_committed(writing_app):
    response = writing_app.test_client().post("/test/write-then-redirect")

    assert response.status_code == 303
    assert books_stored(writing_app) == 1


def test_a_handler_that_raises_after_writing_leaves_nothing_behind(writing_app):
    response = writing_app.test_client().post("/test/write-then-raise")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert books_stored(writing_app) == 0


@pytest.mark.parametrize("status", [400, 404, 409, 422, 429])
def test_a_refusal_leaves_nothing_behind(writing_app, status):
    response = writing_app.test_client().post(f"/test/write-then-refuse/{status}")

    assert response.status_code == status
    assert books_stored(writing_app) == 0


def test_an_aborted_request_leaves_nothing_behind(writing_app):
    response = writing_app.test_client().post("/test/write-then-abort")

    assert response.status_code == 404
    assert books_stored(writing_app) == 0


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_get_and_head_never_change_anything_even_when_a_view_writes(writing_app, method):
    response = writing_app.test_client().open("/test/write-then", method=method)

    assert response.status_code == 200
    assert books_stored(writing_app) == 0


def test_the_500_page_reads_nothing_from_the_database(writing_app, make_user):
    """The database may be what failed: the error page must not need it."""
    member = make_user(role="collective")
    client = writing_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = member.get_id()

    queries = []
    with writing_app.app_context():
        engine = db.engine
    record = lambda conn, cursor, statement, *args: queries.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.post("/test/insert-then-raise")
    finally:
        event.remove(engine, "before_cursor_execute", record)

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    inserts = [n for n, q in enumerate(queries) if q.lstrip().upper().startswith("INSERT")]
    assert inserts
    # The request read the last change's token before its route (web/last_change.py); from
    # the failed write on, the error page reads nothing.
    after_the_failure = queries[inserts[0] + 1 :]
    assert not [q for q in after_the_failure if q.lstrip().upper().startswith("SELECT")]

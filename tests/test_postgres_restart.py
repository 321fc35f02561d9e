"""PostgreSQL restarting under a running site (issue 18, item 4): gunicorn with two workers from
gunicorn.conf.py, on a PostgreSQL server of the test's own (tests/postgres_helpers.py) and the
shared Redis. While the server is down every request gets the site's 503 page in words, never a
500; once it is back every worker answers again by itself (pool_pre_ping, config.py, replaces
the connections the restart killed) and a stock change made through the desk is kept."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from http_browser import Browser
from postgres_helpers import PrivatePostgres, needs_postgres_programs
from redis_helpers import REDIS_URL, needs_redis
from server_helpers import free_port, gunicorn_env, start_gunicorn, upgrade_database, wait_until_up
from sqlalchemy import create_engine, func, select

from firestorm.catalog import books
from firestorm.catalog.models import Book, StockChange
from firestorm.database import database_url_for, db
from firestorm.people import accounts

pytestmark = [pytest.mark.redis, pytest.mark.postgres, needs_redis, needs_postgres_programs]

EMAIL, PASSWORD = "desk@example.org", "a long desk passphrase"
BREAK = "The catalog is taking a short break"
WORKERS = 2
# Each worker's process id, then the request line and status (gunicorn's access log atoms).
ACCESS_LOG_FORMAT = "%(p)s %(r)s %(s)s"


@pytest.fixture
def postgres():
    server = PrivatePostgres()
    server.start()
    yield server
    server.remove()


def test_requests_get_the_503_page_while_postgres_is_down_and_work_once_it_is_back(
    postgres, other_app, tmp_path
):
    port = free_port()
    env = gunicorn_env(
        tmp_path,
        port,
        FIRESTORM_DATABASE_URL=postgres.url,
        FIRESTORM_WORKERS=str(WORKERS),
        FIRESTORM_SECRET_KEY="r" * 64,
        FIRESTORM_SITE_URL=f"http://127.0.0.1:{port}",
        FIRESTORM_RATELIMIT_STORAGE_URI=REDIS_URL,
    )
    upgrade_database(env)
    book_id = seed(other_app(DATABASE_URL=postgres.url))
    access_log = tmp_path / "access.log"
    server = start_gunicorn(
        env, "--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        desk = Browser(f"http://127.0.0.1:{port}")
        desk.sign_in(EMAIL, PASSWORD)
        assert desk.post(f"/collective/books/{book_id}/stock", {"step": "1"}, "stock") == 200
        assert every_worker_answers(desk, "before", access_log) == {200}

        # Every pooled connection dies with the restart; no request meanwhile.
        postgres.stop("fast")
        postgres.start()
        assert every_worker_answers(desk, "restarted", access_log) == {200}

        postgres.stop("immediate")
        during = [
            desk.send("/books?phase=down"),
            desk.send("/my/?phase=down"),
            desk.send(f"/collective/books/{book_id}/stock", {"step": "1"}),
            *concurrently(desk, "down"),
        ]
        postgres.start()
        assert every_worker_answers(desk, "back", access_log) == {200}
        assert desk.post(f"/collective/books/{book_id}/stock", {"step": "1"}, "stock") == 200
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]

    assert {status for status, _ in during} == {503}, log[-3000:]
    assert all(BREAK in page for _, page in during)
    assert log.count("The database does not answer") == len(during)
    assert "Traceback" not in log and " ERROR " not in log, log[-3000:]
    # The two changes made while the database answered, and not the one tried while it was down.
    assert stock_and_changes(postgres.url, book_id) == (2, 2)


def seed(app) -> int:
    """A member for the desk and a book with none in stock, made as the site makes them."""
    with app.app_context():
        accounts.create_user(EMAIL, "Desk", "collective", PASSWORD)
        book = books.add_book(title="Caliban and the Witch", authors=["Silvia Federici"])
        db.session.commit()
        return book.id


def concurrently(desk: Browser, phase: str, requests: int = 12) -> list[tuple[int, str]]:
    """Public and signed-in pages asked four at a time: a worker busy with one leaves the next
    to the other."""
    paths = [
        f"/books?phase={phase}&n={n}" if n % 2 else f"/my/?phase={phase}&n={n}"
        for n in range(requests)
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(desk.send, paths))


def every_worker_answers(desk: Browser, phase: str, access_log) -> set[int]:
    """The statuses of a round of requests, once every worker has answered some of them."""
    statuses = {status for status, _ in concurrently(desk, phase)}
    workers = {
        line.split()[0] for line in access_log.read_text().splitlines() if f"phase={phase}&" in line
    }
    assert len(workers) == WORKERS, f"only workers {workers} answered"
    return statuses


def stock_and_changes(url: str, book_id: int) -> tuple[int, int]:
    engine = create_engine(database_url_for(url, "."))
    try:
        with engine.connect() as connection:
            stock = connection.scalar(select(Book.stock).where(Book.id == book_id))
            changes = connection.scalar(select(func.count()).where(StockChange.book_id == book_id))
    finally:
        engine.dispose()
    return stock, changes

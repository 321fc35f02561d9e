"""Writes under load (issue 11): gunicorn with 4 workers from gunicorn.conf.py, on a file
SQLite database, on PostgreSQL, and as two servers of 2 workers each (instance folders of their
own) sharing PostgreSQL and Redis (issue 18), and 8 processes sending 200 mixed writes each through
HTTP: review saves and submissions, approvals and returns, stock changes, holds placed (by the
volunteers, as customers) and marked ready and collected (by the members). Afterwards: no 500,
no "database is locked", every stock figure equal to its logged changes, and every approval,
stock change, hold and collection the server answered for counted exactly once.

Not in the default run (`-m load`: make load-test, and CI)."""

import re
import subprocess
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

import pytest
import redis
from http_browser import Browser, place_hold
from load_sites import fresh_postgres_database, start_site
from redis_helpers import REDIS_URL, needs_redis
from server_helpers import free_port, wait_until_up
from sqlalchemy import func, select

from firestorm import create_app
from firestorm.catalog.models import Book, StockChange
from firestorm.database import db
from firestorm.holds.models import Hold, HoldState
from firestorm.reviews.models import ReviewAction, ReviewEvent

pytestmark = pytest.mark.load

PROCESSES, WRITES = 8, 200
BOOKS, START_STOCK = 20, 50
PASSWORD = "load test passphrase"


@dataclass(frozen=True)
class LoadSite:
    database: str  # "sqlite" or "postgresql", as the report names it
    servers: int  # app servers, each from an instance folder of its own, sharing the database


@pytest.fixture(
    params=[
        pytest.param(LoadSite("sqlite", 1), id="sqlite"),
        pytest.param(LoadSite("postgresql", 1), id="postgresql"),
        pytest.param(
            LoadSite("postgresql", 2),
            id="two servers on postgresql and redis",
            marks=[pytest.mark.redis, needs_redis],
        ),
    ]
)
def load_site(request) -> LoadSite:
    return request.param


def test_mixed_writes_from_eight_processes(load_site, tmp_path):
    import seed_for_load

    if load_site.database == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'load.sqlite3'}"
    else:
        database_url = fresh_postgres_database("firestorm_load")
    people = seed_for_load.seed(database_url, PROCESSES, BOOKS, START_STOCK, PASSWORD)
    ports = [free_port() for _ in range(load_site.servers)]
    servers = start_servers(database_url, ports, tmp_path)
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        started = time.monotonic()
        # The writers take turns between the servers: half of them on each of two.
        work = [(ports[n % len(ports)], person, WRITES, BOOKS) for n, person in enumerate(people)]
        with Pool(PROCESSES) as pool:
            tallies = pool.starmap(run_writer, work)
        seconds = time.monotonic() - started
    finally:
        for server in servers:
            server.terminate()
        log = "".join(server.communicate(timeout=30)[0] for server in servers)

    total = sum_tallies(tallies)
    print(
        f"\n{load_site.database}, {load_site.servers} server(s): {total['requests']} requests "
        f"in {seconds:.1f} s, statuses {dict(sorted(total['statuses'].items()))}"
    )
    assert total["statuses"].get(500, 0) == 0, log[-3000:]
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-3000:]
    check_the_books_balance(database_url, total)


def start_servers(database_url: str, ports: list[int], tmp_path: Path) -> list[subprocess.Popen]:
    """Four gunicorn workers in all: one server with four, or two with two each sharing the
    database and Redis (the limits counted once for both)."""
    settings = {
        # Every customer here comes from 127.0.0.1, which the usual limit would stop at 10.
        "HOLD_LIMIT": "10000 per hour",
    }
    if len(ports) > 1:
        redis.Redis.from_url(REDIS_URL).flushdb()
        settings["RATELIMIT_STORAGE_URI"] = REDIS_URL
    workers = 4 // len(ports)
    return [
        start_site(database_url, port, tmp_path / f"server-{n}", workers, **settings)
        for n, port in enumerate(ports)
    ]


def run_writer(port: int, person: dict, writes: int, books: int) -> dict:
    browser = Browser(f"http://127.0.0.1:{port}")
    browser.sign_in(person["email"], PASSWORD)
    work = volunteer_work if person["role"] == "volunteer" else member_work
    for number in range(writes):
        work(browser, person, number, books)
    return browser.tally


def volunteer_work(browser: Browser, person: dict, number: int, books: int) -> None:
    if number % 5 == 4:
        place_hold(browser, 1 + (number * 3 + person["index"]) % books)
        return
    review_id = person["reviews"][number % len(person["reviews"])]
    editor = browser.get(f"/my/reviews/{review_id}/edit")
    version = re.search(
        r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', editor
    )
    seen = {"version": next(filter(None, version.groups()))} if version else {}
    body = f"Round {number} of a review that says what the book is for, and who. " * 2
    if number % 4 == 3:
        browser.post(f"/my/reviews/{review_id}/submit", {**seen, "body": body}, "submit")
    else:
        browser.post(f"/my/reviews/{review_id}", {**seen, "body": body}, "save")


def work_the_holds_desk(browser: Browser) -> None:
    """Take the first open hold one step on: new to ready, ready to collected."""
    desk = browser.get("/collective/holds")
    step = re.search(r'action="/collective/holds/(\d+)/(ready|collected)"', desk)
    if step:
        hold_id, action = step.groups()
        browser.post(f"/collective/holds/{hold_id}/{action}", {}, action)


def member_work(browser: Browser, person: dict, number: int, books: int) -> None:
    if number % 5 == 2:
        work_the_holds_desk(browser)
        return
    if number % 2:
        book_id = 1 + (number * 7 + person["index"]) % books
        step = "1" if number % 4 == 1 else "-1"
        browser.post(f"/collective/books/{book_id}/stock", {"step": step}, f"stock {step}")
        return
    queue = browser.get("/collective/queue")
    waiting = re.findall(r'id="approve-round-(\d+)"[^>]*value="(\d+)"', queue)
    if not waiting:
        return
    review_id, seen_round = waiting[number % len(waiting)]
    if number % 6 == 4:
        browser.post(
            f"/collective/reviews/{review_id}/return",
            {"round": seen_round, "note": "Say more."},
            "return",
        )
    else:
        browser.post(f"/collective/reviews/{review_id}/approve", {"round": seen_round}, "approve")


def sum_tallies(tallies: list[dict]) -> dict:
    total = {"requests": 0, "statuses": {}, "done": {}}
    for tally in tallies:
        total["requests"] += tally["requests"]
        for key in ("statuses", "done"):
            for name, count in tally[key].items():
                total[key][name] = total[key].get(name, 0) + count
    return total


def check_the_books_balance(database_url: str, total: dict) -> None:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x"})
    with app.app_context():
        for book in db.session.scalars(select(Book)):
            logged = db.session.scalar(
                select(func.coalesce(func.sum(StockChange.delta), 0)).where(
                    StockChange.book_id == book.id
                )
            )
            assert book.stock == logged >= 0, f"book {book.id}: {book.stock} != {logged}"
        changes = db.session.scalar(select(func.count()).select_from(StockChange)) - BOOKS
        approvals = db.session.scalar(
            select(func.count()).where(ReviewEvent.action == ReviewAction.APPROVED)
        )
        returns = db.session.scalar(
            select(func.count()).where(ReviewEvent.action == ReviewAction.RETURNED)
        )
        holds = db.session.scalar(select(func.count()).select_from(Hold))
        ready = db.session.scalar(select(func.count()).where(Hold.ready_at.is_not(None)))
        collected = db.session.scalar(select(func.count()).where(Hold.state == HoldState.COLLECTED))
        db.engine.dispose()
    done = total["done"]
    print(f"holds placed {holds}, marked ready {ready}, collected {collected}")
    assert holds == done.get("hold", 0) > 0
    assert ready == done.get("ready", 0) > 0
    assert collected == done.get("collected", 0) > 0
    # A collected hold takes its copy off the stock through the log, once.
    assert changes == done.get("stock 1", 0) + done.get("stock -1", 0) + collected
    assert approvals == done.get("approve", 0)
    assert returns == done.get("return", 0)

"""Two app servers (issue 18, item 3): gunicorn twice, each from an instance folder of its own,
sharing one PostgreSQL database and one Redis, covers in the database, as a shop that has grown
past one machine runs them behind its proxy. A stock change, a hold, a closure and a new cover
made through server A show on server B's very next request, though B had drawn and kept those
pages just before (its page cache is per worker; the last change's token it is keyed by lives in
the shared database).

With the load tests (`-m load`: make load-test, and CI), where PostgreSQL is required; a Redis
that does not answer fails CI like a missing browser."""

import re
import shutil
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import redis
from cover_images import jpeg
from html_checks import missing_tool
from http_browser import Browser, place_hold
from load_sites import fresh_postgres_database, start_site
from proxy_helpers import SEARCH_PATH, readme_caddyfile, start_caddy
from redis_helpers import REDIS_URL, needs_redis
from server_helpers import free_port, wait_until_up

pytestmark = [pytest.mark.load, pytest.mark.redis, needs_redis]

PASSWORD = "two servers passphrase"
BOOKS = 5  # one draft review of each for the volunteer
# What "Growing past one server" in the README sets on every server.
SHARED_SETTINGS = {"RATELIMIT_STORAGE_URI": REDIS_URL, "COVER_STORAGE": "database"}
COVER = re.compile(r'<img[^>]* src="(/covers/[0-9a-f]{32}\.webp)"')
STORE_ZONE = ZoneInfo("America/New_York")  # STORE_TIMEZONE's default


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """(A, B): the addresses of two servers of one worker each (so B's next request is
    answered by the very worker that kept the page), and the people seeded: a volunteer and a
    member."""
    import seed_for_load

    database_url = fresh_postgres_database("firestorm_two_servers")
    people = seed_for_load.seed(database_url, 2, BOOKS, 5, PASSWORD)
    redis.Redis.from_url(REDIS_URL).flushdb()
    folder = tmp_path_factory.mktemp("two-servers")
    ports = [free_port(), free_port()]
    running = [
        start_site(database_url, port, folder / name, 1, **SHARED_SETTINGS)
        for name, port in zip("AB", ports, strict=True)
    ]
    try:
        for port, server in zip(ports, running, strict=True):
            wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        yield [f"http://127.0.0.1:{port}" for port in ports], people
    finally:
        for server in running:
            server.terminate()
        log = "".join(server.communicate(timeout=30)[0] for server in running)
        assert "Traceback" not in log, log[-3000:]


@pytest.fixture
def server_a(servers):
    (address_a, _), people = servers
    return address_a


@pytest.fixture
def server_b(servers):
    (_, address_b), _ = servers
    return address_b


@pytest.fixture
def member_on_a(servers, server_a):
    _, people = servers
    member = Browser(server_a)
    member.sign_in(next(p["email"] for p in people if p["role"] == "collective"), PASSWORD)
    return member


def stock_line(page: str) -> str:
    """The book page's stock, in its words ("5 copies free to hold (1 on hold)")."""
    found = re.search(r'<p class="stock stock-large[^"]*">([^<]*)<', page)
    assert found, page[:2000]
    return found.group(1)


def test_a_stock_change_through_a_shows_on_bs_next_request(server_a, server_b, member_on_a):
    visitor_on_b = Browser(server_b)
    assert stock_line(visitor_on_b.get("/books/1")) == "5 copies in stock"

    assert member_on_a.post("/collective/books/1/stock", {"step": "1"}, "stock") == 200

    assert stock_line(visitor_on_b.get("/books/1")) == "6 copies in stock"


def test_a_hold_placed_through_a_shows_on_bs_next_request(servers, server_a, server_b):
    _, people = servers
    member_on_b = Browser(server_b)
    member_on_b.sign_in(next(p["email"] for p in people if p["role"] == "collective"), PASSWORD)
    visitor_on_b = Browser(server_b)
    assert stock_line(visitor_on_b.get("/books/2")) == "5 copies in stock"

    assert place_hold(Browser(server_a), 2) == 200

    assert stock_line(visitor_on_b.get("/books/2")) == "4 copies free to hold (1 on hold)"
    assert "Load Customer" in member_on_b.get("/collective/holds")


def test_a_closure_added_through_a_shows_on_bs_next_request(server_a, server_b, member_on_a):
    visitor_on_b = Browser(server_b)
    assert "Stocktaking" not in visitor_on_b.get("/hours")
    tomorrow = (datetime.now(STORE_ZONE) + timedelta(days=1)).date()

    member_on_a.get("/collective/hours")
    closure = {"first_day": tomorrow.isoformat(), "state": "closed", "reason": "Stocktaking"}
    assert member_on_a.post("/collective/hours/special", closure, "closure") == 200

    assert "Stocktaking" in visitor_on_b.get("/hours")


@pytest.mark.proxy
def test_behind_the_readmes_caddy_every_page_agrees_whichever_server_answers(
    servers, member_on_a, tmp_path
):
    """The README's Caddy config for two servers, in front of A and B: each request goes to
    the next server, and what a change made shows whichever of them answers."""
    if shutil.which("caddy", path=SEARCH_PATH) is None:
        missing_tool("no caddy: apt-get install caddy")
    (address_a, address_b), _ = servers
    port = free_port()
    upstreams = [int(address.rsplit(":", 1)[1]) for address in (address_a, address_b)]
    caddy = start_caddy(tmp_path, readme_caddyfile(port, upstreams))
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", caddy)
        visitor = Browser(f"http://127.0.0.1:{port}")
        before = {stock_line(visitor.get("/books/3")) for _ in range(6)}

        assert member_on_a.post("/collective/books/3/stock", {"step": "-1"}, "stock") == 200

        after = {stock_line(visitor.get("/books/3")) for _ in range(6)}
    finally:
        caddy.terminate()
        caddy.communicate(timeout=30)
    assert before == {"5 copies in stock"}
    assert after == {"4 copies in stock"}


def test_a_cover_uploaded_through_a_shows_and_is_served_on_bs_next_request(
    server_a, server_b, member_on_a
):
    visitor_on_b = Browser(server_b)
    assert COVER.search(visitor_on_b.get("/books/4")) is None
    member_on_a.get("/collective/books/4/edit")
    # The book's form as it stands (the seed's "Load book 3" by "Author 3", 5 copies), and a
    # cover: a photo of 1200 x 1800.
    book = {"title": "Load book 3", "authors": "Author 3", "stock": "5"}

    status, page = member_on_a.upload("/collective/books/4", book, {"cover": jpeg((1200, 1800))})

    assert status == 200 and "is saved" in page
    cover = COVER.search(visitor_on_b.get("/books/4"))
    assert cover is not None
    with urllib.request.urlopen(server_b + cover.group(1), timeout=10) as image:
        assert image.headers["Content-Type"] == "image/webp"
        assert "immutable" in image.headers["Cache-Control"]
        assert image.read(12)[8:] == b"WEBP"

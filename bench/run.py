"""Load-test the public pages through gunicorn, beside a bare Flask page as the ceiling.

    .venv/bin/python -m bench.run             # what `make bench` runs
    .venv/bin/python -m bench.run --reseed    # build the benchmark databases again
    BENCH_SECONDS=3 .venv/bin/python -m bench.run   # shorter, noisier
    .venv/bin/python -m bench.run --databases postgresql --sizes 1000 --only search

Seeds (or reuses) the benchmark databases, on SQLite then PostgreSQL (--databases), at
100,000 and at 1,000 books (--sizes), then, for each, starts two gunicorn servers on
127.0.0.1 with the same settings: the catalog on that database, and bench/bare_app.py.
Every page is fetched once and checked (its status, and showing what its label says), then
warmed up and loaded with wrk at 16 and at 32 connections. So are the cold mixes
(bench/cold.py): many addresses of one kind that no worker has drawn, sent through
bench/addresses.lua. The tables go to standard output and into docs/benchmarks.md.

On a small machine wrk and the servers share the CPUs, so absolute figures say little:
read each page as a share of the bare page measured in the same run.
"""

import argparse
import http.client
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlsplit

from markupsafe import escape
from sqlalchemy import create_engine, make_url, text

from bench import cold, seed

ROOT = seed.ROOT
DOCS_PATH = ROOT / "docs" / "benchmarks.md"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
# The ceiling is measured again just before each page, so that each share compares figures
# taken under the same conditions even when other work on the machine comes and goes.
CEILING_SECONDS = max(3, SECONDS // 2)
WARMUP_SECONDS = 2
WORKERS = 2
WRK_THREADS = 2
# Each page is loaded at both: 16 is the usual figure, 32 shows how latency holds up when
# twice as many visitors wait for the same two workers.
CONNECTIONS = (16, 32)
# wrk gives up on a request after 2 s by default and counts it as an error; a slow page
# must be measured, not reported as broken.
WRK_TIMEOUT = "30s"
STARTUP_TIMEOUT = 30
BOOK_PAGE_REVIEWS = 8
SEARCH_WORD = "anarchy"
PREFIX = "anarc"
MISSPELLED_WORD = "anarhcy"
NO_MATCH_WORD = "zyzzyva"
# The targets of issue 10, as shares of the bare page in the same run.
PAGE_TARGET = 0.40
SEARCH_TARGET = 0.30
NOT_MODIFIED_TARGET = 0.80
P99_TARGET = 3.0  # times the bare page's p99 at 32 connections
GROWTH_TARGET = 0.10  # a page's share at 100,000 books within 10 % of its share at 1,000
DRAWN_TARGET_MS = 15  # every page drawn afresh, alone on the idle server, within 15 ms
DATABASES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
LUA_SCRIPT = ROOT / "bench" / "addresses.lua"
RESULTS_HEADING = "## Results"


class BenchError(Exception):
    """Something that makes the figures meaningless: say so loudly and stop."""


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    expect: str  # text the page must show, so we measure what the label says
    target: float = PAGE_TARGET
    # A conditional GET: If-None-Match with the page's own ETag, answered 304 with no body.
    if_none_match: str = ""

    @property
    def shown_path(self) -> str:
        return f"`{self.path}`"


@dataclass(frozen=True)
class Load:
    """wrk's figures for one page at one number of connections, and the ceiling's just before."""

    connections: int
    requests_per_second: float
    latency_avg_ms: float
    latency_p99_ms: float
    ceiling: float  # the bare page's requests/s, measured just before this page
    ceiling_p99_ms: float

    @property
    def share(self) -> float:
        return self.requests_per_second / self.ceiling

    @property
    def p99_ratio(self) -> float:
        return self.latency_p99_ms / self.ceiling_p99_ms


@dataclass(frozen=True)
class Result:
    label: str
    path: str  # as the tables show it
    target: float
    # One request with the server otherwise idle: the work, without queueing. None for a mix,
    # whose every address is new.
    alone_ms: float | None
    drawn_ms: float  # the same, for a page the worker has not kept: drawn from the database
    drawn_max_ms: float  # the slowest of those
    loads: dict[int, Load]  # by number of connections
    drawn: bool = True  # False for the 304, which draws no page
    # For a mix: addresses sent again after a segment ran out, and all sent, by connections.
    repeats: dict[int, tuple[int, int]] | None = None


@dataclass(frozen=True)
class Server:
    base_url: str
    health_path: str


# --- What to measure ----------------------------------------------------------------------


def catalog_pages(url: str) -> list[Page]:
    """The public pages, with the ISBN, book page, shelf and search word picked from the
    seeded data (through SQLAlchemy: the same on SQLite and PostgreSQL)."""
    per_page = seed.bench_app(url).config["BOOKS_PER_PAGE"]
    engine = create_engine(seed.sqlalchemy_url(url))
    try:
        with engine.connect() as connection:

            def one(sql: str, **params: object) -> Any:
                return connection.execute(text(sql), params).one()

            books = one("SELECT count(*) FROM books WHERE NOT hidden")[0]
            in_stock = one("SELECT count(*) FROM books WHERE NOT hidden AND stock > 0")[0]
            shelf_slug, shelf_name, shelf_books = one(
                "SELECT slug, name, count(*) FROM shelves"
                " JOIN book_shelves ON shelf_id = shelves.id"
                " JOIN books ON books.id = book_shelves.book_id AND NOT books.hidden"
                " GROUP BY shelves.id, slug, name ORDER BY count(*) DESC, shelves.id LIMIT 1"
            )
            isbn13, isbn_title = one(
                "SELECT isbn13, title FROM books WHERE isbn13 LIKE '9781%' ORDER BY id LIMIT 1"
            )
            book_id, book_title = one(
                "SELECT books.id, books.title FROM books"
                " JOIN reviews ON reviews.book_id = books.id"
                " WHERE reviews.published_body IS NOT NULL GROUP BY books.id, books.title"
                " HAVING count(*) = :reviews ORDER BY books.id LIMIT 1",
                reviews=BOOK_PAGE_REVIEWS,
            )
            common_word = cold.most_common_title_word(connection)
    finally:
        engine.dispose()
    deep_page = max(1, books // 50)
    last_page = cold.last_page(books, per_page)
    shelf_last = cold.last_page(shelf_books, per_page)
    search = SEARCH_TARGET
    return [
        Page("home", "/", 'id="recently-reviewed"'),
        Page("catalog, page 1", "/books", f"{books:,} books"),
        Page(f"catalog, page {deep_page}", f"/books?page={deep_page}", f"page {deep_page} of"),
        Page("catalog, last page", f"/books?page={last_page}", f"page {last_page} of"),
        Page("sort: recently reviewed", "/books?sort=reviewed", f"{books:,} books"),
        Page("in stock, newest", "/books?in_stock=1&sort=newest", f"{in_stock:,} books"),
        Page("a shelf", f"/shelves/{shelf_slug}", str(escape(shelf_name))),
        Page(
            "fullest shelf, last page",
            f"/shelves/{shelf_slug}?page={shelf_last}",
            f"page {shelf_last} of",
        ),
        Page(f"book, {BOOK_PAGE_REVIEWS} reviews", f"/books/{book_id}", str(escape(book_title))),
        Page("reviews", "/reviews", "<h1>Reviews</h1>"),
        Page("reviews feed", "/feed.atom", "<feed"),
        Page("hours", "/hours", "Closures and changed hours"),
        Page(f"search “{SEARCH_WORD}”", f"/books?q={SEARCH_WORD}", "books matching", search),
        Page(
            f"search, most common title word “{common_word}”",
            f"/books?q={quote_plus(common_word)}",
            "books matching",
            search,
        ),
        Page(f"search, prefix “{PREFIX}”", f"/books?q={PREFIX}", "books matching", search),
        # Two letters swapped: found as "anarchy" (search/spelling.py forgives a typo).
        Page(
            f"search, misspelled “{MISSPELLED_WORD}”",
            f"/books?q={MISSPELLED_WORD}",
            "books matching",
            search,
        ),
        Page("search by ISBN", f"/books?q={isbn13}", str(escape(isbn_title)), search),
        # A typo finds nothing, and a search with few or no matches is the slowest kind.
        Page("search, nothing found", f"/books?q={NO_MATCH_WORD}", "No books found", search),
    ]


def not_modified_page(server: "Server") -> Page:
    """Home again, asked for with the ETag it just sent: the answer is a 304 with no body."""
    etag = fetch(server.base_url + "/")[2].get("ETag")
    if not etag:
        raise BenchError("/ sends no ETag, so there is no conditional GET to measure")
    return Page(NOT_MODIFIED_LABEL, "/", "", NOT_MODIFIED_TARGET, if_none_match=etag)


NOT_MODIFIED_LABEL = "home, not modified (304)"


BARE_PAGE = Page("bare Flask (ceiling)", "/", "Bare Flask")


# --- The servers --------------------------------------------------------------------------


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(name: str, app_spec: str, health_path: str, env: dict) -> Iterator[Server]:
    """A gunicorn server on 127.0.0.1, stopped however the block ends."""
    port = free_port()
    log_path = seed.RESULTS_DIR / f"{name}.log"
    command = [
        sys.executable, "-m", "gunicorn", app_spec,
        "--workers", str(WORKERS), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        # gunicorn.conf.py recycles a worker every ~2,000 requests, hours apart at a shop's
        # traffic but every second or two here: the steady state is what is measured.
        "--max-requests", "0",
        "--graceful-timeout", "5", "--log-level", "warning",
    ]  # fmt: skip
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        server = Server(f"http://127.0.0.1:{port}", health_path)
        wait_until_up(process, server.base_url + health_path, log_path)
        yield server
    finally:
        stop(process)


def wait_until_up(process: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited at start; see {log_path}:\n{log_path.read_text()}")
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    raise BenchError(f"{url} did not answer within {STARTUP_TIMEOUT} s; see {log_path}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def catalog_env(url: str) -> dict:
    # The developer's own FIRESTORM_* settings (another database, another page size) must
    # not leak into the measurement.
    env = {key: value for key, value in os.environ.items() if not key.startswith("FIRESTORM_")}
    env["FIRESTORM_DATABASE_URL"] = url
    # Set explicitly so create_app() does not write a key into the developer's instance/.
    env["FIRESTORM_SECRET_KEY"] = "bench-" + secrets.token_hex(16)
    # gunicorn reads gunicorn.conf.py from the working directory, so the catalog runs as in
    # production, where it refuses to start without the site's address (and answers only to
    # its host).
    env["FIRESTORM_SITE_URL"] = "http://127.0.0.1"
    return env


# --- Measuring ----------------------------------------------------------------------------


def fetch(
    url: str, timeout: float = 30, headers: dict | None = None
) -> tuple[int, str, http.client.HTTPMessage]:
    """One GET, redirects not followed: (status, body, headers)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode(), response.headers
    finally:
        connection.close()


def request_headers(page: Page) -> dict:
    return {"If-None-Match": page.if_none_match} if page.if_none_match else {}


def check_page(server: Server, page: Page, refuse: str = "") -> None:
    status, body, _ = fetch(server.base_url + page.path, headers=request_headers(page))
    expected_status = 304 if page.if_none_match else 200
    if status != expected_status:
        raise BenchError(f"{page.path} answered {status}, not {expected_status}")
    if page.expect not in body or (page.if_none_match and body):
        raise BenchError(f"{page.path} does not show {page.expect!r}: not the page we meant")
    if refuse and refuse in body:
        raise BenchError(f"{page.path} shows {refuse!r}: not the page we meant")


def check_mix(server: Server, mix: cold.Mix, checked: tuple[cold.Address, ...]) -> None:
    """A few of the mix's addresses (kept apart from those loaded), each showing its page."""
    for address in checked:
        check_page(server, Page(mix.label, address.path, address.expect), refuse=mix.refuse)


def run_wrk(
    url: str, seconds: int, connections: int, headers: dict, addresses: Path | None = None
) -> str:
    """wrk on one address, or with `addresses` on each line of that file in turn
    (bench/addresses.lua: each thread its own slice)."""
    header_options = [
        option for name, value in headers.items() for option in ("-H", f"{name}: {value}")
    ]
    script = ["-s", str(LUA_SCRIPT)] if addresses else []
    script_args = ["--", str(addresses), str(WRK_THREADS)] if addresses else []
    command = [
        "wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s",
        "--latency", "--timeout", WRK_TIMEOUT, *header_options, *script, url, *script_args,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise BenchError(f"wrk failed on {url}:\n{done.stdout}{done.stderr}")
    return done.stdout


TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
TIME = r"([\d.]+)(us|ms|s|m|h)\b"


def parse_wrk(output: str) -> dict:
    """Requests/s, average and 99th-percentile latency, and errors from wrk --latency output."""

    def search(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise BenchError(f"cannot read wrk's output (no {pattern!r}):\n{output}")
        return match

    def ms(match: re.Match) -> float:
        return float(match[1]) * TIME_UNITS_MS[match[2]]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    repeats = re.search(r"^repeats: (\d+) of (\d+) sent", output, re.MULTILINE)
    return {
        "repeats": (int(repeats[1]), int(repeats[2])) if repeats else None,
        "requests": int(search(r"(\d+) requests in")[1]),
        "requests_per_second": float(search(r"Requests/sec:\s+([\d.]+)")[1]),
        "latency_avg_ms": ms(search(rf"^\s+Latency\s+{TIME}")),
        "latency_p99_ms": ms(search(rf"^\s+99%\s+{TIME}")),
        "non_2xx": int(non_2xx[1]) if non_2xx else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
    }


def settle(server: Server) -> None:
    """Wait for the workers to finish the requests wrk stopped waiting for.

    When wrk stops, the requests still queued in the listen backlog are served all the same;
    on a slow page that is seconds of work, which would land on the next measurement. The
    backlog is served in order, so the answer to a request sent now comes after them.
    """
    fetch(server.base_url + server.health_path, timeout=SECONDS + 120)


def time_alone(
    server: Server, page: Page, drawn_afresh: bool = False, times: int = 5
) -> list[float]:
    """Milliseconds of a few requests one after another, the server otherwise idle.

    drawn_afresh: each request's address differs by a parameter the page ignores, so the
    worker cannot send a page it kept (web/caching.py) and draws it: a first visit's cost.
    """
    paths = [page.path] * times
    if drawn_afresh:
        paths = [
            f"{page.path}{'&' if '?' in page.path else '?'}bench={secrets.token_hex(4)}{attempt}"
            for attempt in range(times)
        ]
    return time_each(server, paths, request_headers(page))


def time_each(server: Server, paths: list[str] | tuple[str, ...], headers: dict) -> list[float]:
    """Milliseconds of each request, one after another."""
    durations = []
    for path in paths:
        started = time.perf_counter()
        fetch(server.base_url + path, headers=headers)
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def load(
    server: Server, page: Page, seconds: int, connections: int, addresses: Path | None = None
) -> dict:
    """wrk's figures for one page (or a mix's addresses), after which the server is idle."""
    path = page.path
    figures = parse_wrk(
        run_wrk(server.base_url + path, seconds, connections, request_headers(page), addresses)
    )
    settle(server)
    if not figures["requests"]:
        raise BenchError(f"{path}: no request finished in {seconds} s; try more BENCH_SECONDS")
    if figures["non_2xx"] or figures["socket_errors"]:
        raise BenchError(
            f"{path}: {figures['non_2xx']} non-2xx responses, "
            f"{figures['socket_errors']} socket errors in {figures['requests']} requests"
        )
    return figures


def under_load(
    server: Server, page: Page, bare: Server, connections: int, addresses: Path | None = None
) -> tuple[Load, dict]:
    """The ceiling just before, then the page (or a mix's addresses) at that many
    connections: the Load, and wrk's figures."""
    ceiling = load(bare, BARE_PAGE, CEILING_SECONDS, connections)
    figures = load(server, page, SECONDS, connections, addresses)
    return Load(
        connections,
        figures["requests_per_second"],
        figures["latency_avg_ms"],
        figures["latency_p99_ms"],
        ceiling["requests_per_second"],
        ceiling["latency_p99_ms"],
    ), figures


def measure(server: Server, page: Page, bare: Server) -> Result:
    progress(f"  {page.label:<32} {page.path}")
    # Fills caches: OS, templates.
    run_wrk(server.base_url + page.path, WARMUP_SECONDS, CONNECTIONS[0], request_headers(page))
    settle(server)
    alone_ms = statistics.median(time_alone(server, page))
    drawn = time_alone(server, page, drawn_afresh=not page.if_none_match)
    loads = {c: under_load(server, page, bare, c)[0] for c in CONNECTIONS}
    return Result(
        page.label,
        page.shown_path,
        page.target,
        alone_ms,
        statistics.median(drawn),
        max(drawn),
        loads,
        drawn=not page.if_none_match,
    )


def measure_mix(server: Server, mix: cold.Mix, parts: cold.Segments, bare: Server) -> Result:
    """A cold mix: the warm-up, each load and the timings alone each on addresses of their
    own, none of them asked for before."""
    progress(f"  {mix.label:<32} {len(mix.addresses):,} addresses")
    name = re.sub(r"\W+", "-", mix.label).strip("-")
    page = Page(mix.label, "", "", mix.target)
    warm_up = cold.write_addresses(parts.warm_up, f"{name}-warm-up")
    run_wrk(server.base_url, WARMUP_SECONDS, CONNECTIONS[0], {}, warm_up)
    settle(server)
    drawn = time_each(server, parts.alone, {})
    loads, repeats = {}, {}
    for connections in CONNECTIONS:
        addresses = cold.write_addresses(parts.loads[connections], f"{name}-{connections}")
        loads[connections], figures = under_load(server, page, bare, connections, addresses)
        repeats[connections] = figures["repeats"] or (0, 0)
    return Result(
        mix.label,
        mix.path,
        mix.target,
        None,
        statistics.median(drawn),
        max(drawn),
        loads,
        repeats=repeats,
    )


def measure_all(store: seed.CatalogStore, only: str = "") -> list[Result]:
    """The bare page, then each catalog page and cold mix whose label has `only`, each
    server up only for this run."""
    every_page = catalog_pages(store.url)
    pages = [page for page in every_page if only in page.label]
    fixed = {page.path for page in every_page}
    per_segment = cold.ADDRESSES_PER_SECOND * SECONDS
    wanted = cold.CHECKED + cold.ALONE_TIMES + per_segment * (len(CONNECTIONS) + 1)
    mixes = cold.mixes(store.url, wanted, fixed, PAGE_TARGET, SEARCH_TARGET, only)
    cut = {mix.label: cold.segments(mix, SECONDS, WARMUP_SECONDS, CONNECTIONS) for mix in mixes}
    with ExitStack() as servers:
        bare = servers.enter_context(gunicorn("bare", "bench.bare_app:app", "/", dict(os.environ)))
        catalog = servers.enter_context(
            gunicorn("catalog", "app:app", "/healthz", catalog_env(store.url))
        )
        if only in NOT_MODIFIED_LABEL:
            pages.append(not_modified_page(catalog))
        check_page(bare, BARE_PAGE)
        # All checked before minutes are spent loading them.
        for page in pages:
            check_page(catalog, page)
        for mix in mixes:
            check_mix(catalog, mix, cut[mix.label].check)
        progress(
            f"Loading each page for {SECONDS} s at {' and '.join(map(str, CONNECTIONS))} "
            f"connections, after a {WARMUP_SECONDS} s warm-up and {CEILING_SECONDS} s on the "
            "bare page:"
        )
        # The bare page against itself: its share shows how steady the machine is.
        return (
            [measure(bare, BARE_PAGE, bare)]
            + [measure(catalog, p, bare) for p in pages]
            + [measure_mix(catalog, mix, cut[mix.label], bare) for mix in mixes]
        )


# --- Reporting ----------------------------------------------------------------------------


def percent(share: float) -> str:
    return f"{share:.0%}"


def markdown_table(results: list[Result]) -> str:
    """One database and catalog size's figures: each page at each number of connections."""
    columns = ["page", "path", "alone", "drawn afresh", "drawn, slowest"]
    for c in CONNECTIONS:
        columns += [f"req/s @{c}", f"ceiling @{c}", f"share @{c}", f"avg @{c}", f"p99 @{c}"]
    columns += [f"bare p99 @{CONNECTIONS[-1]}", "repeats"]
    lines = ["| " + " | ".join(columns) + " |", "| --- | --- |" + " ---: |" * (len(columns) - 2)]
    for result in results:
        cells = [
            result.label,
            result.path,
            "—" if result.alone_ms is None else f"{result.alone_ms:,.1f} ms",
            f"{result.drawn_ms:,.1f} ms",
            f"{result.drawn_max_ms:,.1f} ms",
        ]
        for c in CONNECTIONS:
            figures = result.loads[c]
            cells += [
                f"{figures.requests_per_second:,.0f}",
                f"{figures.ceiling:,.0f}",
                percent(figures.share),
                f"{figures.latency_avg_ms:,.1f} ms",
                f"{figures.latency_p99_ms:,.1f} ms",
            ]
        cells.append(f"{result.loads[CONNECTIONS[-1]].ceiling_p99_ms:,.1f} ms")
        cells.append(repeats_cell(result))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def repeats_cell(result: Result) -> str:
    """For a mix: requests whose address had been sent before in the same load (the catalog
    has fewer distinct addresses than the load asked for), of all sent."""
    if result.repeats is None:
        return ""
    return ", ".join(
        f"{repeated:,} of {sent:,} @{c}" for c, (repeated, sent) in result.repeats.items()
    )


def verdicts(large: Result, small: Result | None) -> list[str]:
    """What misses its target, in words; an empty list when the page meets every one."""
    misses = []
    share = min(figures.share for figures in large.loads.values())
    if share < large.target:
        misses.append(f"share {percent(share)} < {percent(large.target)}")
    ratio = large.loads[CONNECTIONS[-1]].p99_ratio
    if ratio > P99_TARGET:
        misses.append(f"p99 {ratio:.1f}× bare")
    if large.drawn and large.drawn_ms > DRAWN_TARGET_MS:
        misses.append(f"drawn {large.drawn_ms:,.0f} ms > {DRAWN_TARGET_MS} ms")
    if small is not None:
        growth = large.loads[CONNECTIONS[0]].share / small.loads[CONNECTIONS[0]].share - 1
        if abs(growth) > GROWTH_TARGET:
            misses.append(f"{growth:+.0%} against {small_books_label()} books")
    return misses


def small_books_label() -> str:
    return f"{seed.SMALL.books:,}"


# results[database][books]: each page's Result, the bare page first, in the same order.
AllResults = dict[str, dict[int, list[Result]]]


def comparison_table(results: AllResults) -> str:
    """Each database side by side, each page against the targets at the largest size measured
    (and its share there against the smaller size's, when both were measured)."""
    wide, narrow = CONNECTIONS[-1], CONNECTIONS[0]
    databases = list(results)
    columns = ["page", "target"]
    for database in databases:
        name = DATABASES[database]
        columns += [
            f"{name}: share @{narrow}",
            f"share @{wide}",
            f"p99 @{wide} ÷ bare",
            "drawn afresh",
            "large ÷ small",
            f"{name}: verdict",
        ]
    lines = [
        "| " + " | ".join(columns) + " |",
        "| --- | --- |" + " ---: | ---: | ---: | ---: | ---: | --- |" * len(databases),
    ]
    first = results[databases[0]]
    for index, reference in enumerate(first[max(first)]):
        if index == 0:
            continue  # the bare page is the yardstick, not a page with a target
        drawn_target = f", drawn ≤ {DRAWN_TARGET_MS} ms" if reference.drawn else ""
        cells = [reference.label, f"≥ {percent(reference.target)}{drawn_target}"]
        for database in databases:
            by_size = results[database]
            large = by_size[max(by_size)][index]
            small = by_size[min(by_size)][index] if len(by_size) > 1 else None
            misses = verdicts(large, small)
            growth = (
                f"{large.loads[narrow].share / small.loads[narrow].share:.2f}" if small else "—"
            )
            cells += [
                percent(large.loads[narrow].share),
                percent(large.loads[wide].share),
                f"{large.loads[wide].p99_ratio:.1f}×",
                f"{large.drawn_ms:,.1f} ms" if large.drawn else "—",
                growth,
                "meets all" if not misses else "; ".join(misses),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    sizes = sorted({books for by_size in results.values() for books in by_size}, reverse=True)
    note = (
        f"Figures at {sizes[0]:,} books; “large ÷ small” is the share @{narrow} at "
        f"{sizes[0]:,} books over the share at {sizes[-1]:,}."
        if len(sizes) > 1
        else f"Figures at {sizes[0]:,} books (the only size measured)."
    )
    return note + "\n\n" + "\n".join(lines)


def cpu_model() -> str:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return match[1].strip() if match else "unknown"


@dataclass(frozen=True)
class Run:
    started: datetime
    seconds: float
    # The one-minute load average before we start anything: other work on the CPUs.
    load_before: float
    command: str


def run_details(report: seed.SeedReport, results: list[Result], run: Run) -> str:
    counts = ", ".join(f"{count:,} {name}" for name, count in report.counts.items())
    seeding = "reused" if report.reused else f"seeded in {report.seconds:.0f} s"
    ceilings = [figures.ceiling for result in results for figures in result.loads.values()]
    return "\n".join(
        [
            f"- Date: {run.started:%Y-%m-%d %H:%M} UTC; the run took {run.seconds:.0f} s.",
            f"- Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}, "
            f"{report.where.software()}, gunicorn {version('gunicorn')}.",
            f"- Data: {counts}; {report.where.describe()} ({seeding}).",
            f"- Servers: gunicorn, {WORKERS} sync workers each, on 127.0.0.1.",
            f"- Load: `wrk -t{WRK_THREADS} -c{{{','.join(map(str, CONNECTIONS))}}} "
            f"-d{SECONDS}s --latency --timeout {WRK_TIMEOUT}` per page after a "
            f"{WARMUP_SECONDS} s warm-up; the ceiling with the same settings for "
            f"{CEILING_SECONDS} s just before each page and number of connections. Cold mixes: "
            f"`-s bench/addresses.lua`, up to {cold.ADDRESSES_PER_SECOND * SECONDS:,} distinct "
            f"addresses per load, none sent before; drawn afresh is the median (and slowest) "
            f"of {cold.ALONE_TIMES} more, one after another.",
            f"- Command: `{run.command}` (BENCH_SECONDS={SECONDS}).",
            f"- Noise: the ceiling ranged from {min(ceilings):,.0f} to {max(ceilings):,.0f} "
            f"req/s during the run; the one-minute load average before it was "
            f"{run.load_before:.1f} (well above 0: other work was competing for the CPUs).",
        ]
    )


DOCS_INTRO = """# Benchmarks

`make bench` seeds a SQLite database of 100,000 books and 200,000 published reviews
(`bench/seed.py`, kept in `bench-results/` and reused while it is current), serves the catalog
with gunicorn and loads each public page with wrk. A bare Flask page rendering a small
template (`bench/bare_app.py`), served with the same gunicorn settings in the same run, is the
ceiling: the most this machine can serve through gunicorn and Flask at all.

How to read the table:

- **share of ceiling** is the page's requests/s divided by the bare page's, measured just
  before it (**ceiling req/s**). It is the figure to compare between runs and machines; the
  absolute requests/s depend on the machine, and on a small one wrk and the servers share
  the CPUs. The bare page's own share (against its run just before) shows the noise.
- **avg** and **p99 latency** are per request with 16 (or 32) connections open at once
  against two sync workers, so they include time spent queueing for a worker: a page
  taking 10 ms of work shows about 80 ms at 16.
- **alone** is the median time of one request while the server has nothing else to do:
  the work the page costs, without the queueing. Workers keep the public pages they drew
  (web/caching.py), so this is a kept page; **drawn afresh** is the same page at an
  address the worker has not seen, drawn from the database: a first visit.
- A page far below the others is doing work that grows with the catalog: a full scan, a
  count, a deep offset.
- **Cold mixes** ("random book pages", "search, two words"…) are many addresses of one kind
  that no worker has drawn (a kept page cannot answer them), built from the benchmark
  database and sent by wrk through `bench/addresses.lua`; the warm-up, each load and the
  timings alone each have addresses of their own. **drawn afresh** for a mix is the median
  of 15 unseen addresses one after another (and the slowest); the target is 15 ms. Where
  the catalog has fewer distinct addresses than a load asks for, **repeats** says how many
  were sent again. Each is measured on SQLite and on PostgreSQL, side by side.

This section above the results is kept; everything from the "Results" heading down is
replaced on each run.
"""


def write_docs(results: str) -> None:
    """Replace the results section, keeping whatever stands above it."""
    existing = DOCS_PATH.read_text() if DOCS_PATH.exists() else ""
    head, marker, _ = existing.partition(f"\n{RESULTS_HEADING}\n")
    intro = head.rstrip() if marker else DOCS_INTRO.rstrip()
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text(f"{intro}\n\n{RESULTS_HEADING}\n\n{results}\n")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def exit_on_sigterm(signum: int, frame: object) -> None:
    # Python dies on SIGTERM without running `finally`; as SystemExit, the servers get stopped.
    sys.exit(128 + signum)


def run_size(
    store: seed.CatalogStore, reseed: bool, only: str, command: str
) -> tuple[list[Result], str]:
    """Seed (or reuse) one database at one size and measure it: the results and their section."""
    started, clock, load_before = datetime.now(UTC), time.monotonic(), os.getloadavg()[0]
    name, books = DATABASES[store.database], store.size.books
    progress(f"Seeding (or checking) the {name} benchmark database of {books:,} books…")
    report = seed.ensure_seeded(store, reseed=reseed)
    progress(f"  {'reused' if report.reused else 'seeded'} in {report.seconds:.1f} s")
    results = measure_all(store, only)
    run = Run(started, time.monotonic() - clock, load_before, command)
    section = (
        f"### {name}, {books:,} books\n\n{markdown_table(results)}\n\n"
        f"{run_details(report, results, run)}\n"
    )
    return results, section


def main() -> int:
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="build the databases again")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql"
    )
    parser.add_argument(
        "--sizes", default=",".join(str(books) for books in seed.SIZES), help="e.g. 1000"
    )
    parser.add_argument(
        "--only", default="", metavar="LABEL", help="only the pages and mixes whose label has it"
    )
    args = parser.parse_args()
    databases = args.databases.split(",")
    sizes = [int(books) for books in args.sizes.split(",")]
    if unknown := [d for d in databases if d not in DATABASES] + [
        str(b) for b in sizes if b not in seed.SIZES
    ]:
        parser.error(f"not a database or size: {', '.join(unknown)}")
    if shutil.which("wrk") is None:
        progress("wrk is not installed: apt-get install wrk")
        return 2
    notes = []
    if "postgresql" in databases and (why := seed.postgres_reachable()):
        note = (
            f"PostgreSQL ({make_url(seed.postgres_admin_url())}) could not be reached ({why}): "
            "measured on SQLite only."
        )
        progress(note)
        notes.append(f"**{note}**")
        databases.remove("postgresql")
    if not databases:
        return 1
    command = shlex.join([".venv/bin/python", "-m", "bench.run", *sys.argv[1:]])
    results: AllResults = {}
    sections = []
    try:
        for database in databases:
            for books in sizes:
                store = seed.store_for(database, seed.SIZES[books])
                found, section = run_size(store, args.reseed, args.only, command)
                results.setdefault(database, {})[books] = found
                sections.append(section)
    except BenchError as error:
        progress(f"Benchmark failed: {error}")
        return 1
    except KeyboardInterrupt:
        progress("Interrupted; the servers are stopped.")
        return 130
    comparison = "\n\n".join([*notes, comparison_table(results)])
    print(comparison)
    write_docs(f"{comparison}\n\n" + "\n".join(sections))
    progress(f"Written to {DOCS_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

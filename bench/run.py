"""Load-test the public pages through gunicorn, beside a bare Flask page as the ceiling.

    .venv/bin/python -m bench.run             # what `make bench` runs
    .venv/bin/python -m bench.run --reseed    # build the benchmark databases again
    BENCH_SECONDS=3 .venv/bin/python -m bench.run   # shorter, noisier

Seeds (or reuses) the benchmark databases at 100,000 and at 1,000 books, then, for each,
starts two gunicorn servers on 127.0.0.1 with the same settings: the catalog on that
database, and bench/bare_app.py. Every page is fetched once and checked (its status, and
showing what its label says), then warmed up and loaded with wrk at 16 and at 32
connections. The tables go to standard output and into docs/benchmarks.md.

On a small machine wrk and the servers share the CPUs, so absolute figures say little:
read each page as a share of the bare page measured in the same run.
"""

import argparse
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
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
from urllib.parse import urlsplit

from markupsafe import escape

from bench import seed

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
    page: Page
    alone_ms: float  # one request with the server otherwise idle: the work, without queueing
    drawn_ms: float  # the same, for a page the worker has not kept: drawn from the database
    loads: dict[int, Load]  # by number of connections


@dataclass(frozen=True)
class Server:
    base_url: str
    health_path: str


# --- What to measure ----------------------------------------------------------------------


def catalog_pages(database: Path) -> list[Page]:
    """The public pages, with the ISBN and book page picked from the seeded data."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:

        def one(sql: str, *params):
            return connection.execute(sql, params).fetchone()

        books = one("SELECT count(*) FROM books")[0]
        in_stock = one("SELECT count(*) FROM books WHERE stock > 0")[0]
        shelf_slug, shelf_name = one(
            "SELECT slug, name FROM shelves JOIN book_shelves ON shelf_id = shelves.id"
            " GROUP BY shelves.id ORDER BY count(*) DESC LIMIT 1"
        )
        isbn13, isbn_title = one(
            "SELECT isbn13, title FROM books WHERE isbn13 LIKE '9781%' ORDER BY id LIMIT 1"
        )
        book_id, book_title = one(
            "SELECT books.id, books.title FROM books JOIN reviews ON reviews.book_id = books.id"
            " WHERE reviews.published_body IS NOT NULL GROUP BY books.id"
            " HAVING count(*) = ? ORDER BY books.id LIMIT 1",
            BOOK_PAGE_REVIEWS,
        )
    deep_page = max(1, books // 50)
    search = SEARCH_TARGET
    return [
        Page("home", "/", 'id="recently-reviewed"'),
        Page("catalog, page 1", "/books", f"{books} books"),
        Page(f"catalog, page {deep_page}", f"/books?page={deep_page}", f"page {deep_page} of"),
        Page("sort: recently reviewed", "/books?sort=reviewed", f"{books} books"),
        Page("in stock, newest", "/books?in_stock=1&sort=newest", f"{in_stock} books"),
        Page("a shelf", f"/shelves/{shelf_slug}", str(escape(shelf_name))),
        Page(f"book, {BOOK_PAGE_REVIEWS} reviews", f"/books/{book_id}", str(escape(book_title))),
        Page("reviews", "/reviews", "<h1>Reviews</h1>"),
        Page("reviews feed", "/feed.atom", "<feed"),
        Page("hours", "/hours", "Closures and changed hours"),
        Page(f"search “{SEARCH_WORD}”", f"/books?q={SEARCH_WORD}", "books matching", search),
        Page(f"search, prefix “{PREFIX}”", f"/books?q={PREFIX}", "books matching", search),
        Page(
            f"search, misspelled “{MISSPELLED_WORD}”",
            f"/books?q={MISSPELLED_WORD}",
            "Did you mean",
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
    return Page("home, not modified (304)", "/", "", NOT_MODIFIED_TARGET, if_none_match=etag)


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


def catalog_env(database: Path) -> dict:
    # The developer's own FIRESTORM_* settings (another database, another page size) must
    # not leak into the measurement.
    env = {key: value for key, value in os.environ.items() if not key.startswith("FIRESTORM_")}
    env["FIRESTORM_DATABASE_URL"] = seed.database_url(database)
    # Set explicitly so create_app() does not write a key into the developer's instance/.
    env["FIRESTORM_SECRET_KEY"] = "bench-" + secrets.token_hex(16)
    # gunicorn reads gunicorn.conf.py from the working directory, so the catalog runs as in
    # production, where it refuses to start without the site's address (and answers only to
    # its host).
    env["FIRESTORM_SITE_URL"] = "http://127.0.0.1"
    return env


# --- Measuring ----------------------------------------------------------------------------


def fetch(url: str, timeout: float = 30, headers: dict | None = None):
    """One GET, redirects not followed: (status, body, headers)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode(), response.headers
    finally:
        connection.close()


def request_headers(page: Page) -> dict:
    return {"If-None-Match": page.if_none_match} if page.if_none_match else {}


def check_page(server: Server, page: Page) -> None:
    status, body, _ = fetch(server.base_url + page.path, headers=request_headers(page))
    expected_status = 304 if page.if_none_match else 200
    if status != expected_status:
        raise BenchError(f"{page.path} answered {status}, not {expected_status}")
    if page.expect not in body or (page.if_none_match and body):
        raise BenchError(f"{page.path} does not show {page.expect!r}: not the page we meant")


def run_wrk(url: str, seconds: int, connections: int, headers: dict) -> str:
    header_options = [
        option for name, value in headers.items() for option in ("-H", f"{name}: {value}")
    ]
    command = [
        "wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s",
        "--latency", "--timeout", WRK_TIMEOUT, *header_options, url,
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
    return {
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


def time_alone(server: Server, page: Page, drawn_afresh: bool = False, times: int = 5) -> float:
    """Median milliseconds of a few requests one after another, the server otherwise idle.

    drawn_afresh: each request's address differs by a parameter the page ignores, so the
    worker cannot send a page it kept (web/caching.py) and draws it: a first visit's cost.
    """
    durations = []
    for attempt in range(times):
        path = page.path
        if drawn_afresh:
            path += f"{'&' if '?' in path else '?'}bench={secrets.token_hex(4)}{attempt}"
        started = time.perf_counter()
        fetch(server.base_url + path, headers=request_headers(page))
        durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations)


def load(server: Server, page: Page, seconds: int, connections: int) -> dict:
    """wrk's figures for one page, after which the server is idle again."""
    path = page.path
    figures = parse_wrk(
        run_wrk(server.base_url + path, seconds, connections, request_headers(page))
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


def measure(server: Server, page: Page, bare: Server) -> Result:
    progress(f"  {page.label:<32} {page.path}")
    warm_up = [server.base_url + page.path, WARMUP_SECONDS, CONNECTIONS[0], request_headers(page)]
    run_wrk(*warm_up)  # fills caches: OS, templates
    settle(server)
    alone_ms = time_alone(server, page)
    drawn_ms = time_alone(server, page, drawn_afresh=not page.if_none_match)
    loads = {}
    for connections in CONNECTIONS:
        ceiling = load(bare, BARE_PAGE, CEILING_SECONDS, connections)
        figures = load(server, page, SECONDS, connections)
        loads[connections] = Load(
            connections,
            figures["requests_per_second"],
            figures["latency_avg_ms"],
            figures["latency_p99_ms"],
            ceiling["requests_per_second"],
            ceiling["latency_p99_ms"],
        )
    return Result(page, alone_ms, drawn_ms, loads)


def measure_all(database: Path) -> list[Result]:
    """The bare page, then each catalog page, each server up only for this run."""
    pages = catalog_pages(database)
    with ExitStack() as servers:
        bare = servers.enter_context(gunicorn("bare", "bench.bare_app:app", "/", dict(os.environ)))
        catalog = servers.enter_context(
            gunicorn("catalog", "app:app", "/healthz", catalog_env(database))
        )
        pages.append(not_modified_page(catalog))
        check_page(bare, BARE_PAGE)
        for page in pages:
            check_page(catalog, page)  # all checked before minutes are spent loading them
        progress(
            f"Loading each page for {SECONDS} s at {' and '.join(map(str, CONNECTIONS))} "
            f"connections, after a {WARMUP_SECONDS} s warm-up and {CEILING_SECONDS} s on the "
            "bare page:"
        )
        # The bare page against itself: its share shows how steady the machine is.
        return [measure(bare, BARE_PAGE, bare)] + [measure(catalog, p, bare) for p in pages]


# --- Reporting ----------------------------------------------------------------------------


def percent(share: float) -> str:
    return f"{share:.0%}"


def markdown_table(results: list[Result]) -> str:
    """One catalog size's figures: each page at each number of connections."""
    columns = ["page", "path", "alone", "drawn afresh"]
    for c in CONNECTIONS:
        columns += [f"req/s @{c}", f"ceiling @{c}", f"share @{c}", f"avg @{c}", f"p99 @{c}"]
    columns += [f"bare p99 @{CONNECTIONS[-1]}"]
    lines = ["| " + " | ".join(columns) + " |", "| --- | --- |" + " ---: |" * (len(columns) - 2)]
    for result in results:
        cells = [
            result.page.label,
            f"`{result.page.path}`",
            f"{result.alone_ms:,.1f} ms",
            f"{result.drawn_ms:,.1f} ms",
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
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(large: Result, small: Result) -> list[str]:
    """What misses its target, in words; an empty list when the page meets every one."""
    misses = []
    share = min(figures.share for figures in large.loads.values())
    if share < large.page.target:
        misses.append(f"share {percent(share)} < {percent(large.page.target)}")
    ratio = large.loads[CONNECTIONS[-1]].p99_ratio
    if ratio > P99_TARGET:
        misses.append(f"p99 {ratio:.1f}× bare")
    growth = large.loads[CONNECTIONS[0]].share / small.loads[CONNECTIONS[0]].share - 1
    if abs(growth) > GROWTH_TARGET:
        misses.append(f"{growth:+.0%} against 1,000 books")
    return misses


def comparison_table(large: list[Result], small: list[Result]) -> str:
    """The two sizes side by side, each page against the targets."""
    wide, narrow = CONNECTIONS[-1], CONNECTIONS[0]
    lines = [
        f"| page | target | share @{narrow}, 100,000 books | share @{wide}, 100,000 "
        f"| p99 @{wide} ÷ bare p99 | share @{narrow}, 1,000 books | 100,000 ÷ 1,000 | verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    # The bare page is left out: it is the yardstick, not a page with a target.
    for big, little in zip(large[1:], small[1:], strict=True):
        misses = verdicts(big, little)
        lines.append(
            f"| {big.page.label} | ≥ {percent(big.page.target)} "
            f"| {percent(big.loads[narrow].share)} | {percent(big.loads[wide].share)} "
            f"| {big.loads[wide].p99_ratio:.1f}× | {percent(little.loads[narrow].share)} "
            f"| {big.loads[narrow].share / little.loads[narrow].share:.2f} "
            f"| {'meets all' if not misses else '; '.join(misses)} |"
        )
    return "\n".join(lines)


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


def run_details(report: seed.SeedReport, results: list[Result], run: Run) -> str:
    counts = ", ".join(f"{count:,} {name}" for name, count in report.counts.items())
    size_mb = report.path.stat().st_size / 1_000_000
    seeding = "reused" if report.reused else f"seeded in {report.seconds:.0f} s"
    ceilings = [figures.ceiling for result in results for figures in result.loads.values()]
    return "\n".join(
        [
            f"- Date: {run.started:%Y-%m-%d %H:%M} UTC; the run took {run.seconds:.0f} s.",
            f"- Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}, SQLite "
            f"{sqlite3.sqlite_version}, gunicorn {version('gunicorn')}.",
            f"- Data: {counts}; SQLite file {size_mb:,.0f} MB ({seeding}).",
            f"- Servers: gunicorn, {WORKERS} sync workers each, on 127.0.0.1.",
            f"- Load: `wrk -t{WRK_THREADS} -c{{{','.join(map(str, CONNECTIONS))}}} "
            f"-d{SECONDS}s --latency --timeout {WRK_TIMEOUT}` per page after a "
            f"{WARMUP_SECONDS} s warm-up; the ceiling with the same settings for "
            f"{CEILING_SECONDS} s just before each page and number of connections.",
            f"- Command: `make bench` (`.venv/bin/python -m bench.run`, BENCH_SECONDS={SECONDS}).",
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


def exit_on_sigterm(signum, frame) -> None:
    # Python dies on SIGTERM without running `finally`; as SystemExit, the servers get stopped.
    sys.exit(128 + signum)


def run_size(size: seed.Size, reseed: bool) -> tuple[list[Result], str]:
    """Seed (or reuse) one catalog size and measure it: the results and their section."""
    started, clock, load_before = datetime.now(UTC), time.monotonic(), os.getloadavg()[0]
    progress(f"Seeding (or checking) the benchmark database of {size.books:,} books…")
    report = seed.ensure_seeded(size, reseed=reseed)
    progress(f"  {'reused' if report.reused else 'seeded'} in {report.seconds:.1f} s")
    results = measure_all(report.path)
    run = Run(started, time.monotonic() - clock, load_before)
    section = (
        f"### {size.books:,} books\n\n{markdown_table(results)}\n\n"
        f"{run_details(report, results, run)}\n"
    )
    return results, section


def main() -> int:
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="build the databases again")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        progress("wrk is not installed: apt-get install wrk")
        return 2
    try:
        large, large_section = run_size(seed.LARGE, args.reseed)
        small, small_section = run_size(seed.SMALL, args.reseed)
    except BenchError as error:
        progress(f"Benchmark failed: {error}")
        return 1
    except KeyboardInterrupt:
        progress("Interrupted; the servers are stopped.")
        return 130
    comparison = comparison_table(large, small)
    print(comparison)
    write_docs(f"{comparison}\n\n{large_section}\n{small_section}")
    progress(f"Written to {DOCS_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long a long CSV file takes to check, import and undo: through the pages as a member uses
them (the Flask test client: the request, the transaction, the page drawn, no network), and
through the command, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.csv_import                     # SQLite, in a temporary file
    .venv/bin/python -m bench.csv_import --database-url postgresql://postgres@127.0.0.1/bench
    .venv/bin/python -m bench.csv_import --rows 5000 --rounds 3 --profile import

The database is emptied and migrated first: never point it at one that matters. Half the
file's rows update books already in the catalog (another publisher, another stock, another
shelf), half add books. Each round dry-runs the file on the page, imports it, draws the
import's page, asks to undo it and undoes it; then the command dry-runs and imports it (and
the page undoes that, unmeasured).
Figures are wall-clock seconds (the median of the rounds, and the slowest) and the CPU seconds
this process spent (the median): on a busy machine the first grows and the second much less;
with PostgreSQL the database's own work is in the first only.
"""

import argparse
import cProfile
import csv
import io
import pstats
import statistics
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
from sqlalchemy import text
from stdnum import ean

from firestorm import create_app
from firestorm.catalog import prices, shelves
from firestorm.csv import importing
from firestorm.csv.files import COLUMNS, read_table
from firestorm.database import db
from firestorm.people.models import Role, User
from firestorm.people.passwords import hash_password

SHELVES = ("Anarchism", "Appalachia", "Fiction", "Poetry", "Kids")


def isbn13(number: int) -> str:
    body = f"978{number:09d}"
    return body + ean.calc_check_digit(body)


def file_of(count: int, first: int, publisher: str, stock_shift: int) -> bytes:
    """`count` rows in the export's columns, books `first` onwards."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS.values())
    for n in range(first, first + count):
        writer.writerow(
            [
                f"Book number {n}",
                "A subtitle",
                f"Author {n % 1500}; Second Person",
                publisher,
                "2010-07-01",
                isbn13(n),
                (n + stock_shift) % 9,
                "A description of the book, long enough to be one. " * 4,
                SHELVES[(n + stock_shift) % len(SHELVES)],
            ]
        )
    return out.getvalue().encode("utf-8")


def fresh_app(database_url: str, folder: Path):
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench secret key, not for a site",
            "WTF_CSRF_ENABLED": False,
            "COVERS_DIR": str(folder / "covers"),
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        flask_migrate.upgrade()
        for name in SHELVES:
            shelves.add_shelf(name, by="the benchmark")
        member = User(
            email="bench@example.org",
            display_name="Bench",
            role=Role.COLLECTIVE,
            password_hash=hash_password("bench password"),
        )
        db.session.add(member)
        db.session.commit()
        return app, member.get_id()


def seed(app, rows: int) -> None:
    """The books half the file updates, imported the command's way."""
    with app.app_context():
        plan = importing.plan_import(
            read_table(file_of(rows // 2, 0, "Old Press", 0)),
            today(),
            "[clear]",
            prices.Money("USD", "en_US"),
            lock=True,
        )
        choices = importing.ImportChoices()
        importer = importing.Importer(None, "the benchmark", now())
        importing.apply_plan(plan, choices, "seed.csv", importer)
        db.session.commit()


def today():
    return now().date()


def now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


class Timings:
    def __init__(self, profile: str | None):
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.profile = profile
        self.profiled: pstats.Stats | None = None

    @contextmanager
    def phase(self, name: str):
        profiler = cProfile.Profile() if name == self.profile and not self.profiled else None
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        yield
        if profiler:
            profiler.disable()
            self.profiled = pstats.Stats(profiler)
        self.seconds[name].append(time.perf_counter() - started)
        self.cpu[name].append(time.process_time() - cpu)


def time_statements(app) -> dict[str, list]:
    """{the statement's first words: [seconds, how many]}, filled as statements run."""
    from sqlalchemy import event

    found: dict[str, list] = defaultdict(lambda: [0.0, 0])
    with app.app_context():
        engine = db.engine

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        kind = found[" ".join(statement.split())[:70]]
        kind[0] += time.perf_counter() - conn.info.pop("started")
        kind[1] += 1

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    return found


def expect(response, status: int, phase: str):
    if response.status_code != status:
        raise SystemExit(f"{phase}: {response.status_code}, not {status}")
    return response


def one_round(client, data: bytes, timings: Timings) -> None:
    with timings.phase("dry run (page)"):
        dry_run = expect(
            client.post(
                "/collective/books/import",
                data={"file": (io.BytesIO(data), "till.csv")},
                content_type="multipart/form-data",
            ),
            200,
            "dry run",
        )
    page = dry_run.get_data(as_text=True)
    carried = page.split('name="carried" type="hidden" value="')[1].split('"')[0]
    with timings.phase("import (page)"):
        imported = expect(
            client.post("/collective/books/import/apply", data={"carried": carried}),
            302,
            "import",
        )
    record_page = imported.headers["Location"]
    with timings.phase("the import's page"):
        expect(client.get(record_page), 200, "the import's page")
    with timings.phase("asking to undo (page)"):
        expect(client.get(record_page + "/undo"), 200, "asking to undo")
    with timings.phase("undo (page)"):
        expect(client.post(record_page + "/undo"), 302, "undo")


def command_round(app, client, path: Path, timings: Timings) -> None:
    """The command's dry run and import; then the import undone on its page, unmeasured."""
    runner = app.test_cli_runner()
    with timings.phase("dry run (command)"):
        result = runner.invoke(args=["import-books", str(path), "--dry-run"])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    with timings.phase("import (command)"):
        result = runner.invoke(args=["import-books", str(path)])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    import_id = result.output.split("Recorded as import ")[1].split(":")[0]
    expect(client.post(f"/collective/books/imports/{import_id}/undo"), 302, "undo")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default="", help="empty: a temporary SQLite file")
    parser.add_argument("--profile", help="profile the first round of this phase (its start)")
    parser.add_argument(
        "--statements", action="store_true", help="the SQL statements that took longest, by kind"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = options.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app, member_id = fresh_app(url, Path(folder))
        seed(app, options.rows)
        data = file_of(options.rows, options.rows // 4, "New Press", 3)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = member_id, True
        timings = Timings(options.profile)
        if options.statements:
            statements = time_statements(app)
        path = Path(folder) / "till.csv"
        path.write_bytes(data)
        for _ in range(options.rounds):
            one_round(client, data, timings)
            command_round(app, client, path, timings)
        dialect = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        print(f"{options.rows:,} rows ({options.rows // 4:,} updates, the rest added), {dialect}:")
        print(f"  {'':<24} {'wall clock':>10} {'slowest':>8} {'this process':>13}")
        for name, seconds in timings.seconds.items():
            cpu = statistics.median(timings.cpu[name])
            print(
                f"  {name:<24} {statistics.median(seconds):8.2f} s {max(seconds):6.2f} s"
                f" {cpu:11.2f} s"
            )
        if options.statements:
            print("\nSQL, by the statement's start: seconds, how many")
            slowest = sorted(statements.items(), key=lambda item: -item[1][0])[:15]
            for start, (seconds, count) in slowest:
                print(f"  {seconds:6.2f} s {count:6,}  {start}")
        if timings.profiled:
            print(f"\nProfile of {options.profile}, by cumulative time:")
            timings.profiled.sort_stats("cumulative").print_stats(40)
            timings.profiled.sort_stats("tottime").print_stats(25)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()

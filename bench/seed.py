"""The benchmark databases: 100,000 books and 200,000 published reviews, and the same shape
at 1,000 books to see which pages grow with the catalog, in SQLite and in PostgreSQL.

SQLite: a file in bench-results/ (bench-100000.sqlite3, bench-1000.sqlite3), never the
developer's database in instance/. PostgreSQL: databases bench_100000 and bench_1000 on the
server of BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres, the
administrative connection they are created, renamed and dropped through). The schema comes
from the migrations, as in production; the rows come from a seeded random generator, so every
seeding gives the same catalog (its dates count back from the day of seeding), and go in with
bulk inserts; then the search index is rebuilt (and on PostgreSQL the sequences set past the
inserted ids, and VACUUM ANALYZE run).

A seeded database is reused when it has the expected counts and was made by this version of
this script (its fingerprint is kept in SQLite's `user_version` header field, or as the
PostgreSQL database's comment); `--reseed` builds it again. Each is built under a draft name
and put in place only once complete.

    .venv/bin/python -m bench.seed [--reseed] [--books 1000] [--database postgresql]
"""

import argparse
import hashlib
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

import flask_migrate
from flask import Flask
from sqlalchemy import Engine, Select, Table, create_engine, func, insert, make_url, select, text
from sqlalchemy.exc import OperationalError
from stdnum import ean

from firestorm import create_app
from firestorm.catalog.books import sort_key_for_title
from firestorm.catalog.models import Author, Authorship, Book, Shelf, book_shelves
from firestorm.catalog.shelves import slug_for
from firestorm.database import database_url_for, db
from firestorm.people.models import Role, User
from firestorm.reviews.models import Review, ReviewState
from firestorm.search import index
from firestorm.shop.models import SpecialHoursEntry
from firestorm.typed_text import fold

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench-results"
# The PostgreSQL server's administrative connection: the benchmark databases are made beside it.
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Size:
    """How big a benchmark catalog is: the larger one is the target, the smaller one shows
    which pages grow with the catalog."""

    books: int
    reviews: int
    authors: int
    users: int

    @property
    def expected_counts(self) -> dict[str, int]:
        return {
            "books": self.books,
            "published reviews": self.reviews,
            "authors": self.authors,
            "users": self.users,
            "shelves": len(SHELF_NAMES),
        }


LARGE = Size(books=100_000, reviews=200_000, authors=20_000, users=500)
SMALL = Size(books=1_000, reviews=2_000, authors=200, users=50)
SIZES = {size.books: size for size in (LARGE, SMALL)}
CHUNK_SIZE = 10_000
RANDOM_SEED = 1968
CATALOG_AGE = timedelta(days=8 * 365)
# Changing this script, or adding a migration, changes the fingerprint, so an old seeding (of
# an older schema) is not reused by mistake.
MIGRATIONS = sorted(path.name for path in (ROOT / "migrations" / "versions").glob("*.py"))
FINGERPRINT = int(
    hashlib.sha256(Path(__file__).read_bytes() + " ".join(MIGRATIONS).encode()).hexdigest()[:7],
    16,
)

# --- Word pools: our own words, combined into titles, names and review text ---------------


def pool(text: str) -> list[str]:
    """A comma-separated list of words, some of them two words ("Mutual Aid", "Le Guin")."""
    # Words may wrap across lines: "Le\nGuin" is "Le Guin".
    return [" ".join(word.split()) for word in text.split(",")]


FIRST_NAMES = pool(
    """
Ada, Adrienne, Alma, Amara, Ana, Andrés, Anouk, Arlo, Astrid, Audre, Bea, Benedikt, Bell,
Bo, Bruno, Camille, Carmen, Cass, Cedric, Chidi, Clara, Colm, Dara, Darius, Dev, Dolores,
Edie, Efua, Elif, Elena, Emeka, Emma, Esther, Ezra, Farah, Felix, Fern, Frances, Gabriel,
Grace, Gus, Hana, Harriet, Hiro, Ida, Ines, Ingrid, Iris, Ivan, Jamal, Jo, Joaquín, José,
Jude, June, Kai, Kalinda, Kemal, Kofi, Lale, Lars, Leila, Lena, Leo, Lior, Lucía, Luz, Mae,
Malik, Marisol, Mateo, Maya, Meera, Milo, Mira, Nadia, Nell, Nico, Noor, Oda, Olu, Omar,
Oona, Otto, Paz, Pilar, Quinn, Rafael, Raúl, Rhea, Rosa, Ruth, Sadie, Saoirse, Selim, Silas,
Sofía, Søren, Sunny, Tamsin, Tariq, Tess, Theo, Tove, Una, Vera, Vik, Wren, Yara, Yusuf,
Zadie, Zoë
"""
)
LAST_NAMES = pool(
    """
Abara, Achebe, Adair, Alvarez, Amato, Arendt, Bakker, Baptiste, Barros, Becker, Bell,
Bergström, Bishop, Blackwood, Bose, Brandt, Bravo, Calloway, Carvalho, Castillo, Chen,
Coleman, Cruz, Dalton, Darrow, Delgado, Dvořák, Eastman, Ellison, Engel, Esposito, Falk,
Farouk, Ferreira, Fischer, Flores, Fonseca, Ford, Gallagher, García, Goldberg, Gómez, Greer,
Grünewald, Haddad, Halloran, Hart, Hayes, Herrera, Holm, Hughes, Ibarra, Ilves, Ito, Jansen,
Jiménez, Johansson, Kagame, Kahn, Kaur, Keane, Kovač, Kowalski, Lachance, Lam, Larsen, Le
Guin, Lindgren, Lopes, Lund, Madsen, Maalouf, Marsh, Mbeki, Mendes, Molina, Moreau, Müller,
Murphy, Nakamura, Navarro, Neves, Nilsen, Novak, Núñez, Nwosu, Oakes, Okafor, Olsen, Ortega,
Osei, Park, Patel, Peña, Perrin, Pham, Quinlan, Ramos, Reyes, Rivera, Robles, Rocha, Rossi,
Sato, Schmidt, Serrano, Shah, Silva, Sokolov, Soto, Stone, Suárez, Sullivan, Tanaka, Taylor,
Thorne, Torres, Underwood, Valdez, Varga, Vasquez, Vidal, Walker, Weiss, Whitfield, Wolfe,
Yilmaz, Young, Zapata, Zhou, Zibechi
"""
)
ADJECTIVES = pool(
    """
Quiet, Radical, Burning, Common, Hidden, Wild, Patient, Open, Broken, Unfinished, Red,
Black, Green, Small, Long, Other, Living, Free, Careful, Stubborn, Shared, Lost, Ordinary,
Restless, Gentle, Fierce, Invisible, Borrowed, Last, First, Northern, Southern, Midnight,
Golden, Salt, Paper, Iron, Hungry, Sleepless
"""
)
NOUNS = pool(
    """
Commons, Anarchy, Kitchen, Harvest, River, Mountain, Garden, Union, Strike, City, Archive,
Library, Machine, Forest, Border, Memory, Tide, Orchard, Workshop, Neighborhood, Fire,
Bread, Roses, Ghosts, Wolves, Rebels, Sisters, Strangers, Islands, Maps, Letters, Seeds,
Bridges, Storms, Lanterns, Engines, Birds, Stars, Weather, Silence, Hunger, Freedom, Labor,
Solidarity, Mutual Aid, Rent, Debt, Land, Water, Coal, Cotton, Printing Press, Revolution,
Tenants, Cooperatives, Commune, Assembly, Barricade, Dispatch, Almanac
"""
)
# The collective's sections; every book sits on one or two.
SHELF_NAMES = pool(
    """
Anarchism, Labor History, Poetry, Appalachia, Ecology, Feminism, Black Liberation, Queer
Studies, Kids, Science Fiction, Cookbooks, Zines, Prison Abolition, Latin America, Memoir
"""
)
GERUNDS = pool(
    """
Reading, Mending, Burning, Crossing, Feeding, Organizing, Remembering, Planting, Unlearning,
Occupying, Rebuilding, Sharing
"""
)
TITLE_PATTERNS = [
    "The {adj} {noun}",
    "{noun} and {noun2}",
    "A {adj} History of {noun}",
    "The {noun} of {noun2}",
    "{adj} {noun}",
    "Notes from the {noun}",
    "Against the {noun}",
    "After the {noun}",
    "A Field Guide to {noun}",
    "What the {noun} Knew",
    "{gerund} the {noun}",
    "Songs for the {noun}",
    "An Almanac of {adj} {noun}",
]
SUBTITLE_PATTERNS = [
    "Essays on {noun}",
    "A Novel",
    "Stories",
    "Poems",
    "A Memoir",
    "{noun}, {noun2} and the {adj} {noun3}",
    "Notes on {noun} in the {century} Century",
    "A Handbook for {noun}",
]
CENTURIES = ["Eighteenth", "Nineteenth", "Twentieth", "Twenty-First"]
PUBLISHER_PATTERNS = ["{last} & {last2}", "{adj} {noun} Books", "{last} Press", "{noun} Editions"]
DESCRIPTION_SENTENCES = [
    "A book that rewards slow reading and a second cup of coffee.",
    "Part field report, part argument, it never talks down to its readers.",
    "The chapters move between a single neighborhood and the wider world.",
    "Written with care for the people whose stories it carries.",
    "A regular on our staff-picks shelf, and often borrowed by the reading group.",
    "It asks how ordinary people organize when nobody is coming to help.",
    "Short chapters, sharp sentences, and a map at the front.",
    "Translated with an ear for how people actually speak.",
    "A reissue with a new introduction and an index that actually helps.",
    "The kind of book that gets passed from hand to hand until the spine gives out.",
]
REVIEW_SENTENCES = [
    "I picked this up on a slow Tuesday and read half of it before closing.",
    "The middle chapters drag a little, but the ending earns every page.",
    "What stays with me is how patient the author is with people who disagree.",
    "Our reading group argued about this one for two full meetings.",
    "It is a *practical* book: you could run a meeting with it open on the table.",
    "The prose is plain in the best way, and the footnotes are worth reading.",
    "I would hand this to anyone who says nothing ever changes.",
    "Some of the history was new to me, and I went looking for more afterwards.",
    "The characters feel like neighbors, stubborn and kind and often wrong.",
    "If you liked the last one we stocked, start here.",
    "It is **not** a quick read, and it should not be.",
    "There is a chapter about a shared kitchen that I keep thinking about.",
    "The translation keeps the jokes, which is harder than it sounds.",
    "Bring a pencil: you will want to underline things.",
    "I came for the ideas and stayed for the small, careful scenes.",
    "A few passages are dated, but the questions it asks are not.",
    "Read it with a friend and talk about it over coffee downstairs.",
    "The final essay alone is worth the cover price.",
    "It made me look at our own block differently on the walk home.",
    "Not every chapter lands, but the best ones are unforgettable.",
]


# --- Generating the rows ----------------------------------------------------------------


@dataclass
class Catalog:
    """Every row to insert, as dicts keyed by column name."""

    authors: list[dict]
    books: list[dict]
    authorships: list[dict]
    users: list[dict]
    reviews: list[dict]
    special_hours: list[dict]
    shelves: list[dict]
    book_shelves: list[dict]


def generate(rng: random.Random, now: datetime, size: Size) -> Catalog:
    maker = BookMaker(rng, now, make_authors(rng, size), make_publishers(rng), size)
    books, authorships = [], []
    for book_id in range(1, size.books + 1):
        book, author_ids = maker.make_book(book_id)
        books.append(book)
        authorships += [
            {"book_id": book_id, "author_id": author_id, "position": position}
            for position, author_id in enumerate(author_ids)
        ]
    users = make_users(rng, now, size)
    reviews = make_reviews(rng, books, now, size)
    shelves = make_shelves()
    return Catalog(
        maker.authors,
        books,
        authorships,
        users,
        reviews,
        make_special_hours(now.date()),
        shelves,
        shelve_books(rng, size, shelves),
    )


def make_shelves() -> list[dict]:
    return [
        {"id": shelf_id, "name": name, "slug": slug_for(name)}
        for shelf_id, name in enumerate(SHELF_NAMES, start=1)
    ]


def shelve_books(rng: random.Random, size: Size, shelves: list[dict]) -> list[dict]:
    """Every book on one or two shelves, some shelves fuller than others."""
    weights = [rng.lognormvariate(0, 0.75) for _ in shelves]
    rows = []
    for book_id in range(1, size.books + 1):
        picked = rng.choices(shelves, weights=weights, k=rng.choice((1, 2)))
        rows += [
            {"book_id": book_id, "shelf_id": s["id"]} for s in {s["id"]: s for s in picked}.values()
        ]
    return rows


def make_authors(rng: random.Random, size: Size) -> list[dict]:
    names: set[str] = set()
    while len(names) < size.authors:
        initial = f" {rng.choice('ABCDEFGHIJKLMNOPRSTVW')}." if rng.random() < 0.3 else ""
        names.add(f"{rng.choice(FIRST_NAMES)}{initial} {rng.choice(LAST_NAMES)}")
    # Sorted before numbering: a set's order would change the ids from run to run.
    return [
        {"id": i, "name": name, "name_key": fold(name)}
        for i, name in enumerate(sorted(names), start=1)
    ]


def make_publishers(rng: random.Random) -> list[str]:
    publishers: set[str] = set()
    while len(publishers) < 150:
        publishers.add(fill(rng, rng.choice(PUBLISHER_PATTERNS)))
    return sorted(publishers)


def make_isbns(rng: random.Random, count: int) -> Iterator[str]:
    """Distinct valid ISBN-13s starting 978-0 or 978-1, the English-language groups."""
    for number in rng.sample(range(2 * 10**8), count):
        twelve = f"978{number // 10**8}{number % 10**8:08d}"
        yield twelve + ean.calc_check_digit(twelve)


def fill(rng: random.Random, pattern: str) -> str:
    noun, noun2, noun3 = rng.sample(NOUNS, 3)
    last, last2 = rng.sample(LAST_NAMES, 2)
    return pattern.format(
        adj=rng.choice(ADJECTIVES),
        noun=noun,
        noun2=noun2,
        noun3=noun3,
        gerund=rng.choice(GERUNDS),
        century=rng.choice(CENTURIES),
        last=last,
        last2=last2,
    )


class BookMaker:
    """Makes books one by one from the authors, publishers and ISBNs drawn for this catalog."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        authors: list[dict],
        publishers: list[str],
        size: Size,
    ):
        self.rng, self.now, self.authors, self.publishers = rng, now, authors, publishers
        self.isbns = make_isbns(rng, size.books)
        # Log-normal weights: most authors have a few books, a prolific few have dozens.
        weights = [rng.lognormvariate(0, 0.75) for _ in authors]
        self.author_cum_weights = list(accumulate(weights))

    def make_book(self, book_id: int) -> tuple[dict, list[int]]:
        rng = self.rng
        how_many = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
        picked = rng.choices(self.authors, cum_weights=self.author_cum_weights, k=how_many)
        authors = list({author["id"]: author for author in picked}.values())
        # Zines and local chapbooks have no ISBN; the generator advances for every book so
        # the other ISBNs stay the same.
        isbn13 = next(self.isbns)
        created_at = self.now - timedelta(seconds=rng.randrange(int(CATALOG_AGE.total_seconds())))
        book: dict[str, Any] = {
            "id": book_id,
            "title": fill(rng, rng.choice(TITLE_PATTERNS)),
            "subtitle": fill(rng, rng.choice(SUBTITLE_PATTERNS)) if rng.random() < 0.4 else "",
            "publisher": rng.choice(self.publishers),
            "release_date": date(1950, 1, 1) + timedelta(days=rng.randrange(27_000)),
            "isbn13": isbn13 if rng.random() < 0.9 else None,
            "description": " ".join(rng.sample(DESCRIPTION_SENTENCES, rng.randint(1, 3))),
            "cover_key": None,
            "stock": rng.choices(range(7), weights=(30, 25, 18, 12, 8, 4, 3))[0],
            "created_at": created_at,
            "updated_at": created_at,
            "last_reviewed_at": None,
        }
        book["sort_title"] = sort_key_for_title(book["title"])
        return book, [author["id"] for author in authors]


def make_users(rng: random.Random, now: datetime, size: Size) -> list[dict]:
    return [
        {
            "id": user_id,
            "email": f"reviewer{user_id}@example.org",
            "display_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            # No password: nobody signs in during the benchmark.
            "password_hash": None,
            "role": Role.COLLECTIVE if user_id % 10 == 0 else Role.VOLUNTEER,
            "is_active": True,
            "created_at": now - CATALOG_AGE,
            "session_version": 1,
        }
        for user_id in range(1, size.users + 1)
    ]


def make_reviews(rng: random.Random, books: list[dict], now: datetime, size: Size) -> list[dict]:
    """Published reviews, one per (book, reviewer) at most; sets each book's last_reviewed_at."""
    pairs = review_pairs(rng, size)
    reviews = []
    for review_id, (book_index, reviewer_id) in enumerate(sorted(pairs), start=1):
        book = books[book_index]
        published_at = book["created_at"] + (now - book["created_at"]) * rng.random()
        reviews.append(make_review(rng, review_id, book, reviewer_id, published_at))
        if book["last_reviewed_at"] is None or published_at > book["last_reviewed_at"]:
            book["last_reviewed_at"] = published_at
    return reviews


def review_pairs(rng: random.Random, size: Size) -> set[tuple[int, int]]:
    # Log-normal weights: a third of the books have no review, a few have dozens, and
    # some volunteers write far more than others.
    book_weights = [rng.lognormvariate(0, 1) for _ in range(size.books)]
    reviewer_weights = [rng.lognormvariate(0, 1) for _ in range(size.users)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < size.reviews:
        wanted = size.reviews - len(pairs)
        book_indexes = rng.choices(range(size.books), weights=book_weights, k=wanted)
        reviewer_ids = rng.choices(range(1, size.users + 1), weights=reviewer_weights, k=wanted)
        pairs.update(zip(book_indexes, reviewer_ids, strict=True))
    return pairs


def make_review(
    rng: random.Random, review_id: int, book: dict, reviewer_id: int, published_at: datetime
) -> dict:
    body = review_text(rng)
    # In order: book added, review started, submitted, published.
    started = max(book["created_at"], published_at - timedelta(days=rng.uniform(1, 20)))
    submitted_at = started + (published_at - started) * rng.uniform(0.5, 1)
    return {
        "id": review_id,
        "book_id": book["id"],
        "reviewer_id": reviewer_id,
        "state": ReviewState.PUBLISHED,
        "body": body,
        "published_body": body,
        "published_at": published_at,
        "created_at": started,
        "updated_at": published_at,
        "submitted_at": submitted_at,
        "round": 1,
        "version": 1,
    }


def review_text(rng: random.Random) -> str:
    sentences = rng.sample(REVIEW_SENTENCES, rng.randint(3, 7))
    cut = rng.randint(1, len(sentences) - 1)
    return " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])


def make_special_hours(today: date) -> list[dict]:
    """A closure a month for the coming year, so /hours has upcoming closures to list."""
    return [
        {
            "id": month,
            "first_day": today + timedelta(days=30 * month),
            "last_day": today + timedelta(days=30 * month + month % 3),
            "reason": "Collective retreat" if month % 2 else "Stocktaking",
        }
        for month in range(1, 13)
    ]


# --- Where a benchmark catalog lives, writing and checking it ----------------------------


@dataclass
class SeedReport:
    where: "CatalogStore"
    counts: dict[str, int]
    seconds: float
    reused: bool


class CatalogStore:
    """Where one benchmark catalog lives (a SQLite file, a PostgreSQL database): its URL for
    the app, whether it holds this script's seeding, and how to build it afresh. Both build
    into a draft beside the real one and put it into place only once it is complete."""

    database = ""  # "sqlite" or "postgresql", as --database names it

    def __init__(self, size: Size):
        self.size = size

    @property
    def url(self) -> str:
        raise NotImplementedError

    def is_current(self) -> bool:
        """Whether it exists and was seeded by this version of this script."""
        raise NotImplementedError

    def build(self, catalog: Catalog) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        """Where it is and how large, for the report: "SQLite file 366 MB"."""
        raise NotImplementedError

    def software(self) -> str:
        """The database's name and version, for the report."""
        raise NotImplementedError


class SqliteStore(CatalogStore):
    """A file in bench-results/; the fingerprint is kept in SQLite's `user_version` header
    field, which nothing else uses."""

    database = "sqlite"

    @property
    def path(self) -> Path:
        return RESULTS_DIR / f"bench-{self.size.books}.sqlite3"

    @property
    def url(self) -> str:
        return sqlite_url(self.path)

    def is_current(self) -> bool:
        if not self.path.exists():
            return False
        with closing(sqlite3.connect(self.path)) as connection:
            return connection.execute("PRAGMA user_version").fetchone()[0] == FINGERPRINT

    def build(self, catalog: Catalog) -> None:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(path.name + ".partial")
        remove_database(draft)
        fill_database(sqlite_url(draft), catalog)
        with closing(sqlite3.connect(draft)) as connection:
            connection.execute(f"PRAGMA user_version = {FINGERPRINT}")
        # An old -wal file left beside the new database would be replayed into it.
        remove_database(path)
        draft.replace(path)

    def describe(self) -> str:
        return f"SQLite file {self.path.stat().st_size / 1_000_000:,.0f} MB"

    def software(self) -> str:
        return f"SQLite {sqlite3.sqlite_version}"


class PostgresStore(CatalogStore):
    """A database `bench_<books>` on the server of BENCH_POSTGRES_URL (whose own database is
    only the administrative connection: creating, renaming and dropping the benchmark ones).
    The fingerprint is kept as the database's comment (COMMENT ON DATABASE)."""

    database = "postgresql"

    @property
    def name(self) -> str:
        return f"bench_{self.size.books}"

    @property
    def url(self) -> str:
        return postgres_url(self.name)

    def is_current(self) -> bool:
        with closing(admin_engine().connect()) as connection:
            comment = connection.scalar(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                    " WHERE datname = :name"
                ),
                {"name": self.name},
            )
        return comment == fingerprint_comment()

    def build(self, catalog: Catalog) -> None:
        draft = f"{self.name}_partial"
        engine = admin_engine()
        with closing(engine.connect()) as admin:
            admin.execute(text(f'DROP DATABASE IF EXISTS "{draft}" WITH (FORCE)'))
            admin.execute(text(f'CREATE DATABASE "{draft}"'))
        fill_database(postgres_url(draft), catalog, after=finish_postgres)
        with closing(engine.connect()) as admin:
            admin.execute(text(f"COMMENT ON DATABASE \"{draft}\" IS '{fingerprint_comment()}'"))
            admin.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            admin.execute(text(f'ALTER DATABASE "{draft}" RENAME TO "{self.name}"'))
        engine.dispose()

    def describe(self) -> str:
        with closing(admin_engine().connect()) as connection:
            size = connection.scalar(text("SELECT pg_database_size(:name)"), {"name": self.name})
        return f"PostgreSQL database {self.name}, {size / 1_000_000:,.0f} MB"

    def software(self) -> str:
        with closing(admin_engine().connect()) as connection:
            version = connection.scalar(text("SHOW server_version"))
        return f"PostgreSQL {version.split()[0]}"


STORES: dict[str, type[CatalogStore]] = {"sqlite": SqliteStore, "postgresql": PostgresStore}


def store_for(database: str, size: Size) -> CatalogStore:
    return STORES[database](size)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def postgres_admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def postgres_url(name: str) -> str:
    """The admin URL with its database replaced by `name`."""
    return make_url(postgres_admin_url()).set(database=name).render_as_string(hide_password=False)


def admin_engine() -> Engine:
    # AUTOCOMMIT: CREATE, DROP and ALTER DATABASE cannot run inside a transaction.
    return create_engine(
        sqlalchemy_url(postgres_admin_url()),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 5},
    )


def sqlalchemy_url(url: str) -> str:
    """The URL as SQLAlchemy is given it by the app (a driver named for PostgreSQL)."""
    return database_url_for(url, RESULTS_DIR)


def fingerprint_comment() -> str:
    return f"firestorm bench seed {FINGERPRINT}"


def postgres_reachable() -> str | None:
    """None when the PostgreSQL server answers, else why not, in words."""
    try:
        with closing(admin_engine().connect()) as connection:
            connection.scalar(text("SELECT 1"))
    except OperationalError as error:
        return str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return None


def bench_app(url: str) -> Flask:
    # A fixed secret key: create_app() would otherwise write one into the developer's instance/.
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-seed"})


def ensure_seeded(store: CatalogStore, reseed: bool = False) -> SeedReport:
    """The seeded database, reused when it is complete and current, else built afresh."""
    started, size = time.monotonic(), store.size
    if not reseed and store.is_current():
        counts = migrate_and_count(store.url)
        if counts == size.expected_counts:
            return SeedReport(store, counts, time.monotonic() - started, reused=True)
    store.build(generate(random.Random(RANDOM_SEED), datetime.now(UTC), size))
    return SeedReport(store, migrate_and_count(store.url), time.monotonic() - started, False)


def migrate_and_count(url: str) -> dict[str, int]:
    """Counts after applying any migration written since the database was seeded."""
    app = bench_app(url)
    with app.app_context():
        flask_migrate.upgrade()
        published = Review.state == ReviewState.PUBLISHED
        counts = {
            "books": count(select(func.count()).select_from(Book)),
            "published reviews": count(select(func.count()).where(published)),
            "authors": count(select(func.count()).select_from(Author)),
            "users": count(select(func.count()).select_from(User)),
            "shelves": count(select(func.count()).select_from(Shelf)),
        }
        db.session.remove()
        db.engine.dispose()
    return counts


def count(statement: Select[int]) -> int:
    return db.session.execute(statement).scalar_one()


def fill_database(
    url: str, catalog: Catalog, after: Callable[[Catalog], None] | None = None
) -> None:
    """The schema from the migrations, then the rows, into an empty database."""
    app = bench_app(url)
    with app.app_context():
        flask_migrate.upgrade()
        insert_catalog(catalog)
        if after:
            after(catalog)
        db.session.remove()
        # On SQLite, closing the last connection checkpoints the WAL into the file itself.
        db.engine.dispose()


def finish_postgres(catalog: Catalog) -> None:
    """Sequences past the ids inserted explicitly, the planner's statistics, and the tables
    vacuumed, as autovacuum leaves a settled database: until then an index-only scan reads
    each row's table page too ("Heap Fetches"), and a deep /reviews page took 100 ms, not 25."""
    for model, field in INSERTED.items():
        table = model if isinstance(model, Table) else model.__table__
        rows = getattr(catalog, field)
        if "id" not in table.c or not rows or "id" not in rows[0]:
            continue  # no id, or ids left to the database
        sequence = db.session.scalar(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        )
        if sequence:
            name = table.name
            db.session.execute(
                text(f"SELECT setval(:sequence, max(id)) FROM {name} HAVING max(id) IS NOT NULL"),
                {"sequence": sequence},
            )
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
        autocommit.exec_driver_sql("VACUUM ANALYZE")


def insert_catalog(catalog: Catalog) -> None:
    for model, field in INSERTED.items():
        rows = getattr(catalog, field)
        for chunk in chunks(rows, CHUNK_SIZE):
            db.session.execute(insert(model), chunk)
        db.session.commit()
    # Bulk inserts pass the ORM by, and so the search index's flush hook: index them all.
    index.rebuild(db.session.connection())
    db.session.commit()


# What insert_catalog writes, parents before children (foreign keys are on): each table and
# the Catalog field holding its rows.
INSERTED: dict[Any, str] = {
    Author: "authors",
    Book: "books",
    Authorship: "authorships",
    User: "users",
    Review: "reviews",
    SpecialHoursEntry: "special_hours",
    Shelf: "shelves",
    book_shelves: "book_shelves",
}


def chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    # itertools.batched arrives in Python 3.12; the project supports 3.11.
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="build the database again")
    parser.add_argument("--books", type=int, choices=sorted(SIZES), default=LARGE.books)
    parser.add_argument("--database", choices=sorted(STORES), default="sqlite")
    args = parser.parse_args()
    store = store_for(args.database, SIZES[args.books])
    report = ensure_seeded(store, reseed=args.reseed)
    how = "reused" if report.reused else "seeded"
    print(f"{how} {store.describe()} in {report.seconds:.1f} s: {report.counts}")


if __name__ == "__main__":
    main()

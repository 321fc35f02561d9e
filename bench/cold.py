"""Cold mixes: pages no worker has drawn yet, each address asked for once.

Each gunicorn worker keeps the last pages it drew (firestorm/web/caching.py, keyed by the
address with its query string), so a fixed address measures a kept page after its first
request. A mix is instead a long list of distinct addresses of one kind (book pages, catalog
pages, searches…), built from the benchmark database itself with a seeded random.Random (the
same database gives the same mix), shuffled, and cut into disjoint segments: a few to check,
the warm-up, the run at 16 connections, the run at 32 and the timings alone. wrk sends a
segment through bench/addresses.lua, each of its threads walking its own slice; where the
catalog has fewer distinct addresses than a segment wants, the slice starts again and the
repeats are counted and reported.
"""

import math
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from markupsafe import escape
from sqlalchemy import Connection, create_engine, text

from bench import seed
from firestorm.search.terms import stem, words_of

MIX_SEED = 2026
# Addresses per second of load a segment is given (more than a 2-CPU machine serves), so
# that the slices run out only where the catalog has fewer distinct addresses.
ADDRESSES_PER_SECOND = 300
CHECKED = 3  # addresses of each mix fetched and checked before any load
ALONE_TIMES = 15  # unseen addresses timed one after another on the idle server
# Every query that lists rows orders them: the same catalog gives the same mixes on SQLite and
# on PostgreSQL, whose orders without ORDER BY differ.
# Words left out of searches: they find (nearly) every book, or are not indexed at all.
STOP_WORDS = frozenset(
    {"a", "an", "and", "the", "of", "to", "for", "from", "in", "on", "at", "by", "with"}
    | {"what", "after", "against", "as", "or", "is", "it"}
)
SHORTEST_SEARCH_WORD = 3
SHORTEST_MISSPELLED = 5  # search/spelling.py forgives a letter off from five letters
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Search results: a found book's count line, never the "nothing found" one.
FOUND = " matching “"
NOTHING_FOUND = "No books found"


@dataclass(frozen=True)
class Address:
    path: str
    expect: str  # text the page must show


@dataclass(frozen=True)
class Mix:
    """Distinct addresses of one kind, in a shuffled order, and the share of the bare page
    the kind must reach (bench/run.py's targets)."""

    label: str
    target: float
    addresses: tuple[Address, ...]
    refuse: str = ""  # text the page must not show

    @property
    def path(self) -> str:
        """What the tables show in the path column."""
        return f"{len(self.addresses):,} addresses, e.g. `{self.addresses[0].path}`"


@dataclass(frozen=True)
class Segments:
    """A mix cut into disjoint parts: none of one part is in another."""

    check: tuple[Address, ...]
    warm_up: tuple[str, ...]
    loads: dict[int, tuple[str, ...]]  # by number of connections
    alone: tuple[str, ...]


def segments(mix: Mix, seconds: int, warm_up_seconds: int, connections: Iterable[int]) -> Segments:
    """The mix's addresses cut into parts: checked and alone get theirs whole; the warm-up and
    the loads share the rest in proportion to their seconds, each given at most
    ADDRESSES_PER_SECOND a second (so a long list is not cut thinner than needed)."""
    connections = tuple(connections)
    addresses = list(mix.addresses)
    check, alone = addresses[:CHECKED], addresses[CHECKED : CHECKED + ALONE_TIMES]
    rest = addresses[CHECKED + ALONE_TIMES :]
    wanted = [warm_up_seconds * ADDRESSES_PER_SECOND] + [
        seconds * ADDRESSES_PER_SECOND for _ in connections
    ]
    scale = min(1.0, len(rest) / sum(wanted))
    sizes = [max(1, math.floor(want * scale)) for want in wanted]
    if sum(sizes) > len(rest):
        raise ValueError(f"{mix.label}: only {len(addresses)} addresses, too few to cut")
    parts, start = [], 0
    for size in sizes:
        parts.append(tuple(address.path for address in rest[start : start + size]))
        start += size
    return Segments(
        tuple(check),
        parts[0],
        dict(zip(connections, parts[1:], strict=True)),
        tuple(address.path for address in alone),
    )


def write_addresses(paths: Iterable[str], name: str) -> Path:
    """A segment as wrk's Lua script reads it: one address a line."""
    path = seed.RESULTS_DIR / "addresses" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{address}\n" for address in paths))
    return path


# --- Building the mixes from the database -----------------------------------------------


def mixes(
    url: str,
    count: int,
    leave_out: set[str],
    page_target: float,
    search_target: float,
    only: str = "",
) -> list[Mix]:
    """Each kind of mix, with up to `count` distinct addresses, none of them in `leave_out`
    (the fixed pages, drawn before). Kinds whose label lacks `only` are not built."""
    rng = random.Random(MIX_SEED)
    builders = [
        ("random book pages", page_target, book_pages),
        ("random catalog pages", search_target, catalog_pages),
        ("random shelf pages", search_target, shelf_pages),
        ("random reviews pages", search_target, reviews_pages),
        ("search, two words", search_target, two_word_searches),
        ("search, word and prefix", search_target, prefix_searches),
        ("search, word and misspelling", search_target, misspelled_searches),
    ]
    settings = seed.bench_app(url).config
    engine = create_engine(seed.sqlalchemy_url(url))
    found = []
    try:
        with engine.connect() as connection:
            source = Source(
                connection, settings["BOOKS_PER_PAGE"], settings["REVIEWS_PER_PAGE"], None
            )
            for label, target, build in builders:
                if only and only not in label:
                    continue
                if label.startswith("search") and source.words is None:
                    source.words = CatalogWords(connection)
                made = build(source, rng, count + len(leave_out))
                addresses = [address for address in made if address.path not in leave_out]
                rng.shuffle(addresses)
                refuse = NOTHING_FOUND if label.startswith("search") else ""
                found.append(Mix(label, target, tuple(addresses[:count]), refuse))
    finally:
        engine.dispose()
    return found


@dataclass
class Source:
    """What the mixes are built from: the database, and the app's page sizes."""

    connection: Connection
    books_per_page: int
    reviews_per_page: int
    words: "CatalogWords | None"


def rows(connection: Connection, sql: str, **params: object) -> list[Any]:
    return list(connection.execute(text(sql), params))


def last_page(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def page_expect(page: int, last: int) -> str:
    # The count line on the catalog's and a shelf's pages (_partials/result_count.html).
    return f"page {page} of {last}" if last > 1 else " books"


def book_pages(source: Source, rng: random.Random, count: int) -> list[Address]:
    books = rows(source.connection, "SELECT id, title FROM books WHERE NOT hidden ORDER BY id")
    picked = rng.sample(books, min(count, len(books)))
    return [Address(f"/books/{book_id}", str(escape(title))) for book_id, title in picked]


def catalog_pages(source: Source, rng: random.Random, count: int) -> list[Address]:
    """Every page of the catalog in title order, by newest, by last reviewed, and in stock."""
    visible = rows(source.connection, "SELECT count(*) FROM books WHERE NOT hidden")[0][0]
    in_stock_sql = "SELECT count(*) FROM books WHERE NOT hidden AND stock > 0"
    in_stock = rows(source.connection, in_stock_sql)[0][0]
    variants = [({}, visible), ({"sort": "newest"}, visible), ({"sort": "reviewed"}, visible)]
    variants.append(({"in_stock": "1"}, in_stock))
    addresses = [
        address
        for args, total in variants
        for address in every_page("/books", args, total, source.books_per_page)
    ]
    return rng.sample(addresses, min(count, len(addresses)))


def every_page(path: str, args: dict[str, str], total: int, per_page: int) -> list[Address]:
    """Each page of the list at `path` with those query arguments, up to its last."""
    last = last_page(total, per_page)
    return [
        Address(f"{path}?{urlencode({**args, 'page': page})}", page_expect(page, last))
        for page in range(1, last + 1)
    ]


def shelf_pages(source: Source, rng: random.Random, count: int) -> list[Address]:
    """Every page of every shelf, in each of its orders."""
    shelves = rows(
        source.connection,
        "SELECT shelves.slug, count(books.id) FROM shelves"
        " JOIN book_shelves ON book_shelves.shelf_id = shelves.id"
        " JOIN books ON books.id = book_shelves.book_id AND NOT books.hidden"
        " GROUP BY shelves.id, shelves.slug ORDER BY shelves.id",
    )
    addresses = [
        address
        for slug, total in shelves
        for args in ({}, {"sort": "newest"}, {"sort": "reviewed"})
        for address in every_page(f"/shelves/{slug}", args, total, source.books_per_page)
    ]
    return rng.sample(addresses, min(count, len(addresses)))


def reviews_pages(source: Source, rng: random.Random, count: int) -> list[Address]:
    total = rows(
        source.connection,
        "SELECT count(*) FROM reviews JOIN books ON books.id = reviews.book_id"
        " WHERE reviews.published_body IS NOT NULL AND NOT books.hidden",
    )[0][0]
    last = last_page(total, source.reviews_per_page)
    pages = rng.sample(range(1, last + 1), min(count, last))
    return [Address(f"/reviews?page={page}", f"Page {page} of {last}") for page in pages]


class CatalogWords:
    """Each visible book's words (title, subtitle, authors; folded as the index keeps them,
    stop words and short words left out), and every word and beginning the index knows."""

    def __init__(self, connection: Connection):
        words: dict[int, list[str]] = {}
        for book_id, title, subtitle in rows(
            connection, "SELECT id, title, subtitle FROM books WHERE NOT hidden ORDER BY id"
        ):
            words[book_id] = words_of(f"{title} {subtitle or ''}")
        for book_id, name in rows(
            connection,
            "SELECT authorships.book_id, authors.name FROM authorships"
            " JOIN authors ON authors.id = authorships.author_id"
            " ORDER BY authorships.book_id, authorships.position",
        ):
            if book_id in words:
                words[book_id] += words_of(name)
        self.by_book = [
            unique_kept(found) for _, found in sorted(words.items()) if len(unique_kept(found)) > 1
        ]
        known = {word for (word,) in rows(connection, "SELECT word FROM indexed_words")}
        known |= {word for found in words.values() for word in found}
        self.beginnings = {word[:n] for word in known for n in range(1, len(word) + 1)}


def unique_kept(words: list[str]) -> list[str]:
    kept = [w for w in words if w.isalpha() and len(w) >= SHORTEST_SEARCH_WORD]
    return list(dict.fromkeys(w for w in kept if w not in STOP_WORDS))


def most_common_title_word(connection: Connection) -> str:
    """The word most of the catalog's titles share, stop words left out."""
    counts: Counter[str] = Counter()
    for (title,) in rows(connection, "SELECT title FROM books WHERE NOT hidden ORDER BY id"):
        counts.update(set(unique_kept(words_of(title))))
    return counts.most_common(1)[0][0]


def searches(
    source: Source,
    rng: random.Random,
    count: int,
    make: Callable[[random.Random, list[str]], str | None],
) -> list[Address]:
    """Distinct searches, each made by `make(rng, words of one book)` (None: that book gives
    none), tried on random books until there are `count` or the tries run out."""
    catalog = source.words
    assert catalog is not None
    found: dict[str, Address] = {}
    for _ in range(count * 20):
        if len(found) >= count:
            break
        typed = make(rng, rng.choice(catalog.by_book))
        if typed and typed not in found:
            found[typed] = Address(f"/books?{urlencode({'q': typed})}", FOUND)
    return list(found.values())


def two_word_searches(source: Source, rng: random.Random, count: int) -> list[Address]:
    def make(rng: random.Random, words: list[str]) -> str:
        return " ".join(rng.sample(words, 2))

    return searches(source, rng, count, make)


def prefix_searches(source: Source, rng: random.Random, count: int) -> list[Address]:
    def make(rng: random.Random, words: list[str]) -> str | None:
        whole, other = rng.sample(words, 2)
        letters = rng.randint(3, 5)
        if len(other) <= letters:
            return None
        return f"{whole} {other[:letters]}"

    return searches(source, rng, count, make)


def misspelled_searches(source: Source, rng: random.Random, count: int) -> list[Address]:
    assert source.words is not None
    words_known = source.words.beginnings

    def make(rng: random.Random, words: list[str]) -> str | None:
        long_words = [w for w in words if len(w) >= SHORTEST_MISSPELLED]
        if not long_words:
            return None
        other = rng.choice(long_words)
        whole = rng.choice([w for w in words if w != other])
        wrong = misspelled(rng, other)
        # Not a word of the catalog, nor a beginning of one (that would be a prefix search).
        if wrong is None or stem(wrong) in words_known or wrong in words_known:
            return None
        return f"{whole} {wrong}"

    return searches(source, rng, count, make)


def misspelled(rng: random.Random, word: str) -> str | None:
    """The word with one edit: two neighbouring letters swapped, one dropped or replaced;
    None if that leaves it shorter than search forgives."""
    i = rng.randrange(len(word) - 1)
    kind = rng.choice(("swap", "drop", "replace"))
    if kind == "swap":
        if word[i] == word[i + 1]:
            return None
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        wrong = word[:i] + word[i + 1 :]
        return wrong if len(wrong) >= SHORTEST_MISSPELLED else None
    letter = rng.choice([c for c in LETTERS if c != word[i]])
    return word[:i] + letter + word[i + 1 :]

"""No search reads the books table from end to end: the query plans of every kind of search
(a common word, a rare word, a beginning, a whole or partial ISBN, a single letter, text
with no word) in every sort and filter, and their counts, read books only by id or ISBN.

SQLite: EXPLAIN QUERY PLAN may show books only as "SEARCH books USING … (rowid=?)" (or the
ISBN's index, or the hidden books' own); "SCAN books", or a SEARCH on another index
("hidden=?", "stock>?") that would visit every visible book, fails. PostgreSQL: EXPLAIN may
show books only as an index scan of its primary key or ISBN with an Index Cond (or of the
hidden books' own index); the matches must come from the GIN index.
The catalog is a few thousand books with the planner's statistics gathered, so that
PostgreSQL plans as it would for a real shop rather than reading a tiny table whole.
"""

import random
import re

import pytest
from query_plans import plan_of, sqlite_statistics
from sqlalchemy import func, insert, select
from stdnum import ean

from firestorm.catalog.models import Author, Authorship, Book, Shelf, book_shelves
from firestorm.database import db
from firestorm.search import index, queries, spelling
from firestorm.search.terms import terms_of

BOOK_COUNT = 3_000
# "river" is in one title in ten; Zibechi wrote two books; one book has this ISBN.
COMMON, RARE, BEGINNING, COMMON_BEGINNING = "river", "zibechi", "zibe", "riv"
PARTIAL_ISBN = "978-1-00001-2"
SEARCHES = [COMMON, RARE, BEGINNING, COMMON_BEGINNING, "river zibechi", "k", "%", PARTIAL_ISBN]
SORTS = ["relevance", "title", "newest", "reviewed"]
FILTERS = [{}, {"in_stock_only": True}, {"shelf": "estuaries"}]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "te",
    "vo",
    "zu",
    "ba",
    "de",
    "fi",
    "go",
    "hu",
    "ja",
    "pe",
]


def isbn13(number: int) -> str:
    twelve = f"9781{number:08d}"
    return twelve + ean.calc_check_digit(twelve)


@pytest.fixture
def shop(app):
    """BOOK_COUNT books written in bulk, indexed, and the planner's statistics gathered."""
    rng = random.Random(1968)
    words = ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(400)]
    with app.app_context():
        connection = db.session.connection()
        connection.execute(insert(Author), [author(1, "Raúl Zibechi"), author(2, "Ana Ruiz")])
        connection.execute(insert(Book), [book(n, rng, words) for n in range(1, BOOK_COUNT + 1)])
        connection.execute(
            insert(Authorship),
            [
                {"book_id": n, "author_id": 1 if n in (7, 700) else 2}
                for n in range(1, BOOK_COUNT + 1)
            ],
        )
        connection.execute(insert(Shelf), [{"id": 1, "name": "Estuaries", "slug": "estuaries"}])
        connection.execute(
            insert(book_shelves), [{"book_id": n, "shelf_id": 1} for n in range(1, 300)]
        )
        index.rebuild(connection)
        db.session.commit()
        gather_statistics()
    return app


def author(author_id: int, name: str) -> dict:
    return {"id": author_id, "name": name, "name_key": name.lower()}


def book(n: int, rng: random.Random, words: list[str]) -> dict:
    title = " ".join(rng.sample(words, 3)) + (" river" if n % 10 == 0 else "")
    return {
        "id": n,
        "title": title,
        "sort_title": title,
        "isbn13": isbn13(n),
        "description": " ".join(rng.choices(words, k=30)),
        "stock": n % 3,
        "hidden": n % 50 == 0,
    }


def gather_statistics() -> None:
    """PostgreSQL's statistics, as autovacuum keeps them. (SQLite has none unless someone runs
    ANALYZE: the test reads its plans without them, then with them.)"""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
            autocommit.exec_driver_sql("VACUUM ANALYZE books, indexed_books, indexed_words")


def statements_for(typed: str):
    """What a search sends: each page's books (and their ids, walked first) in each sort and
    filter, and their count."""
    for sort in SORTS:
        for filters in FILTERS:
            for include_hidden in (False, True):
                query = queries.CatalogQuery(text=typed, sort=sort, **filters)
                asked = f"{typed!r} {sort} {filters} hidden={include_hidden}"
                for part, found in enumerate(queries.found_books(query, include_hidden)):
                    yield f"{asked} part {part}", found.limit(5)
                    # What a page sends (firestorm/pagination.py): its books' ids, in order, and
                    # a part's count where the page starts after it.
                    page_keys = found.with_only_columns(Book.id).limit(5).offset(5)
                    yield f"{asked} part {part}, keys", page_keys
                    counted = select(func.count()).select_from(found.order_by(None).subquery())
                    yield f"{asked} part {part}, counted", counted
                in_index = queries.counted_in_index(query, include_hidden)
                if in_index is not None:
                    yield f"{asked}, in index", in_index


# What reads the books by id (or ISBN) only, and what reads the matches from the index.
SQLITE_BOOKS_BY_ID = re.compile(
    r"SEARCH books USING (INTEGER PRIMARY KEY \(rowid=\?\)"
    r"|(COVERING )?INDEX \w+ \((hidden=\? AND )?rowid=\?\)"
    r"|INDEX \w+ \(isbn13=\?\))"
    # The hidden books' own index, walked whole: it holds those few alone.
    r"|(SCAN|SEARCH) books USING (COVERING )?INDEX ix_books_hidden_ids\b"
)
SQLITE_INDEX = re.compile(r"SCAN book_search VIRTUAL TABLE INDEX \d+:M")
PG_BOOKS = re.compile(r"(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)\b.* on books\b")
PG_BY_KEY = re.compile(r"using (pk_books|uq_books_isbn13) on books\b")
PG_HIDDEN_BOOKS = re.compile(r"using ix_books_hidden_ids on books\b")
PG_BITMAP_BY_KEY = re.compile(r"Bitmap Index Scan on (pk_books|uq_books_isbn13)\b")
PG_INDEX = re.compile(r"Bitmap Index Scan on ix_indexed_books_(heading_)?document")


def books_read_whole(plan: list[str]) -> list[str]:
    """The lines of the plan that read books otherwise than by id or ISBN."""
    if db.engine.dialect.name != "postgresql":
        return [
            line
            for line in plan
            if re.search(r"\bbooks\b", line) and not SQLITE_BOOKS_BY_ID.search(line)
        ]
    whole = []
    for number, line in enumerate(plan):
        below = "\n".join(plan[number + 1 : number + 3])
        by_key = PG_BY_KEY.search(line) and "Index Cond" in below
        by_bitmap = "Bitmap Heap Scan" in line and PG_BITMAP_BY_KEY.search(below)
        hidden_ones = PG_HIDDEN_BOOKS.search(line)
        if PG_BOOKS.search(line) and not (by_key or by_bitmap or hidden_ones):
            whole.append(line)
    return whole


def reads_the_index(plan: list[str]) -> bool:
    pattern = PG_INDEX if db.engine.dialect.name == "postgresql" else SQLITE_INDEX
    return any(pattern.search(line) for line in plan)


@pytest.mark.parametrize("typed", SEARCHES)
def test_no_search_reads_the_books_table_whole(shop, typed):
    with shop.app_context():
        plans = [(label, plan_of(statement)) for label, statement in statements_for(typed)]
        with sqlite_statistics():
            plans += [
                (f"{label}, analyzed", plan_of(statement))
                for label, statement in statements_for(typed)
            ]
        for label, plan in plans:
            assert books_read_whole(plan) == [], f"{label}:\n" + "\n".join(plan)


@pytest.mark.parametrize("typed", [COMMON, RARE, BEGINNING, COMMON_BEGINNING, "k", PARTIAL_ISBN])
def test_words_and_partial_isbns_are_matched_by_the_search_index(shop, typed):
    with shop.app_context():
        for label, statement in statements_for(typed):
            plan = plan_of(statement, index_usable=True)
            assert reads_the_index(plan), f"{label}:\n" + "\n".join(plan)


def test_a_whole_isbn_is_read_through_its_unique_index(shop):
    with shop.app_context():
        for label, statement in statements_for(isbn13(1234)):
            plan = "\n".join(plan_of(statement))
            assert re.search(r"\(isbn13=\?\)|uq_books_isbn13", plan), f"{label}:\n{plan}"


def test_the_searches_found_what_the_plans_are_for(shop):
    """The plans above are for searches that find books (or, for "%", none)."""
    with shop.app_context():
        found = {
            typed: queries.search_books(queries.CatalogQuery(text=typed), 5, True).total
            for typed in (COMMON, RARE, BEGINNING, PARTIAL_ISBN, "%", isbn13(1234))
        }
    assert found == {
        COMMON: BOOK_COUNT // 10,
        RARE: 2,
        BEGINNING: 2,
        PARTIAL_ISBN: 100,
        "%": 0,
        isbn13(1234): 1,
    }


def test_looking_for_a_correction_reads_indexes_only(shop):
    with shop.app_context():
        lookups = [
            ("has the word", index.matching_ids([terms_of("zibechy")])),
            ("neighbours", index.neighbours("zibechy")),
        ]
        for label, statement in lookups:
            plan = "\n".join(plan_of(statement, index_usable=True))
            assert not re.search(r"SCAN indexed_words|Seq Scan", plan), f"{label}:\n{plan}"
        assert spelling.corrected("zibechu ruiz", "english") == "zibechi ruiz"

"""The catalog's search index: each book's words, kept in step with the books, and the
per-database lookups that search them without reading the books table.

What is indexed: one IndexedBook row per book (catalog/models.py) holding its words folded
and split, in three groups ranked differently: title, authors and ISBNs; subtitle,
publisher and shelf names; description. The migration builds the index over those rows:

- SQLite: `book_search`, an FTS5 table reading indexed_books (tokenizer unicode61 with
  accents removed, prefix indexes for 2- and 3-letter beginnings), kept in step by triggers
  on indexed_books; ranked by bm25 with the groups weighted 10, 4 and 1.
- PostgreSQL: a generated tsvector column, indexed_books.document ('simple' configuration,
  the groups weighted A, B and C), with a GIN index; ranked by ts_rank. The heading alone has
  a tsvector and a GIN index of its own too (heading_document), for the best tier.

Misspellings: IndexedWord lists the words books have had, with a trigram index over them (an
FTS5 trigram table on SQLite, pg_trgm on PostgreSQL) to find a word's near neighbours.

Kept in step: after every flush, books that were added, or whose title, subtitle,
publisher, ISBN, description, authors or shelves changed, are indexed again (the ORM event
below); renaming or removing a shelf indexes its books again (catalog/shelves.py's signal
shelf_names_changed); a deleted book's row goes with it (ON DELETE CASCADE, and on SQLite the
trigger). Rows written
without the ORM (bench/seed.py, the migration) are indexed by `rebuild`. Hiding a book
changes nothing here: searches leave hidden books out by the books table's own column.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from flask import g
from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Row,
    Select,
    and_,
    any_,
    case,
    cast,
    column,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    not_,
    select,
    table,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import Join

from firestorm.catalog import isbn, shelves
from firestorm.catalog.models import Author, Authorship, Book, Shelf, book_shelves
from firestorm.database import db, insert_with_on_conflict
from firestorm.search.models import IndexedBook, IndexedWord
from firestorm.search.terms import Term, joined_words, without_typos, words_of

# bm25 weights of heading, details and description on SQLite (PostgreSQL: A, B and C).
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)
# Added to the relevance of a book the search finds as typed, with no typo and no words joined:
# above the title, details and description tiers (2, 1, 0) of the rest.
EXACT_TIER = 3
# The book attributes the index reads: a change to any of them indexes the book again.
INDEXED_ATTRIBUTES = ("title", "subtitle", "publisher", "isbn13", "description")
INDEXED_COLLECTIONS = ("authorships", "shelves")
GROUPS = ("heading", "details", "description")
REBUILD_CHUNK = 2_000
# Words kept for corrections: letters only, long enough to be misspelled.
SHORTEST_KEPT_WORD = 3
LONGEST_KEPT_WORD = 100
# How many neighbours of a misspelled word to weigh, and how alike they must be on
# PostgreSQL (pg_trgm's similarity; its default, 0.3, misses "bulter" for "butler").
NEIGHBOURS = 50
PG_SIMILARITY = "0.2"

# What the migration makes beside the models, per database: the FTS5 tables (and their
# shadow tables, book_search_data…), PostgreSQL's generated column and GIN indexes.
MIGRATION_TABLES = re.compile(r"(book_search|word_trigrams)(_\w+)?")
MIGRATION_COLUMNS = {("indexed_books", "document"), ("indexed_books", "heading_document")}
MIGRATION_INDEXES = {
    "ix_indexed_books_document",
    "ix_indexed_books_heading_document",
    "ix_indexed_words_trigrams",
}

# A search's parts, listed one after the other: the books each finds and their relevance.
Parts = list[tuple[Select, ColumnElement | None]]

_book_search = table("book_search", column("rowid", Integer))
_word_trigrams = table("word_trigrams", column("rowid", Integer))
_pg_indexed_books = table(
    "indexed_books",
    column("book_id", Integer),
    column("document", postgresql.TSVECTOR),
    column("heading_document", postgresql.TSVECTOR),
)


def in_the_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """Whether Alembic should compare this database object with the models: not what the
    migration makes for the index alone (an `include_name` hook for autogenerate)."""
    if type_ == "table":
        return not MIGRATION_TABLES.fullmatch(name or "")
    if type_ == "column":
        return (parent_names.get("table_name"), name) not in MIGRATION_COLUMNS
    return not (type_ == "index" and name in MIGRATION_INDEXES)


# --- Keeping the index in step ---------------------------------------------------------------


def reindex_books(session: Session, book_ids: Iterable[int]) -> None:
    """Index these books again from what the database holds now (after a flush)."""
    book_ids = sorted(set(book_ids))
    if book_ids:
        _write(session.connection(), book_ids, known_words=set())


def rebuild(connection: Connection) -> None:
    """Index every book afresh, and start the list of words again: after rows were written
    without the ORM (bench/seed.py)."""
    connection.execute(delete(IndexedBook))
    connection.execute(delete(IndexedWord))
    known_words: set[str] = set()
    all_ids = list(connection.scalars(select(Book.id).order_by(Book.id)))
    for start in range(0, len(all_ids), REBUILD_CHUNK):
        _write(connection, all_ids[start : start + REBUILD_CHUNK], known_words)


@shelves.shelf_names_changed.connect
def _index_books_on_changed_shelves(book_ids: list[int]) -> None:
    # A book is found by its shelves' names: the index learns the new ones.
    reindex_books(db.session(), book_ids)


@event.listens_for(Session, "after_flush")
def _index_changed_books(session: Session, flush_context: UOWTransaction) -> None:
    changed = [book.id for book in session.new if isinstance(book, Book)]
    changed += [
        book.id
        for book in session.dirty
        if isinstance(book, Book) and book not in session.deleted and _words_changed(book)
    ]
    if changed:
        _write(session.connection(), sorted(changed), known_words=set())


def _words_changed(book: Book) -> bool:
    # History only: a collection that was never loaded has none, and is not loaded for it.
    attributes = inspect(book).attrs
    return any(
        attributes[name].history.has_changes() for name in INDEXED_ATTRIBUTES + INDEXED_COLLECTIONS
    )


def _write(connection: Connection, book_ids: list[int], known_words: set[str]) -> None:
    rows = _indexed_rows(connection, book_ids)
    connection.execute(delete(IndexedBook).where(IndexedBook.book_id.in_(book_ids)))
    if rows:
        connection.execute(insert(IndexedBook.__table__), rows)
    words = {word for row in rows for group in GROUPS for word in row[group].split()}
    _add_words(connection, {word for word in words if _kept_for_corrections(word)}, known_words)


def _add_words(connection: Connection, words: set[str], known_words: set[str]) -> None:
    new_words = words - known_words
    new_words -= _known_words(connection, new_words)
    if new_words:
        # Two requests may add the same new word at once: the second adds nothing.
        insert_new = insert_with_on_conflict(connection.dialect)
        add = insert_new(IndexedWord.__table__).on_conflict_do_nothing(index_elements=["word"])
        connection.execute(add, [{"word": word} for word in sorted(new_words)])
    known_words |= new_words


def _indexed_rows(connection: Connection, book_ids: list[int]) -> list[dict[str, Any]]:
    authors: defaultdict[int, list[str]] = defaultdict(list)
    shelves: defaultdict[int, list[str]] = defaultdict(list)
    by_position = (
        select(Authorship.book_id, Author.name)
        .join(Author, Author.id == Authorship.author_id)
        .where(Authorship.book_id.in_(book_ids))
        .order_by(Authorship.book_id, Authorship.position)
    )
    for book_id, name in connection.execute(by_position):
        authors[book_id].append(name)
    on_shelves = (
        select(book_shelves.c.book_id, Shelf.name)
        .join(Shelf, Shelf.id == book_shelves.c.shelf_id)
        .where(book_shelves.c.book_id.in_(book_ids))
    )
    for book_id, name in connection.execute(on_shelves):
        shelves[book_id].append(name)
    fields = select(
        Book.id, Book.title, Book.subtitle, Book.publisher, Book.isbn13, Book.description
    ).where(Book.id.in_(book_ids))
    return [
        _indexed_row(book, authors[book.id], shelves[book.id])
        for book in connection.execute(fields)
    ]


def _indexed_row(
    book: Row[*tuple[Any, ...]], authors: list[str], shelves: list[str]
) -> dict[str, Any]:
    isbns = [book.isbn13, isbn.isbn10(book.isbn13)] if book.isbn13 else []
    names = [book.title, *authors]
    details = [book.subtitle, book.publisher, *sorted(shelves)]
    return {
        "book_id": book.id,
        "heading": _words(*names, *filter(None, isbns), joined=_joined(names, neighbours=True)),
        "details": _words(*details, joined=_joined(details, neighbours=True)),
        "description": _words(book.description, joined=_joined([book.description])),
    }


def _words(*texts: str | None, joined: list[str]) -> str:
    return " ".join([*words_of(" ".join(text for text in texts if text)), *joined])


def _joined(texts: list[str | None], neighbours: bool = False) -> list[str]:
    """Words written apart in these texts that are found joined too (search/terms.py); each
    text on its own, so no word is joined to the next text's first."""
    return [word for text in texts if text for word in joined_words(text, neighbours)]


def _kept_for_corrections(word: str) -> bool:
    return word.isalpha() and SHORTEST_KEPT_WORD <= len(word) <= LONGEST_KEPT_WORD


def _known_words(connection: Connection, words: set[str]) -> set[str]:
    if not words:
        return set()
    listed = select(IndexedWord.word).where(IndexedWord.word.in_(sorted(words)))
    return set(connection.scalars(listed))


# --- Searching -------------------------------------------------------------------------------


def books_matching(readings: list[list[Term]], by_relevance: bool = True) -> Parts:
    """The books whose words match every term of one of the readings (the search as typed,
    then with neighbouring words joined: search/terms.py), found through the index and then
    read by id; by relevance, in two parts listed one after the other, each with its
    relevance to order it by (higher first). Not by relevance: one part, and no relevance.

    Relevance ranks in tiers, then by the index's own score within a tier. First the books
    that match the search as typed with no typo (a term's `typos` are its near words), then
    the rest; within each, a book with a term in its title, authors or ISBN first, then one
    with a term in its subtitle, publisher or shelves, then the rest (matched by the
    description only). The score (bm25 or ts_rank, squashed into [0, 1)) alone would not
    keep that order: on a small catalog a word most books have weighs next to nothing
    wherever it is found.

    The best tier (as typed, in the title, authors or ISBN) is the first part, the rest the
    second: each is found by the index with its tier written into the search itself (an FTS5
    column filter; on PostgreSQL the heading's own tsvector). A word a quarter of the catalog
    has fills the first pages from its title matches, and the rest are never ranked for them
    (at 100,000 books, ranking every match of "anarchy" took 60 ms on SQLite). On SQLite the
    first part's bm25 counts a title's match twice, as its search names the title twice.
    """
    as_typed = without_typos(readings[0])
    exact = readings if readings == [as_typed] else [as_typed]
    parts = _pg_parts if _is_postgresql() else _sqlite_parts
    return parts(readings, exact, by_relevance)


def _sqlite_parts(readings: list[list[Term]], exact: list[list[Term]], by_relevance: bool) -> Parts:
    everything = _fts5_query(readings)
    if not by_relevance:
        return [_sqlite_books_found(everything, None)]
    in_heading = " OR ".join(map(_fts5_term, _every_term(readings)))
    best = f"({_fts5_query(exact)}) AND {{heading}}: ({in_heading})"
    # The rest holds books found with a typo or with words joined, unless the search has none.
    typed = None if exact == readings else exact
    return [
        _sqlite_ranked(best),
        _sqlite_ranked(f"({everything}) NOT ({best})", tiered=True, exact=typed),
    ]


def _pg_parts(readings: list[list[Term]], exact: list[list[Term]], by_relevance: bool) -> Parts:
    indexed = _pg_indexed_books.c
    everything = _pg_matches(indexed.document, _tsquery(readings))
    if not by_relevance:
        return [(_pg_books_found(everything), None)]
    # The title, authors and ISBNs have a tsvector and an index of their own: a weight in the
    # tsquery would be checked only against each match's whole document.
    best = and_(
        _pg_matches(indexed.heading_document, _tsquery_of(_every_term(readings), " | ")),
        _pg_matches(indexed.document, _tsquery(exact)),
    )
    typed = None if exact == readings else exact
    return [
        _pg_ranked(best, readings),
        _pg_ranked(and_(everything, not_(best)), readings, tiered=True, exact=typed),
    ]


def finds_anything(term: Term) -> bool:
    """Whether any book, hidden or not, has a word the term matches. Counted rather than
    asked for one: with LIMIT 1, PostgreSQL may read the documents one by one hoping to find
    one soon, and for a misspelling there is none to find."""
    counted = select(func.count()).select_from(matching_ids([[term]]).subquery())
    return db.session.execute(counted).scalar_one() > 0


def matching_ids(readings: list[list[Term]]) -> Select:
    """The ids of the books, hidden or not, whose words match every term of one of the
    readings: the index alone."""
    if _is_postgresql():
        matches = _pg_matches(_pg_indexed_books.c.document, _tsquery(readings))
        return select(_pg_indexed_books.c.book_id).where(matches)
    return select(_book_search.c.rowid).where(_fts5_matches(_fts5_query(readings)))


def _sqlite_ranked(
    match: str, tiered: bool = False, exact: list[list[Term]] | None = None
) -> tuple[Select, ColumnElement | None]:
    """The books the FTS5 query `match` finds, and their relevance: the score alone for a
    part all of one tier, else tier and score; `exact`, the search as typed, where the part
    holds books found with a typo too."""

    def bm25(*weights: float) -> ColumnElement[float]:
        # bm25 is negative, and 0 exactly when no column with a weight holds a match.
        return func.bm25(literal_column("book_search"), *weights, type_=Float)

    score = -bm25(*SQLITE_WEIGHTS)
    if not tiered:
        return _sqlite_books_found(match, score)
    tier: ColumnElement[int] = case(
        (bm25(1.0, 0.0, 0.0) < 0, 2), (bm25(0.0, 1.0, 0.0) < 0, 1), else_=0
    )
    if exact is not None:
        # The books the search finds as typed, looked up once (not per matched book).
        exact_ids = select(_book_search.c.rowid).where(_fts5_matches(_fts5_query(exact)))
        exact_ids = exact_ids.correlate(None)
        tier = tier + case((_book_search.c.rowid.in_(exact_ids), EXACT_TIER), else_=0)
    return _sqlite_books_found(match, _relevance(tier, score))


def _sqlite_books_found(
    match: str, relevance: ColumnElement[Any] | None
) -> tuple[Select, ColumnElement | None]:
    columns = [_book_search.c.rowid.label("book_id")]
    if relevance is not None:
        columns.append(relevance.label("relevance"))
    matched = select(*columns).where(_fts5_matches(match)).subquery("matched")
    found = IndexFirst(matched, Book.__table__, matched.c.book_id == Book.id)
    return select(Book).select_from(found), matched.c.get("relevance")


def _pg_ranked(
    match: ColumnElement[bool],
    readings: list[list[Term]],
    tiered: bool = False,
    exact: list[list[Term]] | None = None,
) -> tuple[Select, ColumnElement | None]:
    """The books the index finds by `match`, and their relevance: the whole search's ts_rank,
    alone for a part all of one tier, else after the tier; `exact`, the search as typed,
    where the part holds books found with a typo too."""
    ranked = _pg_indexed_books.alias("ranked")
    score = func.ts_rank(ranked.c.document, _as_tsquery(_tsquery(readings)), type_=Float)
    relevance: ColumnElement[Any] = score
    if tiered:
        terms = _every_term(readings)
        in_group = {
            weight: _pg_matches(ranked.c.document, _tsquery_of(terms, " | ", weight))
            for weight in ("A", "B")
        }
        tier: ColumnElement[int] = case((in_group["A"], 2), (in_group["B"], 1), else_=0)
        if exact is not None:
            as_typed = _pg_matches(ranked.c.document, _tsquery(exact))
            tier = tier + case((as_typed, EXACT_TIER), else_=0)
        relevance = _relevance(tier, score)
    # Read for each book only when sorting by it: a count drops the ORDER BY, and this.
    by_book = select(relevance).where(ranked.c.book_id == Book.id).scalar_subquery()
    return _pg_books_found(match), by_book


def _pg_books_found(match: ColumnElement[bool]) -> Select:
    # Books looked up by id from an array of the matches. Joined to the matches instead, the
    # planner reads every book (a hash join) when many match, or walks the books in title
    # order hoping to fill a page soon, which reads them all when none match.
    found = select(_pg_indexed_books.c.book_id).where(match)
    return select(Book).where(Book.id == any_(func.array(found.scalar_subquery())))


def _every_term(readings: list[list[Term]]) -> list[Term]:
    """The terms of every reading: where any of them is found decides a book's tier."""
    return [term for reading in readings for term in reading]


def _pg_matches(document: ColumnElement[Any], tsquery: str) -> ColumnElement[bool]:
    return document.op("@@")(_as_tsquery(tsquery))


def _relevance(tier: ColumnElement[int], score: ColumnElement[float]) -> ColumnElement[Any]:
    return tier + score / (score + 1.0)


def _as_tsquery(text: str) -> ColumnElement[Any]:
    return cast(literal(text), postgresql.TSQUERY)


def _fts5_matches(query: str) -> ColumnElement[bool]:
    return literal_column("book_search").op("MATCH")(query)


def words_like(word: str) -> list[str]:
    """Words books have had that share some of this word's letter triples, the most alike
    first: the candidates for correcting it. Only words of about its length. Looked up once
    per request: a search's typos and its correction ask for the same words."""
    looked_up = g.setdefault("words_like", {})
    if word not in looked_up:
        looked_up[word] = _words_like(word)
    return looked_up[word]


def _words_like(word: str) -> list[str]:
    if _is_postgresql():
        db.session.execute(
            select(func.set_config("pg_trgm.similarity_threshold", PG_SIMILARITY, True))
        )
    return list(db.session.scalars(neighbours(word)))


def neighbours(word: str) -> Select:
    """The query behind `words_like`, through the trigram index."""
    if _is_postgresql():
        found = (
            select(IndexedWord.word)
            .where(IndexedWord.word.op("%")(word))
            .order_by(func.similarity(IndexedWord.word, word).desc(), IndexedWord.word)
        )
    else:
        fts: ColumnElement[Any] = literal_column("word_trigrams")
        trigrams = IndexFirst(
            _word_trigrams, IndexedWord.__table__, _word_trigrams.c.rowid == IndexedWord.id
        )
        found = (
            select(IndexedWord.word)
            .select_from(trigrams)
            .where(fts.op("MATCH")(_trigram_query(word)))
            .order_by(func.bm25(fts), IndexedWord.word)
        )
    similar_length = func.length(IndexedWord.word).between(len(word) - 2, len(word) + 2)
    return found.where(similar_length).limit(NEIGHBOURS)


def _fts5_query(readings: list[list[Term]]) -> str:
    return " OR ".join(f"({' AND '.join(map(_fts5_term, reading))})" for reading in readings)


def _fts5_term(term: Term) -> str:
    # Words hold only letters and digits, so quoting them is safe. The exact word beside its
    # beginning ranks books with the exact word higher.
    words = [f'"{term.word}"', *(f'"{typo}"' for typo in term.typos)]
    if term.is_beginning:
        words.insert(1, f'"{term.stem}"*')
    return f"({' OR '.join(words)})"


def _tsquery(readings: list[list[Term]]) -> str:
    """The readings as a tsquery: every term of one of them."""
    return " | ".join(f"({_tsquery_of(reading, ' & ')})" for reading in readings)


def _tsquery_of(terms: list[Term], joined_by: str, weight: str = "") -> str:
    """The terms as a tsquery, lexemes quoted (they hold only letters and digits); `weight`
    ("A", "B") matches them only in that group of the book's words."""
    exact = f":{weight}" if weight else ""

    def matched(term: Term) -> str:
        words = [f"'{term.word}'{exact}", *(f"'{typo}'{exact}" for typo in term.typos)]
        if term.is_beginning:
            words.insert(1, f"'{term.stem}':*{weight}")
        return f"({' | '.join(words)})"

    return joined_by.join(map(matched, terms))


def _trigram_query(word: str) -> str:
    # Padded as pg_trgm pads, so the beginning and the end count: " butler " and " bulter "
    # share " bu" and "er " though no triple inside.
    padded = f" {word} "
    return " OR ".join(f'"{padded[i : i + 3]}"' for i in range(len(padded) - 2))


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


class IndexFirst(Join):
    """A join read from the index side first: SQLite's planner would otherwise sometimes start
    from a books index (on `hidden`, `stock`…) and probe the search index once per book, a scan
    in all but name. On SQLite a CROSS JOIN fixes the order; PostgreSQL's planner keeps its say."""

    inherit_cache = True


@compiles(IndexFirst, "sqlite")
def _cross_join(join: IndexFirst, compiler: SQLCompiler, **kw: Any) -> str:
    kw.pop("asfrom", None)
    if join.onclause is None:
        raise ValueError("An IndexFirst join needs its ON clause.")
    return (
        join.left._compiler_dispatch(compiler, asfrom=True, **kw)
        + " CROSS JOIN "
        + join.right._compiler_dispatch(compiler, asfrom=True, **kw)
        + " ON "
        + join.onclause._compiler_dispatch(compiler, **kw)
    )

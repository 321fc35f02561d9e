"""the search index: FTS5 on SQLite, tsvector and pg_trgm on PostgreSQL

indexed_books and indexed_words, filled for the books already there.

Revision ID: a4c1e5f0b7d2
Revises: bb8ac5828697
Create Date: 2026-12-02 10:00:00

"""
import re
import unicodedata
from collections import defaultdict

from alembic import op
import sqlalchemy as sa
from stdnum import isbn as stdnum_isbn


# revision identifiers, used by Alembic.
revision = 'a4c1e5f0b7d2'
down_revision = 'bb8ac5828697'
branch_labels = None
depends_on = None

SQLITE_INDEX = [
    # The index reads indexed_books (external content); the triggers keep it in step.
    """CREATE VIRTUAL TABLE book_search USING fts5(
        heading, details, description,
        content='indexed_books', content_rowid='book_id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER indexed_books_added AFTER INSERT ON indexed_books BEGIN
        INSERT INTO book_search(rowid, heading, details, description)
        VALUES (new.book_id, new.heading, new.details, new.description);
    END""",
    """CREATE TRIGGER indexed_books_removed AFTER DELETE ON indexed_books BEGIN
        INSERT INTO book_search(book_search, rowid, heading, details, description)
        VALUES ('delete', old.book_id, old.heading, old.details, old.description);
    END""",
    """CREATE TRIGGER indexed_books_changed AFTER UPDATE ON indexed_books BEGIN
        INSERT INTO book_search(book_search, rowid, heading, details, description)
        VALUES ('delete', old.book_id, old.heading, old.details, old.description);
        INSERT INTO book_search(rowid, heading, details, description)
        VALUES (new.book_id, new.heading, new.details, new.description);
    END""",
    # Letter triples of each word, padded with a space at each end (as pg_trgm pads), so a
    # misspelling's neighbours are found. Contentless: the words stay in indexed_words.
    """CREATE VIRTUAL TABLE word_trigrams USING fts5(word, content='', tokenize='trigram')""",
    """CREATE TRIGGER indexed_words_added AFTER INSERT ON indexed_words BEGIN
        INSERT INTO word_trigrams(rowid, word) VALUES (new.id, ' ' || new.word || ' ');
    END""",
    """CREATE TRIGGER indexed_words_removed AFTER DELETE ON indexed_words BEGIN
        INSERT INTO word_trigrams(word_trigrams, rowid, word)
        VALUES ('delete', old.id, ' ' || old.word || ' ');
    END""",
]
SQLITE_INDEX_DROPPED = [
    "DROP TRIGGER indexed_words_removed",
    "DROP TRIGGER indexed_words_added",
    "DROP TABLE word_trigrams",
    "DROP TRIGGER indexed_books_changed",
    "DROP TRIGGER indexed_books_removed",
    "DROP TRIGGER indexed_books_added",
    "DROP TABLE book_search",
]
POSTGRESQL_INDEX = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE indexed_books ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, heading), 'A')
        || setweight(to_tsvector('simple'::regconfig, details), 'B')
        || setweight(to_tsvector('simple'::regconfig, description), 'C')
    ) STORED""",
    "CREATE INDEX ix_indexed_books_document ON indexed_books USING gin (document)",
    "CREATE INDEX ix_indexed_words_trigrams ON indexed_words USING gin (word gin_trgm_ops)",
]
# Dropped with their tables; pg_trgm stays, as other databases' objects may use it.

WORD = re.compile(r"[^\W_]+")


# The same words as firestorm.catalog.search_index makes, written here because a migration
# must keep working whatever the app's code becomes.
def words(*texts):
    text = " ".join(text for text in texts if text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(WORD.findall(folded))


def isbn10(isbn13):
    try:
        return stdnum_isbn.to_isbn10(isbn13)
    except Exception:
        return None


def upgrade():
    op.create_table('indexed_books',
    sa.Column('book_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('heading', sa.Text(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['book_id'], ['books.id'], name=op.f('fk_indexed_books_book_id_books'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('book_id', name=op.f('pk_indexed_books'))
    )
    op.create_table('indexed_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indexed_words')),
    sa.UniqueConstraint('word', name=op.f('uq_indexed_words_word'))
    )
    statements = POSTGRESQL_INDEX if op.get_bind().dialect.name == "postgresql" else SQLITE_INDEX
    for statement in statements:
        op.execute(statement)
    index_existing_books(op.get_bind())


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_INDEX_DROPPED:
            op.execute(statement)
    op.drop_table('indexed_words')
    op.drop_table('indexed_books')


BOOKS = sa.table('books', *(sa.column(name) for name in (
    'id', 'title', 'subtitle', 'publisher', 'isbn13', 'description')))
INDEXED_BOOKS = sa.table('indexed_books', *(sa.column(name) for name in (
    'book_id', 'heading', 'details', 'description')))
INDEXED_WORDS = sa.table('indexed_words', sa.column('word'))
CHUNK = 2000


def index_existing_books(connection):
    """Index the books in chunks, so a large catalog is never all in memory."""
    kept = set()
    last_id = 0
    while True:
        chunk = connection.execute(
            sa.select(BOOKS).where(BOOKS.c.id > last_id).order_by(BOOKS.c.id).limit(CHUNK)
        ).all()
        if not chunk:
            break
        last_id = chunk[-1].id
        rows = indexed_rows(connection, chunk)
        connection.execute(INDEXED_BOOKS.insert(), rows)
        kept |= {
            word for row in rows for group in ('heading', 'details', 'description')
            for word in row[group].split() if word.isalpha() and 3 <= len(word) <= 100
        }
    if kept:
        connection.execute(INDEXED_WORDS.insert(), [{'word': word} for word in sorted(kept)])


def indexed_rows(connection, books):
    ids = {'ids': [book.id for book in books]}
    authors, shelves = defaultdict(list), defaultdict(list)
    in_order = sa.text(
        "SELECT authorships.book_id, authors.name FROM authorships"
        " JOIN authors ON authors.id = authorships.author_id"
        " WHERE authorships.book_id IN :ids"
        " ORDER BY authorships.book_id, authorships.position"
    ).bindparams(sa.bindparam('ids', expanding=True))
    for book_id, name in connection.execute(in_order, ids):
        authors[book_id].append(name)
    on_shelves = sa.text(
        "SELECT book_shelves.book_id, shelves.name FROM book_shelves"
        " JOIN shelves ON shelves.id = book_shelves.shelf_id"
        " WHERE book_shelves.book_id IN :ids"
    ).bindparams(sa.bindparam('ids', expanding=True))
    for book_id, name in connection.execute(on_shelves, ids):
        shelves[book_id].append(name)
    return [
        {
            'book_id': book.id,
            'heading': words(
                book.title, *authors[book.id], book.isbn13,
                isbn10(book.isbn13) if book.isbn13 else None),
            'details': words(book.subtitle, book.publisher, *sorted(shelves[book.id])),
            'description': words(book.description),
        }
        for book in books
    ]

"""search: every book indexed again with "&" as "and" and words written joined or apart

Revision ID: e1f3a5c7b9d2
Revises: d5e7f9a1b3c5
Create Date: 2026-12-05 22:00:00.000000

"""

import re
import unicodedata
from collections import defaultdict

from alembic import op
import sqlalchemy as sa
from stdnum import isbn as stdnum_isbn


# revision identifiers, used by Alembic.
revision = "e1f3a5c7b9d2"
down_revision = "d5e7f9a1b3c5"
branch_labels = None
depends_on = None

WORD = re.compile(r"[^\W_]+")
MARKED_WORD = re.compile(r"[^\W_]+(?:['’‐-][^\W_]+)+")
MARKS = re.compile(r"['’‐-]")
BOOKS = sa.table(
    "books",
    *(
        sa.column(name)
        for name in ("id", "title", "subtitle", "publisher", "isbn13", "description")
    ),
)
INDEXED_BOOKS = sa.table(
    "indexed_books", *(sa.column(name) for name in ("book_id", "heading", "details", "description"))
)
INDEXED_WORDS = sa.table("indexed_words", sa.column("word"))
CHUNK = 2000


def upgrade():
    """The words as firestorm/search/terms.py makes them at this revision, written here
    because a migration must keep working whatever the app's code becomes. The triggers
    (SQLite) and the generated column (PostgreSQL) keep the search index in step."""
    connection = op.get_bind()
    known = set(connection.scalars(sa.select(INDEXED_WORDS.c.word)))
    last_id = 0
    while True:
        chunk = connection.execute(
            sa.select(BOOKS).where(BOOKS.c.id > last_id).order_by(BOOKS.c.id).limit(CHUNK)
        ).all()
        if not chunk:
            break
        last_id = chunk[-1].id
        rows = indexed_rows(connection, chunk)
        connection.execute(
            INDEXED_BOOKS.delete().where(INDEXED_BOOKS.c.book_id.in_([book.id for book in chunk]))
        )
        connection.execute(INDEXED_BOOKS.insert(), rows)
        new_words = {
            word
            for row in rows
            for group in ("heading", "details", "description")
            for word in row[group].split()
            if word.isalpha() and 3 <= len(word) <= 100
        } - known
        if new_words:
            connection.execute(INDEXED_WORDS.insert(), [{"word": w} for w in sorted(new_words)])
            known |= new_words


def downgrade():
    # The joined words and "and" for "&" are more words than the older search asks for, and
    # find nothing it would not: the index stays as it is.
    pass


def spelled_out(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return folded.replace("&", " and ")


def joined(text, neighbours):
    folded = spelled_out(text)
    words = [MARKS.sub("", found) for found in MARKED_WORD.findall(folded)]
    if neighbours:
        apart = WORD.findall(folded)
        words += [
            first + second
            for first, second in zip(apart, apart[1:])
            if first.isalpha() and second.isalpha()
        ]
    return words


def words(texts, neighbours):
    texts = [text for text in texts if text]
    written = WORD.findall(spelled_out(" ".join(texts)))
    return " ".join(written + [word for text in texts for word in joined(text, neighbours)])


def isbn10(isbn13):
    try:
        return stdnum_isbn.to_isbn10(isbn13)
    except Exception:
        return None


def indexed_rows(connection, books):
    ids = {"ids": [book.id for book in books]}
    authors, shelves = defaultdict(list), defaultdict(list)
    in_order = sa.text(
        "SELECT authorships.book_id, authors.name FROM authorships"
        " JOIN authors ON authors.id = authorships.author_id"
        " WHERE authorships.book_id IN :ids"
        " ORDER BY authorships.book_id, authorships.position"
    ).bindparams(sa.bindparam("ids", expanding=True))
    for book_id, name in connection.execute(in_order, ids):
        authors[book_id].append(name)
    on_shelves = sa.text(
        "SELECT book_shelves.book_id, shelves.name FROM book_shelves"
        " JOIN shelves ON shelves.id = book_shelves.shelf_id"
        " WHERE book_shelves.book_id IN :ids"
    ).bindparams(sa.bindparam("ids", expanding=True))
    for book_id, name in connection.execute(on_shelves, ids):
        shelves[book_id].append(name)
    rows = []
    for book in books:
        names = [book.title, *authors[book.id]]
        isbns = [book.isbn13, isbn10(book.isbn13)] if book.isbn13 else []
        details = [book.subtitle, book.publisher, *sorted(shelves[book.id])]
        rows.append(
            {
                "book_id": book.id,
                # The ISBNs join no neighbour: they are numbers, and joined words are letters.
                "heading": words([*names, *filter(None, isbns)], neighbours=True),
                "details": words(details, neighbours=True),
                "description": words([book.description], neighbours=False),
            }
        )
    return rows

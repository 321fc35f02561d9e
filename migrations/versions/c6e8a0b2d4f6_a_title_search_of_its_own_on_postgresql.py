"""on PostgreSQL, the words of each book's title, authors and ISBNs in a tsvector of their
own with its own GIN index, so that a search finds its title matches (its best tier) in the
index, not by reading every match's document to check where the word was

SQLite needs nothing: FTS5 filters by column in the index itself.

Revision ID: c6e8a0b2d4f6
Revises: a4c6e8f0b2d4
Create Date: 2026-12-06 07:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c6e8a0b2d4f6'
down_revision = 'a4c6e8f0b2d4'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """ALTER TABLE indexed_books ADD COLUMN heading_document tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, heading)) STORED"""
    )
    op.execute(
        "CREATE INDEX ix_indexed_books_heading_document ON indexed_books "
        "USING gin (heading_document)"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_indexed_books_heading_document")
    op.execute("ALTER TABLE indexed_books DROP COLUMN heading_document")

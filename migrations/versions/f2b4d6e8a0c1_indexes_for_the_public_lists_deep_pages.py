"""indexes for the public lists' deep pages: the catalog's three orders and /reviews walk
partial indexes of what the public sees, so an OFFSET skips index entries, not rows; the
published reviews' index replaces the one on published_at alone, which SQLite could prefer

Each condition is written as the lists' own (`hidden IS 0` on SQLite, `hidden IS false` on
PostgreSQL, as SQLAlchemy writes `Book.hidden.is_(False)`): a database uses a partial index
only for a query whose WHERE has its condition.

Revision ID: f2b4d6e8a0c1
Revises: e8a1c3f5b7d9
Create Date: 2026-12-06 01:25:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b4d6e8a0c1'
down_revision = 'e8a1c3f5b7d9'
branch_labels = None
depends_on = None

DESC = sa.literal_column


def _hidden_is(value: bool) -> dict:
    sqlite, postgresql = ("1", "true") if value else ("0", "false")
    return {
        "sqlite_where": sa.text(f"hidden IS {sqlite}"),
        "postgresql_where": sa.text(f"hidden IS {postgresql}"),
    }


PUBLISHED = {
    "sqlite_where": sa.text("published_body IS NOT NULL"),
    "postgresql_where": sa.text("published_body IS NOT NULL"),
}


def upgrade():
    shown = _hidden_is(False)
    op.create_index('ix_books_shown_by_title', 'books', ['sort_title', 'id', 'stock'], **shown)
    op.create_index(
        'ix_books_shown_by_arrival', 'books',
        [DESC('created_at DESC'), DESC('id DESC'), 'stock'], **shown,
    )
    # SQLite puts NULLs last in a descending order already, and refuses to be told so.
    nulls_last = "" if op.get_bind().dialect.name == "sqlite" else " NULLS LAST"
    op.create_index(
        'ix_books_shown_by_review', 'books',
        [DESC(f'last_reviewed_at DESC{nulls_last}'), 'sort_title', 'id', 'stock'], **shown,
    )
    op.create_index('ix_books_hidden_ids', 'books', ['id'], **_hidden_is(True))
    op.create_index(
        'ix_reviews_published_newest', 'reviews',
        [DESC('published_at DESC'), DESC('id DESC'), 'book_id'], **PUBLISHED,
    )
    op.drop_index('ix_reviews_published_at', 'reviews')


def downgrade():
    op.create_index('ix_reviews_published_at', 'reviews', ['published_at'])
    op.drop_index('ix_reviews_published_newest', 'reviews')
    op.drop_index('ix_books_hidden_ids', 'books')
    op.drop_index('ix_books_shown_by_review', 'books')
    op.drop_index('ix_books_shown_by_arrival', 'books')
    op.drop_index('ix_books_shown_by_title', 'books')

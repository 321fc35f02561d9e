"""each book's place on a shelf keeps a copy of what the shelf's pages filter and sort by
(hidden, stock, title, arrival, last review), kept by the database's triggers, so a shelf's
page walks an index of its own books in order instead of the whole catalog's

Revision ID: a4c6e8f0b2d4
Revises: f2b4d6e8a0c1
Create Date: 2026-12-06 00:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4c6e8f0b2d4'
down_revision = 'f2b4d6e8a0c1'
branch_labels = None
depends_on = None

COPIED = "hidden, stock, sort_title, created_at, last_reviewed_at"

# SQLite: a row is copied into once it is in (a BEFORE trigger cannot set NEW's columns).
SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER book_shelves_copy_book AFTER INSERT ON book_shelves
    BEGIN
        UPDATE book_shelves SET ({COPIED}) = (SELECT {COPIED} FROM books WHERE id = NEW.book_id)
        WHERE book_id = NEW.book_id AND shelf_id = NEW.shelf_id;
    END
    """,
    f"""
    CREATE TRIGGER books_copy_to_shelves AFTER UPDATE OF {COPIED} ON books
    BEGIN
        UPDATE book_shelves SET ({COPIED}) =
            (NEW.hidden, NEW.stock, NEW.sort_title, NEW.created_at, NEW.last_reviewed_at)
        WHERE book_id = NEW.id;
    END
    """,
]
# OR REPLACE: dropping the tables (as the tests do between runs) leaves the functions.
POSTGRESQL_TRIGGERS = [
    f"""
    CREATE OR REPLACE FUNCTION book_shelves_copy_book() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT {COPIED} INTO NEW.hidden, NEW.stock, NEW.sort_title, NEW.created_at,
            NEW.last_reviewed_at
        FROM books WHERE id = NEW.book_id;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER book_shelves_copy_book BEFORE INSERT ON book_shelves
    FOR EACH ROW EXECUTE FUNCTION book_shelves_copy_book()
    """,
    f"""
    CREATE OR REPLACE FUNCTION books_copy_to_shelves() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE book_shelves SET ({COPIED}) =
            (NEW.hidden, NEW.stock, NEW.sort_title, NEW.created_at, NEW.last_reviewed_at)
        WHERE book_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE TRIGGER books_copy_to_shelves AFTER UPDATE OF {COPIED} ON books
    FOR EACH ROW EXECUTE FUNCTION books_copy_to_shelves()
    """,
]


def _shown(dialect: str) -> dict:
    condition = sa.text("hidden IS 0" if dialect == "sqlite" else "hidden IS false")
    return {"sqlite_where": condition, "postgresql_where": condition}


def upgrade():
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table('book_shelves', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('stock', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sort_title', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_reviewed_at', sa.DateTime(), nullable=True))
    op.execute(
        f"UPDATE book_shelves SET ({COPIED}) ="
        f" (SELECT {COPIED} FROM books WHERE books.id = book_shelves.book_id)"
    )
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRESQL_TRIGGERS:
        op.execute(statement)
    shown = _shown(dialect)
    desc = sa.literal_column
    nulls_last = "" if dialect == "sqlite" else " NULLS LAST"
    op.create_index(
        'ix_book_shelves_shown_by_title', 'book_shelves',
        ['shelf_id', 'sort_title', 'book_id', 'stock'], **shown,
    )
    op.create_index(
        'ix_book_shelves_shown_by_arrival', 'book_shelves',
        ['shelf_id', desc('created_at DESC'), desc('book_id DESC'), 'stock'], **shown,
    )
    op.create_index(
        'ix_book_shelves_shown_by_review', 'book_shelves',
        ['shelf_id', desc(f'last_reviewed_at DESC{nulls_last}'), 'sort_title', 'book_id', 'stock'],
        **shown,
    )


def downgrade():
    dialect = op.get_bind().dialect.name
    op.drop_index('ix_book_shelves_shown_by_review', 'book_shelves')
    op.drop_index('ix_book_shelves_shown_by_arrival', 'book_shelves')
    op.drop_index('ix_book_shelves_shown_by_title', 'book_shelves')
    if dialect == "sqlite":
        op.execute("DROP TRIGGER books_copy_to_shelves")
        op.execute("DROP TRIGGER book_shelves_copy_book")
    else:
        op.execute("DROP TRIGGER books_copy_to_shelves ON books")
        op.execute("DROP TRIGGER book_shelves_copy_book ON book_shelves")
        op.execute("DROP FUNCTION books_copy_to_shelves()")
        op.execute("DROP FUNCTION book_shelves_copy_book()")
    with op.batch_alter_table('book_shelves', schema=None) as batch_op:
        batch_op.drop_column('last_reviewed_at')
        batch_op.drop_column('created_at')
        batch_op.drop_column('sort_title')
        batch_op.drop_column('stock')
        batch_op.drop_column('hidden')

"""authors matched ignoring case and accents

Revision ID: bb8ac5828697
Revises: 854508e1eb7c
Create Date: 2026-11-29 19:25:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bb8ac5828697'
down_revision = '854508e1eb7c'
branch_labels = None
depends_on = None


def fold(text):
    # The same folding as firestorm.catalog.books.fold, written here because a migration must
    # keep working whatever the app's code becomes.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def upgrade():
    with op.batch_alter_table('authors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_authors_name_key'), ['name_key'], unique=False)
    authors = sa.table('authors', sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('name_key', sa.String))
    connection = op.get_bind()
    for author_id, name in connection.execute(sa.select(authors.c.id, authors.c.name)).all():
        connection.execute(authors.update().where(authors.c.id == author_id).values(name_key=fold(name)))


def downgrade():
    with op.batch_alter_table('authors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authors_name_key'))
        batch_op.drop_column('name_key')
